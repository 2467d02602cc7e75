from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import IdModelChoiceField

from . import services
from .models import NetworkPage, Organisation
from .validators import validate_ean


class MembershipSignupForm(forms.Form):
    """Sign an organisation up for a network for a year. The rules themselves live in
    `services.sign_up`; this form only shapes and pre-checks the input."""

    network = IdModelChoiceField(
        label=_("Network"),
        queryset=NetworkPage.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the networks open for sign-up.")},
    )
    organisation = IdModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "You can only sign up an organisation you are a verified member of."
            ),
            "required": _("Choose the organisation you sign up."),
        },
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    ean = forms.CharField(
        label=_("EAN/GLN number"),
        max_length=20,
        help_text=_("13 digits. Your finance department knows the number."),
        error_messages={"required": _("Enter the EAN number we should invoice.")},
    )
    purchase_reference = forms.CharField(
        label=_("Purchase order / reference"), max_length=100, required=False
    )
    invoice_contact_name = forms.CharField(
        label=_("Invoice contact"),
        max_length=200,
        error_messages={"required": _("Enter who receives the invoice.")},
    )
    invoice_contact_email = forms.EmailField(
        label=_("Invoice contact's e-mail"),
        error_messages={"required": _("Enter the invoice contact's e-mail address.")},
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the membership terms and may sign up my organisation."),
        error_messages={"required": _("You must accept the terms to sign up.")},
    )

    def __init__(self, *args, person, on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["network"].queryset = (
            NetworkPage.objects.live().public().filter(signup_open=True).order_by("title")
        )
        self.fields["organisation"].queryset = Organisation.objects.verified_for(person).order_by(
            "name"
        )
        years = services.allowed_signup_years(on)
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["year"].error_messages["invalid_choice"] = _(
            "You can sign up for %(years)s."
        ) % {"years": " / ".join(str(y) for y in years)}
        if "year" not in self.initial:
            self.initial["year"] = years[-1]
        self.fields["ean"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}
        )

    def clean_ean(self):
        ean = self.cleaned_data["ean"].strip().replace(" ", "")
        validate_ean(ean)
        return ean


class JoinOrganisationForm(forms.Form):
    organisation = IdModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        error_messages={
            "invalid_choice": _("Choose an organisation from the list."),
            "required": _("Choose an organisation from the list."),
        },
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            affiliations__person=person
        ).order_by("name")


class RenewalForm(forms.Form):
    """Renew for the coming year: last year's invoicing details, changeable."""

    ean = MembershipSignupForm.base_fields["ean"]
    purchase_reference = MembershipSignupForm.base_fields["purchase_reference"]
    invoice_contact_name = MembershipSignupForm.base_fields["invoice_contact_name"]
    invoice_contact_email = MembershipSignupForm.base_fields["invoice_contact_email"]
    seats_per_meeting = forms.TypedChoiceField(
        label=_("Seats per meeting"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=(),
        help_text=_("Leave as it is to use the network's number."),
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seats_per_meeting"].choices = [
            ("", _("The network's number (%(seats)s)") % {"seats": network.seats_per_member}),
            *((n, str(n)) for n in range(1, 11)),
        ]
        self.fields["ean"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}
        )

    clean_ean = MembershipSignupForm.clean_ean
