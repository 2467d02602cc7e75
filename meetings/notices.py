"""Change notices: telling registrants what changed about their meeting.

Each publication of a meeting is compared with the last one (`snapshot`): when the title,
date, times, venue, status or programme changed, the calendar SEQUENCE goes up
(`record_publication`, on Wagtail's `page_published`), so the ICS download, the network's
feed and the e-mails all show the same, higher SEQUENCE and calendars update the event.

Separately, `MeetingChangeState.told` keeps what registrants were last told. When the
published meeting differs from it and someone holds or waits for a seat, the editor is
offered to notify them right after publishing (`meetings.admin_notices`): the e-mail says
in plain Danish what changed (`describe_changes`) and carries the updated ICS (same UID,
the higher SEQUENCE; `METHOD:CANCEL` for a cancelled meeting). Each notice is recorded on
the meeting's history (portal/audit.py) and shown in its registration summary.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry

from portal import audit, emails, formats

from . import audit_actions
from .models import MeetingChangeState, MeetingPage, Registration

# Who gets a notice: the editor's choice on the notice screen.
# "waitlisted" is everyone waiting for a seat: on the waitlist, offered a seat they have
# not taken yet, or awaiting approval.
WAITING = tuple(
    status for status in Registration.ACTIVE_STATUSES if status != Registration.Status.CONFIRMED
)
AUDIENCES = {
    "all": Registration.ACTIVE_STATUSES,
    "confirmed": (Registration.Status.CONFIRMED,),
    "waitlisted": WAITING,
}
SENT_ACTION = audit_actions.NOTICE_SENT
SKIPPED_ACTION = audit_actions.NOTICE_SKIPPED


# --- What a publication says -----------------------------------------------------------------


def snapshot(meeting: MeetingPage) -> dict:
    """What registrants and calendars know of a meeting, as JSON."""
    venue = meeting.venue
    return {
        "title": meeting.title,
        "start": meeting.start.isoformat(),
        "end": meeting.end.isoformat(),
        "venue": venue.location if venue is not None else "",
        "status": meeting.status,
        "programme": [
            {
                "start": f"{block.value['start_time']:%H:%M}",
                "end": f"{block.value['end_time']:%H:%M}",
                "title": block.value["title"],
            }
            for block in meeting.programme
            if block.block_type == "item"
        ],
    }


def _local(value: str) -> datetime.datetime:
    return timezone.localtime(datetime.datetime.fromisoformat(value))


def _time(moment: datetime.datetime) -> str:
    """ "9.30" (Danish), "9:30" (English): portal.formats, like every page."""
    return formats.time_of_day(moment)


def _clock(value: str) -> str:
    """A programme item's "09:30" (the snapshot's form) as the reader writes it: "9.30"."""
    return formats.time_of_day(datetime.time.fromisoformat(value))


def _day(moment: datetime.datetime) -> str:
    return formats.long_date(moment)


DASH = "\N{EN DASH}"  # of a time span, as in "10.00-11.00" printed


def _span(item: dict) -> str:
    return f"{_clock(item['start'])}{DASH}{_clock(item['end'])}"


def _item(item: dict) -> str:
    return f"{_span(item)} {item['title']}"


def describe_changes(before: dict, after: dict) -> list[str]:
    """The changes from `before` to `after` as sentences in the current language, e.g.
    "Mødet starter nu kl. 10.00 i stedet for kl. 9.30." Empty when nothing that matters
    changed."""
    if not before or not after:
        return []
    lines = []
    if before["status"] != after["status"]:
        lines.append(
            {
                MeetingPage.Status.CANCELLED: _("The meeting is cancelled."),
                MeetingPage.Status.POSTPONED: _("The meeting is postponed."),
                MeetingPage.Status.PLANNED: _("The meeting takes place as planned after all."),
            }[after["status"]]
        )
    if before["title"] != after["title"]:
        lines.append(_("The meeting is now called “%(title)s”.") % {"title": after["title"]})
    old_start, new_start = _local(before["start"]), _local(after["start"])
    old_end, new_end = _local(before["end"]), _local(after["end"])
    if old_start.date() != new_start.date():
        lines.append(
            _("The meeting has moved to %(new)s (was %(old)s).")
            % {"new": _day(new_start), "old": _day(old_start)}
        )
    if _time(old_start) != _time(new_start):
        lines.append(
            _("The meeting now starts at %(new)s instead of %(old)s.")
            % {"new": _time(new_start), "old": _time(old_start)}
        )
    if _time(old_end) != _time(new_end):
        lines.append(
            _("The meeting now ends at %(new)s instead of %(old)s.")
            % {"new": _time(new_end), "old": _time(old_end)}
        )
    if before["venue"] != after["venue"]:
        if after["venue"]:
            lines.append(_("Venue changed to %(venue)s.") % {"venue": after["venue"]})
        else:
            lines.append(_("The venue is not decided yet."))
    old_items = {item["title"]: item for item in before["programme"]}
    new_items = {item["title"]: item for item in after["programme"]}
    for title, item in new_items.items():
        old = old_items.get(title)
        if old is None:
            lines.append(_("New item: %(item)s") % {"item": _item(item)})
        elif (old["start"], old["end"]) != (item["start"], item["end"]):
            lines.append(
                _("“%(title)s” now runs %(new)s (was %(old)s).")
                % {
                    "title": title,
                    "new": _span(item),
                    "old": _span(old),
                }
            )
    for title, item in old_items.items():
        if title not in new_items:
            lines.append(_("Item dropped: %(item)s") % {"item": _item(item)})
    return lines


# --- Publishing --------------------------------------------------------------------------------


def _previous_publication(meeting: MeetingPage, revision) -> dict:
    """For a meeting published before change notices existed: the snapshot of the
    publication before `revision`, from Wagtail's log; {} if there is none."""
    entry = (
        PageLogEntry.objects.filter(page=meeting, action="wagtail.publish", revision__isnull=False)
        .exclude(revision=revision)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    if entry is None:
        return {}
    try:
        return snapshot(entry.revision.as_object())
    except Exception:  # a revision of an older page model that no longer loads
        return {}


def record_publication(meeting: MeetingPage, revision=None) -> MeetingChangeState:
    """Called when `meeting` is published: raise the SEQUENCE if what calendars show
    changed; with nobody to tell, the published meeting is what registrants know."""
    now_snapshot = snapshot(meeting)
    with transaction.atomic():
        state = MeetingChangeState.objects.select_for_update().filter(meeting=meeting).first()
        if state is None:
            baseline = _previous_publication(meeting, revision) or now_snapshot
            state = MeetingChangeState(meeting=meeting, published=baseline, told=baseline)
        if now_snapshot != state.published:
            state.sequence += 1
            state.published = now_snapshot
        if not meeting.registrations.active().exists():
            state.told = now_snapshot
        state.save()
    return state


def on_page_published(sender, instance, revision=None, **kwargs):
    if isinstance(instance, MeetingPage):
        record_publication(instance, revision)


# --- What is pending ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    state: MeetingChangeState | None
    changes: list[str]

    def __bool__(self):
        return bool(self.changes)


def pending(meeting: MeetingPage) -> Pending:
    """What registrants have not been told about the published meeting."""
    state = MeetingChangeState.objects.filter(meeting=meeting).first()
    if state is None:
        return Pending(None, [])
    return Pending(state, describe_changes(state.told, state.published))


def sequence_of(meeting: MeetingPage) -> int:
    return sequences([meeting.pk]).get(meeting.pk, 0)


def sequences(meeting_ids) -> dict[int, int]:
    """The calendar SEQUENCE of each meeting, in one query."""
    return dict(
        MeetingChangeState.objects.filter(meeting_id__in=list(meeting_ids)).values_list(
            "meeting_id", "sequence"
        )
    )


def recipients(meeting: MeetingPage, audience: str):
    statuses = AUDIENCES[audience]
    return (
        Registration.objects.filter(meeting=meeting, status__in=statuses, person__isnull=False)
        .select_related("person", "registered_by", "organisation")
        .order_by("status", "created_at", "pk")
    )


def counts(meeting: MeetingPage) -> dict[str, int]:
    """Recipients per audience, for the choice on the notice screen (one query)."""
    from django.db.models import Count, Q

    row = Registration.objects.filter(meeting=meeting, person__isnull=False).aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status__in=WAITING)),
    )
    return {**row, "all": row["confirmed"] + row["waitlisted"]}


# --- The e-mail --------------------------------------------------------------------------------


def build_email(
    registration: Registration, *, changes: list[str], note: str = ""
) -> EmailMultiAlternatives:
    """The notice to one registrant: what changed, the meeting as it is now, and for a
    confirmed seat the updated calendar entry (a cancellation for a cancelled meeting)."""
    from .emails import cancel_url
    from .ics import absolute_url, ics_filename, meeting_ics

    meeting = registration.meeting
    cancelled = meeting.status == MeetingPage.Status.CANCELLED
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "meeting": meeting,
            "person": registration.person,
            "venue": meeting.venue,
            "changes": changes,
            "note": note,
            "cancelled": cancelled,
            "with_calendar": registration.is_confirmed,
            "meeting_url": absolute_url(meeting.get_url() or "/"),
            "my_page_url": absolute_url(reverse("my_page")),
            "cancel_url": (
                cancel_url(registration) if registration.is_active and not cancelled else ""
            ),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = render_to_string("meetings/email/notice_subject.txt", context)
        text = render_to_string("meetings/email/notice.txt", context)
        html = render_to_string("meetings/email/notice.html", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{' '.join(subject.split())}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.person.email],
    )
    message.attach_alternative(html, "text/html")
    if registration.is_confirmed:
        method = "CANCEL" if cancelled else "PUBLISH"
        message.attach(
            ics_filename(meeting),
            meeting_ics(meeting, method=method).decode("utf-8"),
            f"text/calendar; charset=utf-8; method={method}",
        )
    return message


def send_notice(*, meeting: MeetingPage, audience: str, by, note: str = "") -> int:
    """Queue the notice to each recipient of `audience`, mark the published meeting as
    told and record it on the meeting's history. Returns how many were queued."""
    from .access import can_send_change_notice

    if not can_send_change_notice(by, meeting):
        raise PermissionError("may not notify this meeting's registrants")
    with transaction.atomic():
        state = MeetingChangeState.objects.select_for_update().filter(meeting=meeting).first()
        if state is None:
            return 0
        changes = describe_changes(state.told, state.published)
        if not changes:
            return 0
        sent = 0
        for registration in recipients(meeting, audience):
            emails.queue(build_email(registration, changes=changes, note=note))
            sent += 1
        state.told = state.published
        state.told_at = timezone.now()
        state.save(update_fields=["told", "told_at"])
        audit.record(
            meeting,
            SENT_ACTION,
            by=by,
            data={
                "recipients": sent,
                "audience": audience,
                "changes": changes,
                "note": note,
                "sequence": state.sequence,
            },
        )
    return sent


def skip_notice(*, meeting: MeetingPage, by) -> bool:
    """The editor chose not to tell registrants: the published meeting counts as told."""
    from .access import can_send_change_notice

    if not can_send_change_notice(by, meeting):
        raise PermissionError("may not notify this meeting's registrants")
    with transaction.atomic():
        state = MeetingChangeState.objects.select_for_update().filter(meeting=meeting).first()
        if state is None:
            return False
        changes = describe_changes(state.told, state.published)
        if not changes:
            return False
        state.told = state.published
        state.save(update_fields=["told"])
        audit.record(meeting, SKIPPED_ACTION, by=by, data={"recipients": 0, "changes": changes})
    return True


def history(meeting: MeetingPage, *, limit: int = 5) -> list[dict]:
    """The latest notices of the meeting (sent or not), for its registration summary."""
    entries = (
        PageLogEntry.objects.filter(page=meeting, action__in=[SENT_ACTION, SKIPPED_ACTION])
        .select_related("user")
        .order_by("-timestamp", "-pk")[:limit]
    )
    return [
        {
            "sent": entry.action == SENT_ACTION,
            "timestamp": entry.timestamp,
            "user": entry.user_display_name,
            "recipients": entry.data.get("recipients", 0),
            "changes": entry.data.get("changes", []),
        }
        for entry in entries
    ]
