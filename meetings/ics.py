"""Calendar output (RFC 5545): one meeting, or a network's subscribable feed.

Times carry TZID=Europe/Copenhagen with the matching VTIMEZONE; the UID is built from the
page's `translation_key`, which never changes when the page is edited or moved. SEQUENCE is
the meeting's publication counter (`meetings.notices.record_publication`): it goes up each
time the title, times, venue, status or programme are published changed, and the download,
the feed and the e-mails all show the same number.
"""

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import MeetingPage

PRODID = "-//Erfa-netvaerk//Moeder//DA"
TZ = ZoneInfo("Europe/Copenhagen")


def absolute_url(path_or_url: str) -> str:
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return settings.SITE_URL.rstrip("/") + path_or_url


def meeting_uid(meeting: MeetingPage) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "erfa.example"
    return f"meeting-{meeting.translation_key}@{host}"


def _description(meeting: MeetingPage, url: str) -> str:
    lines = []
    if meeting.lead:
        lines += [meeting.lead, ""]
    items = [block.value for block in meeting.programme if block.block_type == "item"]
    if items:
        lines.append("Program:")
        for item in items:
            speakers = ", ".join(s["name"] for s in item["speakers"])
            line = f"{item['start_time']:%H.%M}-{item['end_time']:%H.%M} {item['title']}"
            lines.append(f"{line} ({speakers})" if speakers else line)
        lines.append("")
    lines.append(url)
    return "\n".join(lines)


def meeting_event(
    meeting: MeetingPage, *, now: datetime.datetime | None = None, sequence: int = 0
) -> Event:
    url = absolute_url(meeting.get_url() or "/")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", (now or timezone.now()).astimezone(datetime.UTC))
    event.add("dtstart", meeting.start.astimezone(TZ))
    event.add("dtend", meeting.end.astimezone(TZ))
    summary = meeting.title
    if meeting.status == MeetingPage.Status.POSTPONED:
        summary = f"{meeting.get_status_display()}: {summary}"
    event.add("summary", summary)
    event.add("description", _description(meeting, url))
    event.add("url", url)
    if meeting.venue is not None:
        event.add("location", meeting.venue.location)
    event.add(
        "status",
        {
            MeetingPage.Status.PLANNED: "CONFIRMED",
            MeetingPage.Status.POSTPONED: "TENTATIVE",
            MeetingPage.Status.CANCELLED: "CANCELLED",
        }[meeting.status],
    )
    if meeting.last_published_at:
        event.add("last-modified", meeting.last_published_at.astimezone(datetime.UTC))
    # Calendar clients take a higher SEQUENCE as "this event changed".
    event.add("sequence", sequence)
    return event


def build_calendar(meetings, *, name: str | None = None, method: str = "PUBLISH") -> bytes:
    """`method` "CANCEL" (a cancelled meeting's notice) asks calendars to remove it."""
    from .notices import sequences

    meetings = list(meetings)
    numbers = sequences(meeting.pk for meeting in meetings)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Copenhagen")
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=6), parameters={"VALUE": "DURATION"}
        )
        calendar.add("x-published-ttl", "PT6H")
    now = timezone.now()
    starts = []
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, now=now, sequence=numbers.get(meeting.pk, 0)))
        starts.append(meeting.start.astimezone(TZ).date())
    if starts:
        calendar.add_missing_timezones(
            first_date=min(starts) - datetime.timedelta(days=366),
            last_date=max(starts) + datetime.timedelta(days=366),
        )
    return calendar.to_ical()


def meeting_ics(meeting: MeetingPage, *, method: str = "PUBLISH") -> bytes:
    return build_calendar([meeting], method=method)


def ics_filename(meeting: MeetingPage) -> str:
    return f"{meeting.slug or 'moede'}.ics"
