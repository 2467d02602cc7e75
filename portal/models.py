import hashlib
import re
import uuid

from django.apps import apps
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from network.validators import (
    normalise_iban,
    validate_bank_account_no,
    validate_bank_reg_no,
    validate_cvr,
    validate_ean,
    validate_iban,
)

from . import hooks as portal_hooks
from . import tree_cache
from .blocks import BodyStreamBlock, LinkBlock
from .regions import Region
from .visibility import PortalPageManager, view_restrictions


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person. The e-mail address is the login."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email


@register_snippet
class Contact(index.Indexed, models.Model):
    """A responsible person shown on pages, and the regions' district consultants."""

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    region = models.CharField(_("region"), max_length=4, choices=Region.choices, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("title"),
        FieldPanel("email"),
        FieldPanel("phone"),
        FieldPanel("region"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.title}" if self.title else self.name


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    organisation_name = models.CharField(
        _("organisation name"), max_length=200, default="Erfa-netværket"
    )
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Shown in the header next to the organisation name, at most 48 pixels tall. "
            "Leave empty to show the name alone."
        ),
    )
    header_cta = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("link in the header"),
        blank=True,
        max_num=1,
        help_text=_("One ordinary link shown in the header next to the account links."),
    )
    footer_links = StreamField([("link", LinkBlock())], verbose_name=_("footer links"), blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from the footer and from every form that collects personal data."),
    )
    accessibility_page = models.ForeignKey(
        "portal.AccessibilityStatementPage",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked from every page's footer."),
    )
    # The seller on the networks' e-invoices (network/einvoice.py).
    invoice_legal_name = models.CharField(
        _("legal name on invoices"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the organisation name."),
    )
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True, validators=[validate_cvr])
    seller_ean = models.CharField(
        _("EAN/GLN number (seller)"),
        max_length=13,
        blank=True,
        validators=[validate_ean],
        help_text=_("Optional. Without it, invoices name the seller by CVR number."),
    )
    invoice_street = models.CharField(_("street and number"), max_length=200, blank=True)
    invoice_postcode = models.CharField(
        _("postcode"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}$", _("A Danish postcode has 4 digits."))],
    )
    invoice_city = models.CharField(_("city"), max_length=100, blank=True)
    invoice_email = models.EmailField(
        _("e-mail for invoice questions"),
        blank=True,
    )
    bank_reg_no = models.CharField(
        _("bank registration number"),
        max_length=4,
        blank=True,
        validators=[validate_bank_reg_no],
    )
    bank_account_no = models.CharField(
        _("bank account number"),
        max_length=10,
        blank=True,
        validators=[validate_bank_account_no],
    )
    iban = models.CharField(
        _("IBAN"),
        max_length=42,
        blank=True,
        validators=[validate_iban],
        help_text=_("Used when no Danish registration and account number is given."),
    )
    payment_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("Days from the invoice date to the due date."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("logo"),
                FieldPanel("address"),
                FieldPanel("email"),
                FieldPanel("phone"),
            ],
            heading=_("Organisation"),
        ),
        FieldPanel("header_cta"),
        FieldPanel("footer_links"),
        FieldPanel("privacy_page"),
        FieldPanel("accessibility_page"),
        MultiFieldPanel(
            [
                FieldPanel("invoice_legal_name"),
                FieldRowPanel([FieldPanel("cvr"), FieldPanel("seller_ean")]),
                FieldPanel("invoice_street"),
                FieldRowPanel([FieldPanel("invoice_postcode"), FieldPanel("invoice_city")]),
                FieldPanel("invoice_email"),
                FieldRowPanel([FieldPanel("bank_reg_no"), FieldPanel("bank_account_no")]),
                FieldPanel("iban"),
                FieldPanel("payment_days"),
            ],
            heading=_("Seller on e-invoices"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")

    def clean(self):
        super().clean()
        self.iban = normalise_iban(self.iban)
        if bool(self.bank_reg_no) != bool(self.bank_account_no):
            field = "bank_account_no" if self.bank_reg_no else "bank_reg_no"
            raise ValidationError(
                {field: _("Give both the registration number and the account number.")}
            )

    @property
    def seller_name(self) -> str:
        return self.invoice_legal_name or self.organisation_name

    def invoice_details_missing(self) -> list[str]:
        """Labels of the seller details an e-invoice needs that are not filled in."""
        needed = {
            "cvr": self.cvr,
            "invoice_street": self.invoice_street,
            "invoice_postcode": self.invoice_postcode,
            "invoice_city": self.invoice_city,
            "invoice_email": self.invoice_email,
        }
        missing = [
            str(self._meta.get_field(name).verbose_name) for name, v in needed.items() if not v
        ]
        if not self.seller_name:
            missing.insert(0, str(self._meta.get_field("invoice_legal_name").verbose_name))
        if not (self.bank_account_no or self.iban):
            field = self._meta.get_field
            missing.append(
                f"{field('bank_account_no').verbose_name} / {field('iban').verbose_name}"
            )
        return missing


class PageMetadataMixin(models.Model):
    """Created, last updated and the responsible person, shown on every content page."""

    responsible_contact = models.ForeignKey(
        Contact,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    metadata_panels = [FieldPanel("responsible_contact")]

    # Privacy checks from the cached list of restricted sections (portal.visibility).
    objects = PortalPageManager()

    # What the page shows from other tables, read in the same query when routing reads
    # the page (`route`); a page model adds its own (the meeting page: its venue).
    route_select_related: tuple[str, ...] = ("responsible_contact",)

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        return view_restrictions(self, super().get_view_restrictions)

    def route(self, request, path_components):
        """Wagtail's routing with one query per level instead of two: which child a slug
        names (its model and id) comes from the tree cache, then the child is read as
        its own model directly. Drafts and private pages are routed as Wagtail does (the
        last page must be live; privacy is checked after routing)."""
        if not path_components or not SLUG.fullmatch(path_components[0]):
            return super().route(request, path_components)
        slug = path_components[0]
        label, pk = tree_cache.cached(
            f"portal:child:{self.pk}:{slug}", lambda: _child_named(self, slug)
        )
        model = apps.get_model(label)
        related = getattr(model, "route_select_related", ())
        try:
            child = model.objects.select_related(*related).get(pk=pk)
        except model.DoesNotExist as error:
            raise Http404 from error
        child._cached_parent_obj = self  # as Wagtail's route does: get_parent() is free
        return child.route(request, path_components[1:])


SLUG = re.compile(r"[-\w]{1,255}", re.ASCII)


def _child_named(parent, slug: str) -> tuple[str, int]:
    """The model ("app_label.ModelName") and id of `parent`'s child with `slug`; a
    missing child is a 404, and is not kept."""
    found = parent.get_children().filter(slug=slug).values_list("pk", "content_type").first()
    if found is None:
        raise Http404
    pk, content_type = found
    model = ContentType.objects.get_for_id(content_type).model_class() or Page
    return model._meta.label, pk


class HomePage(PageMetadataMixin, Page):
    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    hero_text = RichTextField(_("hero text"), blank=True, features=["bold", "italic", "link"])
    featured_links = StreamField(
        [("link", LinkBlock())], verbose_name=_("featured links"), blank=True, max_num=6
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("featured_links"),
        *PageMetadataMixin.metadata_panels,
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The same for everyone until a page changes: kept in the tree cache.
        context["latest_news"] = tree_cache.cached(
            "portal:home:latest-news",
            lambda: list(NewsPage.objects.live().public().order_by("-date", "-pk")[:3]),
        )
        for contribute in portal_hooks.get(portal_hooks.HOME_CONTEXT):
            context.update(contribute(request, self))
        return context


class StandardPage(PageMetadataMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("body"),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["portal.HomePage", "portal.StandardPage"]
    subpage_types = ["portal.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class NewsIndexPage(PageMetadataMixin, Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        *PageMetadataMixin.metadata_panels,
    ]

    parent_page_types = ["portal.HomePage"]
    subpage_types = ["portal.NewsPage"]
    max_count = 1
    per_page = 10

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The list (a page of items and the page links) is the same for every visitor
        # until a page changes: kept in the tree cache under the language, host and
        # query string (the page number; links keep the rest).
        digest = hashlib.sha256(
            "\n".join([get_language() or "", request.get_host(), request.GET.urlencode()]).encode()
        ).hexdigest()
        context["news_list"] = mark_safe(  # noqa: S308 (our own rendered template)
            tree_cache.cached(
                f"portal:news:{self.pk}:{digest}", lambda: self._render_news_list(request)
            )
        )
        return context

    def _render_news_list(self, request) -> str:
        news = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        paginator = Paginator(news.defer("body"), self.per_page)
        try:
            page_obj = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        return render_to_string("portal/news_list.html", {"page_obj": page_obj}, request=request)


class NewsPage(PageMetadataMixin, Page):
    date = models.DateField(_("date"), default=timezone.localdate)
    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("body"),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]

    parent_page_types = ["portal.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news")


DIGST_COMPLAINT_URL = (
    "https://digst.dk/digital-inklusion/webtilgaengelighed/oplever-du-ikke-tilgaengeligt-indhold/"
)


class AccessibilityStatementPage(PageMetadataMixin, Page):
    """Tilgængelighedserklæringen, in the sections of the EU's model statement
    (implementing decision 2018/1523) that Digitaliseringsstyrelsen's WAS-Tool asks for:
    compliance status, content that is not accessible, how the statement was made,
    feedback and contact (written and by phone), and the enforcement procedure."""

    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    class Method(models.TextChoices):
        SELF = "self", _("a self-assessment")
        THIRD_PARTY = "third_party", _("an assessment by a third party")

    intro = models.TextField(_("introduction"), blank=True)
    compliance = models.CharField(
        _("compliance status"),
        max_length=10,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
        help_text=_("Measured against WCAG 2.1 level AA (EN 301 549)."),
    )
    non_accessible_content = RichTextField(
        _("content that is not accessible"),
        blank=True,
        features=["h3", "bold", "italic", "link", "ul", "ol"],
        help_text=_(
            "What is not accessible and why: not compliant, a disproportionate burden, or "
            "outside the law's scope. Name accessible alternatives."
        ),
    )
    prepared_on = models.DateField(_("statement prepared on"), default=timezone.localdate)
    reviewed_on = models.DateField(
        _("statement last reviewed on"),
        default=timezone.localdate,
        help_text=_("Review the statement at least once a year and when the site changes."),
    )
    method = models.CharField(
        _("how the site was assessed"),
        max_length=12,
        choices=Method.choices,
        default=Method.SELF,
    )
    was_url = models.URLField(
        _("the statement in WAS-Tool"),
        blank=True,
        help_text=_(
            "The address of the official statement made in Digitaliseringsstyrelsen's "
            "WAS-Tool, if there is one."
        ),
    )
    feedback_email = models.EmailField(_("e-mail for feedback"))
    feedback_phone = models.CharField(_("phone for feedback"), max_length=40)
    complaint_url = models.URLField(
        _("Digitaliseringsstyrelsen's complaint route"), default=DIGST_COMPLAINT_URL
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("compliance"),
        FieldPanel("non_accessible_content"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("prepared_on"), FieldPanel("reviewed_on")]),
                FieldPanel("method"),
                FieldPanel("was_url"),
            ],
            heading=_("How the statement was made"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("feedback_email"), FieldPanel("feedback_phone")]),
                FieldPanel("complaint_url"),
            ],
            heading=_("Feedback and enforcement"),
        ),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [*Page.search_fields, index.SearchField("non_accessible_content")]

    parent_page_types = ["portal.HomePage"]
    subpage_types = []
    max_count = 1
    template = "portal/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")


class OutgoingEmail(models.Model):
    """One e-mail on its way out (portal/emails.py): the queue's record and the log staff
    and operators look at. The message itself (body, HTML, attachments) is kept only until
    it is sent; retention (portal/gdpr.py) deletes old rows."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        RETRYING = "retrying", _("retrying")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    subject = models.CharField(_("subject"), max_length=998)
    recipients = models.TextField(_("recipients"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The serialised message (portal.emails.serialise); emptied once sent.
    message = models.JSONField(default=dict, blank=True)
    # A django-tasks task (module path) and its arguments, called once if the message
    # finally fails (e.g. the meeting reminder gives its claim back).
    on_failure = models.CharField(max_length=200, blank=True)
    on_failure_args = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return self.subject
