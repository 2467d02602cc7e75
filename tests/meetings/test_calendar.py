"""Calendar files, parsed back with icalendar and checked against RFC 5545's rules."""

import datetime
import zoneinfo

import icalendar

from meetings.models import MeetingPage

from .conftest import cph

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def the_event(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_meeting_ics_has_local_times_with_vtimezone_location_and_a_stable_uid(client, make_meeting):
    meeting = make_meeting(
        title="3. netværksmøde 2021", start=cph(2021, 12, 8, 9, 30), end=cph(2021, 12, 8, 15, 30)
    )

    response = client.get(meeting.ics_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="' in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))  # folded lines
    calendar = parse(content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Copenhagen"
    event = the_event(calendar)
    assert event["SUMMARY"] == "3. netværksmøde 2021"
    assert event["LOCATION"] == "KL-huset, Weidekampsgade 10, 2300 København S"
    assert event.decoded("DTSTART") == datetime.datetime(2021, 12, 8, 9, 30, tzinfo=CPH)
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert event.decoded("DTEND") == datetime.datetime(2021, 12, 8, 15, 30, tzinfo=CPH)
    assert event["STATUS"] == "CONFIRMED"
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert "Velkomst" in event["DESCRIPTION"]
    uid = str(event["UID"])

    # An editor moves the meeting and renames it: same UID, new times.
    meeting.title = "3. netværksmøde 2021 (flyttet)"
    meeting.start, meeting.end = cph(2021, 12, 9, 10), cph(2021, 12, 9, 16)
    meeting.save_revision().publish()
    event = the_event(parse(client.get(meeting.ics_url).content))
    assert str(event["UID"]) == uid
    assert event.decoded("DTSTART") == datetime.datetime(2021, 12, 9, 10, 0, tzinfo=CPH)
    assert event["SUMMARY"] == "3. netværksmøde 2021 (flyttet)"


def test_a_cancelled_meeting_is_cancelled_in_the_calendar(client, make_meeting):
    meeting = make_meeting(status=MeetingPage.Status.CANCELLED)
    event = the_event(parse(client.get(meeting.ics_url).content))
    assert event["STATUS"] == "CANCELLED"


def test_summer_time_is_right(client, make_meeting):
    meeting = make_meeting(start=cph(2030, 6, 12, 9, 0), end=cph(2030, 6, 12, 12, 0))
    event = the_event(parse(client.get(meeting.ics_url).content))
    assert event.decoded("DTSTART").astimezone(datetime.UTC) == datetime.datetime(
        2030, 6, 12, 7, 0, tzinfo=datetime.UTC
    )


def test_the_network_feed_lists_its_meetings_and_is_offered_as_webcal(
    client, network, make_meeting, home_page
):
    from network.factories import NetworkPageFactory

    first = make_meeting(title="Første", start=cph(2030, 2, 1, 10), end=cph(2030, 2, 1, 14))
    second = make_meeting(title="Andet", start=cph(2030, 4, 1, 10), end=cph(2030, 4, 1, 14))
    other_network = NetworkPageFactory(parent=home_page, title="Et andet netværk")
    make_meeting(title="Andet netværks møde", parent=other_network)

    response = client.get(f"/moeder/kalender/netvaerk-{network.pk}.ics")

    assert response.status_code == 200
    calendar = parse(response.content)
    assert calendar["X-WR-CALNAME"] == network.title
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Første", "Andet"]
    assert len({str(e["UID"]) for e in events}) == 2
    assert {str(e["UID"]) for e in events} == {
        str(the_event(parse(client.get(m.ics_url).content))["UID"]) for m in (first, second)
    }

    page = client.get(network.url).content.decode()
    assert f"webcal://testserver/moeder/kalender/netvaerk-{network.pk}.ics" in page


def test_unpublished_meetings_have_no_calendar(client, make_meeting):
    meeting = make_meeting(live=False)
    assert client.get(meeting.ics_url).status_code == 404
