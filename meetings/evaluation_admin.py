"""Wagtail admin for the evaluation: a list of meetings that were evaluated, each
meeting's results (averages, distribution per question, the texts), the CSV/XLSX export
and the summary an editor publishes on the meeting page. Every view asks
`access.can_see_evaluation`; the work is done by `meetings.evaluation`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin import widgets as wagtailadmin_widgets
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin

import portal.converters  # noqa: F401  (registers <id:...>)
from portal import hooks as portal_hooks
from portal.exports import SafeExportMixin

from . import evaluation
from .access import can_see_evaluation, can_view_registrations
from .evaluation_forms import SummaryForm
from .evaluation_models import EvaluationAnswer, EvaluationSummary
from .models import MeetingPage

INDEX_SIZE = 100


def _meeting_or_403(request, meeting_pk) -> MeetingPage:
    meeting = get_object_or_404(MeetingPage, pk=meeting_pk)
    if not can_see_evaluation(request.user, meeting):
        raise PermissionDenied
    return meeting


def results_url(meeting) -> str:
    return reverse("meeting_evaluation:results", args=[meeting.pk])


class EvaluationIndexView(WagtailAdminTemplateMixin, TemplateView):
    """Meetings whose attendees were asked, latest first, with how many answered."""

    template_name = "meetings/evaluation/admin_index.html"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_registrations(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Evaluations")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meetings = (
            MeetingPage.objects.filter(evaluation_invitations__isnull=False)
            .annotate(
                invited=Count("evaluation_invitations", distinct=True),
                answered=Count(
                    "evaluation_invitations",
                    filter=Q(evaluation_invitations__answered=True),
                    distinct=True,
                ),
            )
            .order_by("-start", "-pk")
            .only("pk", "title", "start")[:INDEX_SIZE]
        )
        summaries = set(
            EvaluationSummary.objects.filter(
                meeting__in=[m.pk for m in meetings], published_at__isnull=False
            ).values_list("meeting_id", flat=True)
        )
        context["rows"] = [
            {"meeting": m, "url": results_url(m), "published": m.pk in summaries} for m in meetings
        ]
        return context


class EvaluationResultsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "meetings/evaluation/admin_results.html"
    header_icon = "form"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = _meeting_or_403(request, kwargs["meeting_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Evaluation")

    def get_page_subtitle(self):
        return self.meeting.title

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if can_view_registrations(self.request.user):
            items.append({"url": reverse("meeting_evaluation:index"), "label": _("Evaluations")})
        return [*items, {"url": "", "label": self.meeting.title}]

    def summary_form(self, result, data=None):
        summary = EvaluationSummary.objects.filter(meeting=self.meeting).first()
        initial = {"text": summary.text, "show_figures": summary.show_figures} if summary else {}
        return summary, SummaryForm(
            data, initial=initial, can_show_figures=result.can_publish_figures
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        result = evaluation.results(self.meeting)
        summary, blank_form = self.summary_form(result)
        export = reverse("meeting_evaluation:export", args=[self.meeting.pk])
        context.update(
            meeting=self.meeting,
            result=result,
            summary=summary,
            form=form or blank_form,
            min_answers=evaluation.MIN_ANSWERS_TO_PUBLISH,
            export_csv_url=f"{export}?export=csv",
            export_xlsx_url=f"{export}?export=xlsx",
            publish_url=reverse("meeting_evaluation:publish", args=[self.meeting.pk]),
            unpublish_url=reverse("meeting_evaluation:unpublish", args=[self.meeting.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Publish (or publish again) the summary."""
        result = evaluation.results(self.meeting)
        _summary, form = self.summary_form(result, request.POST)
        if not form.is_valid():
            messages.validation_error(request, _("The summary could not be published."), form)
            return self.render_to_response(self.get_context_data(form=form))
        evaluation.publish_summary(
            meeting=self.meeting,
            text=form.cleaned_data["text"],
            show_figures=form.cleaned_data.get("show_figures", False),
            by=request.user,
        )
        messages.success(
            request,
            _("The summary is published on the meeting page."),
            buttons=[messages.button(self.meeting.url or "", _("View the page"))]
            if self.meeting.live and self.meeting.url
            else None,
        )
        return redirect(results_url(self.meeting))


class EvaluationUnpublishView(View):
    http_method_names = ["post"]

    def post(self, request, meeting_pk):
        meeting = _meeting_or_403(request, meeting_pk)
        if evaluation.unpublish_summary(meeting=meeting, by=request.user):
            messages.success(request, _("The summary is no longer shown on the meeting page."))
        else:
            messages.warning(request, _("Nothing changed: no summary was shown."))
        return redirect(results_url(meeting))


class EvaluationExportView(SafeExportMixin, SpreadsheetExportMixin, View):
    """Every answer of one meeting as a row: the ratings, then the texts. Nothing in it
    names a person (there is nothing to name)."""

    http_method_names = ["get"]

    def get(self, request, meeting_pk):
        self.meeting = _meeting_or_403(request, meeting_pk)
        export_format = request.GET.get("export")
        if export_format not in self.FORMATS:
            return redirect(results_url(self.meeting))
        self.items = evaluation.rated_items(self.meeting)
        self.list_export = [
            "overall",
            *[f"item:{item.id}" for item in self.items],
            "next_topics",
            "comment",
        ]
        self.export_headings = {
            "overall": _("Overall rating"),
            **{f"item:{item.id}": item.title for item in self.items},
            "next_topics": _("What the network should take up next"),
            "comment": _("Comment"),
        }
        queryset = EvaluationAnswer.objects.filter(meeting=self.meeting).order_by("id")
        return self.as_spreadsheet(queryset, export_format)

    def get_filename(self):
        return f"evaluering-{self.meeting.slug}"

    def to_row_dict(self, item):
        ratings = {rating["id"]: rating["rating"] for rating in item.item_ratings}
        row = {"overall": item.overall}
        for rated in self.items:
            row[f"item:{rated.id}"] = ratings.get(rated.id, "")
        row["next_topics"] = item.next_topics
        row["comment"] = item.comment
        return row


# --- Hooks ------------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    urls = [
        path("", EvaluationIndexView.as_view(), name="index"),
        path("<id:meeting_pk>/", EvaluationResultsView.as_view(), name="results"),
        path("<id:meeting_pk>/eksport/", EvaluationExportView.as_view(), name="export"),
        path("<id:meeting_pk>/skjul/", EvaluationUnpublishView.as_view(), name="unpublish"),
        path("<id:meeting_pk>/offentliggoer/", EvaluationResultsView.as_view(), name="publish"),
    ]
    return [
        path(
            "meetings/evaluation/",
            include((urls, "meeting_evaluation"), namespace="meeting_evaluation"),
        )
    ]


class EvaluationMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_registrations(request.user)


@hooks.register("register_admin_menu_item")
def register_evaluation_menu_item():
    return EvaluationMenuItem(
        gettext_lazy("Evaluations"),
        reverse("meeting_evaluation:index"),
        name="meeting_evaluations",
        icon_name="form",
        order=251,
    )


@hooks.register("register_page_listing_buttons")
def evaluation_button(page, user, next_url=None):
    meeting = page.specific_deferred
    if isinstance(meeting, MeetingPage) and can_see_evaluation(user, meeting):
        yield wagtailadmin_widgets.ListingButton(
            gettext_lazy("Evaluation"), results_url(meeting), priority=62, icon_name="form"
        )


@hooks.register(portal_hooks.DEMO_CONTENT, order=10)
def load_evaluation_demo():
    """After the meetings' own demo (order 0), which makes the meeting it evaluates."""
    from . import evaluation_demo

    evaluation_demo.load()
