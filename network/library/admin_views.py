"""Staff review of agreements in the Wagtail admin.

Editors fix the summary, parties and topics in the edit form, then publish or reject
(with a reason that is e-mailed). Status changes go only through `services`; consent
changes made in the form are audited by `services.save_review_edits`.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, MenuItem

from . import services
from .access import can_review_agreements
from .forms import RejectForm
from .models import Agreement


class ReviewInfoPanel(Panel):
    """Read-only facts for the reviewer: who answered, for whom, the document and the
    audit trail."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "library/admin/review_info_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            agreement = self.instance
            context["agreement"] = agreement
            context["events"] = agreement.events.select_related("actor") if agreement.pk else []
            context["download_url"] = (
                reverse("library:agreement_document", args=[agreement.pk])
                if agreement.pk and agreement.document
                else ""
            )
            return context


def can_change(user) -> bool:
    return can_review_agreements(user) and user.has_perm("library.change_agreement")


class AgreementIndexView(generic.IndexView):
    def get_base_queryset(self):
        # The title column falls back to the municipality and the submitting organisation.
        return super().get_base_queryset().select_related("municipality", "submitting_organisation")

    def get_add_url(self):
        # Answers arrive through the questionnaire; editors review, they do not add.
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_change(self.request.user) and instance.can_be_reviewed():
            if instance.status != Agreement.Status.PUBLISHED:
                buttons.append(
                    MenuItem(
                        _("Publish"),
                        url=reverse("library_agreement:publish", args=[instance.pk]),
                        icon_name="upload",
                        priority=5,
                    )
                )
            if instance.status != Agreement.Status.REJECTED:
                buttons.append(
                    MenuItem(
                        _("Reject"),
                        url=reverse("library_agreement:reject", args=[instance.pk]),
                        icon_name="cross",
                        priority=6,
                    )
                )
        return buttons


class AgreementEditView(generic.EditView):
    def save_instance(self):
        before = Agreement.objects.values("status", "consent").get(pk=self.object.pk)
        instance = super().save_instance()
        services.save_review_edits(
            agreement=instance,
            by=self.request.user,
            old_status=before["status"],
            old_consent=before["consent"],
        )
        return instance

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        agreement = self.object
        if can_change(self.request.user) and agreement.can_be_reviewed():
            if agreement.status != Agreement.Status.PUBLISHED:
                buttons.append(
                    HeaderButton(
                        _("Publish"),
                        url=reverse("library_agreement:publish", args=[agreement.pk]),
                        icon_name="upload",
                    )
                )
            if agreement.status != Agreement.Status.REJECTED:
                buttons.append(
                    HeaderButton(
                        _("Reject"),
                        url=reverse("library_agreement:reject", args=[agreement.pk]),
                        icon_name="cross",
                    )
                )
        return buttons


class PublishForm(forms.Form):
    pass


def _review_view(request, pk, *, action: str):
    if not can_change(request.user):
        raise PermissionDenied
    agreement = get_object_or_404(Agreement.objects.exclude(status=Agreement.Status.DRAFT), pk=pk)
    form_class = RejectForm if action == "reject" else PublishForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "reject":
                services.reject(
                    agreement=agreement, by=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(
                    request,
                    _("“%(title)s” has been rejected and the submitter told why.")
                    % {"title": agreement},
                )
            else:
                services.publish(agreement=agreement, by=request.user)
                messages.success(
                    request, _("“%(title)s” has been published.") % {"title": agreement}
                )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("library_agreement:edit", agreement.pk)
        return redirect("library_agreement:index")
    return TemplateResponse(
        request,
        "library/admin/review_action.html",
        {
            "agreement": agreement,
            "form": form,
            "action": action,
            "page_title": _("Publish agreement") if action == "publish" else _("Reject agreement"),
            "header_icon": "doc-full",
            "edit_url": reverse("library_agreement:edit", args=[agreement.pk]),
        },
    )


@require_http_methods(["GET", "POST"])
def publish_view(request, pk):
    return _review_view(request, pk, action="publish")


@require_http_methods(["GET", "POST"])
def reject_view(request, pk):
    return _review_view(request, pk, action="reject")


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
                FieldPanel("summary"),
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
            "consent",
            help_text=gettext_lazy(
                "Change only at the parties' request; every change is kept in the audit trail."
            ),
        ),
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("publish/<int:pk>/", publish_view, name="publish"),
            path("reject/<int:pk>/", reject_view, name="reject"),
        ]


agreement_viewset = AgreementViewSet()
