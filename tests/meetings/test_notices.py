"""Change notices: an editor publishes a changed meeting and tells its registrants; the
e-mail says what changed in Danish and carries the calendar entry with the same UID and a
higher SEQUENCE (METHOD:CANCEL when cancelled); the feed and the download agree."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import translation
from icalendar import Calendar
from wagtail.models import PageLogEntry

from meetings import notices, services
from meetings.factories import VenueFactory, programme_item
from meetings.models import MeetingPage, Registration
from portal.factories import UserFactory
from tests.meetings.conftest import cph
from tests.portal.english_in_admin import english_in


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def publish(meeting, **changes):
    """Change `meeting` and publish it as the editor does (a revision, then publish)."""
    page = MeetingPage.objects.get(pk=meeting.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return MeetingPage.objects.get(pk=meeting.pk)


def ics_event(content):
    calendar = Calendar.from_ical(content)
    return calendar, next(iter(calendar.walk("VEVENT")))


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True, verified=True, first_name="Ella", last_name="Redaktør")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def spring_meeting(make_meeting, member_org, person_at):
    """12 March 2030, 9.30-15.00, two confirmed and one waitlisted (capacity 2); published
    once through Wagtail so it has a publication to compare with."""
    meeting = make_meeting(
        title="Forårsmøde 2030",
        start=cph(2030, 3, 12, 9, 30),
        end=cph(2030, 3, 12, 15, 0),
        registration_closes=cph(2030, 3, 10, 12, 0),
        capacity=2,
        seats_per_organisation=3,
        programme=[
            programme_item("9.30", "10.00", "Kaffe og velkomst", "meal"),
            programme_item("10.00", "11.00", "Housing First i praksis", "talk"),
        ],
    )
    meeting = publish(meeting)
    aarhus = member_org("Aarhus Kommune", years=(2030,))
    for first in ("Anna", "Bent", "Carl"):
        services.register(
            meeting=meeting,
            person=person_at(aarhus, first_name=first, last_name="Aarhus"),
            organisation=aarhus,
        )
    mail.outbox.clear()
    return meeting


def test_a_publication_that_changes_nothing_registrants_know_offers_nothing(spring_meeting):
    meeting = publish(spring_meeting, lead="En ny indledning.")
    assert not notices.pending(meeting)
    assert notices.sequence_of(meeting) == 0


def test_the_changes_are_said_in_plain_danish(spring_meeting):
    kl = VenueFactory(name="Aarhus Rådhus", address="Rådhuspladsen 2", postcode="8000")
    kl.city = "Aarhus C"
    kl.save()
    meeting = publish(
        spring_meeting,
        start=cph(2030, 3, 12, 10, 0),
        end=cph(2030, 3, 12, 15, 30),
        venue=kl,
        programme=[
            programme_item("10.00", "10.15", "Kaffe og velkomst", "meal"),
            programme_item("13.00", "14.00", "Workshop om bostøtte", "workshop"),
        ],
    )
    changes = notices.pending(meeting).changes
    assert changes == [
        "Mødet starter nu kl. 10.00 i stedet for kl. 9.30.",
        "Mødet slutter nu kl. 15.30 i stedet for kl. 15.00.",
        "Mødested ændret til Aarhus Rådhus, Rådhuspladsen 2, 8000 Aarhus C.",
        "»Kaffe og velkomst« ligger nu kl. 10.00\u201310.15 (før 9.30\u201310.00).",
        "Nyt punkt: 13.00\u201314.00 Workshop om bostøtte",
        "Punkt udgået: 10.00\u201311.00 Housing First i praksis",
    ]
    # Another day at the same time: the date is said, not the time.
    meeting = publish(meeting, start=cph(2030, 3, 14, 10, 0), end=cph(2030, 3, 14, 15, 30))
    assert (
        "Mødet er flyttet til torsdag 14. marts 2030 (før tirsdag 12. marts 2030)."
        in notices.pending(meeting).changes
    )


def test_in_english_the_changes_read_english_times_and_dates(spring_meeting):
    meeting = publish(
        spring_meeting,
        start=cph(2030, 3, 14, 10, 0),
        end=cph(2030, 3, 14, 15, 30),
        programme=[
            programme_item("10.00", "10.15", "Kaffe og velkomst", "meal"),
            programme_item("10.00", "11.00", "Housing First i praksis", "talk"),
        ],
    )
    with translation.override("en"):
        changes = notices.pending(meeting).changes
    assert "The meeting has moved to Thursday 14 March 2030 (was Tuesday 12 March 2030)." in (
        changes
    )
    assert "The meeting now starts at 10:00 instead of 9:30." in changes
    assert not any("kl." in line or "9.30" in line for line in changes)


def test_notifying_registrants_sends_each_their_own_email_with_a_higher_sequence(
    spring_meeting, editor, client, django_capture_on_commit_callbacks
):
    _calendar, before = ics_event(client.get(spring_meeting.ics_url).content)
    old_sequence = int(before["SEQUENCE"])
    meeting = publish(spring_meeting, start=cph(2030, 3, 12, 10, 0))

    with django_capture_on_commit_callbacks(execute=True):
        sent = notices.send_notice(meeting=meeting, audience="all", by=editor)

    assert sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        r.person.email for r in meeting.registrations.all()
    )
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    anna = next(m for m in mail.outbox if "Anna" in m.body)
    assert anna.subject.endswith("Ændringer til mødet: Forårsmøde 2030")
    assert "Mødet starter nu kl. 10.00 i stedet for kl. 9.30." in anna.body
    assert "Der er ændringer til mødet, du er tilmeldt:" in anna.body
    ((filename, content, mimetype),) = anna.attachments
    assert filename.endswith(".ics") and "method=PUBLISH" in mimetype
    calendar, event = ics_event(content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == str(before["UID"])
    assert int(event["SEQUENCE"]) == old_sequence + 1
    assert event.decoded("DTSTART") == cph(2030, 3, 12, 10, 0)
    # The waitlisted person is told too, without a calendar entry for a seat not held.
    carl = next(m for m in mail.outbox if "Carl" in m.body)
    assert "du venter på en plads til" in carl.body
    assert carl.attachments == []

    # The download and the network's feed show the same SEQUENCE as the e-mail.
    _c, download = ics_event(client.get(meeting.ics_url).content)
    feed = Calendar.from_ical(
        client.get(f"/moeder/kalender/netvaerk-{meeting.get_parent().pk}.ics").content
    )
    (in_feed,) = [e for e in feed.walk("VEVENT") if str(e["UID"]) == str(event["UID"])]
    assert int(download["SEQUENCE"]) == int(in_feed["SEQUENCE"]) == old_sequence + 1

    # Told: nothing pending, and the notice is on the meeting's history.
    assert not notices.pending(meeting)
    entry = PageLogEntry.objects.get(page=meeting, action="meetings.notice.sent")
    assert entry.user == editor
    assert entry.data["recipients"] == 3
    assert entry.data["changes"] == ["Mødet starter nu kl. 10.00 i stedet for kl. 9.30."]


def test_confirmed_only_leaves_the_waitlist_untold(
    spring_meeting, editor, django_capture_on_commit_callbacks
):
    meeting = publish(spring_meeting, end=cph(2030, 3, 12, 16, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.send_notice(meeting=meeting, audience="confirmed", by=editor) == 2
    assert len(mail.outbox) == 2
    assert not any("Carl" in m.body for m in mail.outbox)


def test_a_cancelled_meeting_sends_method_cancel(
    spring_meeting, editor, django_capture_on_commit_callbacks
):
    meeting = publish(spring_meeting, status=MeetingPage.Status.CANCELLED)
    assert notices.pending(meeting).changes == ["Mødet er aflyst."]
    with django_capture_on_commit_callbacks(execute=True):
        notices.send_notice(meeting=meeting, audience="all", by=editor)
    anna = next(m for m in mail.outbox if "Anna" in m.body)
    assert "Aflyst: Forårsmøde 2030" in anna.subject
    assert "fjerner mødet fra din kalender" in anna.body
    ((_name, content, mimetype),) = anna.attachments
    assert "method=CANCEL" in mimetype
    calendar, event = ics_event(content)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert str(event["ORGANIZER"]) == "mailto:noreply@erfa.example"


def test_changes_add_up_until_registrants_are_told(spring_meeting, editor):
    meeting = publish(spring_meeting, start=cph(2030, 3, 12, 10, 0))
    meeting = publish(meeting, end=cph(2030, 3, 12, 16, 0))
    assert notices.sequence_of(meeting) == 2
    assert notices.pending(meeting).changes == [
        "Mødet starter nu kl. 10.00 i stedet for kl. 9.30.",
        "Mødet slutter nu kl. 16.00 i stedet for kl. 15.00.",
    ]
    # "Do not tell them": nothing pending afterwards, and that choice is logged too.
    assert notices.skip_notice(meeting=meeting, by=editor)
    assert not notices.pending(meeting)
    assert mail.outbox == []
    assert PageLogEntry.objects.filter(page=meeting, action="meetings.notice.skipped").exists()


def test_a_meeting_without_registrants_has_nothing_to_tell(make_meeting):
    meeting = publish(make_meeting(title="Tomt møde"))
    meeting = publish(meeting, start=meeting.start + datetime.timedelta(hours=1))
    assert not notices.pending(meeting)
    assert notices.sequence_of(meeting) == 1


def test_a_meeting_published_before_notices_existed_compares_with_its_last_publication(
    spring_meeting,
):
    # No state yet (as for meetings published before this feature): the last publication
    # in Wagtail's log is what registrants know.
    spring_meeting.change_state.delete()
    meeting = publish(spring_meeting, start=cph(2030, 3, 12, 10, 0))
    assert notices.pending(meeting).changes == ["Mødet starter nu kl. 10.00 i stedet for kl. 9.30."]


# --- The admin ---------------------------------------------------------------------------------


def test_the_notice_screen_previews_and_sends_with_the_recipient_count(
    spring_meeting,
    editor,
    client,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    meeting = publish(spring_meeting, start=cph(2030, 3, 12, 10, 0))
    client.force_login(editor)
    url = f"/admin/meetings/notice/{meeting.pk}/"
    client.get(url)  # the first request fills per-process caches
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert english_in(response.content.decode()) == []
    page = text(response)
    assert "Giv tilmeldte besked" in page
    assert "Mødet starter nu kl. 10.00 i stedet for kl. 9.30." in page
    assert "Bekræftede og dem, der venter på en plads (3 personer)" in page
    assert "Kun bekræftede (2 personer)" in page
    assert "E-mailen går til 3 personer, hver sin egen." in page
    assert "Ændringer til mødet: Forårsmøde 2030" in page  # the preview's subject
    assert ".ics (kalenderaftale, version 1)" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            url,
            {"audience": "confirmed", "note": "Vi ses i kantinen.", "send": "1"},
            page=url,
        )
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{meeting.pk}/edit/"
    assert len(mail.outbox) == 2
    assert all("Vi ses i kantinen." in m.body for m in mail.outbox)

    # The meeting's summary shows the notice: who, how many, what changed.
    page = text(client.get(f"/admin/pages/{meeting.pk}/edit/"))
    assert "Beskeder til tilmeldte" in page
    assert "Ella Redaktør: gav 2 personer besked" in page
    assert "De tilmeldte har ikke fået besked" not in page


def test_the_summary_warns_of_changes_registrants_were_not_told(spring_meeting, editor, client):
    meeting = publish(spring_meeting, status=MeetingPage.Status.POSTPONED)
    client.force_login(editor)
    response = client.get(f"/admin/pages/{meeting.pk}/edit/")
    assert english_in(response.content.decode()) == []
    page = text(response)
    assert "De tilmeldte har ikke fået besked om disse udgivne ændringer:" in page
    assert "Mødet er udskudt." in page
    assert f"/admin/meetings/notice/{meeting.pk}/" in page


def test_a_bad_audience_is_a_danish_field_error_and_sends_nothing(spring_meeting, editor, client):
    meeting = publish(spring_meeting, start=cph(2030, 3, 12, 10, 0))
    client.force_login(editor)
    url = f"/admin/meetings/notice/{meeting.pk}/"
    response = client.submit(url, {"audience": "alle-i-byen", "send": "1"}, page=url)
    assert response.status_code == 200
    assert "Vælg, hvem der skal have besked." in text(response)
    assert mail.outbox == []
    assert notices.pending(meeting)


def test_a_member_cannot_open_or_post_the_notice_screen(spring_meeting, client):
    meeting = publish(spring_meeting, start=cph(2030, 3, 12, 10, 0))
    member = Registration.objects.filter(meeting=meeting).first().person
    client.force_login(member)
    response = client.get(f"/admin/meetings/notice/{meeting.pk}/")
    assert response.status_code in (302, 403)
    assert mail.outbox == []


def test_the_notice_screen_asks_as_many_queries_for_many_registrants_as_for_few(
    spring_meeting, editor, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from meetings.factories import RegistrationFactory

    meeting = publish(spring_meeting, start=cph(2030, 3, 12, 10, 0))
    client.force_login(editor)
    url = f"/admin/meetings/notice/{meeting.pk}/"

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(15):
        RegistrationFactory(
            meeting=meeting,
            status=Registration.Status.WAITLISTED,
            confirmed_at=None,
            waitlist_reason="capacity",
        )
    assert queries() == few
    assert "E-mailen går til 18 personer" in text(client.get(url))


def test_people_awaiting_approval_are_told_with_those_waiting_for_a_seat(
    spring_meeting, editor, django_capture_on_commit_callbacks
):
    from meetings.factories import RegistrationFactory

    pending = RegistrationFactory(
        meeting=spring_meeting,
        status=Registration.Status.PENDING,
        confirmed_at=None,
        person__first_name="Pia",
    )
    meeting = publish(spring_meeting, venue=VenueFactory(name="Odense Rådhus"))
    assert notices.counts(meeting) == {"confirmed": 2, "waitlisted": 2, "all": 4}
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.send_notice(meeting=meeting, audience="waitlisted", by=editor) == 2
    pia = next(m for m in mail.outbox if m.to == [pending.person.email])
    assert "Der er ændringer til mødet, du venter på en plads til:" in pia.body
    assert "Mødested ændret til Odense Rådhus" in pia.body
    assert pia.attachments == []
