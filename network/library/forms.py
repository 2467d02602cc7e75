from dataclasses import dataclass

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


@dataclass(frozen=True)
class Step:
    """One step of the questionnaire: its number (`?trin=`), title and fields."""

    number: int
    title: str
    fields: tuple[str, ...]


STEPS = (
    Step(1, _("Who is answering"), ("organisation", "on_behalf_of")),
    Step(
        2,
        _("The agreement"),
        (
            "municipality",
            "other_parties",
            "state",
            "topics",
            "signed_on",
            "valid_from",
            "valid_to",
            "dwellings_per_year",
            "vacant_share",
            "description",
            "document",
        ),
    ),
    Step(3, _("What we may share"), ("consent", "parties_agree")),
    Step(4, _("Check and send"), ()),
)
LAST_STEP = STEPS[-1]


def step_of(field_name: str) -> Step:
    return next((step for step in STEPS if field_name in step.fields), STEPS[0])


def step_numbered(value) -> Step | None:
    """The step `?trin=` names, or None for anything else."""
    return next((step for step in STEPS if str(step.number) == str(value)), None)


# Needed only for some answers: the rule is said next to the field, and the field is
# marked as needed once the answer that makes it so is known.
NEEDED_WHEN = {
    "topics": (
        Agreement.State.SIGNED,
        Agreement.State.NEGOTIATING,
    ),
    "document": (Agreement.State.SIGNED,),
}


class QuestionnaireForm(forms.Form):
    """The five-minute questionnaire. With `draft=True` nothing is required yet (the
    service checks completeness on submit), but whatever is filled in must be valid.
    With `step`, the form has that step's fields only; `state` is the answer to "Is
    there an agreement?" so far, which makes topics and the document needed."""

    organisation = IdModelChoiceField(
        label=_("Your organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"required": _("Choose the organisation you answer for.")},
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
        error_messages={"required": _("Choose the municipality.")},
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
        error_messages={"required": _("Tell us whether there is an agreement.")},
    )
    topics = IdModelMultipleChoiceField(
        label=_("What does the agreement cover?"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Must be answered when an agreement has been signed or is under negotiation."),
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
        help_text=_("Must be attached when the agreement has been signed."),
    )
    consent = forms.ChoiceField(
        label=_("What may we share?"),
        choices=Agreement.Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what we may share.")},
        help_text=_(
            "Whatever you choose, the answer counts in the national overview's figures. "
            "You can withdraw your consent later on “My page”."
        ),
    )
    parties_agree = forms.BooleanField(
        label=_("The parties to the agreement agree that it may be shared as chosen above."),
        required=False,
    )

    def __init__(
        self,
        *args,
        person,
        draft: bool = False,
        step: Step | None = None,
        state: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.person = person
        self.draft = draft
        self.step = step
        if step is not None:
            for name in list(self.fields):
                if name not in step.fields:
                    del self.fields[name]
        if "organisation" in self.fields:
            organisations = services.answerable_organisations(person)
            self.fields["organisation"].queryset = organisations
            if len(organisations) == 1 and not self.initial.get("organisation"):
                self.initial["organisation"] = organisations[0]
        if "on_behalf_of" in self.fields:
            administered = services.administered_by_person(person)
            self.fields["on_behalf_of"].queryset = administered
            if not administered.exists():
                del self.fields["on_behalf_of"]
        if self.is_bound and "state" in self.fields:
            state = self.data.get(self.add_prefix("state"), state)
        if step is not None:
            # Needed fields are shown as required ("(skal udfyldes)"), topics and the
            # document once the answer makes them so; but a step's missing answers are
            # the service's to tell (`complete`, on "Next"), with its other rules, so
            # that one try shows every error of the step (see `_post_clean`).
            for name, form_field in self.fields.items():
                form_field.required = form_field.required or state in NEEDED_WHEN.get(name, ())
        elif draft:
            for form_field in self.fields.values():
                form_field.required = False

    def _post_clean(self):
        super()._post_clean()
        if self.step is None:
            return
        for name in [name for name in self._errors if name in self.fields]:
            errors = [error for error in self._errors[name].as_data() if error.code != "required"]
            if errors:
                self._errors[name] = self.error_class(errors, renderer=self.renderer)
            else:
                del self._errors[name]
                self.cleaned_data[name] = self.fields[name].to_python(None)

    @classmethod
    def initial_from(cls, answer: Agreement) -> dict:
        return {**services.answer_arguments(answer), "document": answer.document or None}

    def new_upload(self):
        """A checked file chosen in this request (to keep when other fields are wrong)."""
        if "document" in self.fields and "document" not in self.errors:
            document = self.cleaned_data.get("document")
            if is_new_upload(document):
                return document
        return None

    def service_arguments(self, stored: dict | None = None) -> dict:
        """The arguments of `services.save_answer`: this form's answers over `stored`
        (the draft's, for the fields of other steps)."""
        data = self.cleaned_data
        document = data.get("document")
        answers = {
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
            "consent": data.get("consent") or "",
            "parties_agree": bool(data.get("parties_agree")),
        }
        if stored is not None:
            answers = {
                name: value if name in self.fields else stored.get(name, value)
                for name, value in answers.items()
            }
        return {
            **answers,
            "document": document if is_new_upload(document) else None,
            "remove_document": document is False,
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
