"""Registration rules: who may register, confirmed or waitlisted, cancel and promote,
check-in and reminders. Views, the Wagtail admin, commands and tests all call these.

Every function that counts seats and writes a registration runs in one transaction that
first locks the meeting row (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite every
transaction is `BEGIN IMMEDIATE`, which serialises writers). So two requests for the last
seat cannot both see it free. A PostgreSQL `lock_timeout` (set on the connection in
settings) or SQLite's busy timeout ends in `RegistrationBusy`, which views show as a
friendly "try again".
"""

import datetime
import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from network import services as network_services
from network.models import Membership
from portal import audit

from . import audit_actions
from .access import can_cancel_registration, can_manage_registrations, material_access
from .models import MeetingPage, Registration

logger = logging.getLogger(__name__)

REMINDER_LEAD_TIME = datetime.timedelta(days=2)
ANSWER_FIELDS = ("dietary_needs", "accessibility_needs", "joins_dinner")


class RegistrationBusy(ValidationError):
    """Another registration held the meeting's lock for too long; ask to try again."""

    def __init__(self):
        super().__init__(
            _("Many people are registering right now. Please try again in a moment."),
            code="busy",
        )


def _is_lock_timeout(error: OperationalError) -> bool:
    cause = error.__cause__
    # PostgreSQL: lock_not_available (55P03) from lock_timeout; SQLite: the busy timeout ran out.
    if getattr(cause, "sqlstate", None) == "55P03":
        return True
    return "database is locked" in str(error)


def _lock_meeting(meeting: MeetingPage) -> MeetingPage:
    """Lock the meeting row for the rest of the transaction and return it fresh (the
    editor may have changed the limits)."""
    return MeetingPage.objects.select_for_update().get(pk=meeting.pk)


def _clean_answers(meeting: MeetingPage, answers: Mapping[str, Any] | None) -> dict:
    """Keep the answers to the questions this meeting asks, nothing else."""
    answers = answers or {}
    cleaned = {"dietary_needs": "", "accessibility_needs": "", "joins_dinner": None}
    if meeting.ask_dietary_needs:
        cleaned["dietary_needs"] = str(answers.get("dietary_needs") or "").strip()[:300]
    if meeting.ask_accessibility_needs:
        cleaned["accessibility_needs"] = str(answers.get("accessibility_needs") or "").strip()[:300]
    if meeting.ask_joins_dinner and answers.get("joins_dinner") is not None:
        cleaned["joins_dinner"] = bool(answers["joins_dinner"])
    return cleaned


def _is_verified_in(person, organisation) -> bool:
    return network_services.verified_organisations(person).filter(pk=organisation.pk).exists()


def _check_who_registers_whom(*, person, organisation, registered_by) -> None:
    """A person registers themselves, or a colleague from the same organisation;
    coordinators (who manage registrations) may register anyone."""
    if organisation is not None and not _is_verified_in(person, organisation):
        raise ValidationError(
            _("%(person)s is not a verified member of staff at %(organisation)s.")
            % {"person": person, "organisation": organisation},
            code="not_affiliated",
        )
    if (
        registered_by is None
        or registered_by.pk == person.pk
        or can_manage_registrations(registered_by)
    ):
        return
    if organisation is None or not _is_verified_in(registered_by, organisation):
        raise ValidationError(
            _("You can only register colleagues from your own organisation."),
            code="not_colleague",
        )


def _check_window(meeting: MeetingPage, now: datetime.datetime) -> None:
    state = meeting.registration_state(now)
    if state == "unavailable":
        raise ValidationError(
            _("This meeting is %(status)s; registration is not possible.")
            % {"status": meeting.get_status_display().lower()},
            code="unavailable",
        )
    if state == "not_yet":
        raise ValidationError(
            _("Registration opens %(date)s.")
            % {"date": timezone.localtime(meeting.registration_opens).strftime("%d.%m.%Y %H:%M")},
            code="not_open",
        )
    if state == "closed":
        raise ValidationError(_("Registration for this meeting has closed."), code="closed")


def _decide_kind(*, meeting: MeetingPage, person, organisation, trial: bool) -> str:
    """Member, trial or guest, by the meeting's audience; raises when none applies."""
    network = meeting.cached_network
    audience = meeting.audience
    member_orgs = (
        network_services.member_organisations(person=person, network=network, on=meeting.date)
        if network is not None
        else []
    )
    is_member_here = organisation is not None and organisation in member_orgs

    if trial:
        if not meeting.allows_trial:
            raise ValidationError(_("This meeting has no trial places."), code="no_trial")
        if organisation is None:
            raise ValidationError(
                _("Choose the organisation whose free trial you want to use."), code="no_org"
            )
        if is_member_here:
            raise ValidationError(
                _("%(organisation)s is a member of the network; register as a member instead.")
                % {"organisation": organisation},
                code="member_trial",
            )
        if not network_services.trial_available(
            organisation=organisation, network=network, on=meeting.date
        ):
            raise ValidationError(
                _("%(organisation)s has already used its free trial in this network.")
                % {"organisation": organisation},
                code="trial_used",
            )
        return Registration.Kind.TRIAL

    if is_member_here:
        return Registration.Kind.MEMBER
    if audience == MeetingPage.Audience.OPEN:
        return Registration.Kind.GUEST
    if organisation is not None and member_orgs:
        raise ValidationError(
            _("%(organisation)s is not a member of the network.") % {"organisation": organisation},
            code="not_member",
        )
    if audience == MeetingPage.Audience.MEMBERS_AND_TRIAL and meeting.trial_places:
        raise ValidationError(
            _(
                "This meeting is for members of the network. Sign your organisation up, or "
                "use your organisation's free trial."
            ),
            code="not_member",
        )
    raise ValidationError(
        _("This meeting is for members of the network. Sign your organisation up to take part."),
        code="not_member",
    )


def organisation_seat_limits(meeting: MeetingPage) -> dict[int, int]:
    """Organisations whose membership of the meeting's network (active in the meeting's
    year) sets its own seats per meeting, mapped to that number. Every other organisation
    gets the meeting's `seats_per_organisation`."""
    network = meeting.cached_network
    if network is None:
        return {}
    return dict(
        Membership.objects.active(on=meeting.date)
        .for_network(network)
        .filter(seats_per_meeting__isnull=False)
        .values_list("organisation_id", "seats_per_meeting")
    )


class _Seats:
    """Confirmed seats of a locked meeting, kept up to date while promoting."""

    def __init__(self, meeting: MeetingPage):
        self.meeting = meeting
        self.organisation_limits = organisation_seat_limits(meeting)
        confirmed = Registration.objects.filter(
            meeting=meeting, status=Registration.Status.CONFIRMED
        )
        self.total = 0
        self.trial = 0
        self.per_organisation: Counter = Counter()
        for row in confirmed.values("organisation_id", "kind").annotate(n=Count("pk")):
            self.total += row["n"]
            if row["organisation_id"] is not None:
                self.per_organisation[row["organisation_id"]] += row["n"]
            if row["kind"] == Registration.Kind.TRIAL:
                self.trial += row["n"]

    def organisation_limit(self, organisation_id: int) -> int:
        """The membership's own seats per meeting when set, the meeting's otherwise."""
        return self.organisation_limits.get(organisation_id, self.meeting.seats_per_organisation)

    def reason_to_wait(self, *, organisation_id: int | None, kind: str) -> str:
        """The first limit that stops a confirmation, or "" when every limit allows it."""
        if self.total >= self.meeting.capacity:
            return Registration.WaitlistReason.CAPACITY
        if organisation_id is not None and self.per_organisation[
            organisation_id
        ] >= self.organisation_limit(organisation_id):
            return Registration.WaitlistReason.ORGANISATION_SEATS
        if kind == Registration.Kind.TRIAL and self.trial >= self.meeting.trial_places:
            return Registration.WaitlistReason.TRIAL_PLACES
        return ""

    def take(self, *, organisation_id: int | None, kind: str) -> None:
        self.total += 1
        if organisation_id is not None:
            self.per_organisation[organisation_id] += 1
        if kind == Registration.Kind.TRIAL:
            self.trial += 1


def _send_on_commit(registration: Registration, event: str) -> None:
    """Render and queue the e-mail once the registration is committed: not inside the
    transaction, which holds the meeting's lock. `robust`: a failure is logged, never
    turned into an error page for a registration that has been saved."""
    from .emails import queue_registration_email

    pk = registration.pk
    transaction.on_commit(lambda: queue_registration_email(pk, event), robust=True)


def register(
    *,
    meeting: MeetingPage,
    person,
    organisation=None,
    registered_by=None,
    answers: Mapping[str, Any] | None = None,
    trial: bool = False,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register `person` for `meeting`: confirmed when every limit allows it, otherwise
    waitlisted with the reason. A second request for the same person returns the active
    registration unchanged (`registration.is_new` tells which).

    Raises `ValidationError` (translated) when the person may not register at all, and
    `RegistrationBusy` when the meeting stayed locked too long.
    """
    now = now or timezone.now()
    registered_by = registered_by or person
    _check_who_registers_whom(person=person, organisation=organisation, registered_by=registered_by)
    try:
        with transaction.atomic():
            locked = _lock_meeting(meeting)
            existing = Registration.objects.active().filter(meeting=locked, person=person).first()
            if existing is not None:
                existing.is_new = False
                return existing

            _check_window(locked, now)
            kind = _decide_kind(
                meeting=locked, person=person, organisation=organisation, trial=trial
            )
            reason = _Seats(locked).reason_to_wait(
                organisation_id=organisation.pk if organisation else None, kind=kind
            )
            if kind == Registration.Kind.TRIAL:
                network_services.use_trial(
                    organisation=organisation,
                    network=locked.cached_network,
                    meeting=locked,
                    meeting_date=locked.date,
                    person=person,
                )
            registration = Registration.objects.create(
                meeting=locked,
                person=person,
                organisation=organisation,
                registered_by=registered_by,
                kind=kind,
                status=Registration.Status.WAITLISTED if reason else Registration.Status.CONFIRMED,
                waitlist_reason=reason,
                created_at=now,
                confirmed_at=None if reason else now,
                **_clean_answers(locked, answers),
            )
            audit.record(
                registration,
                audit_actions.REGISTRATION_WAITLISTED
                if reason
                else audit_actions.REGISTRATION_CONFIRMED,
                by=registered_by,
                data={"kind": kind, "reason": reason} if reason else {"kind": kind},
            )
            _send_on_commit(registration, "waitlisted" if reason else "confirmed")
    except OperationalError as error:
        if _is_lock_timeout(error):
            logger.warning("Registration for meeting %s timed out waiting for the lock", meeting.pk)
            raise RegistrationBusy() from error
        raise
    except IntegrityError:
        # Only reachable if something registered this person outside the lock; the
        # unique constraint kept it to one, so hand back that one.
        existing = Registration.objects.active().filter(meeting=meeting, person=person).first()
        if existing is None:
            raise
        existing.is_new = False
        return existing
    registration.is_new = True
    return registration


def fill_from_waitlist(
    *, meeting: MeetingPage, now: datetime.datetime | None = None
) -> list[Registration]:
    """Confirm waitlisted requests, earliest first, as far as the limits allow.

    Call inside a transaction that holds the meeting's lock (as `cancel` does), or on its
    own after an editor raised the capacity.
    """
    now = now or timezone.now()
    promoted = []
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if locked.status != MeetingPage.Status.PLANNED or locked.is_past(now):
            return []
        seats = _Seats(locked)
        for waiting in Registration.objects.filter(meeting=locked).waitlist_order():
            if seats.total >= locked.capacity:
                break
            if seats.reason_to_wait(organisation_id=waiting.organisation_id, kind=waiting.kind):
                continue
            seats.take(organisation_id=waiting.organisation_id, kind=waiting.kind)
            waiting.status = Registration.Status.CONFIRMED
            waiting.waitlist_reason = ""
            waiting.confirmed_at = now
            waiting.promoted_at = now
            waiting.save(update_fields=["status", "waitlist_reason", "confirmed_at", "promoted_at"])
            audit.record(waiting, audit_actions.REGISTRATION_PROMOTED, by=None)
            _send_on_commit(waiting, "promoted")
            promoted.append(waiting)
    return promoted


def cancel(
    *, registration: Registration, cancelled_by, now: datetime.datetime | None = None
) -> Registration:
    """Cancel a registration; a freed seat goes to the earliest waitlisted request the
    limits allow, who is told by e-mail. Cancelling twice changes nothing."""
    now = now or timezone.now()
    if not can_cancel_registration(cancelled_by, registration):
        raise PermissionDenied
    try:
        with transaction.atomic():
            locked = _lock_meeting(registration.meeting)
            current = Registration.objects.get(pk=registration.pk)
            if not current.is_active:
                return current
            if locked.is_past(now):
                raise ValidationError(
                    _("The meeting has taken place; the registration can no longer be cancelled."),
                    code="past",
                )
            was_confirmed = current.is_confirmed
            current.status = Registration.Status.CANCELLED
            current.waitlist_reason = ""
            current.cancelled_at = now
            current.cancelled_by = cancelled_by
            current.save(
                update_fields=["status", "waitlist_reason", "cancelled_at", "cancelled_by"]
            )
            audit.record(
                current,
                audit_actions.REGISTRATION_CANCELLED,
                by=cancelled_by,
                data={"was_confirmed": was_confirmed},
            )
            if current.kind == Registration.Kind.TRIAL and current.organisation_id:
                # Not attended, so the organisation keeps its one free trial.
                network_services.release_trial(
                    organisation=current.organisation, network=locked.cached_network
                )
            _send_on_commit(current, "cancelled")
            if was_confirmed:
                fill_from_waitlist(meeting=locked, now=now)
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise RegistrationBusy() from error
        raise
    return current


def confirm_by_hand(
    *, registration: Registration, confirmed_by, now: datetime.datetime | None = None
) -> Registration:
    """An editor moves a waitlisted request to confirmed, even past the limits (the
    editor's decision; the summary shows if the meeting is now over capacity)."""
    now = now or timezone.now()
    if not can_manage_registrations(confirmed_by):
        raise PermissionDenied
    with transaction.atomic():
        _lock_meeting(registration.meeting)
        current = Registration.objects.get(pk=registration.pk)
        if not current.is_waitlisted:
            raise ValidationError(_("Only waitlisted registrations can be confirmed."))
        current.status = Registration.Status.CONFIRMED
        current.waitlist_reason = ""
        current.confirmed_at = now
        current.promoted_at = now
        current.save(update_fields=["status", "waitlist_reason", "confirmed_at", "promoted_at"])
        audit.record(
            current, audit_actions.REGISTRATION_PROMOTED, by=confirmed_by, data={"by_hand": True}
        )
        _send_on_commit(current, "promoted")
    return current


def check_in(
    *, registration: Registration, checked_in_by, attended: bool = True, now=None
) -> Registration:
    """Mark a confirmed participant as present (or undo it)."""
    if not can_manage_registrations(checked_in_by):
        raise PermissionDenied
    if attended and not registration.is_confirmed:
        raise ValidationError(_("Only confirmed participants can be checked in."))
    registration.attended_at = (now or timezone.now()) if attended else None
    registration.save(update_fields=["attended_at"])
    audit.record(
        registration,
        audit_actions.REGISTRATION_CHECKED_IN
        if attended
        else audit_actions.REGISTRATION_CHECK_IN_UNDONE,
        by=checked_in_by,
    )
    return registration


# --- Anonymising (account deletion, retention) -----------------------------------------


def anonymise_registrations(registrations, *, by=None, reason: str = "", now=None) -> int:
    """Remove the person from these registrations and keep the rows: status, kind,
    organisation, dates and attendance stay, so seat counts and attendance figures are
    unchanged. The free-text answers (dietary and accessibility needs) go; whether the
    person joined the dinner stays (a count). Already anonymised rows are skipped, so
    running it twice changes nothing. Returns how many were anonymised."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for registration in registrations.filter(anonymised_at__isnull=True).select_for_update(
            of=("self",)
        ):
            person = registration.person_id
            registration.person = None
            if registration.registered_by_id == person:
                registration.registered_by = None
            if registration.cancelled_by_id == person:
                registration.cancelled_by = None
            registration.dietary_needs = ""
            registration.accessibility_needs = ""
            registration.anonymised_at = now
            registration.save(
                update_fields=[
                    "person",
                    "registered_by",
                    "cancelled_by",
                    "dietary_needs",
                    "accessibility_needs",
                    "anonymised_at",
                ]
            )
            # Earlier entries on this registration carried the person's name in their label.
            ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Registration),
                object_id=str(registration.pk),
            ).update(label=str(registration)[:255])
            audit.record(
                registration,
                audit_actions.REGISTRATION_ANONYMISED,
                by=by,
                data={"reason": reason} if reason else {},
            )
            count += 1
    return count


def retention_cutoff(now=None) -> datetime.datetime:
    """Meetings that ended before this are old enough to anonymise their registrations
    (`settings.REGISTRATION_RETENTION_MONTHS`, 24 by default)."""
    months = getattr(settings, "REGISTRATION_RETENTION_MONTHS", 24)
    now = now or timezone.now()
    year, month = divmod(now.year * 12 + now.month - 1 - months, 12)
    month += 1
    # The same day of the month, or the month's last day (31 March - 1 month = 28/29 Feb).
    day = now.day
    while True:
        try:
            return now.replace(year=year, month=month, day=day)
        except ValueError:
            day -= 1


def anonymise_old_registrations(*, now=None) -> int:
    """Retention: anonymise the registrations of meetings that ended longer ago than the
    retention period. Idempotent."""
    now = now or timezone.now()
    old = Registration.objects.filter(meeting__end__lt=retention_cutoff(now))
    return anonymise_registrations(old, reason="retention", now=now)


# --- Reminders -------------------------------------------------------------------------


def due_reminders(*, now: datetime.datetime | None = None):
    """Confirmed registrations for live, planned meetings starting within two days that
    have not had their reminder."""
    now = now or timezone.now()
    return Registration.objects.confirmed().filter(
        reminder_sent_at__isnull=True,
        meeting__live=True,
        meeting__status=MeetingPage.Status.PLANNED,
        meeting__start__gt=now,
        meeting__start__lte=now + REMINDER_LEAD_TIME,
    )


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send each due reminder exactly once, also when two runs overlap: a reminder is
    claimed by setting `reminder_sent_at` where it is still empty, and only the run that
    claimed it sends it. A failed send clears the claim so the next run retries: at once
    if the e-mail cannot be queued, and through `tasks.give_back_reminder` if the e-mail
    pipeline finally gives up on it."""
    from .emails import queue_registration_email

    now = now or timezone.now()
    sent = 0
    for pk in list(due_reminders(now=now).values_list("pk", flat=True)):
        claimed = Registration.objects.filter(pk=pk, reminder_sent_at__isnull=True).update(
            reminder_sent_at=now
        )
        if not claimed:
            continue
        try:
            queue_registration_email(pk, "reminder")
        except Exception:
            Registration.objects.filter(pk=pk).update(reminder_sent_at=None)
            logger.exception("Reminder for registration %s failed; will retry", pk)
            continue
        sent += 1
    return sent


# --- Read side for pages ---------------------------------------------------------------


def registration_options(*, meeting: MeetingPage, user, now=None, lists_if_closed=True) -> dict:
    """What the meeting page offers this visitor: the registration state, the
    organisations they can register through as members or with a trial, and why not.
    The page passes `lists_if_closed=False`: with registration not open it shows no
    organisations, so none are looked up."""
    now = now or timezone.now()
    options = {
        "state": meeting.registration_state(now),
        "member_organisations": [],
        "trial_organisations": [],
        "can_register": False,
        "is_open_to_all": meeting.audience == MeetingPage.Audience.OPEN,
    }
    if not user.is_authenticated or meeting.cached_network is None:
        return options
    if not lists_if_closed and options["state"] != "open":
        return options
    network = meeting.cached_network
    # The person's organisations, each marked whether it is a member on the day, in one
    # query (the same rule as `member_organisations`, as a subquery).
    members = network_services.member_organisations(person=user, network=network, on=meeting.date)
    organisations = list(
        network_services.verified_organisations(user).annotate(
            is_member=Exists(members.filter(pk=OuterRef("pk")))
        )
    )
    member_orgs = [org for org in organisations if org.is_member]
    options["member_organisations"] = member_orgs
    if meeting.allows_trial:
        options["trial_organisations"] = [
            org
            for org in organisations
            if not org.is_member
            and network_services.trial_available(organisation=org, network=network, on=meeting.date)
        ]
    options["can_register"] = options["state"] == "open" and bool(
        member_orgs or options["trial_organisations"] or options["is_open_to_all"]
    )
    return options


def meeting_page_context(*, meeting: MeetingPage, user, materials=None) -> dict:
    """What the meeting page shows this visitor; `materials`, the meeting's materials
    when the caller has them already (the page keeps them, `MeetingPage._kept_parts`)."""
    context = {
        "summary": meeting.registration_summary(),
        "registration": None,
        "colleague_registrations": [],
        "options": registration_options(meeting=meeting, user=user, lists_if_closed=False),
        "materials": [],
        "materials_visible": False,
    }
    if user.is_authenticated:
        # Only the visitor's own and those they made for colleagues: in SQL, never the
        # meeting's whole list (a full meeting with a long waitlist has hundreds).
        mine = list(
            Registration.objects.active()
            .filter(meeting=meeting)
            .filter(Q(person=user) | Q(registered_by=user))
            .select_related("person", "organisation")
        )
        context["registration"] = next((r for r in mine if r.person_id == user.pk), None)
        context["colleague_registrations"] = [
            r for r in mine if r.registered_by_id == user.pk and r.person_id != user.pk
        ]
    if materials is None:
        materials = list(meeting.materials.all())
    if materials:
        decision = material_access(user, meeting)
        context["materials"] = materials if decision.allowed else []
        context["materials_visible"] = decision.allowed
        context["materials_denied_reason"] = decision.reason
    context["has_materials"] = bool(materials)
    return context


def _one_per_meeting(registrations):
    """The active registration of each meeting, or else only the latest cancelled one: a
    person who registered and cancelled three times sees one line, not four. In SQL, so
    the list can be paged."""
    shown = (
        Registration.objects.filter(person=OuterRef("person"), meeting=OuterRef("meeting"))
        .annotate(
            is_active=Case(
                When(status__in=Registration.ACTIVE_STATUSES, then=Value(1)), default=Value(0)
            ),
            changed_at=Coalesce("cancelled_at", "created_at"),
        )
        .order_by("-is_active", "-changed_at", "-pk")
        .values("pk")[:1]
    )
    return registrations.filter(pk=Subquery(shown))


def person_registrations(*, person, now=None) -> dict:
    """Min side: upcoming meetings (active registrations, and the latest cancelled one of
    a meeting with no active one, so a cancellation is visible), and past meetings the
    person held or waited for a seat at (cancelled ones are history and not shown).
    Querysets, soonest upcoming and latest past first, for the page to show a page of."""
    now = now or timezone.now()
    mine = Registration.objects.filter(person=person)
    return {
        "upcoming": _one_per_meeting(mine.for_listing().upcoming(now)),
        "past": mine.active().for_listing().past(now),
        "colleagues": (
            Registration.objects.active()
            .filter(registered_by=person)
            .exclude(person=person)
            .for_listing()
            .upcoming(now)
        ),
    }


def list_counts(*, person, lists: dict) -> dict[str, int]:
    """How many rows each of `person_registrations(person=...)`' lists holds, in one
    query: each list's own queryset as a subquery (so the rules stay theirs), counted
    among the person's registrations and those they made for colleagues."""
    counted = Registration.objects.filter(Q(person=person) | Q(registered_by=person)).aggregate(
        **{
            name: Count("pk", filter=Q(pk__in=queryset.order_by().values("pk")))
            for name, queryset in lists.items()
        }
    )
    return {name: counted[name] or 0 for name in lists}


def summary_counts(meetings) -> dict[int, dict]:
    """Confirmed and waitlisted per meeting for a list of meetings, in one query."""
    rows = (
        Registration.objects.filter(meeting__in=meetings)
        .values("meeting_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        )
    )
    return {row["meeting_id"]: row for row in rows}
