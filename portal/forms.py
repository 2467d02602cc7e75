from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .converters import in_id_range
from .models import User


def _attrs(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them (True: bare, False: left out)."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', str(value)))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class FastSelect(forms.Select):
    """Django's <select>, the same HTML, written in Python.

    Django renders every <option> through a template include; the library's filters
    (a hundred municipalities, the housing organisations) cost more to render that way
    than the rest of the page. This writes the markup of select.html and
    select_option.html directly, escaped the same way."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose posted id must fit the database: a number beyond its range
    is an invalid choice (the field's own message), not an OverflowError from SQLite.

    Django 5.2 catches ValueError and TypeError around the lookup, not OverflowError, and
    a lookup through a relation (a page's `page_ptr`) skips Django's own range check.
    """

    widget = FastSelect

    def to_python(self, value):
        if self.to_field_name in (None, "pk") and not in_id_range(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """IdModelChoiceField's rule for a list of ids."""

    def _check_values(self, value):
        if self.to_field_name in (None, "pk") and isinstance(value, (list, tuple)):
            for pk in value:
                if not in_id_range(pk):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls `signup`)."""

    # `autocomplete`: browsers fill in the person's own details (WCAG 1.3.5).
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    field_order = ["first_name", "last_name", "job_title", "email", "password1", "password2"]

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.job_title = self.cleaned_data.get("job_title", "")
        user.save(update_fields=["first_name", "last_name", "job_title"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_title", "phone"]
        labels = {
            "first_name": _("First name"),
            "last_name": _("Last name"),
            "job_title": _("Job title"),
            "phone": _("Phone"),
        }
        # Browsers fill in the person's own details (WCAG 1.3.5).
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


def _has_mfa(user) -> bool:
    from django.apps import apps

    if not apps.is_installed("allauth.mfa"):
        return False
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user).exists()


class DeleteAccountForm(forms.Form):
    """ "Slet min konto": the password, checked by allauth (its rate limit on
    reauthentication included), and the second factor's code when the person has set up
    MFA (allauth.mfa's own form checks it)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        self.user = request.user
        super().__init__(*args, **kwargs)
        self.mfa_form = None
        if _has_mfa(self.user):
            from allauth.mfa.base.forms import ReauthenticateForm as MfaForm

            self.mfa_form = MfaForm(*args, user=self.user, **kwargs)
            self.fields["code"] = forms.CharField(
                label=_("Code from your authenticator app"),
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
            )

    def clean_password(self):
        from allauth.account.adapter import get_adapter
        from allauth.core import ratelimit

        password = self.cleaned_data["password"]
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.user):
            raise forms.ValidationError(
                _("Too many attempts. Please wait a few minutes and try again."),
                code="rate_limited",
            )
        if not get_adapter(self.request).reauthenticate(self.user, password):
            raise forms.ValidationError(_("The password is not correct."), code="password")
        return password

    def clean_code(self):
        if self.mfa_form is not None and not self.mfa_form.is_valid():
            raise forms.ValidationError(_("The code is not correct."), code="code")
        return self.cleaned_data.get("code", "")
