"""Venues, meeting pages with a programme, their materials and registrations.

Rules that span several objects (registering, cancelling, promotion from the waitlist,
reminders) live in `meetings.services`; this module holds fields, per-object rules and
querysets.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from portal import private_files
from portal.models import PageMetadataMixin
from portal.visibility import PortalPageQuerySet

from .blocks import ProgrammeBlock
from .panels import RegistrationSummaryPanel

# --- Venue -----------------------------------------------------------------------------


class Venue(index.Indexed, models.Model):
    """A place where meetings are held (a snippet)."""

    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    directions = models.TextField(
        _("directions"), blank=True, help_text=_("How to get there: public transport, parking.")
    )
    accessibility = models.TextField(
        _("accessibility notes"), blank=True, help_text=_("Step-free access, lifts, hearing loop.")
    )
    map_url = models.URLField(_("map link"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("postcode"), FieldPanel("city")]),
        FieldPanel("directions"),
        FieldPanel("accessibility"),
        FieldPanel("map_url"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("city"),
    ]

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.city}"

    @property
    def postal_address(self) -> str:
        """E.g. "Weidekampsgade 10, 2300 København S"."""
        return f"{self.address}, {self.postcode} {self.city}"

    @property
    def location(self) -> str:
        """The name and address on one line (the calendar's LOCATION)."""
        return f"{self.name}, {self.postal_address}"


# --- Meeting page ----------------------------------------------------------------------


def private_storage():
    """Materials live outside MEDIA_ROOT (in PRIVATE_MEDIA_ROOT/meetings); only
    `meetings.views.material` serves them. The migration references this callable."""
    return private_files.private_storage("meetings")


class MeetingPageQuerySet(PortalPageQuerySet):
    def upcoming(self, now: datetime.datetime | None = None):
        """Meetings that have not ended yet, the soonest first."""
        return self.filter(end__gte=now or timezone.now()).order_by("start", "pk")

    def past(self, now: datetime.datetime | None = None):
        """Meetings that have ended, the latest first (the archive)."""
        return self.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")

    def for_listing(self):
        """What listings show: live, public, with the venue in the same query."""
        return self.live().public().select_related("venue")


MeetingPageManager = PageManager.from_queryset(MeetingPageQuerySet)


DEFAULT_OFFER_HOURS = 48


class MeetingPage(PageMetadataMixin, Page):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")
        POSTPONED = "postponed", _("Postponed")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members only")
        MEMBERS_AND_TRIAL = "members_trial", _("Members and organisations using their trial")
        OPEN = "open", _("Open to everyone")

    class MaterialsAudience(models.TextChoices):
        MEMBERS = "members", _("Members of the network")
        ATTENDEES = "attendees", _("Participants of this meeting only")

    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("venue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    lead = models.TextField(_("lead"), blank=True, help_text=_("One or two sentences."))
    practical_information = RichTextField(
        _("practical information"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    programme = StreamField(ProgrammeBlock(), verbose_name=_("programme"), blank=True)

    capacity = models.PositiveIntegerField(_("capacity"), default=40)
    seats_per_organisation = models.PositiveSmallIntegerField(
        _("seats per organisation"), default=2
    )
    trial_places = models.PositiveSmallIntegerField(
        _("trial places"),
        default=0,
        help_text=_("Places for organisations using their one free trial (part of the capacity)."),
    )
    registration_opens = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty to open registration when the page is published."),
    )
    registration_closes = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Leave empty to keep registration open until the meeting starts."),
    )
    audience = models.CharField(
        _("who may register"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.MEMBERS_AND_TRIAL,
    )
    ask_dietary_needs = models.BooleanField(_("ask about dietary needs"), default=True)
    ask_accessibility_needs = models.BooleanField(_("ask about accessibility needs"), default=True)
    ask_joins_dinner = models.BooleanField(_("ask whether they join the dinner"), default=False)

    requires_approval = models.BooleanField(
        _("registrations need approval"),
        default=False,
        help_text=_(
            "Requests wait until staff approve them under Registrations; only approved "
            "requests take a seat."
        ),
    )
    waitlist_offers = models.BooleanField(
        _("timed offers from the waitlist"),
        default=False,
        help_text=_(
            "When a seat becomes free, the first person on the waitlist is offered it for a "
            "limited time instead of getting it at once."
        ),
    )
    # Empty means the default (48 hours), so a form without the field still saves.
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept an offer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
        help_text=_(
            "48 hours when left empty. Shorter close to the meeting: an offer never runs past "
            "the day before it."
        ),
    )

    materials_audience = models.CharField(
        _("materials are visible to"),
        max_length=20,
        choices=MaterialsAudience.choices,
        default=MaterialsAudience.MEMBERS,
    )

    objects = MeetingPageManager()

    content_panels = [
        *Page.content_panels,
        RegistrationSummaryPanel(heading=_("Registrations")),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("venue"),
                FieldPanel("status"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("lead"),
        FieldPanel("practical_information"),
        FieldPanel("programme"),
        *PageMetadataMixin.metadata_panels,
    ]
    registration_panels = [
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("capacity"),
                        FieldPanel("seats_per_organisation"),
                        FieldPanel("trial_places"),
                    ]
                ),
            ],
            heading=_("Limits"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("requires_approval"),
                FieldPanel("waitlist_offers"),
                FieldPanel("offer_hours"),
            ],
            heading=_("Approval and waitlist"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("ask_dietary_needs"),
                FieldPanel("ask_accessibility_needs"),
                FieldPanel("ask_joins_dinner"),
            ],
            heading=_("Questions on the registration form"),
        ),
    ]
    materials_panels = [
        FieldPanel("materials_audience"),
        InlinePanel("materials", heading=_("Materials"), label=_("Material")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(registration_panels, heading=_("Registration")),
            ObjectList(materials_panels, heading=_("Materials")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("programme"),
        index.FilterField("start"),
    ]

    parent_page_types = ["network.NetworkPage"]
    route_select_related = ("responsible_contact", "venue")
    subpage_types = []

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The meeting must end after it starts.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = _("Registration must close after it opens.")
        if self.registration_closes and self.end and self.registration_closes > self.end:
            errors["registration_closes"] = _("Registration must close before the meeting ends.")
        if self.capacity is not None and self.trial_places and self.trial_places > self.capacity:
            errors["trial_places"] = _("There cannot be more trial places than the capacity.")
        if self.capacity is not None and self.capacity == 0:
            errors["capacity"] = _("A meeting needs room for at least one participant.")
        if errors:
            raise ValidationError(errors)

    # --- Dates and state ---------------------------------------------------------------

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.start)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.end)

    @property
    def date(self) -> datetime.date:
        """The meeting's calendar date in Europe/Copenhagen (membership is per year)."""
        return self.local_start.date()

    @property
    def network(self):
        """The `network.NetworkPage` above this meeting."""
        from network.models import NetworkPage

        # A meeting's parent is its network (`parent_page_types`): routing to the page
        # has just read it (portal.models.PageMetadataMixin.route), so no query then.
        parent = getattr(self, "_cached_parent_obj", None)
        if isinstance(parent, NetworkPage):
            return parent
        return NetworkPage.objects.ancestor_of(self).first()

    @cached_property
    def cached_network(self):
        return self.network

    def is_past(self, now: datetime.datetime | None = None) -> bool:
        return self.end < (now or timezone.now())

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def registration_state(self, now: datetime.datetime | None = None) -> str:
        """One of "not_yet", "open", "closed", "unavailable" (cancelled/postponed)."""
        now = now or timezone.now()
        if self.status != self.Status.PLANNED:
            return "unavailable"
        if self.registration_opens and now < self.registration_opens:
            return "not_yet"
        closes = self.registration_closes or self.start
        if now >= closes:
            return "closed"
        return "open"

    def registration_is_open(self, now: datetime.datetime | None = None) -> bool:
        return self.registration_state(now) == "open"

    @property
    def allows_trial(self) -> bool:
        return self.trial_places > 0 and self.audience != self.Audience.MEMBERS

    @property
    def asks_questions(self) -> bool:
        return self.ask_dietary_needs or self.ask_accessibility_needs or self.ask_joins_dinner

    @property
    def register_url(self) -> str:
        return reverse("meetings:register", args=[self.pk])

    @property
    def trial_registration_url(self) -> str:
        """Where the network app's trial offer sends people (see `network.hooks`)."""
        return f"{self.register_url}?proeve=1"

    @property
    def ics_url(self) -> str:
        return reverse("meetings:meeting_ics", args=[self.pk])

    # --- Counts ------------------------------------------------------------------------

    def registration_summary(self) -> dict:
        """Confirmed / capacity / waitlist / trial used, in one query."""
        counts = self.registrations.aggregate(
            confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
            pending=Count("pk", filter=Q(status=Registration.Status.PENDING)),
            offered=Count("pk", filter=Q(status=Registration.Status.OFFERED)),
            trial=Count(
                "pk",
                filter=Q(status__in=Registration.SEAT_STATUSES, kind=Registration.Kind.TRIAL),
            ),
            attended=Count("pk", filter=Q(attended_at__isnull=False)),
        )
        return {
            **counts,
            "capacity": self.capacity,
            "trial_places": self.trial_places,
            # A held offer keeps its seat until it is accepted, declined or runs out.
            "free": max(self.capacity - counts["confirmed"] - counts["offered"], 0),
        }

    # --- Page --------------------------------------------------------------------------

    def get_context(self, request, *args, **kwargs):
        from django.utils.safestring import mark_safe

        from . import services

        context = super().get_context(request, *args, **kwargs)
        kept = self._kept_parts(request)
        context["meeting_head"] = mark_safe(kept["head"])  # noqa: S308 (our own rendered templates)
        context["meeting_tail"] = mark_safe(kept["tail"])  # noqa: S308
        context.update(
            services.meeting_page_context(
                meeting=self, user=request.user, materials=kept["materials"]
            )
        )
        return context

    def _kept_parts(self, request) -> dict:
        """What the page shows the same to every visitor at any time (the facts, the
        programme, the practical information, the list of materials), kept in the tree
        cache: obsolete when a page, a venue or the site changes (`portal.tree_cache`).
        The registration box, the seats left and the access to the materials are the
        visitor's and the moment's, and built on every request. A preview shows the
        draft, so it is built each time and never kept."""
        import hashlib

        from django.template.loader import render_to_string
        from django.utils.translation import get_language

        from portal import tree_cache

        def build() -> dict:
            context = {"page": self, "request": request}
            materials = list(self.materials.all())
            for material in materials:  # kept without a copy of the page
                material._state.fields_cache.pop("meeting", None)
            return {
                "head": render_to_string("meetings/includes/meeting_head.html", context, request),
                "tail": render_to_string("meetings/includes/meeting_tail.html", context, request),
                "materials": materials,
            }

        if getattr(request, "is_preview", False) or not self.live or self.pk is None:
            return build()
        digest = hashlib.sha256(
            f"{get_language() or ''}\n{request.get_host()}".encode()
        ).hexdigest()[:32]
        return tree_cache.cached(f"meetings:page:{self.pk}:{digest}", build)


def _material_access(user, material) -> bool:
    from .access import can_open_material

    return can_open_material(user, material)


class MeetingMaterial(Orderable):
    """Slides, minutes and the like, attached after the meeting. Stored under a random
    name and served only through the permission-checked view (`meetings.views.material`),
    never by a plain media URL."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        MINUTES = "minutes", _("Minutes")
        OTHER = "other", _("Other")

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SLIDES)
    file = private_files.PrivateFileField(
        _("file"),
        storage=private_storage,
        folder="materials",
        rule=private_files.MATERIALS,
        access=_material_access,
        url_name="meetings:material",
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True, editable=False)
    file_type = models.CharField(_("file type"), max_length=100, blank=True, editable=False)
    file_size = models.PositiveIntegerField(_("file size"), null=True, editable=False)

    panels = [FieldPanel("title"), FieldPanel("kind"), FieldPanel("file")]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:material", args=[self.pk])

    @property
    def filename(self) -> str:
        """The uploader's file name (older uploads: the stored one)."""
        return self.file_name or (self.file.name.rsplit("/", 1)[-1] if self.file else "")

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""

    @property
    def size(self) -> int | None:
        """Bytes; older uploads have no recorded size, so ask the storage."""
        if self.file_size is not None:
            return self.file_size
        try:
            return self.file.size if self.file else None
        except (OSError, ValueError):
            return None


# --- Registration ----------------------------------------------------------------------


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        """Confirmed or waitlisted: the ones that hold or wait for a seat."""
        return self.filter(status__in=Registration.ACTIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED)

    def pending(self):
        return self.filter(status=Registration.Status.PENDING)

    def offered(self):
        return self.filter(status=Registration.Status.OFFERED)

    def waitlist_order(self):
        return self.waitlisted().order_by("created_at", "pk")

    def upcoming(self, now: datetime.datetime | None = None):
        return self.filter(meeting__end__gte=now or timezone.now()).order_by("meeting__start", "pk")

    def past(self, now: datetime.datetime | None = None):
        return self.filter(meeting__end__lt=now or timezone.now()).order_by(
            "-meeting__start", "-pk"
        )

    def for_listing(self):
        # The meetings' programme and practical information are long and no list shows
        # them: left in the database.
        return self.select_related("meeting", "meeting__venue", "person", "organisation").defer(
            "meeting__programme", "meeting__practical_information"
        )


class Registration(models.Model):
    """A person's request for a seat at a meeting: confirmed or waitlisted, never dropped."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")
        # The meeting needs approval: waits for staff, takes no seat.
        PENDING = "pending", _("Awaiting approval")
        # Timed waitlist offers: a seat held for this person until `offer_expires_at`.
        OFFERED = "offered", _("Offered a seat")
        DECLINED = "declined", _("Declined")

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        TRIAL = "trial", _("Trial")
        GUEST = "guest", _("Guest")

    class WaitlistReason(models.TextChoices):
        CAPACITY = "capacity", _("The meeting is full.")
        ORGANISATION_SEATS = (
            "organisation_seats",
            _("Your organisation has used all its seats at this meeting."),
        )
        TRIAL_PLACES = "trial_places", _("All trial places at this meeting are taken.")

    # Holding, waiting for or offered a seat: one of these per person and meeting.
    ACTIVE_STATUSES = (Status.CONFIRMED, Status.WAITLISTED, Status.PENDING, Status.OFFERED)
    # Counted against the capacity, the seats per organisation and the trial places.
    SEAT_STATUSES = (Status.CONFIRMED, Status.OFFERED)

    meeting = models.ForeignKey(
        MeetingPage,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    # Empty once anonymised (account deleted, or the retention period passed): the row
    # stays so seat counts and attendance figures stay right.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_registrations",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEMBER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    waitlist_reason = models.CharField(
        _("why waitlisted"), max_length=30, choices=WaitlistReason.choices, blank=True
    )
    dietary_needs = models.CharField(_("dietary needs"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    joins_dinner = models.BooleanField(_("joins the dinner"), null=True, blank=True)

    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("moved from the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Approval (meetings that require it): who decided, when, and the reason given.
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Timed waitlist offers: the seat is held for the person until then.
    offered_at = models.DateTimeField(_("offered a seat"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer runs out"), null=True, blank=True)
    # Send a colleague instead: the registration whose seat this one took over.
    substitute_for = models.OneToOneField(
        "self",
        verbose_name=_("took over the seat of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="substituted_by",
    )
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at", "pk"]
        constraints = [
            # One active registration per person per meeting; cancelled ones stay as history.
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(status__in=["confirmed", "waitlisted", "pending", "offered"]),
                name="meetings_one_active_registration_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="waitlisted") | Q(waitlist_reason=""),
                name="meetings_waitlist_reason_only_when_waitlisted",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status"], name="meetings_reg_meeting_status")]

    def __str__(self):
        person = self.person if self.person_id else _("Anonymised participant")
        return f"{person}, {self.meeting} ({self.get_status_display()})"

    @property
    def participant_name(self) -> str:
        """The person's name (or e-mail), or "anonymised participant" once anonymised."""
        if self.person_id is None:
            return str(_("Anonymised participant"))
        return self.person.get_full_name() or self.person.email

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_offered(self) -> bool:
        return self.status == self.Status.OFFERED

    @property
    def holds_seat(self) -> bool:
        return self.status in self.SEAT_STATUSES

    @property
    def attended(self) -> bool:
        return self.attended_at is not None

    @property
    def reason_text(self) -> str:
        """Why the request waits, in the reader's language."""
        return str(self.WaitlistReason(self.waitlist_reason).label) if self.waitlist_reason else ""

    def can_be_cancelled_by(self, user) -> bool:
        from .access import can_cancel_registration

        return self.is_active and can_cancel_registration(user, self)

    @property
    def joins_dinner_text(self) -> str:
        if self.joins_dinner is None:
            return ""
        return str(_("yes") if self.joins_dinner else _("no"))

    @property
    def attended_text(self) -> str:
        return str(_("yes")) if self.attended_at else ""

    def answers_text(self, *, limit: int | None = None) -> str:
        """The answers on one line; `limit` shortens each free-text answer (with "…") for
        the admin listing, while the participant list and the exports keep them whole."""

        def shorten(text: str) -> str:
            return Truncator(text).chars(limit) if limit else text

        parts = []
        if self.dietary_needs:
            parts.append(f"{_('Dietary needs')}: {shorten(self.dietary_needs)}")
        if self.accessibility_needs:
            parts.append(f"{_('Accessibility needs')}: {shorten(self.accessibility_needs)}")
        if self.joins_dinner is not None:
            parts.append(f"{_('Dinner')}: {_('yes') if self.joins_dinner else _('no')}")
        return "; ".join(parts)


# The evaluation after a meeting, change notices and staff's messages live in their own
# modules (meetings.evaluation, meetings.notices, meetings.messages); imported here so
# Django finds them.
from .evaluation_models import (  # noqa: E402, F401
    EvaluationAnswer,
    EvaluationInvitation,
    EvaluationSummary,
)
from .notice_models import MeetingChangeState, Message, MessageRecipient  # noqa: E402, F401
