"""Send a colleague instead: a confirmed participant hands the seat to a colleague with
a verified affiliation with the same organisation, from Min side or the confirmation
e-mail's link; the colleague gets the seat at once (past the waitlist), it still counts
for the organisation, both are told by e-mail (the colleague with the calendar file), and
staff can do the same in "Tilmeldinger"."""

import re

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import ModelLogEntry

from meetings import services
from meetings.models import Registration
from network.factories import AffiliationFactory
from network.models import Affiliation
from portal.factories import UserFactory


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def full(make_meeting, member_org, person_at):
    """Capacity 2: Anna and Bent (Aarhus) confirmed, Ole (Odense) waitlisted; Anna's
    colleague Carla (Aarhus, verified) is not registered."""
    meeting = make_meeting(title="Majmødet", capacity=2, seats_per_organisation=2)
    aarhus, odense = member_org("Aarhus Kommune"), member_org("Odense Kommune")
    anna = person_at(aarhus, first_name="Anna", last_name="Aarhus", email="anna@aarhus.dk")
    bent = person_at(aarhus, first_name="Bent", last_name="Aarhus", email="bent@aarhus.dk")
    carla = person_at(aarhus, first_name="Carla", last_name="Aarhus", email="carla@aarhus.dk")
    ole = person_at(odense, first_name="Ole", last_name="Odense", email="ole@odense.dk")
    meeting.seat = {
        person.first_name: services.register(meeting=meeting, person=person, organisation=org)
        for person, org in ((anna, aarhus), (bent, aarhus), (ole, odense))
    }
    meeting.aarhus, meeting.odense, meeting.carla = aarhus, odense, carla
    mail.outbox.clear()
    return meeting


def test_a_participant_sends_a_colleague_from_min_side(
    client, full, django_capture_on_commit_callbacks
):
    anna = full.seat["Anna"]
    client.force_login(anna.person)
    link = f"/moeder/tilmelding/{anna.pk}/send-en-kollega/?next=/min-side/"
    assert f'href="{link}"' in client.get("/min-side/").content.decode()
    page = text(client.get(link))
    assert "Send en kollega i stedet" in page
    assert "Carla Aarhus (carla@aarhus.dk)" in page
    assert "Bent Aarhus" not in page  # already has a seat
    assert "Ole Odense" not in page  # another organisation

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            link, {"colleague": str(full.carla.pk), "next": "/min-side/"}, follow=True
        )

    assert response.redirect_chain[-1][0] == "/min-side/"
    assert "Din plads er givet videre til Carla Aarhus" in text(response)
    anna.refresh_from_db()
    assert anna.status == Registration.Status.CANCELLED and anna.cancelled_by == anna.person
    carla = Registration.objects.get(meeting=full, person=full.carla)
    assert carla.is_confirmed
    assert (carla.organisation, carla.kind, carla.substitute_for) == (full.aarhus, "member", anna)
    # The seat moved: still two confirmed, two for Aarhus, and Ole still waits.
    assert full.registration_summary()["confirmed"] == 2
    assert Registration.objects.get(pk=full.seat["Ole"].pk).is_waitlisted
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"anna@aarhus.dk", "carla@aarhus.dk"}
    assert "Din plads er givet videre til en kollega" in by_address["anna@aarhus.dk"].subject
    assert "givet videre til Carla Aarhus" in by_address["anna@aarhus.dk"].body
    assert not by_address["anna@aarhus.dk"].attachments
    to_carla = by_address["carla@aarhus.dk"]
    assert "Du har overtaget en plads: Majmødet" in to_carla.subject
    assert "Anna Aarhus kan ikke komme" in to_carla.body
    ((_name, content, _type),) = to_carla.attachments
    assert str(icalendar.Calendar.from_ical(content).walk("VEVENT")[0]["SUMMARY"]) == "Majmødet"
    actions = set(
        ModelLogEntry.objects.filter(object_id__in=[str(anna.pk), str(carla.pk)]).values_list(
            "action", flat=True
        )
    )
    assert {"meetings.registration.handed_over", "meetings.registration.taken_over"} <= actions


def test_the_confirmation_e_mail_links_to_sending_a_colleague(
    full, member_org, person_at, django_capture_on_commit_callbacks
):
    org = full.odense
    person = person_at(org, email="olga@odense.dk")
    full.capacity = 5
    full.save()
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.register(meeting=full, person=person, organisation=org)
    (message,) = [m for m in mail.outbox if m.to == ["olga@odense.dk"]]
    assert f"/moeder/tilmelding/{registration.pk}/send-en-kollega/" in message.body
    assert "Giv din plads videre til en kollega" in message.body


def test_a_colleague_from_another_organisation_or_unverified_is_refused_in_danish(
    client, full, person_at
):
    anna = full.seat["Anna"]
    outsider = full.seat["Ole"].person
    unverified = UserFactory(verified=True, first_name="Ulla")
    AffiliationFactory(
        person=unverified, organisation=full.aarhus, status=Affiliation.Status.REQUESTED
    )
    client.force_login(anna.person)
    url = f"/moeder/tilmelding/{anna.pk}/send-en-kollega/"
    assert "Ulla" not in text(client.get(url))

    for person in (outsider, unverified):
        response = client.submit(url, {"colleague": str(person.pk)})
        assert response.status_code == 400
        assert "Vælg en af dine kolleger på listen." in text(response)
    anna.refresh_from_db()
    assert anna.is_confirmed
    assert not mail.outbox


def test_only_the_participant_may_send_a_colleague(client, full):
    anna = full.seat["Anna"]
    client.force_login(full.seat["Bent"].person)
    url = f"/moeder/tilmelding/{anna.pk}/send-en-kollega/"
    assert client.get(url).status_code == 404
    response = client.post_with_token(url, {"colleague": str(full.carla.pk)}, page="/")
    assert response.status_code == 404
    anna.refresh_from_db()
    assert anna.is_confirmed


def test_a_waitlisted_participant_cannot_send_a_colleague(client, full, person_at):
    org = full.odense
    colleague = person_at(org)
    ole = full.seat["Ole"]
    client.force_login(ole.person)
    url = f"/moeder/tilmelding/{ole.pk}/send-en-kollega/"
    assert "Kun en bekræftet plads kan gives videre" in text(client.get(url))
    client.post_with_token(url, {"colleague": str(colleague.pk)}, page="/")
    ole.refresh_from_db()
    assert ole.is_waitlisted
    assert not Registration.objects.filter(person=colleague).exists()


def test_a_colleague_on_the_waitlist_takes_the_seat_and_leaves_the_waitlist(full, person_at):
    org = full.odense
    anna = full.seat["Anna"]
    # Carla asked too and waits; Anna sends her.
    waiting = services.register(meeting=full, person=full.carla, organisation=full.aarhus)
    assert waiting.is_waitlisted

    seat = services.send_colleague(registration=anna, colleague=full.carla, sent_by=anna.person)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CANCELLED
    assert seat.is_confirmed and seat.pk != waiting.pk
    assert Registration.objects.active().filter(meeting=full, person=full.carla).count() == 1
    assert org  # Odense's Ole still waits: the seat never went round the waitlist
    assert Registration.objects.get(pk=full.seat["Ole"].pk).is_waitlisted


def test_staff_send_a_colleague_in_the_admin(client, full, django_capture_on_commit_callbacks):
    editor = UserFactory(is_staff=True, verified=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    anna = full.seat["Anna"]
    client.force_login(editor)
    listing = f"/admin/meetings/registrations/?meeting={full.pk}"
    url = f"/admin/meetings/registrations/send-colleague/{anna.pk}/"
    assert f'href="{url}?next=' in text(client.get(listing))
    page = text(client.get(url))
    assert "Giv pladsen fra Anna Aarhus videre til en kollega" in page
    assert "Carla Aarhus" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            url, {"colleague": str(full.carla.pk), "next": listing}, follow=True
        )

    assert "Pladsen fra Anna Aarhus er givet videre til en kollega." in text(response)
    carla = Registration.objects.get(meeting=full, person=full.carla, status="confirmed")
    assert carla.registered_by == editor
    handed = next(m for m in mail.outbox if m.to == ["anna@aarhus.dk"])
    assert "Det blev gjort af" in handed.body
    # Without a choice: a Danish field error, nothing changed.
    bent = full.seat["Bent"]
    response = client.submit(f"/admin/meetings/registrations/send-colleague/{bent.pk}/", {})
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in text(response)
    bent.refresh_from_db()
    assert bent.is_confirmed


def test_the_send_a_colleague_page_reads_a_fixed_number_of_queries(
    client, full, person_at, django_assert_max_num_queries
):
    for _ in range(15):
        person_at(full.aarhus)
    anna = full.seat["Anna"]
    client.force_login(anna.person)
    url = f"/moeder/tilmelding/{anna.pk}/send-en-kollega/"
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
