"""The evaluation form (public, by signed link) and the staff's summary form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .evaluation import RATINGS, RatedItem

TEXT_MAX = 3000
SUMMARY_MAX = 5000

RATING_CHOICES = [
    (1, _("1 (very poor)")),
    (2, _("2 (poor)")),
    (3, _("3 (neither good nor poor)")),
    (4, _("4 (good)")),
    (5, _("5 (very good)")),
]


def _rating_field(label, *, required: bool) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )


class EvaluationForm(forms.Form):
    """Overall rating (required), a rating per talk or workshop (each optional: not
    everyone heard every item), what to take up next and a free comment."""

    overall = _rating_field(_("How was the meeting overall?"), required=True)
    next_topics = forms.CharField(
        label=_("What should the network take up next time?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, items: list[RatedItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for index, item in enumerate(items):
            label = _("%(time)s: %(title)s (%(kind)s)" if item.time else "%(title)s (%(kind)s)")
            label %= {"time": item.time, "title": item.title, "kind": item.kind_label}
            self.fields[f"item_{index}"] = _rating_field(label, required=False)
        # The page's order, which the error summary follows.
        self.order_fields(["overall", *(f"item_{i}" for i in range(len(items)))])

    def item_fields(self):
        """(item, bound field) per talk or workshop, in programme order."""
        return [(item, self[f"item_{index}"]) for index, item in enumerate(self.items)]

    def item_ratings(self) -> dict[str, int]:
        ratings = {}
        for index, item in enumerate(self.items):
            value = self.cleaned_data.get(f"item_{index}")
            if value in RATINGS:
                ratings[item.id] = value
        return ratings


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Summary for the meeting page"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Write in your own words what the participants said. Single answers are never "
            "shown on the page."
        ),
    )
    show_figures = forms.BooleanField(
        label=_("Show the number of answers and the averages"), required=False, initial=True
    )

    def __init__(self, *args, can_show_figures: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_show_figures:
            del self.fields["show_figures"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("text", "").strip() and not cleaned.get("show_figures"):
            raise forms.ValidationError(
                _(
                    "Write a summary or choose to show the averages; otherwise there is nothing to show."
                )
            )
        return cleaned
