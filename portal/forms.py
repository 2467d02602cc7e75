from django import forms
from django.utils.translation import gettext_lazy as _

from .converters import in_id_range
from .models import User


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose posted id must fit the database: a number beyond its range
    is an invalid choice (the field's own message), not an OverflowError from SQLite.

    Django 5.2 catches ValueError and TypeError around the lookup, not OverflowError, and
    a lookup through a relation (a page's `page_ptr`) skips Django's own range check.
    """

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

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
