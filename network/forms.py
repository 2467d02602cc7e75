import hashlib

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import tree_cache
from portal.forms import FastSelect, IdModelChoiceField

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
        if not self.is_bound and getattr(person, "pk", None):
            # Every organisation is an option (hundreds): Min side shows the empty form on
            # every visit, so its list is kept, per person, until an organisation or an
            # affiliation changes (`ORGANISATIONS_VERSION`, renewed by `connect_signals`).
            self.fields["organisation"].widget = KeptSelect(
                key=f"network:join-options:{person.pk}",
                choices=self.fields["organisation"].widget.choices,
            )


ORGANISATIONS_VERSION = "network:organisations:version"


class KeptSelect(FastSelect):
    """A <select> whose rendered HTML is kept in the shared cache under `key` (and its
    name, value, attributes and language) until `ORGANISATIONS_VERSION` is renewed."""

    def __init__(self, *args, key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = key

    def render(self, name, value, attrs=None, renderer=None):
        digest = hashlib.sha256(
            repr((name, value, sorted((attrs or {}).items()), get_language())).encode()
        ).hexdigest()[:32]
        html = tree_cache.cached(
            f"{self.key}:{digest}",
            lambda: str(super(KeptSelect, self).render(name, value, attrs, renderer)),
            version_key=ORGANISATIONS_VERSION,
        )
        return mark_safe(html)  # noqa: S308 (FastSelect's own escaped markup)


def _forget_organisations(**kwargs) -> None:
    tree_cache.forget(ORGANISATIONS_VERSION)


def connect_signals() -> None:
    """Organisations and affiliations saved or deleted one by one renew the version; code
    that writes them in bulk calls `tree_cache.forget(ORGANISATIONS_VERSION)` itself."""
    from django.db.models.signals import post_delete, post_save

    from .models import Affiliation

    for model in (Organisation, Affiliation):
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_organisations,
                sender=model,
                dispatch_uid=f"network.organisations.{model.__name__}.{signal is post_save}",
            )


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
