"""Better Danish for django-allauth's own texts on the account pages and in its e-mails.

allauth ships a Danish catalogue that mixes "password"/"adgangskode" and "email"/"e-mail"
and has a few slips ("Bekæftet"). The project catalogue (`locale/`, LOCALE_PATHS) wins over
every app's catalogue, so listing allauth's English msgids here puts them in ours, where
they get the portal's wording. Never imported: it exists for `makemessages`.
"""

from django.utils.translation import gettext_noop as _

ALLAUTH_MSGIDS = [
    _("Email"),
    _("Email address"),
    _("Verified"),
    _("Password Reset"),
    _("Change Password"),
    _("Reset My Password"),
    _(
        "Forgotten your password? Enter your email address below, and we'll send you an "
        "email allowing you to reset it."
    ),
    _("Please contact us if you have any trouble resetting your password."),
    _(
        "We have sent you an email. If you have not received it please check your spam "
        "folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    _("Bad Token"),
    _(
        "The password reset link was invalid, possibly because it has already been used.  "
        'Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    _("Your password is now changed."),
    _("Password successfully changed."),
    _("Successfully signed in as %(name)s."),
    _("You have signed out."),
    _("Are you sure you want to sign out?"),
    _("Signup"),
    _("Email Addresses"),
    _("The following email addresses are associated with your account:"),
    _("Add Email Address"),
    _("Add Email"),
    _("Verify Your Email Address"),
    _(
        "We have sent an email to you for verification. Follow the link provided to finalize "
        "the signup process. If you do not see the verification email in your main inbox, "
        "check your spam folder. Please contact us if you do not receive the verification "
        "email within a few minutes."
    ),
    _("Confirm Email Address"),
    _(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address '
        "for user %(user_display)s."
    ),
    _(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">'
        "issue a new email confirmation request</a>."
    ),
    _("The email address and/or password you specified are not correct."),
    _("A user is already registered with this email address."),
    _("Your primary email address must be verified."),
    _("Confirmation email sent to %(email)s."),
    _("You have confirmed %(email)s."),
    _("Removed email address %(email)s."),
    _("Primary email address set."),
    _("Too many failed login attempts. Try again later."),
]
