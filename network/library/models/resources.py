"""Inspiration material: guides, templates and examples, public or for members only."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal import private_files
from portal.blocks import BodyStreamBlock
from portal.models import PageMetadataMixin

from ..access import is_editor, is_network_member
from .agreements import Topic
from .pages import CONTENT_PARENTS, RICH_FEATURES


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Network members only")


def member_only_resource_ids():
    """Pages hidden from search and listings for people who are not network members (a
    subquery: the search excludes them in SQL)."""
    return ResourcePage.objects.filter(audience=Audience.MEMBERS).values("pk")


def can_read_audience(user, audience: str) -> bool:
    # Editors preview and check member-only material without being members themselves.
    return audience == Audience.PUBLIC or is_network_member(user) or is_editor(user)


class ResourceIndexPage(PageMetadataMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = CONTENT_PARENTS
    subpage_types = ["library.ResourcePage"]
    per_page = 20

    class Meta:
        verbose_name = _("inspiration material index")

    def get_context(self, request, *args, **kwargs):
        """The page's body (the list of material) is kept in the shared cache
        (`library.fragments`), per access class: members (and editors) see member-only
        material, and signed-in visitors another notice than anonymous ones."""
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        from .. import fragments

        context = super().get_context(request, *args, **kwargs)
        member = can_read_audience(request.user, Audience.MEMBERS)
        access = f"{request.user.is_authenticated}:{member}"

        def render() -> str:
            body = dict(context)
            body.update(self._listing(request, member))
            return render_to_string(
                "library/includes/resource_index_body.html", body, request=request
            )

        context["body"] = mark_safe(fragments.body(request, "inspiration", access, render))  # noqa: S308 (our own rendered template)
        return context

    def _listing(self, request, member: bool) -> dict:
        resources = ResourcePage.objects.live().public().child_of(self).prefetch_related("topics")
        if not member:
            resources = resources.filter(audience=Audience.PUBLIC)
        topic = request.GET.get("emne", "")
        if topic in Topic.Code.values:
            resources = resources.filter(topics__code=topic)
        return {
            "page_obj": Paginator(
                resources.order_by("-first_published_at", "-pk"), self.per_page
            ).get_page(request.GET.get("page")),
            "topics": Topic.objects.all(),
            "selected_topic": topic,
            "shows_member_material": member,
        }


class ResourcePage(PageMetadataMixin, Page):
    intro = models.TextField(_("short description"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)
    topics = ParentalManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    audience = models.CharField(
        _("audience"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text=_(
            "Members-only material is hidden from search and listings for everyone else. "
            "Put member-only files under “Documents” below, not in the body."
        ),
    )
    show_district_consultant = models.BooleanField(
        _("show the district consultant"),
        default=True,
        help_text=_("Show the reader's regional district consultant as the person to ask."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("documents", heading=_("Documents"), label=_("Document")),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience"),
                FieldPanel("show_district_consultant"),
            ],
            heading=_("Audience and topics"),
        ),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["library.ResourceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("inspiration material")
        verbose_name_plural = _("inspiration material")

    @property
    def is_members_only(self) -> bool:
        return self.audience == Audience.MEMBERS

    def get_sitemap_urls(self, request=None):
        return [] if self.is_members_only else super().get_sitemap_urls(request)

    def serve(self, request, *args, **kwargs):
        from ..views import resource_page_denied

        if not can_read_audience(request.user, self.audience):
            return resource_page_denied(request, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from ..services import district_consultants_for

        context = super().get_context(request, *args, **kwargs)
        member = can_read_audience(request.user, Audience.MEMBERS)
        context["documents"] = [
            doc for doc in self.documents.all() if member or doc.audience == Audience.PUBLIC
        ]
        context["hidden_documents"] = len(self.documents.all()) - len(context["documents"])
        if self.show_district_consultant:
            context.update(district_consultants_for(request))
        return context


def _document_access(user, document) -> bool:
    return document.can_be_read_by(user)


class ResourceDocument(Orderable):
    """A file attached to inspiration material, served only through a checking view."""

    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = private_files.PrivateFileField(
        _("file"),
        folder="resources",
        rule=private_files.DOCUMENTS,
        access=_document_access,
        url_name="library:resource_document",
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    file_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    file_size = models.PositiveIntegerField(_("file size"), null=True, editable=False)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("file"),
        FieldPanel("audience"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.title

    def can_be_read_by(self, user) -> bool:
        """The page must be live and public and its audience and the file's must allow;
        editors always (they check what they publish)."""
        if is_editor(user):
            return True
        page = self.page
        if not (page.live and Page.objects.filter(pk=page.pk).public().exists()):
            return False
        return can_read_audience(user, page.audience) and can_read_audience(user, self.audience)
