"""Multi-factor authentication (django-allauth's `allauth.mfa`): what the session has
proved, the "To-trins-login" section on Min side, and the audit entries.

allauth records every authentication step of a session under
`allauth.account.authentication.AUTHENTICATION_METHODS_SESSION_KEY`; a login that passed
the code step (or a later "confirm with your code") leaves a record with method "mfa".
Setting up an authenticator app proves the person holds it too (they type a code from
it), so `authenticator_added` records that step in the session the same way: a
coordinator who has just set it up goes on into the admin without typing a second code.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from . import audit
from .access import must_use_mfa

MFA_ADDED = audit.action("portal.mfa.added", _("Two-factor login method added"))
MFA_REMOVED = audit.action("portal.mfa.removed", _("Two-factor login method removed"))

# Types that are a second factor on their own; recovery codes only come with one.
FACTOR_TYPES = [Authenticator.Type.TOTP, "webauthn"]


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists()


def session_used_mfa(request) -> bool:
    """Did this session prove a second factor for the signed-in person?"""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


@receiver(authenticator_added)
def _authenticator_added(sender, request, user, authenticator, **kwargs):
    audit.record(user, MFA_ADDED, by=user, data={"type": authenticator.type})
    if request is not None and authenticator.type in FACTOR_TYPES:
        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )


@receiver(authenticator_removed)
def _authenticator_removed(sender, request, user, authenticator, **kwargs):
    person = getattr(authenticator, "user", None) or user
    audit.record(person, MFA_REMOVED, by=user, data={"type": authenticator.type})


def my_page_section(request) -> str:
    """ "To-trins-login" on Min side: whether it is on, and where to set it up."""
    user = request.user
    return render_to_string(
        "portal/mfa_my_page_section.html",
        {"mfa_enabled": has_second_factor(user), "mfa_required": must_use_mfa(user)},
        request=request,
    )
