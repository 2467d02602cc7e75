"""The meeting page keeps what it shows everyone alike (facts, programme, practical
information, the list of materials) in the tree cache (`MeetingPage._kept_parts`); an
editor's change shows at once, a preview shows the draft, and what depends on the visitor
or the moment (seats left, the registration box, access to the materials) never comes
from a kept copy."""

import datetime

import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings.factories import RegistrationFactory, programme_item
from meetings.models import MeetingMaterial, MeetingPage
from meetings.services import register

from .conftest import cph


def text(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_edited_and_published_meeting_shows_at_once(client, meeting):
    assert "Boligsocial monitorering" in text(client, meeting)
    meeting.title = "Netværksmøde om fleksibel udlejning"
    meeting.lead = "Nyt fokus på udlejning."
    meeting.programme = [programme_item("10.00", "11.00", "Housing First i praksis", "talk")]
    meeting.save_revision().publish()
    body = text(client, meeting)
    assert "<h1>Netværksmøde om fleksibel udlejning</h1>" in body
    assert "Nyt fokus på udlejning." in body
    assert "Housing First i praksis" in body and "Boligsocial monitorering" not in body


def test_an_edited_venue_shows_at_once(client, meeting, venue):
    assert venue.name in text(client, meeting)
    venue.name = "Aarhus Rådhus, byrådssalen"
    venue.directions = "Bus 1A til Rådhuspladsen."
    venue.save()
    body = text(client, meeting)
    assert "Aarhus Rådhus, byrådssalen" in body
    assert "Bus 1A til Rådhuspladsen." in body


def test_a_preview_shows_the_draft_and_the_page_stays_as_published(client, meeting):
    text(client, meeting)  # the published page is kept
    meeting.title = "Kladde: nyt mødenavn"
    meeting.save_revision()
    preview = meeting.get_latest_revision_as_object().make_preview_request()
    assert "Kladde: nyt mødenavn" in preview.content.decode()
    assert "Kladde: nyt mødenavn" not in text(client, meeting)


def test_seats_left_count_every_registration_at_once(client, meeting, member_org, person_at):
    assert "20 ledige pladser" in text(client, meeting)
    org = member_org()
    register(meeting=meeting, person=person_at(org), organisation=org)
    assert "19 ledige pladser" in text(client, meeting)


def test_registration_opening_and_closing_follow_the_clock(client, make_meeting):
    now = timezone.now()
    meeting = make_meeting(registration_opens=now + datetime.timedelta(days=1))
    assert "Tilmeldingen åbner" in text(client, meeting)
    with time_machine.travel(now + datetime.timedelta(days=2)):
        body = text(client, meeting)
        assert "Tilmeldingen åbner" not in body
        assert "Log ind for at tilmelde dig selv eller en kollega." in body


def test_materials_added_show_at_once_and_only_to_whom_may_open_them(
    client, make_meeting, member_org, person_at
):
    meeting = make_meeting(
        start=cph(2021, 12, 8, 9, 30),
        end=cph(2021, 12, 8, 15, 30),
        materials_audience=MeetingPage.MaterialsAudience.ATTENDEES,
    )
    org = member_org(years=[2021])
    attendee, other_member = person_at(org), person_at(org)
    RegistrationFactory(meeting=meeting, person=attendee, organisation=org)
    client.force_login(attendee)
    assert "Materialer" not in text(client, meeting)

    material = MeetingMaterial(meeting=meeting, title="Referat af mødet", kind="minutes")
    material.file.save("referat.txt", ContentFile(b"Referat"), save=False)
    material.save()
    url = material.get_absolute_url()
    assert url in text(client, meeting)  # the attendee, right after it was added

    for visitor in (other_member, None):
        if visitor:
            client.force_login(visitor)
        else:
            client.logout()
        body = text(client, meeting)
        assert "Referat af mødet" not in body and url not in body
        assert "Slides og referat fra" in body  # and why not

    client.force_login(attendee)
    assert url in text(client, meeting)
    material.delete()
    assert url not in text(client, meeting)


def test_the_kept_page_costs_a_member_few_queries(
    client, meeting, member_org, person_at, django_assert_num_queries
):
    org = member_org()
    client.force_login(person_at(org))
    text(client, meeting)
    # The page (found by its address, with its network), the seats left, the session
    # and the person, the person's organisations and their registrations for the meeting.
    with django_assert_num_queries(7):
        body = text(client, meeting)
    assert "Boligsocial monitorering" in body and "20 ledige pladser" in body
