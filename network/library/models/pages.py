"""Page types for the agreement side: the call with its questionnaire, the library and the
national overview. Thin: fields and routes; the work happens in `views`, `services`
and `overview`."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

import portal.converters  # noqa: F401  (registers <id:...> for the routes below)
from portal.models import PageMetadataMixin

from .agreements import Agreement

CONTENT_PARENTS = ["portal.HomePage", "portal.StandardPage"]
RICH_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class AgreementCallPage(RoutablePageMixin, PageMetadataMixin, Page):
    """An editor's call for agreements, with the questionnaire below it."""

    intro = RichTextField(_("introduction"), features=RICH_FEATURES)
    contact = models.ForeignKey(
        "portal.Contact",
        verbose_name=_("questions to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateField(
        _("deadline"), help_text=_("Answers are accepted until the end of this day.")
    )
    reopened = models.BooleanField(
        _("reopened"),
        default=False,
        help_text=_("Accept answers after the deadline (e.g. for latecomers)."),
    )
    closed_text = RichTextField(
        _("text when closed"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("Shown instead of the questionnaire after the deadline."),
    )
    thanks_text = RichTextField(
        _("thank-you text"),
        blank=True,
        features=RICH_FEATURES,
        help_text=_("Shown after an answer has been submitted."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("contact"),
        MultiFieldPanel(
            [FieldPanel("deadline"), FieldPanel("reopened"), FieldPanel("closed_text")],
            heading=_("Deadline"),
        ),
        FieldPanel("thanks_text"),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = CONTENT_PARENTS
    subpage_types = []

    class Meta:
        verbose_name = _("call for agreements")
        verbose_name_plural = _("calls for agreements")

    def is_open(self, on: datetime.date | None = None) -> bool:
        """Open until the end of the deadline day (Copenhagen time), or while reopened."""
        return self.reopened or (on or timezone.localdate()) <= self.deadline

    def questionnaire_url(self, answer: Agreement | None = None) -> str:
        if answer is None:
            return self.get_url() + self.reverse_subpage("new_answer")
        return self.get_url() + self.reverse_subpage("answer", args=[answer.pk])

    @path("")
    def index_route(self, request):
        from ..views import call_page

        return call_page(request, self)

    @path("svar/", name="new_answer")
    def new_answer_route(self, request):
        from ..views import questionnaire

        return questionnaire(request, self, answer_pk=None)

    @path("svar/<id:pk>/", name="answer")
    def answer_route(self, request, pk):
        from ..views import questionnaire

        return questionnaire(request, self, answer_pk=pk)

    @path("tak/<id:pk>/", name="thanks")
    def thanks_route(self, request, pk):
        from ..views import questionnaire_thanks

        return questionnaire_thanks(request, self, answer_pk=pk)


class AgreementLibraryPage(RoutablePageMixin, PageMetadataMixin, Page):
    """The searchable library of agreements, each shown within the consent given."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = CONTENT_PARENTS
    subpage_types = []
    max_count = 1
    per_page = 20

    class Meta:
        verbose_name = _("agreement library")

    def agreement_url(self, agreement: Agreement) -> str:
        return self.get_url() + self.reverse_subpage("agreement", args=[agreement.pk])

    def get_sitemap_urls(self, request=None):
        # Sitemaps are public documents: list what an anonymous visitor may read, whoever
        # asks, through the same visibility rule as every other surface.
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        if base is None:
            return urls
        for agreement in (
            Agreement.objects.visible_to(AnonymousUser()).listed().only("pk", "updated_at")
        ):
            urls.append(
                {
                    "location": base + self.reverse_subpage("agreement", args=[agreement.pk]),
                    "lastmod": agreement.updated_at,
                }
            )
        return urls

    @path("")
    def index_route(self, request):
        from ..views import library_listing

        return library_listing(request, self)

    @path("<id:pk>/", name="agreement")
    def agreement_route(self, request, pk):
        from ..views import agreement_detail

        return agreement_detail(request, self, pk)


class NationalOverviewPage(RoutablePageMixin, PageMetadataMixin, Page):
    """Aggregate figures over all reviewed answers, safe to publish."""

    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = CONTENT_PARENTS
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("national overview")

    def csv_url(self) -> str:
        return self.get_url() + self.reverse_subpage("csv")

    @path("")
    def index_route(self, request):
        from ..views import overview_page

        return overview_page(request, self)

    @path("csv/", name="csv")
    def csv_route(self, request):
        from ..views import overview_csv

        return overview_csv(request, self)
