"""Timed waitlist offers: on a meeting that uses them, a freed seat is offered to the
first waitlisted person the limits allow, for 48 hours (never past the day before the
meeting), and held for them meanwhile; they accept or decline by the e-mail's link (logged
in); when the time runs out the scheduled run moves the offer on."""

import datetime
import re

import icalendar
import pytest
import time_machine
from django.core import mail

from meetings import services, tasks
from meetings.models import Registration
from portal.schedule import SCHEDULE
from tests.meetings.conftest import cph


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# A Monday morning; the meeting is the Thursday week after, 10.00-15.00.
NOW = cph(2026, 3, 2, 9, 0)
START = cph(2026, 3, 12, 10, 0)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def full_meeting(make_meeting, member_org, person_at):
    """Capacity 2 (Anna and Bent, Aarhus, confirmed); Ole (Odense) then Otto (Odense)
    wait. Timed offers, 48 hours."""
    meeting = make_meeting(
        title="Martsmødet",
        start=START,
        end=START + datetime.timedelta(hours=5),
        capacity=2,
        seats_per_organisation=2,
        trial_places=0,
        waitlist_offers=True,
    )
    aarhus, odense = member_org("Aarhus Kommune"), member_org("Odense Kommune")
    people = {}
    for name, org in (("Anna", aarhus), ("Bent", aarhus), ("Ole", odense), ("Otto", odense)):
        person = person_at(org, first_name=name, last_name=org.name.split()[0])
        person.email = f"{name.lower()}@example.dk"
        person.save()
        people[name] = services.register(meeting=meeting, person=person, organisation=org)
    assert [people[n].status for n in ("Anna", "Bent", "Ole", "Otto")] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    meeting.people = people
    mail.outbox.clear()
    return meeting


def refreshed(registration) -> Registration:
    registration.refresh_from_db()
    return registration


def test_a_freed_seat_is_offered_for_48_hours_and_held_meanwhile(
    full_meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    anna, ole, otto = (full_meeting.people[n] for n in ("Anna", "Ole", "Otto"))

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(registration=anna, cancelled_by=anna.person)

    ole = refreshed(ole)
    assert ole.status == Registration.Status.OFFERED
    assert ole.offer_expires_at == NOW + datetime.timedelta(hours=48)
    assert refreshed(otto).is_waitlisted
    summary = full_meeting.registration_summary()
    assert (summary["confirmed"], summary["offered"], summary["free"]) == (1, 1, 0)
    # The held seat counts as taken: a new request waits.
    org = member_org("Vejle Kommune")
    newcomer = services.register(meeting=full_meeting, person=person_at(org), organisation=org)
    assert newcomer.is_waitlisted and newcomer.waitlist_reason == "capacity"
    offer_mail = next(m for m in mail.outbox if m.to == ["ole@example.dk"])
    assert "Der er en plads til dig: Martsmødet" in offer_mail.subject
    assert "senest onsdag 4. marts 2026 kl. 9.00" in offer_mail.body
    assert f"/moeder/tilmelding/{ole.pk}/tilbud/" in offer_mail.body
    assert not offer_mail.attachments


def test_accepting_by_the_link_confirms_the_seat_and_sends_the_calendar_file(
    client, full_meeting, django_capture_on_commit_callbacks
):
    anna, ole = full_meeting.people["Anna"], full_meeting.people["Ole"]
    services.cancel(registration=anna, cancelled_by=anna.person)
    url = f"/moeder/tilmelding/{ole.pk}/tilbud/"
    assert client.get(url).status_code == 302  # log in first
    client.force_login(ole.person)
    page = text(client.get(url))
    assert "Du har fået tilbudt en plads" in page
    assert "senest onsdag 4. marts 2026 kl. 9.00" in page
    assert "Du har fået tilbudt en plads." in text(client.get(full_meeting.url))
    assert "Tilbudt en plads" in text(client.get("/min-side/"))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(url, {"answer": "accept"}, follow=True)

    assert "Pladsen er din." in text(response)
    ole = refreshed(ole)
    assert ole.is_confirmed and ole.promoted_at == NOW
    (message,) = mail.outbox
    assert message.to == ["ole@example.dk"]
    ((_name, content, _type),) = message.attachments
    assert icalendar.Calendar.from_ical(content).walk("VEVENT")
    # The used link says what happened, no error.
    assert "Du har taget imod pladsen." in text(client.get(url))
    # A second press from a tab still open on the offer.
    response = client.post_with_token(url, {"answer": "accept"}, page="/", follow=True)
    assert "Tilbuddet gælder ikke længere." in text(response)
    assert len(mail.outbox) == 1


def test_declining_cancels_and_offers_the_seat_to_the_next(
    client, full_meeting, django_capture_on_commit_callbacks
):
    anna, ole, otto = (full_meeting.people[n] for n in ("Anna", "Ole", "Otto"))
    services.cancel(registration=anna, cancelled_by=anna.person)
    client.force_login(ole.person)
    url = f"/moeder/tilmelding/{ole.pk}/tilbud/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(url, {"answer": "decline"}, follow=True)

    assert "Du har sagt nej til pladsen" in text(response)
    assert refreshed(ole).status == Registration.Status.CANCELLED
    assert refreshed(otto).status == Registration.Status.OFFERED
    assert any(m.to == ["otto@example.dk"] and "plads til dig" in m.subject for m in mail.outbox)


def test_when_the_time_runs_out_the_scheduled_run_moves_the_offer_on(
    full_meeting, frozen, django_capture_on_commit_callbacks
):
    anna, ole, otto = (full_meeting.people[n] for n in ("Anna", "Ole", "Otto"))
    services.cancel(registration=anna, cancelled_by=anna.person)
    assert "meetings.tasks.expire_waitlist_offers" in {entry.task for entry in SCHEDULE}

    frozen.move_to(NOW + datetime.timedelta(hours=47, minutes=59))
    assert tasks.expire_waitlist_offers.call() == 0
    assert refreshed(ole).is_offered

    frozen.move_to(NOW + datetime.timedelta(hours=48, minutes=3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_waitlist_offers.call() == 1

    ole = refreshed(ole)
    assert ole.status == Registration.Status.CANCELLED and ole.cancelled_by is None
    otto = refreshed(otto)
    assert otto.is_offered
    assert otto.offer_expires_at == NOW + datetime.timedelta(hours=96, minutes=3)
    expired = next(m for m in mail.outbox if m.to == ["ole@example.dk"])
    assert "Tilbuddet om en plads er udløbet" in expired.subject
    assert any(m.to == ["otto@example.dk"] for m in mail.outbox)
    # Running again changes nothing.
    assert tasks.expire_waitlist_offers.call() == 0
    assert refreshed(otto).is_offered


def test_an_expired_link_says_so_and_moves_the_offer_on_without_an_error(
    client, full_meeting, frozen, django_capture_on_commit_callbacks
):
    anna, ole, otto = (full_meeting.people[n] for n in ("Anna", "Ole", "Otto"))
    services.cancel(registration=anna, cancelled_by=anna.person)
    client.force_login(ole.person)
    url = f"/moeder/tilmelding/{ole.pk}/tilbud/"
    frozen.move_to(NOW + datetime.timedelta(hours=49))  # before the scheduled run

    assert "Tilbuddet udløb, før du svarede" in text(client.get(url))
    # "Yes" pressed in a tab opened before the time ran out.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post_with_token(url, {"answer": "accept"}, page="/", follow=True)

    assert response.status_code == 200
    assert "Tilbuddet udløb, før du svarede, så pladsen er gået videre" in text(response)
    assert refreshed(ole).status == Registration.Status.CANCELLED
    assert refreshed(otto).is_offered


def test_someone_elses_offer_is_not_there(client, full_meeting, person_at):
    anna, ole = full_meeting.people["Anna"], full_meeting.people["Ole"]
    services.cancel(registration=anna, cancelled_by=anna.person)
    client.force_login(full_meeting.people["Otto"].person)
    url = f"/moeder/tilmelding/{ole.pk}/tilbud/"
    assert client.get(url).status_code == 404
    assert client.post_with_token(url, {"answer": "accept"}, page="/").status_code == 404
    assert refreshed(ole).is_offered


def test_the_offer_goes_to_the_first_person_the_organisation_limits_allow(
    make_meeting, member_org, person_at
):
    meeting = make_meeting(
        start=START,
        end=START + datetime.timedelta(hours=5),
        capacity=3,
        seats_per_organisation=1,
        trial_places=0,
        waitlist_offers=True,
    )
    aarhus, odense, vejle = (member_org(n) for n in ("Aarhus K", "Odense K", "Vejle K"))
    anna = services.register(meeting=meeting, person=person_at(aarhus), organisation=aarhus)
    services.register(meeting=meeting, person=person_at(odense), organisation=odense)
    waiting_aarhus = services.register(
        meeting=meeting, person=person_at(aarhus), organisation=aarhus
    )
    assert waiting_aarhus.waitlist_reason == "organisation_seats"
    vejle_person = services.register(meeting=meeting, person=person_at(vejle), organisation=vejle)
    assert vejle_person.is_confirmed  # a third seat was free
    fourth_org = member_org("Horsens K")
    horsens = services.register(
        meeting=meeting, person=person_at(fourth_org), organisation=fourth_org
    )
    assert horsens.waitlist_reason == "capacity"

    services.cancel(registration=vejle_person, cancelled_by=vejle_person.person)

    # The Aarhus request came first but Aarhus still holds its one seat: Horsens gets it.
    assert refreshed(waiting_aarhus).is_waitlisted
    assert refreshed(horsens).is_offered
    assert refreshed(anna).is_confirmed


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Far from the meeting: 48 hours.
        (cph(2026, 3, 2, 9, 0), cph(2026, 3, 4, 9, 0)),
        # Two days before: until midnight before the meeting's day (the day before ends).
        (cph(2026, 3, 10, 14, 0), cph(2026, 3, 12, 0, 0)),
        # The evening before: at least two hours.
        (cph(2026, 3, 11, 23, 0), cph(2026, 3, 12, 1, 0)),
        # On the day: two hours, but never past the start.
        (cph(2026, 3, 12, 8, 30), cph(2026, 3, 12, 10, 0)),
    ],
)
def test_the_offer_deadline_rule(make_meeting, now, expected):
    meeting = make_meeting(start=START, end=START + datetime.timedelta(hours=5))
    assert services.offer_deadline(meeting, now) == expected


def test_an_editor_set_shorter_offer_time(make_meeting):
    meeting = make_meeting(start=START, end=START + datetime.timedelta(hours=5), offer_hours=12)
    assert services.offer_deadline(meeting, NOW) == NOW + datetime.timedelta(hours=12)


def test_a_meeting_without_timed_offers_still_promotes_at_once(full_meeting):
    full_meeting.waitlist_offers = False
    full_meeting.save()
    anna, ole = full_meeting.people["Anna"], full_meeting.people["Ole"]
    services.cancel(registration=anna, cancelled_by=anna.person)
    assert refreshed(ole).is_confirmed


def test_the_offer_page_reads_a_fixed_number_of_queries(
    client, full_meeting, django_assert_max_num_queries
):
    anna, ole = full_meeting.people["Anna"], full_meeting.people["Ole"]
    services.cancel(registration=anna, cancelled_by=anna.person)
    client.force_login(ole.person)
    url = f"/moeder/tilmelding/{ole.pk}/tilbud/"
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
