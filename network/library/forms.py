from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from network.models import Organisation
from portal.forms import FastSelect, IdModelChoiceField, IdModelMultipleChoiceField
from portal.private_files import DOCUMENTS, PrivateFileFormField, is_new_upload
from portal.regions import Region

from . import services
from .models import Agreement, Topic

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("newest", _("Newest first")),
    ("signed", _("Signed, newest first")),
    ("municipality", _("Municipality, alphabetical")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class QuestionnaireForm(forms.Form):
    """The five-minute questionnaire. With `draft=True` nothing is required yet (the
    service checks completeness on submit), but whatever is filled in must be valid."""

    organisation = IdModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The housing organisation or administration company you answer for."),
    )
    on_behalf_of = IdModelMultipleChoiceField(
        label=_("Housing organisations this answer covers"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for administration companies: tick the organisations you answer for."),
    )
    municipality = IdModelChoiceField(
        label=_("Municipality"),
        queryset=Organisation.objects.municipalities().order_by("name"),
    )
    other_parties = forms.CharField(
        label=_("Other parties to the agreement"),
        required=False,
        max_length=500,
        help_text=_("E.g. other housing organisations. Leave empty if there are none."),
    )
    state = forms.ChoiceField(
        label=_("Is there an agreement with the municipality?"),
        choices=Agreement.State.choices,
        widget=forms.RadioSelect,
    )
    topics = IdModelMultipleChoiceField(
        label=_("What does the agreement cover?"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    signed_on = forms.DateField(label=_("Date signed"), required=False, widget=DateInput)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DateInput)
    dwellings_per_year = forms.IntegerField(
        label=_("Dwellings per year (if known)"), required=False, min_value=0, max_value=100000
    )
    vacant_share = forms.DecimalField(
        label=_("Share of vacant dwellings offered, in per cent (if known)"),
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,  # accepts the Danish decimal comma, e.g. "12,5"
    )
    description = forms.CharField(
        label=_("Short description"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What does the agreement do, and how has it worked? A few lines are enough."),
    )
    document = PrivateFileFormField(
        rule=DOCUMENTS,
        label=_("The agreement (PDF, DOCX or ODT, at most 20 MB)"),
        required=False,
    )
    consent = forms.ChoiceField(
        label=_("What may we share?"),
        choices=Agreement.Consent.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Whatever you choose, the answer counts in the national overview's figures. "
            "You can withdraw your consent later on “My page”."
        ),
    )
    parties_agree = forms.BooleanField(
        label=_("The parties to the agreement agree that it may be shared as chosen above."),
        required=False,
    )

    def __init__(self, *args, person, draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.draft = draft
        organisations = services.answerable_organisations(person)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1 and not self.initial.get("organisation"):
            self.initial["organisation"] = organisations.first()
        administered = services.administered_by_person(person)
        self.fields["on_behalf_of"].queryset = administered
        if not administered.exists():
            del self.fields["on_behalf_of"]
        if draft:
            for form_field in self.fields.values():
                form_field.required = False

    @classmethod
    def initial_from(cls, answer: Agreement) -> dict:
        return {
            "organisation": answer.submitting_organisation,
            "on_behalf_of": list(answer.housing_organisations.all())
            if answer.submitting_organisation
            and answer.submitting_organisation.kind == Organisation.Kind.ADMINISTRATION_COMPANY
            else [],
            "municipality": answer.municipality,
            "other_parties": answer.other_parties,
            "state": answer.state,
            "topics": list(answer.topics.all()),
            "signed_on": answer.signed_on,
            "valid_from": answer.valid_from,
            "valid_to": answer.valid_to,
            "dwellings_per_year": answer.dwellings_per_year,
            "vacant_share": answer.vacant_share,
            "description": answer.description,
            "document": answer.document or None,
            "consent": answer.consent,
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        document = data.get("document")
        new_upload = document if is_new_upload(document) else None
        return {
            "organisation": data.get("organisation"),
            "on_behalf_of": list(data.get("on_behalf_of") or []),
            "municipality": data.get("municipality"),
            "other_parties": data.get("other_parties") or "",
            "state": data.get("state") or "",
            "topics": list(data.get("topics") or []),
            "signed_on": data.get("signed_on"),
            "valid_from": data.get("valid_from"),
            "valid_to": data.get("valid_to"),
            "dwellings_per_year": data.get("dwellings_per_year"),
            "vacant_share": data.get("vacant_share"),
            "description": data.get("description") or "",
            "document": new_upload,
            "remove_document": document is False,
            "consent": data.get("consent") or "",
            "parties_agree": bool(data.get("parties_agree")),
        }

    def apply_service_error(self, error: ValidationError) -> None:
        """Show a service's errors next to the fields they concern."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        else:
            self.add_error(None, error)


class LibraryFilterForm(forms.Form):
    """Search and filters on the library page; bad values are ignored, never a 500."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    municipality = IdModelChoiceField(
        label=_("Municipality"),
        queryset=Organisation.objects.municipalities().order_by("name"),
        required=False,
        empty_label=_("All municipalities"),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("All regions")), *Region.choices],
        required=False,
        widget=FastSelect,
    )
    housing_organisation = IdModelChoiceField(
        label=_("Housing organisation"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.HOUSING_ORGANISATION),
        required=False,
        empty_label=_("All housing organisations"),
    )
    topic = IdModelChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All topics"),
    )
    year = forms.IntegerField(
        label=_("Year signed"), required=False, min_value=1990, max_value=2100
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=SORT_CHOICES, required=False, widget=FastSelect
    )

    def __init__(self, *args, housing_organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if housing_organisations is not None:
            self.fields["housing_organisation"].queryset = housing_organisations


class ConsentForm(forms.Form):
    """A party's answer on the consent page: the choices a party has now
    (`services.consent_choices`: any level at first, later the same or narrower)."""

    level = forms.ChoiceField(label=_("May the agreement be shared?"), widget=forms.RadioSelect)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = choices
