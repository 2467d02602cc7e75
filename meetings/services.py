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
from network.models import Membership, Organisation
from portal import audit, formats

from . import audit_actions
from .access import (
    can_answer_offer,
    can_cancel_registration,
    can_decide_registration,
    can_manage_registrations,
    can_send_colleague,
    material_access,
)
from .models import DEFAULT_OFFER_HOURS, MeetingPage, Registration

logger = logging.getLogger(__name__)

REMINDER_LEAD_TIME = datetime.timedelta(days=2)
# Timed waitlist offers: never shorter than this, even on the meeting's own day.
MIN_OFFER_TIME = datetime.timedelta(hours=2)
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
    return Organisation.objects.verified_for(person).filter(pk=organisation.pk).exists()


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
            % {"date": formats.date_time(meeting.registration_opens)},
            code="not_open",
        )
    if state == "closed":
        raise ValidationError(_("Registration for this meeting has closed."), code="closed")


def _decide_kind(*, meeting: MeetingPage, person, organisation, trial: bool) -> str:
    """Member, trial or guest, by the meeting's audience; raises when none applies."""
    network = meeting.cached_network
    audience = meeting.audience
    member_orgs = (
        Organisation.objects.verified_for(person).members_of(network, on=meeting.date)
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
        Membership.objects.giving_access_on(meeting.date)
        .for_network(network)
        .filter(seats_per_meeting__isnull=False)
        .values_list("organisation_id", "seats_per_meeting")
    )


class _Seats:
    """Taken seats of a locked meeting (confirmed, and held by a timed offer), kept up to
    date while promoting. Requests awaiting approval and the waitlist take none."""

    def __init__(self, meeting: MeetingPage):
        self.meeting = meeting
        self.organisation_limits = organisation_seat_limits(meeting)
        confirmed = Registration.objects.filter(
            meeting=meeting, status__in=Registration.SEAT_STATUSES
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
            # Staff registering someone by hand have made the decision themselves.
            needs_approval = locked.requires_approval and not can_manage_registrations(
                registered_by
            )
            reason = (
                ""
                if needs_approval
                else _Seats(locked).reason_to_wait(
                    organisation_id=organisation.pk if organisation else None, kind=kind
                )
            )
            if kind == Registration.Kind.TRIAL:
                network_services.use_trial(
                    organisation=organisation,
                    network=locked.cached_network,
                    meeting=locked,
                    meeting_date=locked.date,
                    person=person,
                )
            if needs_approval:
                status = Registration.Status.PENDING
            elif reason:
                status = Registration.Status.WAITLISTED
            else:
                status = Registration.Status.CONFIRMED
            registration = Registration.objects.create(
                meeting=locked,
                person=person,
                organisation=organisation,
                registered_by=registered_by,
                kind=kind,
                status=status,
                waitlist_reason=reason,
                created_at=now,
                confirmed_at=now if status == Registration.Status.CONFIRMED else None,
                **_clean_answers(locked, answers),
            )
            audit.record(
                registration,
                {
                    Registration.Status.PENDING: audit_actions.REGISTRATION_REQUESTED,
                    Registration.Status.WAITLISTED: audit_actions.REGISTRATION_WAITLISTED,
                    Registration.Status.CONFIRMED: audit_actions.REGISTRATION_CONFIRMED,
                }[status],
                by=registered_by,
                data={"kind": kind, "reason": reason} if reason else {"kind": kind},
            )
            _send_on_commit(registration, str(status))
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


def offer_deadline(meeting: MeetingPage, now: datetime.datetime) -> datetime.datetime:
    """When a timed offer made `now` runs out: after the meeting's `offer_hours` (48 by
    default), but never past the end of the day before the meeting (midnight, Danish
    time), so the coordinator knows who comes the day before. Closer than that (on the
    meeting's day, or less than `MIN_OFFER_TIME` before that midnight) an offer still
    gets `MIN_OFFER_TIME`, but never past the meeting's start."""
    day_before_ends = datetime.datetime.combine(
        meeting.date, datetime.time(0), tzinfo=timezone.get_current_timezone()
    )
    hours = meeting.offer_hours or DEFAULT_OFFER_HOURS
    deadline = min(now + datetime.timedelta(hours=hours), day_before_ends)
    if deadline < now + MIN_OFFER_TIME:
        deadline = min(now + MIN_OFFER_TIME, meeting.start)
    return deadline


def fill_from_waitlist(
    *, meeting: MeetingPage, now: datetime.datetime | None = None
) -> list[Registration]:
    """Give free seats to waitlisted requests, earliest first, as far as the limits
    allow: confirmed at once, or (a meeting with timed offers) offered until
    `offer_deadline`, holding the seat meanwhile.

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
        deadline = offer_deadline(locked, now) if locked.waitlist_offers else None
        for waiting in Registration.objects.filter(meeting=locked).waitlist_order():
            if seats.total >= locked.capacity:
                break
            if seats.reason_to_wait(organisation_id=waiting.organisation_id, kind=waiting.kind):
                continue
            seats.take(organisation_id=waiting.organisation_id, kind=waiting.kind)
            if deadline is not None and deadline > now:
                waiting.status = Registration.Status.OFFERED
                waiting.waitlist_reason = ""
                waiting.offered_at = now
                waiting.offer_expires_at = deadline
                waiting.save(
                    update_fields=["status", "waitlist_reason", "offered_at", "offer_expires_at"]
                )
                audit.record(
                    waiting,
                    audit_actions.REGISTRATION_OFFERED,
                    by=None,
                    data={"expires": deadline.isoformat()},
                )
                _send_on_commit(waiting, "offered")
                promoted.append(waiting)
                continue
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
            held_seat = current.holds_seat
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
            if held_seat:
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


def _busy_on_lock_timeout(function):
    """`RegistrationBusy` (a friendly "try again") when the meeting stayed locked."""

    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except OperationalError as error:
            if _is_lock_timeout(error):
                raise RegistrationBusy() from error
            raise

    wrapper.__doc__ = function.__doc__
    wrapper.__name__ = function.__name__
    return wrapper


# --- Approval --------------------------------------------------------------------------


@_busy_on_lock_timeout
def decide(
    *,
    registration: Registration,
    approve: bool,
    decided_by,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Approve or decline a request awaiting approval. An approved request takes a seat
    when every limit allows it (under the meeting's lock, as `register` does) and waits
    on the waitlist otherwise; a declined one takes nothing and gives back a trial. The
    person is told by e-mail either way, with the reason when one is given. A request
    decided already is left as it is (`ValidationError`, code "decided")."""
    now = now or timezone.now()
    if not can_decide_registration(decided_by, registration):
        raise PermissionDenied
    reason = (reason or "").strip()[:500]
    with transaction.atomic():
        locked = _lock_meeting(registration.meeting)
        current = Registration.objects.select_related("organisation").get(pk=registration.pk)
        if not current.is_pending:
            raise ValidationError(
                _("The request of %(name)s has been decided already: %(status)s.")
                % {"name": current.person, "status": current.get_status_display().lower()},
                code="decided",
            )
        current.decided_at = now
        current.decided_by = decided_by
        current.decision_reason = reason
        if approve:
            if locked.is_past(now):
                raise ValidationError(
                    _("The meeting has taken place; the request can no longer be approved."),
                    code="past",
                )
            wait = _Seats(locked).reason_to_wait(
                organisation_id=current.organisation_id, kind=current.kind
            )
            current.status = (
                Registration.Status.WAITLISTED if wait else Registration.Status.CONFIRMED
            )
            current.waitlist_reason = wait
            current.confirmed_at = None if wait else now
            event = "approved"
        else:
            current.status = Registration.Status.DECLINED
            current.waitlist_reason = ""
            event = "declined"
            if current.kind == Registration.Kind.TRIAL and current.organisation_id:
                network_services.release_trial(
                    organisation=current.organisation, network=locked.cached_network
                )
        current.save(
            update_fields=[
                "status",
                "waitlist_reason",
                "confirmed_at",
                "decided_at",
                "decided_by",
                "decision_reason",
            ]
        )
        data = {"reason": reason} if reason else {}
        if approve and current.waitlist_reason:
            data["waitlisted"] = current.waitlist_reason
        audit.record(
            current,
            audit_actions.REGISTRATION_APPROVED if approve else audit_actions.REGISTRATION_DECLINED,
            by=decided_by,
            data=data,
        )
        _send_on_commit(current, event)
    return current


def decide_many(*, registrations, approve: bool, decided_by, reason: str = "", now=None) -> int:
    """The bulk action: decide each request still awaiting approval, earliest first (so
    the seats go in the order people asked); returns how many were decided."""
    count = 0
    for registration in sorted(registrations, key=lambda r: (r.created_at, r.pk)):
        if not registration.is_pending:
            continue
        try:
            decide(
                registration=registration,
                approve=approve,
                decided_by=decided_by,
                reason=reason,
                now=now,
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "decided":
                continue  # someone else was quicker
            raise
        count += 1
    return count


# --- Timed waitlist offers -------------------------------------------------------------


def _expire(current: Registration, now: datetime.datetime) -> None:
    current.status = Registration.Status.CANCELLED
    current.cancelled_at = now
    current.cancelled_by = None
    current.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    audit.record(current, audit_actions.REGISTRATION_OFFER_EXPIRED, by=None)
    _send_on_commit(current, "offer_expired")


@_busy_on_lock_timeout
def accept_offer(
    *, registration: Registration, accepted_by, now: datetime.datetime | None = None
) -> Registration:
    """The person takes the seat offered to them. Returns the registration with
    `outcome`: "accepted", "expired" (the time ran out: the offer moves on now, if the
    scheduled run has not moved it already) or "gone" (accepted, declined or moved on
    before)."""
    now = now or timezone.now()
    if not can_answer_offer(accepted_by, registration):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock_meeting(registration.meeting)
        current = Registration.objects.get(pk=registration.pk)
        if not current.is_offered:
            current.outcome = "gone"
            return current
        if now >= current.offer_expires_at or locked.is_past(now):
            _expire(current, now)
            fill_from_waitlist(meeting=locked, now=now)
            current.outcome = "expired"
            return current
        current.status = Registration.Status.CONFIRMED
        current.confirmed_at = now
        current.promoted_at = now
        current.save(update_fields=["status", "confirmed_at", "promoted_at"])
        audit.record(current, audit_actions.REGISTRATION_OFFER_ACCEPTED, by=accepted_by)
        _send_on_commit(current, "promoted")
    current.outcome = "accepted"
    return current


def decline_offer(
    *, registration: Registration, declined_by, now: datetime.datetime | None = None
) -> Registration:
    """The person does not want the seat: their registration is cancelled and the seat
    is offered to the next person. Returns it with `outcome` "declined" or "gone"."""
    if not can_answer_offer(declined_by, registration):
        raise PermissionDenied
    current = Registration.objects.get(pk=registration.pk)
    if not current.is_offered:
        current.outcome = "gone"
        return current
    current = cancel(registration=current, cancelled_by=declined_by, now=now)
    current.outcome = "declined" if current.status == Registration.Status.CANCELLED else "gone"
    return current


def expire_offers(*, now: datetime.datetime | None = None) -> int:
    """The scheduled run: offers whose time has run out are withdrawn (the person is
    told by e-mail) and the seat is offered to the next person the limits allow. Safe
    to run twice at once: each meeting is handled under its lock, and an offer that is
    no longer open is skipped. Returns how many offers ran out."""
    now = now or timezone.now()
    expired = 0
    meeting_ids = (
        Registration.objects.filter(status=Registration.Status.OFFERED, offer_expires_at__lte=now)
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    for meeting_id in list(meeting_ids):
        try:
            with transaction.atomic():
                locked = _lock_meeting(MeetingPage(pk=meeting_id))
                for current in Registration.objects.filter(
                    meeting=locked, status=Registration.Status.OFFERED, offer_expires_at__lte=now
                ):
                    _expire(current, now)
                    expired += 1
                fill_from_waitlist(meeting=locked, now=now)
        except OperationalError as error:
            if not _is_lock_timeout(error):
                raise
            logger.warning("Offers of meeting %s wait for the next run (locked)", meeting_id)
    return expired


# --- Send a colleague instead ----------------------------------------------------------


@_busy_on_lock_timeout
def send_colleague(
    *, registration: Registration, colleague, sent_by, now: datetime.datetime | None = None
) -> Registration:
    """Hand a confirmed seat to a colleague with a verified affiliation with the same
    organisation: the colleague gets a confirmed seat at once (no waitlist, no
    approval), of the same kind and for the same organisation, so every limit stays as
    it was; the participant's registration is cancelled without passing the seat on.
    A waitlisted or pending request the colleague had is replaced. Both are told by
    e-mail (the colleague with the calendar file). Returns the colleague's registration."""
    now = now or timezone.now()
    if not can_send_colleague(sent_by, registration):
        raise PermissionDenied
    with transaction.atomic():
        locked = _lock_meeting(registration.meeting)
        current = Registration.objects.select_related("organisation", "person").get(
            pk=registration.pk
        )
        if not current.is_confirmed:
            raise ValidationError(
                _("Only a confirmed seat can be handed to a colleague."), code="not_confirmed"
            )
        if locked.status != MeetingPage.Status.PLANNED or locked.is_past(now):
            raise ValidationError(
                _("The seat can no longer be handed on: the meeting is %(status)s.")
                % {
                    "status": _("over")
                    if locked.is_past(now)
                    else locked.get_status_display().lower()
                },
                code="unavailable",
            )
        if current.organisation_id is None:
            raise ValidationError(
                _("A seat without an organisation cannot be handed on."), code="no_org"
            )
        if colleague is None or colleague.pk == current.person_id:
            raise ValidationError(_("Choose a colleague."), code="no_colleague")
        if not _is_verified_in(colleague, current.organisation):
            raise ValidationError(
                _("%(person)s is not a verified member of staff at %(organisation)s.")
                % {"person": colleague, "organisation": current.organisation},
                code="not_affiliated",
            )
        theirs = Registration.objects.active().filter(meeting=locked, person=colleague).first()
        if theirs is not None and theirs.holds_seat:
            raise ValidationError(
                _("%(person)s already has a seat at this meeting.") % {"person": colleague},
                code="has_seat",
            )
        if theirs is not None:
            theirs.status = Registration.Status.CANCELLED
            theirs.waitlist_reason = ""
            theirs.cancelled_at = now
            theirs.cancelled_by = sent_by
            theirs.save(update_fields=["status", "waitlist_reason", "cancelled_at", "cancelled_by"])
            audit.record(
                theirs,
                audit_actions.REGISTRATION_CANCELLED,
                by=sent_by,
                data={"replaced_by_seat_of": current.pk},
            )
        current.status = Registration.Status.CANCELLED
        current.cancelled_at = now
        current.cancelled_by = sent_by
        current.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        successor = Registration.objects.create(
            meeting=locked,
            person=colleague,
            organisation=current.organisation,
            registered_by=sent_by,
            kind=current.kind,
            status=Registration.Status.CONFIRMED,
            created_at=now,
            confirmed_at=now,
            substitute_for=current,
        )
        audit.record(
            current,
            audit_actions.REGISTRATION_HANDED_OVER,
            by=sent_by,
            data={"to_registration": successor.pk},
        )
        audit.record(
            successor,
            audit_actions.REGISTRATION_TAKEN_OVER,
            by=sent_by,
            data={"from_registration": current.pk},
        )
        _send_on_commit(current, "handed_over")
        _send_on_commit(successor, "taken_over")
    return successor


def colleagues_to_send(registration: Registration):
    """Who can take over this seat: verified colleagues at the registration's
    organisation who hold no seat at the meeting, by name."""
    from django.contrib.auth import get_user_model

    from network.models import Affiliation

    if registration.organisation_id is None:
        return get_user_model().objects.none()
    seated = Registration.objects.filter(
        meeting_id=registration.meeting_id, status__in=Registration.SEAT_STATUSES
    ).values("person_id")
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            affiliations__organisation_id=registration.organisation_id,
            affiliations__status=Affiliation.Status.VERIFIED,
        )
        .exclude(pk=registration.person_id)
        .exclude(pk__in=seated)
        .distinct()
        .order_by("first_name", "last_name", "email")
    )


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
    # query (the membership rule as a subquery).
    members = Organisation.objects.members_of(network, on=meeting.date)
    organisations = list(
        Organisation.objects.verified_for(user).annotate(
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


# Renewed whenever a registration or a person is saved or deleted (`meetings.apps`): Min
# side's kept lists of meetings (`wagtail_hooks.my_registrations`) are then obsolete.
REGISTRATIONS_VERSION = "meetings:registrations:version"


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
