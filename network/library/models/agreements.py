"""Agreements between municipalities and housing organisations, and their audit trail.

One `Agreement` row is one answer to an `AgreementCallPage`'s questionnaire: it starts as
a *draft*, is *submitted*, and an editor *publishes* or *rejects* it; the submitter may
*withdraw* their consent later. Who may read it is decided in one place only,
`Agreement.objects.visible_to(user)`; every page, download, search and sitemap uses it.

Consent is per party (`AgreementConsent`: the municipality and each housing
organisation). `Agreement.consent` is the level the agreement is shown at: the widest
level EVERY party has agreed to (`effective_level`), stored and recomputed by
`services` in the same transaction as any change of a party's consent or of the
parties, so the visibility rule stays one indexed filter.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from network.models import Organisation
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
        if not getattr(person, "is_authenticated", False):
            return self.none()
        organisations = Organisation.objects.verified_for(person).values("pk")
        return self.filter(
            Q(submitted_by=person)
            | (Q(submitting_organisation__in=organisations) & ~Q(status=Agreement.Status.DRAFT))
        ).distinct()

    def for_listing(self):
        return self.select_related("municipality", "submitting_organisation").prefetch_related(
            "housing_organisations", "topics"
        )


def _document_access(user, agreement) -> bool:
    """An agreement's document goes to whoever may read the agreement; a draft's (kept
    between the questionnaire's steps) to its author only."""
    if agreement.is_draft:
        return bool(user.is_authenticated and agreement.submitted_by_id == user.pk)
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
        url_name="library:agreement_document",
        blank=True,
    )
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    document_type = models.CharField(_("file type"), max_length=100, blank=True)
    document_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)

    consent = models.CharField(
        _("shown as"),
        max_length=20,
        choices=Consent.choices,
        blank=True,
        help_text=_(
            "The widest level every party has agreed to; derived from the parties' consent."
        ),
    )
    parties_agree = models.BooleanField(
        _("the parties agree to sharing"),
        default=False,
        help_text=_("The submitter confirmed that the parties agree to the level chosen."),
    )
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
    def state_label(self) -> str:
        """The state as a fact about the agreement ("Underskrevet"), where the choices
        are the questionnaire's answers ("Ja, der er underskrevet en aftale")."""
        return {
            self.State.SIGNED: _("Signed"),
            self.State.NEGOTIATING: _("Under negotiation"),
            self.State.NONE: _("No agreement"),
        }.get(self.state, self.get_state_display())

    @property
    def is_listed(self) -> bool:
        return self.state in (self.State.SIGNED, self.State.NEGOTIATING)

    @property
    def shown_in_library(self) -> bool:
        """Once published, may the library show this answer to someone (an agreement the
        submitter shares with members or the public, once the other parties agree)?
        Then it needs a summary."""
        return self.is_listed and self.requested_level in (
            self.Consent.PUBLIC,
            self.Consent.MEMBERS,
        )

    def party_ids(self) -> list[int]:
        """The parties who must consent: the municipality and each housing organisation
        (the submitting organisation when no housing organisation is named)."""
        ids = [self.municipality_id] if self.municipality_id else []
        housing = [org.pk for org in self.housing_organisations.all()]
        if not housing and self.submitting_organisation_id:
            housing = [self.submitting_organisation_id]
        return ids + [pk for pk in housing if pk not in ids]

    def consent_levels(self) -> dict:
        return {c.organisation_id: c.level for c in self.party_consents.all()}

    def compute_consent(self) -> str:
        """The level this agreement may be shown at (`effective_level`)."""
        return effective_level(self.party_ids(), self.consent_levels())

    @property
    def requested_level(self) -> str:
        """What the housing organisation side asked for (the other parties' answers
        aside): the widest level the library could ever show."""
        levels = self.consent_levels()
        housing = [pk for pk in self.party_ids() if pk != self.municipality_id]
        return effective_level(housing, levels)

    @property
    def requested_level_display(self) -> str:
        return str(self.Consent(self.requested_level).label)

    def consent_overview(self) -> list[dict]:
        """Per party, for the library, the agreement page and the admin: who has and has
        not consented, at what level. Uses the prefetched relations (`for_listing`)."""
        by_org = {c.organisation_id: c for c in self.party_consents.all()}
        organisations = {org.pk: org for org in self.housing_organisations.all()}
        if self.municipality_id:
            organisations[self.municipality_id] = self.municipality
        if self.submitting_organisation_id and not organisations.keys() - {self.municipality_id}:
            organisations[self.submitting_organisation_id] = self.submitting_organisation
        return [
            {
                "organisation": organisations.get(pk),
                "is_municipality": pk == self.municipality_id,
                "consent": by_org.get(pk),
            }
            for pk in self.party_ids()
        ]

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


class AgreementConsent(models.Model):
    """One party's consent to sharing an agreement: the municipality's, or a housing
    organisation's. One row per party, changed in place when the party changes its mind
    (each change is written to the audit trail, `portal.audit`). A party without a row
    has not answered yet."""

    class Level(models.TextChoices):
        PUBLIC = "public", _("Public: anyone may read the agreement")
        MEMBERS = "members", _("Members: only members of the networks may read it")
        INTERNAL = "internal", _("Internal: only for the association's national overview")
        DECLINED = "declined", _("Declined: the agreement may not be shared")

    class Via(models.TextChoices):
        SUBMISSION = "submission", _("At submission")
        SIGNED_LINK = "link", _("Through the e-mailed link")
        MY_PAGE = "my_page", _("On My page")
        STAFF = "staff", _("Registered by staff")

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="party_consents",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("party"),
        on_delete=models.CASCADE,
        related_name="agreement_consents",
    )
    level = models.CharField(_("consent"), max_length=20, choices=Level.choices)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("given by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    via = models.CharField(_("how"), max_length=20, choices=Via.choices)
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("party consent")
        verbose_name_plural = _("party consents")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="library_one_consent_per_party"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.get_level_display()}"

    @property
    def level_short(self) -> str:
        return _consent_short(self.level)


# Widest first. A declined or missing answer leaves the agreement internal: it is still
# counted in the overview (every reviewed answer is), and shown nowhere.
LEVEL_ORDER = [Agreement.Consent.PUBLIC, Agreement.Consent.MEMBERS, Agreement.Consent.INTERNAL]


def effective_level(party_ids, levels: dict) -> str:
    """THE rule: the widest level every party has agreed to. `party_ids` are the
    parties' organisation ids, `levels` maps an organisation id to its answer. Without
    parties, or while one of them has not answered, or has declined: internal."""
    party_ids = list(party_ids)
    if not party_ids:
        return Agreement.Consent.INTERNAL
    narrowest = 0
    for pk in party_ids:
        level = levels.get(pk)
        if level not in LEVEL_ORDER:  # not answered, or declined
            return Agreement.Consent.INTERNAL
        narrowest = max(narrowest, LEVEL_ORDER.index(level))
    return LEVEL_ORDER[narrowest]


CONSENT_SHORT = {
    Agreement.Consent.PUBLIC: _("public"),
    Agreement.Consent.MEMBERS: _("members"),
    Agreement.Consent.INTERNAL: _("internal"),
    "declined": _("declined"),
}


def _consent_short(value: str) -> str:
    return str(CONSENT_SHORT.get(value, "\N{EN DASH}"))
