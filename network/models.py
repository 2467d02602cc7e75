"""Organisations, people's affiliations, networks and their yearly memberships.

Rules that span several objects (signing up, approving, the trial seat) live in
`network.services`; this module holds fields, per-object rules and querysets.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from portal.models import PageMetadataMixin
from portal.regions import Region

from . import access, pricing
from .fields import MonthDayField, month_day_in, month_day_key
from .validators import validate_ean

DateLike = datetime.date | datetime.datetime | None

# From this month on, the coming year is offered in the sign-up form.
NEXT_YEAR_OFFERED_FROM_MONTH = 10


def local_date(on: DateLike = None) -> datetime.date:
    """The calendar date in Europe/Copenhagen (the site's TIME_ZONE).

    `None` means today; an aware datetime is converted to local time first, so
    23:30 UTC on 31 December is already 1 January in Copenhagen.
    """
    if on is None:
        return timezone.localdate()
    if isinstance(on, datetime.datetime):
        return timezone.localtime(on).date() if timezone.is_aware(on) else on.date()
    return on


def allowed_signup_years(on: DateLike = None) -> list[int]:
    """The current year, and from 1 October also the coming year."""
    today = local_date(on)
    years = [today.year]
    if today.month >= NEXT_YEAR_OFFERED_FROM_MONTH:
        years.append(today.year + 1)
    return years


# --- Organisations ---------------------------------------------------------------------


class OrganisationQuerySet(models.QuerySet):
    """Member status of organisations, the one way every app asks it (with
    `MembershipQuerySet`): library, meetings, directory and materials alike."""

    def municipalities(self):
        return self.filter(kind=Organisation.Kind.MUNICIPALITY)

    def verified_for(self, person):
        """Organisations `person` has a verified affiliation with (none for anonymous)."""
        if not getattr(person, "is_authenticated", False):
            return self.none()
        return self.filter(
            pk__in=Affiliation.objects.verified().filter(person=person).values("organisation_id")
        )

    def members_of(self, network, on: DateLike = None):
        """Organisations whose people have member access to `network` on date `on`
        (default today in Europe/Copenhagen): an active membership for that year, or last
        year's in its grace period (`MembershipQuerySet.giving_access_on`)."""
        return self.filter(
            pk__in=Membership.objects.for_network(network)
            .giving_access_on(on)
            .values("organisation_id")
        )

    def in_grace_of(self, network, on: DateLike = None):
        """Organisations of `network` whose renewal is missing but who keep access on `on`."""
        return self.filter(
            pk__in=Membership.objects.for_network(network).in_grace_on(on).values("organisation_id")
        )

    def members_of_any_network(self, on: DateLike = None):
        return self.filter(pk__in=Membership.objects.giving_access_on(on).values("organisation_id"))


def normalise_domain(value: str) -> str:
    value = (value or "").strip().lower()
    if "@" in value:
        value = value.rsplit("@", 1)[1]
    return value.removeprefix("www.").strip(".")


class Organisation(index.Indexed, ClusterableModel):
    """A municipality, housing organisation, administration company or other body."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        HOUSING_ORGANISATION = "housing", _("Housing organisation")
        ADMINISTRATION_COMPANY = "administration", _("Administration company")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    municipality_code = models.CharField(
        _("municipality code"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^\d{3}$", _("The municipality code has 3 digits."))],
        help_text=_("The official 3-digit code, for municipalities only (e.g. 751 for Aarhus)."),
    )
    region = models.CharField(_("region"), max_length=4, choices=Region.choices, blank=True)
    administered_by = models.ForeignKey(
        "self",
        verbose_name=_("administered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="administered_organisations",
        limit_choices_to={"kind": "administration"},
        help_text=_("For housing organisations: the administration company that runs it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    panels = [
        FieldPanel("kind"),
        FieldPanel("name"),
        FieldPanel("address"),
        MultiFieldPanel(
            [FieldPanel("municipality_code"), FieldPanel("region")],
            heading=_("Municipality"),
        ),
        FieldPanel("administered_by"),
        InlinePanel("domains", heading=_("E-mail domains"), label=_("E-mail domain")),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("region"),
    ]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~Q(municipality_code=""),
                name="network_organisation_unique_municipality_code",
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.kind == self.Kind.MUNICIPALITY:
            errors = {}
            if not self.municipality_code:
                errors["municipality_code"] = _("A municipality needs its municipality code.")
            if not self.region:
                errors["region"] = _("A municipality needs its region.")
            if errors:
                raise ValidationError(errors)
        if self.administered_by_id and self.kind != self.Kind.HOUSING_ORGANISATION:
            raise ValidationError(
                {"administered_by": _("Only housing organisations are administered by a company.")}
            )
        if self.administered_by_id and self.administered_by_id == self.pk:
            raise ValidationError(
                {"administered_by": _("An organisation cannot administer itself.")}
            )

    @property
    def domain_list(self) -> list[str]:
        return [d.domain for d in self.domains.all()]

    @property
    def domains_text(self) -> str:
        return ", ".join(self.domain_list)

    def contact_people(self):
        """People with a verified contact-person affiliation."""
        return (
            Affiliation.objects.verified()
            .filter(organisation=self, role=Affiliation.Role.CONTACT_PERSON)
            .select_related("person")
        )


class OrganisationDomain(models.Model):
    """An e-mail domain of an organisation, e.g. `aarhus.dk`."""

    organisation = ParentalKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(
        _("domain"),
        max_length=200,
        validators=[
            RegexValidator(
                r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
                _("Enter a domain such as aarhus.dk (without @)."),
            )
        ],
    )

    panels = [FieldPanel("domain")]

    class Meta:
        verbose_name = _("e-mail domain")
        verbose_name_plural = _("e-mail domains")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "domain"], name="network_domain_unique_per_organisation"
            )
        ]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = normalise_domain(self.domain)
        super().save(*args, **kwargs)


# --- Affiliation -----------------------------------------------------------------------


class AffiliationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Affiliation.Status.VERIFIED)

    def requested(self):
        return self.filter(status=Affiliation.Status.REQUESTED)

    def approvable_by(self, user):
        """Requests `user` may decide (`access.affiliations_decidable_by`): all for the
        coordinators, their own organisations' for contact people."""
        return access.affiliations_decidable_by(user, self)


class Affiliation(models.Model):
    """A person's tie to an organisation. Only a *verified* affiliation grants anything."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        CONTACT_PERSON = "contact", _("Contact person")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    class VerifiedVia(models.TextChoices):
        EMAIL_DOMAIN = "email_domain", _("Confirmed e-mail address on the organisation's domain")
        STAFF = "staff", _("Approved by staff")
        CONTACT_PERSON = "contact_person", _("Approved by the organisation's contact person")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED
    )
    verified_via = models.CharField(
        _("verified by way of"), max_length=20, choices=VerifiedVia.choices, blank=True
    )
    verified_email = models.EmailField(
        _("verified e-mail address"),
        blank=True,
        help_text=_("The confirmed address whose domain verified the affiliation."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    listed_in_directory = models.BooleanField(
        _("listed in the members' directory"),
        default=False,
        help_text=_("Show my name, title and e-mail to other members of the networks."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["organisation__name", "person__first_name", "person__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation"], name="network_affiliation_unique"
            )
        ]

    def __str__(self):
        return f"{self.person}, {self.organisation} ({self.get_status_display()})"

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def is_contact_person(self) -> bool:
        return self.is_verified and self.role == self.Role.CONTACT_PERSON


# --- Networks --------------------------------------------------------------------------


class NetworkPage(PageMetadataMixin, Page):
    """An erfa-network. Its meetings live below it (`meetings.MeetingPage`).

    `subpage_types` is deliberately left open: child page types decide through their own
    `parent_page_types` (the meetings app's MeetingPage names `network.NetworkPage`), and
    no portal page type allows a NetworkPage as parent.
    """

    intro = models.TextField(
        _("short description"),
        blank=True,
        help_text=_("One or two sentences, shown on the front page and in listings."),
    )
    purpose = RichTextField(_("purpose"), blank=True)
    target_group = RichTextField(_("target group"), blank=True)
    working_form = RichTextField(_("working form"), blank=True)
    themes = models.TextField(_("themes"), blank=True, help_text=_("One theme per line."))
    price = models.DecimalField(
        _("yearly price for members (DKK excl. VAT)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    seats_per_member = models.PositiveSmallIntegerField(
        _("seats per meeting per member organisation"), default=2
    )
    signup_open = models.BooleanField(
        _("open for sign-up"),
        default=True,
        help_text=_("Organisations can sign up for membership on the site."),
    )
    terms = RichTextField(
        _("membership terms"),
        blank=True,
        help_text=_("Shown on the sign-up form; the person signing up accepts them."),
    )
    coordinators = ParentalManyToManyField(
        "portal.Contact", verbose_name=_("coordinators"), blank=True, related_name="networks"
    )

    # The membership year (docs/network.md, "The membership year").
    class RenewalMode(models.TextChoices):
        EXPLICIT = "explicit", _("Explicit renewal: the organisation renews each year")
        CONTINUING = "continuing", _("Continues unless cancelled by the deadline")

    renewal_mode = models.CharField(
        _("how membership continues"),
        max_length=20,
        choices=RenewalMode.choices,
        default=RenewalMode.EXPLICIT,
    )
    cancellation_deadline = MonthDayField(
        _("cancellation deadline"),
        default="12-31",
        help_text=_(
            "For memberships that continue unless cancelled: the last day (dd.mm) to cancel "
            "for the coming year."
        ),
    )
    renewal_invitation_from = MonthDayField(
        _("renewal invitations from"),
        default="10-01",
        help_text=_("From this day (dd.mm) members are invited to renew for the coming year."),
    )
    first_renewal_reminder = MonthDayField(
        _("first reminder"),
        default="11-01",
        help_text=_("Day (dd.mm) to remind those who have not answered the invitation."),
    )
    second_renewal_reminder = MonthDayField(
        _("second reminder"),
        default="12-01",
        blank=True,
        help_text=_("Day (dd.mm) of the last reminder; leave empty for only one reminder."),
    )
    grace_end = MonthDayField(
        _("grace period ends"),
        default="01-31",
        help_text=_(
            "Organisations whose renewal is missing keep member access after New Year up to "
            "and including this day (dd.mm)."
        ),
    )
    staff_approve_renewals = models.BooleanField(
        _("staff approve renewals"),
        default=False,
        help_text=_(
            "Renewals wait for a coordinator's approval like new sign-ups; otherwise they "
            "are active at once."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("purpose"),
        FieldPanel("target_group"),
        FieldPanel("working_form"),
        FieldPanel("themes"),
        MultiFieldPanel(
            [
                FieldPanel("price"),
                FieldPanel("seats_per_member"),
                FieldPanel("signup_open"),
                FieldPanel("terms"),
            ],
            heading=_("Membership"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("renewal_mode"),
                FieldPanel("cancellation_deadline"),
                FieldPanel("renewal_invitation_from"),
                FieldPanel("first_renewal_reminder"),
                FieldPanel("second_renewal_reminder"),
                FieldPanel("grace_end"),
                FieldPanel("staff_approve_renewals"),
            ],
            heading=_("The membership year"),
        ),
        FieldPanel("coordinators"),
        *PageMetadataMixin.metadata_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("purpose"),
        index.SearchField("themes"),
    ]

    parent_page_types = ["portal.HomePage"]

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    @property
    def theme_list(self) -> list[str]:
        return [line.strip() for line in self.themes.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        errors = {}
        if self.grace_end and not "01-01" <= self.grace_end <= "06-30":
            errors["grace_end"] = _("The grace period ends in the first half of the year.")
        reminders = [r for r in (self.first_renewal_reminder, self.second_renewal_reminder) if r]
        if self.renewal_invitation_from and any(
            r <= self.renewal_invitation_from for r in reminders
        ):
            errors["first_renewal_reminder"] = _(
                "Reminders come after the invitation date, in the same year."
            )
        if len(reminders) == 2 and reminders[1] <= reminders[0]:
            errors["second_renewal_reminder"] = _("The second reminder comes after the first.")
        if errors:
            raise ValidationError(errors)

    @property
    def continues_unless_cancelled(self) -> bool:
        return self.renewal_mode == self.RenewalMode.CONTINUING

    def renewal_year_on(self, on: DateLike = None) -> int | None:
        """The coming year renewals are open for on `on` (from the invitation date to New
        Year), or None."""
        today = local_date(on)
        if month_day_key(today) >= self.renewal_invitation_from:
            return today.year + 1
        return None

    def renewal_year_start(self, year: int) -> datetime.date:
        """The day invitations to renew into `year` go out (in the year before)."""
        return month_day_in(self.renewal_invitation_from, year - 1)

    def cancellation_deadline_for(self, year: int) -> datetime.date:
        """The last day to cancel a continuing membership for `year` (in the year before)."""
        return month_day_in(self.cancellation_deadline, year - 1)

    def grace_end_in(self, year: int) -> datetime.date:
        return month_day_in(self.grace_end, year)

    def reminder_dates(self, year: int) -> list[datetime.date]:
        """The reminder days for renewing into `year` (they fall in the year before)."""
        return [
            month_day_in(r, year - 1)
            for r in (self.first_renewal_reminder, self.second_renewal_reminder)
            if r
        ]

    def member_context(self, person, on: DateLike = None) -> dict:
        """What the page shows the visitor about their own organisations."""
        today = local_date(on)
        context = {
            "signup_years": allowed_signup_years(today),
            "is_member": False,
            "my_memberships": [],
            "grace_memberships": [],
        }
        if not getattr(person, "is_authenticated", False):
            return context
        orgs = Organisation.objects.verified_for(person)
        context["my_memberships"] = list(
            Membership.objects.for_network(self)
            .filter(organisation__in=orgs, year__gte=today.year)
            .select_related("organisation")
            .order_by("year", "organisation__name")
        )
        context["grace_memberships"] = list(
            Membership.objects.for_network(self)
            .in_grace_on(today)
            .filter(organisation__in=orgs)
            .select_related("organisation", "network")
        )
        context["is_member"] = orgs.members_of(self, on=today).exists()
        context["can_see_directory"] = context["is_member"] or access.can_see_directory(
            person, self, on=today
        )
        context["can_sign_up"] = orgs.exists()
        return context

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.member_context(request.user))
        return context


# --- Membership ------------------------------------------------------------------------


class MembershipQuerySet(models.QuerySet):
    """Member status, the one way every app asks it (see also `OrganisationQuerySet`).

    A membership counts on every date of its calendar year while it is active, and still
    after its year has run out and the rollover ended it (so minutes stay with those who
    were members then). In the grace period after New Year (to the network's `grace_end`)
    last year's membership still gives access while this year's renewal is missing.
    """

    def for_network(self, network):
        return self.filter(network=network)

    def active_in(self, year: int):
        """Memberships that count for calendar `year`."""
        return self.filter(year=year, status__in=Membership.COUNTING)

    def active_on(self, on: DateLike = None):
        """Memberships that count on date `on` (default today in Europe/Copenhagen)."""
        return self.active_in(local_date(on).year)

    def _grace_q(self, on: datetime.date) -> Q:
        settled = Membership.objects.filter(
            organisation=OuterRef("organisation"),
            network=OuterRef("network"),
            year=on.year,
            status__in=[*Membership.COUNTING, Membership.Status.CANCELLED],
        )
        return Q(
            year=on.year - 1,
            status__in=Membership.COUNTING,
            network__grace_end__gte=month_day_key(on),
        ) & ~Exists(settled)

    def in_grace_on(self, on: DateLike = None):
        """Last year's memberships that still give access on `on`: within the network's
        grace period, the renewal for `on`'s year neither active nor cancelled (an applied
        renewal waiting for approval keeps the grace)."""
        return self.filter(self._grace_q(local_date(on)))

    def giving_access_on(self, on: DateLike = None):
        """Memberships that make their organisation's people members on `on`: active
        for that year, or in grace."""
        on = local_date(on)
        return self.filter(Q(year=on.year, status__in=Membership.COUNTING) | self._grace_q(on))


class Membership(models.Model):
    """An organisation's membership of a network for one calendar year."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses that count on the dates of the membership's year: active, and ended (the
    # year ran its course and the rollover ended it). Cancelled never counts.
    COUNTING = (Status.ACTIVE, Status.ENDED)

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    network = models.ForeignKey(
        NetworkPage,
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    seats_per_meeting = models.PositiveSmallIntegerField(
        _("seats per meeting"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the network's number."),
    )
    ean = models.CharField(
        _("EAN/GLN number"),
        max_length=13,
        validators=[validate_ean],
        help_text=_("13 digits, for electronic invoicing (public institutions)."),
    )
    purchase_reference = models.CharField(
        _("purchase order / reference"), max_length=100, blank=True
    )
    invoice_contact_name = models.CharField(_("invoice contact"), max_length=200)
    invoice_contact_email = models.EmailField(_("invoice contact e-mail"))
    # What was charged, kept at sign-up (network.pricing): a later price change on the
    # network page does not rewrite it. Empty when the network stated no price.
    price_yearly = models.DecimalField(
        _("yearly price at sign-up (DKK excl. VAT)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    price_quarters = models.PositiveSmallIntegerField(_("quarters charged"), null=True, blank=True)
    price_amount = models.DecimalField(
        _("amount charged (DKK excl. VAT)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed up by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signed_up_memberships",
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network", "year"], name="network_membership_unique_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation}, {self.network} {self.year}"

    @property
    def seats(self) -> int:
        if self.seats_per_meeting is not None:
            return self.seats_per_meeting
        return self.network.seats_per_member

    @property
    def signed_up_on(self) -> datetime.date:
        return timezone.localtime(self.created_at).date()

    @property
    def signed_up_by_email(self) -> str:
        return self.signed_up_by.email if self.signed_up_by else ""

    # The renewal link of this (last year's) membership: signed, so it names the
    # membership without a guessable id; the page still asks the visitor to log in as a
    # person of the organisation (network.renewals).
    RENEWAL_TOKEN_SALT = "network.renewal"  # noqa: S105 (a signing salt, no secret)

    @property
    def grace_end(self) -> datetime.date:
        """The last day this membership gives access after its year without a renewal."""
        return self.network.grace_end_in(self.year + 1)

    def renewal_token(self) -> str:
        return signing.dumps(self.pk, salt=self.RENEWAL_TOKEN_SALT, compress=True)

    def renewal_path(self) -> str:
        """The "Renew for <year>" page."""
        return reverse("network:renew", args=[self.renewal_token()])

    def cancel_path(self) -> str:
        """The one-click page to say the organisation does not continue next year."""
        return reverse("network:renew_cancel", args=[self.renewal_token()])

    @property
    def price(self) -> pricing.Price | None:
        """What was charged for this membership (stored at sign-up), or None."""
        return pricing.charged(self)

    @property
    def price_rule(self) -> str:
        price = self.price
        return price.rule if price else ""

    @property
    def period_text(self) -> str:
        price = self.price
        return price.period_text if price else ""

    @property
    def is_invoiceable(self) -> bool:
        """Approved (active, or ended since) and with a price: it gets an e-invoice."""
        return (
            self.approved_at is not None
            and self.status in (self.Status.ACTIVE, self.Status.ENDED)
            and self.price_amount is not None
        )

    @property
    def invoice_number(self) -> str:
        """The e-invoice's number, the same at every download: the year and the
        membership's id ("2026-00042"). Empty until the membership is invoiceable."""
        return f"{self.year}-{self.pk:05d}" if self.is_invoiceable else ""


class RenewalNotice(models.Model):
    """An e-mail about renewing `membership` (last year's row) into the following year:
    the invitation or a reminder, recorded so each goes out exactly once, and counted in
    the rollover report."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")

    membership = models.ForeignKey(
        Membership,
        verbose_name=_("membership"),
        on_delete=models.CASCADE,
        related_name="renewal_notices",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("due on"))
    recipients = models.TextField(_("recipients"), blank=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("renewal notice")
        verbose_name_plural = _("renewal notices")
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "kind", "due_on"], name="network_renewal_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.membership}: {self.get_kind_display()} {self.due_on}"


# --- Trial -----------------------------------------------------------------------------


class TrialUse(models.Model):
    """The one free meeting a non-member organisation may attend per network, ever."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="trial_uses",
    )
    network = models.ForeignKey(
        NetworkPage,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="trial_uses",
    )
    # Generic on purpose: the meetings app's page type builds on this app, not vice versa.
    meeting = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("trial use")
        verbose_name_plural = _("trial uses")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "network"], name="network_trial_once_per_network"
            )
        ]

    def __str__(self):
        return f"{self.organisation}, {self.network}"
