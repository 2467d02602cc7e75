"""Agreements between municipalities and housing organisations, and their audit trail.

One `Agreement` row is one answer to an `AgreementCallPage`'s questionnaire: it starts as
a *draft*, is *submitted*, and an editor *publishes* or *rejects* it; the submitter may
*withdraw* their consent later. Who may read it is decided in one place only,
`Agreement.objects.visible_to(user)`; every page, download, search and sitemap uses it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from portal import private_files

from ..access import can_review_agreements, is_network_member


class Topic(models.Model):
    """A fixed list of topics (rows created by a data migration), shared by agreements
    and inspiration material."""

    class Code(models.TextChoices):
        HOUSING_PLACEMENT = "placement", _("Housing placement")
        RECEPTION = "reception", _("Reception and integration")
        ALLOCATION = "allocation", _("Allocation")
        FLEXIBLE_LETTING = "letting", _("Flexible or combined letting")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return str(self.get_code_display())


class AgreementQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def visible_to(self, user):
        """The agreements `user` may read: the one visibility rule.

        Reviewers (staff with the view permission) see every submitted answer; members of
        any network see published answers shared with members or the public; everyone
        else sees published public answers only. Drafts belong to their author and are
        shown on no surface.
        """
        if can_review_agreements(user):
            return self.exclude(status=Agreement.Status.DRAFT)
        consents = [Agreement.Consent.PUBLIC]
        if is_network_member(user):
            consents.append(Agreement.Consent.MEMBERS)
        return self.filter(status=Agreement.Status.PUBLISHED, consent__in=consents)

    def listed(self):
        """Answers that describe an agreement (signed or under negotiation): the library
        lists these; "no agreement" answers only count in the overview."""
        return self.exclude(state=Agreement.State.NONE).exclude(state="")

    def counted(self):
        """Answers the national overview counts: reviewed and published, whatever the
        consent (internal ones are counted, never shown)."""
        return self.filter(status=Agreement.Status.PUBLISHED)

    def awaiting_review(self):
        return self.filter(status=Agreement.Status.SUBMITTED)

    def of_person(self, person):
        """Answers a person may follow on "Min side": their own, and those their
        organisations (where they are verified) have submitted; a colleague's draft stays
        the colleague's."""
        from network.services import verified_organisations

        if not getattr(person, "is_authenticated", False):
            return self.none()
        organisations = verified_organisations(person).values("pk")
        return self.filter(
            Q(submitted_by=person)
            | (Q(submitting_organisation__in=organisations) & ~Q(status=Agreement.Status.DRAFT))
        ).distinct()

    def for_listing(self):
        return self.select_related("municipality").prefetch_related(
            "housing_organisations", "topics"
        )


def _document_access(user, agreement) -> bool:
    """An agreement's document goes to whoever may read the agreement."""
    return Agreement.objects.visible_to(user).filter(pk=agreement.pk).exists()


class Agreement(index.Indexed, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")

    class Consent(models.TextChoices):
        PUBLIC = "public", _("Public: anyone may read the agreement")
        MEMBERS = "members", _("Members: only members of the networks may read it")
        INTERNAL = "internal", _("Internal: only for the association's national overview")

    class State(models.TextChoices):
        SIGNED = "signed", _("Yes, an agreement has been signed")
        NEGOTIATING = "negotiating", _("An agreement is under negotiation")
        NONE = "none", _("No agreement")

    call = models.ForeignKey(
        "library.AgreementCallPage",
        verbose_name=_("call"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    title = models.CharField(_("title"), max_length=255, blank=True)
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("Written or edited by the editor; shown in the library."),
    )
    description = models.TextField(_("description from the submitter"), blank=True, max_length=3000)

    submitting_organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("submitting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submitted_agreements",
    )
    housing_organisations = models.ManyToManyField(
        "network.Organisation",
        verbose_name=_("housing organisations"),
        blank=True,
        related_name="agreements",
        limit_choices_to={"kind": "housing"},
    )
    municipality = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipal_agreements",
        limit_choices_to={"kind": "municipality"},
    )
    other_parties = models.CharField(_("other parties"), max_length=500, blank=True)

    state = models.CharField(_("agreement"), max_length=20, choices=State.choices, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="agreements"
    )
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dwellings_per_year = models.PositiveIntegerField(_("dwellings per year"), null=True, blank=True)
    vacant_share = models.DecimalField(
        _("share of vacant dwellings offered (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    document = private_files.PrivateFileField(
        _("document"),
        folder="agreements",
        rule=private_files.DOCUMENTS,
        access=_document_access,
        blank=True,
    )
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    document_type = models.CharField(_("file type"), max_length=100, blank=True)
    document_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)

    consent = models.CharField(_("consent"), max_length=20, choices=Consent.choices, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements_submitted",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("summary"),
        index.SearchField("other_parties"),
        index.AutocompleteField("title"),
        index.RelatedFields(
            "municipality", [index.SearchField("name"), index.AutocompleteField("name")]
        ),
        index.RelatedFields(
            "housing_organisations",
            [index.SearchField("name"), index.AutocompleteField("name")],
        ),
        index.FilterField("id"),
        index.FilterField("status"),
        index.FilterField("consent"),
        index.FilterField("state"),
        index.FilterField("signed_on"),
        index.FilterField("submitted_at"),
    ]

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["status", "consent"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="library_agreement_valid_to_after_valid_from",
            )
        ]

    def __str__(self):
        return self.display_title()

    def get_absolute_url(self) -> str | None:
        """The agreement's page in the library (None when there is no live library)."""
        from .pages import AgreementLibraryPage

        library = AgreementLibraryPage.objects.live().first()
        return library.agreement_url(self) if library else None

    def display_title(self) -> str:
        """The title, or for an untitled answer (typically a draft) who it is from, so the
        admin listing never shows a bare "(blank)"."""
        if self.title:
            return self.title
        names = []
        for organisation in (self.municipality, self.submitting_organisation):
            if organisation is not None and organisation.name not in names:
                names.append(organisation.name)
        if names:
            template = _("Draft from %(names)s") if self.is_draft else _("Answer from %(names)s")
            return str(template % {"names": ", ".join(names)})
        return str(_("Answer no. %(number)s") % {"number": self.pk or "\N{EN DASH}"})

    display_title.short_description = _("title")
    display_title.admin_order_field = "title"

    @property
    def consent_short(self) -> str:
        return _consent_short(self.consent)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_listed(self) -> bool:
        return self.state in (self.State.SIGNED, self.State.NEGOTIATING)

    @property
    def shown_in_library(self) -> bool:
        """Once published, does the library show this answer to someone (an agreement,
        shared with members or the public)? Then it needs a summary."""
        return self.is_listed and self.consent in (self.Consent.PUBLIC, self.Consent.MEMBERS)

    @property
    def has_document(self) -> bool:
        return bool(self.document)

    @property
    def year_signed(self) -> int | None:
        return self.signed_on.year if self.signed_on else None

    @property
    def party_names(self) -> list[str]:
        names = [org.name for org in self.housing_organisations.all()]
        if self.other_parties:
            names.append(self.other_parties)
        return names

    def can_be_withdrawn(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.PUBLISHED)

    def can_be_reviewed(self) -> bool:
        return self.status in (
            self.Status.SUBMITTED,
            self.Status.PUBLISHED,
            self.Status.REJECTED,
        )


class AgreementEvent(models.Model):
    """One line of the audit trail: every change of status or consent, who and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Consent withdrawn")
        CONSENT_CHANGED = "consent_changed", _("Consent changed")
        STATUS_CHANGED = "status_changed", _("Status changed")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    old_status = models.CharField(_("old status"), max_length=20, blank=True)
    new_status = models.CharField(_("new status"), max_length=20, blank=True)
    old_consent = models.CharField(_("old consent"), max_length=20, blank=True)
    new_consent = models.CharField(_("new consent"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} ({self.at:%Y-%m-%d %H:%M})"

    def describe(self) -> str:
        """A short line for editors: what changed."""
        parts = []
        if self.old_status != self.new_status:
            parts.append(
                _("status %(old)s → %(new)s")
                % {
                    "old": _label(Agreement.Status, self.old_status),
                    "new": _label(Agreement.Status, self.new_status),
                }
            )
        if self.old_consent != self.new_consent:
            parts.append(
                _("consent %(old)s → %(new)s")
                % {
                    "old": _consent_short(self.old_consent),
                    "new": _consent_short(self.new_consent),
                }
            )
        return "; ".join(str(p) for p in parts)


CONSENT_SHORT = {
    Agreement.Consent.PUBLIC: _("public"),
    Agreement.Consent.MEMBERS: _("members"),
    Agreement.Consent.INTERNAL: _("internal"),
}


def _consent_short(value: str) -> str:
    return str(CONSENT_SHORT.get(value, "\N{EN DASH}"))


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return "\N{EN DASH}"
