"""Registration approval: on a meeting that needs it, requests wait as "afventer
godkendelse" and take no seat; staff approve or decline them in "Tilmeldinger" (a row
button or the bulk action) with an optional reason; an approved request takes a seat as
far as the limits allow, and the person is told by e-mail either way (with the calendar
file when they get a seat)."""

import re

import icalendar
import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.models import ModelLogEntry

from meetings import services
from meetings.models import Registration
from network import services as network_services
from portal.factories import UserFactory


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True, verified=True, first_name="Karen", last_name="Koordinator")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def vetted(make_meeting):
    """Capacity 2, two seats per organisation, one trial place; needs approval."""
    return make_meeting(
        title="Lukket møde om tilsyn",
        capacity=2,
        seats_per_organisation=2,
        trial_places=1,
        requires_approval=True,
    )


def test_a_request_waits_for_approval_takes_no_seat_and_the_person_is_told(
    client, vetted, member_org, person_at, django_capture_on_commit_callbacks
):
    org = member_org("Aarhus Kommune")
    person = person_at(org, first_name="Mona", last_name="Medlem", email="mona@aarhus.dk")
    client.force_login(person)
    register_page = text(client.get(vetted.register_url))
    assert "Deltagelse i mødet skal godkendes" in register_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            vetted.register_url,
            {"organisation": str(org.pk), "participant": str(person.pk)},
            follow=True,
        )

    page = text(response)
    assert "Din anmodning er modtaget og afventer godkendelse." in page
    assert "Din anmodning afventer godkendelse." in page  # the meeting page's box
    registration = Registration.objects.get(meeting=vetted, person=person)
    assert registration.status == Registration.Status.PENDING
    summary = vetted.registration_summary()
    assert (summary["confirmed"], summary["free"], summary["pending"]) == (0, 2, 1)
    (message,) = mail.outbox
    assert message.to == ["mona@aarhus.dk"]
    assert "Anmodning modtaget: Lukket møde om tilsyn" in message.subject
    assert "skal godkendes" in message.body
    assert not message.attachments  # no calendar file before there is a seat
    # Min side says so too.
    assert "Afventer godkendelse" in text(client.get("/min-side/"))


def test_staff_approve_a_request_in_the_admin_with_a_reason_and_the_person_gets_the_ics(
    client, editor, vetted, member_org, person_at, django_capture_on_commit_callbacks
):
    org = member_org("Aarhus Kommune")
    person = person_at(org, first_name="Mona", last_name="Medlem", email="mona@aarhus.dk")
    registration = services.register(meeting=vetted, person=person, organisation=org)
    mail.outbox.clear()
    client.force_login(editor)
    listing = f"/admin/meetings/registrations/?meeting={vetted.pk}"
    page = text(client.get(listing))
    assert "Afventer godkendelse" in page
    approve_url = f"/admin/meetings/registrations/approve/{registration.pk}/"
    assert f'href="{approve_url}?next=' in page
    assert f"/admin/meetings/registrations/decline/{registration.pk}/" in page

    confirm = text(client.get(approve_url))
    assert "Godkend anmodningen fra Mona Medlem?" in confirm
    assert "Begrundelse (valgfri)" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            approve_url, {"reason": "Velkommen, husk frokost.", "next": listing}, follow=True
        )

    assert "Anmodningen fra Mona Medlem er godkendt" in text(response)
    registration.refresh_from_db()
    assert registration.is_confirmed
    assert registration.decided_by == editor
    assert registration.decision_reason == "Velkommen, husk frokost."
    (message,) = mail.outbox
    assert message.to == ["mona@aarhus.dk"]
    assert "Godkendt, din plads er bekræftet" in message.subject
    assert "Din anmodning er godkendt" in message.body
    assert "Velkommen, husk frokost." in message.body
    ((_filename, content, _mimetype),) = message.attachments
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Lukket møde om tilsyn"
    entry = ModelLogEntry.objects.filter(
        object_id=str(registration.pk), action="meetings.registration.approved"
    ).get()
    assert entry.user_id == editor.pk and entry.data == {"reason": "Velkommen, husk frokost."}


def test_approving_in_bulk_gives_seats_in_request_order_as_far_as_the_limits_allow(
    client, editor, vetted, member_org, person_at, django_capture_on_commit_callbacks
):
    aarhus, odense = member_org("Aarhus Kommune"), member_org("Odense Kommune")
    first = services.register(meeting=vetted, person=person_at(aarhus), organisation=aarhus)
    second = services.register(meeting=vetted, person=person_at(odense), organisation=odense)
    third = services.register(meeting=vetted, person=person_at(aarhus), organisation=aarhus)
    confirmed = services.register(
        meeting=vetted, person=person_at(odense), organisation=odense, registered_by=editor
    )
    assert confirmed.is_confirmed  # staff registering someone by hand decide at once
    mail.outbox.clear()
    client.force_login(editor)
    listing = f"/admin/meetings/registrations/?meeting={vetted.pk}"
    assert "Godkend de valgte anmodninger" in text(client.get(listing))
    ids = [third.pk, first.pk, second.pk, confirmed.pk]
    bulk = reverse("wagtail_bulk_action", args=["meetings", "registration", "approve"])
    page = f"{bulk}?{urlencode([('next', listing), *[('id', pk) for pk in ids]])}"
    confirm = text(client.get(page))
    assert "Godkend disse anmodninger?" in confirm
    assert "Disse afventer ikke godkendelse og bliver ikke ændret" in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(page, {"reason": ""}, follow=True)

    assert "3 anmodninger godkendt." in text(response)
    for registration in (first, second, third):
        registration.refresh_from_db()
    # One seat was left (the coordinator took one): the earliest request got it.
    assert first.is_confirmed
    assert second.is_waitlisted and second.waitlist_reason == "capacity"
    assert third.is_waitlisted
    assert vetted.registration_summary()["confirmed"] == 2
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 3
    assert sum("Godkendt, på ventelisten" in s for s in subjects) == 2
    with_ics = [m for m in mail.outbox if m.attachments]
    assert [m.to for m in with_ics] == [[first.person.email]]


def test_declining_tells_the_person_the_reason_and_gives_the_trial_back(
    client, editor, vetted, non_member_org, person_at, django_capture_on_commit_callbacks
):
    org = non_member_org("Esbjerg Kommune")
    person = person_at(org, email="erik@esbjerg.dk")
    registration = services.register(meeting=vetted, person=person, organisation=org, trial=True)
    network = vetted.get_parent()
    assert not network_services.trial_available(organisation=org, network=network, on=vetted.date)
    client.force_login(editor)
    decline_url = f"/admin/meetings/registrations/decline/{registration.pk}/"
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(decline_url, {"reason": "Mødet er kun for tilsynsførende."})

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DECLINED
    assert network_services.trial_available(organisation=org, network=network, on=vetted.date)
    (message,) = mail.outbox
    assert message.to == ["erik@esbjerg.dk"]
    assert "Anmodning ikke godkendt" in message.subject
    assert "Begrundelse: Mødet er kun for tilsynsførende." in message.body
    assert not message.attachments
    # A second press finds nothing to do, in Danish, and changes nothing.
    response = client.post_with_token(decline_url, {}, page="/", follow=True)
    assert "Intet er ændret: tilmeldingen for" in text(response)
    assert "er afvist" in text(response)
    assert len(mail.outbox) == 1


def test_a_too_long_reason_is_a_danish_field_error_and_nothing_is_decided(
    client, editor, vetted, member_org, person_at
):
    org = member_org()
    registration = services.register(meeting=vetted, person=person_at(org), organisation=org)
    client.force_login(editor)
    url = f"/admin/meetings/registrations/approve/{registration.pk}/"

    response = client.submit(url, {"reason": "x" * 501})

    assert response.status_code == 400
    assert "Denne værdi må højst have 500 tegn" in text(response)
    registration.refresh_from_db()
    assert registration.is_pending


def test_deciding_a_request_twice_or_without_permission_is_refused(
    vetted, member_org, person_at, editor
):
    org = member_org()
    member = person_at(org)
    registration = services.register(meeting=vetted, person=member, organisation=org)
    with pytest.raises(PermissionDenied):
        services.decide(registration=registration, approve=True, decided_by=member)
    services.decide(registration=registration, approve=False, decided_by=editor)
    with pytest.raises(ValidationError) as error:
        services.decide(registration=registration, approve=True, decided_by=editor)
    assert error.value.code == "decided"
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DECLINED


def test_a_member_cannot_open_the_approve_page(client, vetted, member_org, person_at):
    org = member_org()
    member = person_at(org)
    registration = services.register(meeting=vetted, person=member, organisation=org)
    client.force_login(member)
    response = client.get(f"/admin/meetings/registrations/approve/{registration.pk}/")
    assert response.status_code in (302, 403)
    registration.refresh_from_db()
    assert registration.is_pending


def test_the_dashboard_lists_requests_awaiting_approval(
    client, editor, vetted, member_org, person_at
):
    org = member_org()
    services.register(meeting=vetted, person=person_at(org), organisation=org)
    client.force_login(editor)
    page = text(client.get("/admin/"))
    assert "Lukket møde om tilsyn: 1 anmodning afventer godkendelse" in page
