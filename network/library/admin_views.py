"""Staff review of agreements in the Wagtail admin.

Editors fix the summary, parties and topics in the edit form and decide in the same
form: "Publish" and "Reject" sit in the form's action menu next to "Save". Either saves
what the reviewer typed and then decides through `services`, in one transaction; when
the decision is refused (a summary is missing, no reason is given), nothing is saved and
the form comes back with the errors on the fields, with what was typed still in it.
The parties' consent is not edited in the form: the "Answer" panel shows each party's
answer, and staff register a consent received by other means, with a note, on the
"Register consent" page (`record_consent_view`). Everything is written to Wagtail's log
(`portal.audit`), shown in the panel and in the viewset's History view.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import ModelLogEntry

import portal.converters  # noqa: F401  (registers <id:...>)
from network.admin_views import WaitingItem, WaitingPanel
from network.models import Organisation

from . import services
from .access import can_decide_agreements, can_record_consent
from .models import Agreement, AgreementConsent


class ReviewInfoPanel(Panel):
    """Read-only facts for the reviewer: who answered, for whom, the document, each
    party's consent and the audit trail (Wagtail's log)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "library/admin/review_info_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            agreement = self.instance
            context["agreement"] = agreement
            context["events"] = (
                ModelLogEntry.objects.for_instance(agreement)
                .select_related("user")
                .order_by("timestamp", "pk")
                if agreement.pk
                else []
            )
            context["parties"] = agreement.consent_overview() if agreement.pk else []
            context["record_consent_url"] = (
                reverse("library_agreement:record_consent", args=[agreement.pk])
                if agreement.pk and can_record_consent(self.request.user)
                else ""
            )
            context["download_url"] = (
                reverse("library:agreement_document", args=[agreement.pk])
                if agreement.pk and agreement.document
                else ""
            )
            return context


# --- The decisions ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewAction:
    """One decision a reviewer takes from the edit form: its button and its service call.
    The buttons, the view and the messages are all made from `REVIEW_ACTIONS`."""

    name: str  # the button posts `action-<name>`, Wagtail's convention for form actions
    label: str
    icon: str
    leads_to: str  # the status it sets; not offered to an answer that already has it
    done: str  # the success message
    decide: Callable  # (agreement, by, cleaned_data) -> Agreement, through `services`

    def is_offered(self, agreement: Agreement, user) -> bool:
        return (
            can_decide_agreements(user)
            and agreement.can_be_reviewed()
            and agreement.status != self.leads_to
        )


REVIEW_ACTIONS = (
    ReviewAction(
        name="publish",
        label=gettext_lazy("Publish"),
        icon="upload",
        leads_to=Agreement.Status.PUBLISHED,
        done=gettext_lazy("“%(title)s” has been published."),
        decide=lambda agreement, by, data: services.publish(agreement=agreement, by=by),
    ),
    ReviewAction(
        name="reject",
        label=gettext_lazy("Reject"),
        icon="cross",
        leads_to=Agreement.Status.REJECTED,
        done=gettext_lazy("“%(title)s” has been rejected and the submitter told why."),
        decide=lambda agreement, by, data: services.reject(
            agreement=agreement, by=by, reason=data.get("rejection_reason", "")
        ),
    ),
)

# Services name the reason `reason`; the form's field is the model's.
SERVICE_FIELDS = {"reason": "rejection_reason"}


class AgreementIndexView(generic.IndexView):
    def get_base_queryset(self):
        # The title column falls back to the municipality and the submitting organisation.
        return super().get_base_queryset().select_related("municipality", "submitting_organisation")

    def get_add_url(self):
        # Answers arrive through the questionnaire; editors review, they do not add.
        return None


class AgreementEditView(generic.EditView):
    actions = ["edit", *(action.name for action in REVIEW_ACTIONS)]

    @cached_property
    def review_actions(self) -> list[ReviewAction]:
        """The decisions on offer for this answer and this user."""
        return [a for a in REVIEW_ACTIONS if a.is_offered(self.object, self.request.user)]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "review_actions": self.review_actions}

    @transaction.atomic
    def save_instance(self):
        before = Agreement.objects.values("status").get(pk=self.object.pk)
        instance = super().save_instance()
        services.save_review_edits(
            agreement=instance, by=self.request.user, old_status=before["status"]
        )
        return instance

    def post(self, request, *args, **kwargs):
        # A decision that is not on offer is refused, never turned into a plain save:
        # without the permission outright; when the answer was decided meanwhile, with
        # the form and what was typed in it.
        self.object = self.get_object()
        if self.action == "edit" or self.action in {a.name for a in self.review_actions}:
            return super().post(request, *args, **kwargs)
        if not can_decide_agreements(request.user):
            raise PermissionDenied
        form = self.get_form()
        form.is_valid()
        form.add_error(
            None,
            _("The answer is now “%(status)s”: it cannot be decided that way.")
            % {"status": self.object.get_status_display()},
        )
        self.form = form
        return self._refused(form)

    def form_valid(self, form):
        action = next((a for a in self.review_actions if a.name == self.action), None)
        if action is None:
            return super().form_valid(form)
        self.form = form
        if (
            action.name == "publish"
            and "rejection_reason" in form.changed_data
            and form.cleaned_data.get("rejection_reason", "").strip()
        ):
            # A reason typed and then "Publish": the reason would be dropped unseen.
            form.add_error(
                "rejection_reason",
                _("Empty the reason for rejection to publish, or choose Reject."),
            )
            return self._refused(form)
        try:
            with transaction.atomic():
                self.object = self.save_instance()
                self.object = action.decide(self.object, self.request.user, form.cleaned_data)
        except ValidationError as error:
            self._add_decision_errors(form, error)
            return self._refused(form)
        messages.success(self.request, action.done % {"title": self.object})
        return redirect(self.get_success_url())

    def _add_decision_errors(self, form, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            form.add_error(None, error.messages)
            return
        for field, field_messages in error.message_dict.items():
            field = SERVICE_FIELDS.get(field, field)
            form.add_error(field if field in form.fields else None, field_messages)

    def _refused(self, form):
        # The transaction rolled back: nothing was saved, the form keeps what was typed.
        self.object.refresh_from_db()
        self.produced_error_message = _(
            "Nothing was saved: correct the errors below, then choose again."
        )
        return self.form_invalid(form)


class RecordConsentForm(forms.Form):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Party"), coerce=int)
    level = forms.ChoiceField(
        label=gettext_lazy("Consent"),
        choices=AgreementConsent.Level.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Who gave the consent, when and how (e.g. a letter or a phone call). "
            "Kept in the audit trail."
        ),
    )

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (row["organisation"].pk, row["organisation"].name)
            for row in agreement.consent_overview()
            if row["organisation"] is not None
        ]


def record_consent_view(request, pk):
    """Staff register a party's consent received by other means, with a note."""
    if not can_record_consent(request.user):
        raise PermissionDenied
    agreement = get_object_or_404(Agreement.objects.exclude(status=Agreement.Status.DRAFT), pk=pk)
    form = RecordConsentForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent_by_staff(
                agreement=agreement,
                organisation=Organisation.objects.get(pk=form.cleaned_data["organisation"]),
                by=request.user,
                level=form.cleaned_data["level"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            messages.success(request, _("The consent has been registered."))
            return redirect("library_agreement:edit", agreement.pk)
    return TemplateResponse(
        request,
        "library/admin/record_consent.html",
        {
            "agreement": agreement,
            "form": form,
            "parties": agreement.consent_overview(),
            "edit_url": reverse("library_agreement:edit", args=[agreement.pk]),
        },
    )


def agreements_waiting_panel(user) -> WaitingPanel | None:
    """Dashboard: answers awaiting review, for whom may decide them."""
    if not can_decide_agreements(user):
        return None
    count = Agreement.objects.awaiting_review().count()
    if not count:
        return None
    url = reverse("library_agreement:index") + f"?status={Agreement.Status.SUBMITTED}"
    text = ngettext(
        "%(counter)s agreement answer to review",
        "%(counter)s agreement answers to review",
        count,
    ) % {"counter": count}
    return WaitingPanel(
        name="library_review",
        heading=_("Agreements waiting for review"),
        items=[WaitingItem(text, url)],
        order=51,
    )


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.get_status_display()


class ConsentColumn(Column):
    def get_value(self, instance):
        return instance.consent_short


class AgreementViewSet(ModelViewSet):
    model = Agreement
    name = "library_agreement"
    url_prefix = "aftaler"
    icon = "doc-full"
    menu_label = gettext_lazy("Agreements")
    menu_order = 250
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = AgreementIndexView
    edit_view_class = AgreementEditView
    edit_template_name = "library/admin/agreement_edit.html"
    list_display = [
        "display_title",
        Column("municipality", label=gettext_lazy("Municipality")),
        StatusColumn("status", label=gettext_lazy("Status")),
        ConsentColumn("consent", label=gettext_lazy("Consent")),
        DateColumn("submitted_at", label=gettext_lazy("Submitted")),
    ]
    list_filter = ["status", "consent", "state"]
    ordering = ["-submitted_at", "-pk"]

    panels = [
        ReviewInfoPanel(heading=gettext_lazy("Answer")),
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel(
                    "summary",
                    help_text=gettext_lazy(
                        "Shown in the library. Needed to publish an agreement the library "
                        "shows (shared with members or the public)."
                    ),
                ),
                FieldPanel("description", read_only=True),
            ],
            heading=gettext_lazy("Text"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("municipality"),
                FieldPanel("housing_organisations"),
                FieldPanel("other_parties"),
            ],
            heading=gettext_lazy("Parties"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("state"),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel(
                    [FieldPanel("signed_on"), FieldPanel("valid_from"), FieldPanel("valid_to")]
                ),
                FieldRowPanel([FieldPanel("dwellings_per_year"), FieldPanel("vacant_share")]),
            ],
            heading=gettext_lazy("Agreement"),
        ),
        FieldPanel(
            "rejection_reason",
            heading=gettext_lazy("Reason for rejection"),
            help_text=gettext_lazy(
                "Needed to reject the answer: it is e-mailed to the person who submitted it."
            ),
        ),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("samtykke/<id:pk>/", record_consent_view, name="record_consent"),
        ]


agreement_viewset = AgreementViewSet()
