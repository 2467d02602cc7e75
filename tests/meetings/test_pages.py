"""What members and visitors see: the meeting page, listings, registering, cancelling,
Min side and materials."""

import datetime
import re
import time

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from meetings import emails, services
from meetings.blocks import ProgrammeItemBlock
from meetings.factories import RegistrationFactory, programme_item
from meetings.models import MeetingMaterial, MeetingPage, Registration
from portal.factories import UserFactory
from tests.mailserver import assert_retrying_and_logged

from .conftest import cph


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_meeting_page_shows_facts_timetable_and_print_stylesheet(client, make_meeting):
    meeting = make_meeting(
        title="3. netværksmøde 2021",
        start=cph(2021, 12, 8, 9, 30),
        end=cph(2021, 12, 8, 15, 30),
        programme=[
            programme_item("9.30", "10.00", "Kaffe og rundstykker", "meal"),
            programme_item(
                "10.00",
                "10.45",
                "Boligsocial monitorering",
                "talk",
                speakers=[("Mette Holm", "Analysechef", "Testrup Kommune")],
            ),
            programme_item("10.45", "12.00", "Strategiske aftaler", "workshop"),
        ],
    )

    page = text(client.get(meeting.url))

    assert "onsdag 8. december 2021, 9.30" in page
    assert "KL-huset" in page and "Weidekampsgade 10, 2300 København S" in page
    assert '<ol class="programme-list">' in page
    assert re.search(r"9\.30</time>\u2013<time>10\.00</time>.*Måltid.*Kaffe og rundstykker", page)
    assert "<strong>Mette Holm</strong>, Analysechef, Testrup Kommune" in page
    assert "Workshop" in page
    assert 'href="/static/meetings/print.css" media="print"' in page
    # It is in the past: no talk of free seats, just that it has taken place.
    assert "Mødet er afholdt." in page
    assert "ledige pladser" not in page and "Tilmeldingen til mødet er lukket." not in page
    assert f'href="{meeting.ics_url}"' in page


def test_registration_closed_before_the_meeting_says_so(client, make_meeting):
    soon = timezone.now() + datetime.timedelta(days=3)
    meeting = make_meeting(
        start=soon,
        end=soon + datetime.timedelta(hours=6),
        registration_closes=timezone.now() - datetime.timedelta(hours=1),
    )
    page = text(client.get(meeting.url))
    assert "Tilmeldingen til mødet er lukket." in page
    assert "ledige pladser" not in page


def test_a_visitor_is_asked_to_log_in_and_a_cancelled_meeting_says_so(client, make_meeting):
    meeting = make_meeting()
    assert "Log ind for at tilmelde dig selv eller en kollega." in text(client.get(meeting.url))
    cancelled = make_meeting(status=MeetingPage.Status.CANCELLED)
    assert "Mødet er aflyst." in text(client.get(cancelled.url))


def test_a_non_member_sees_how_to_sign_up(client, make_meeting, non_member_org, person_at):
    meeting = make_meeting(audience=MeetingPage.Audience.MEMBERS)
    client.force_login(UserFactory(verified=True))
    page = text(client.get(meeting.url))
    assert "Mødet er for netværkets medlemmer." in page
    assert "Læs, hvordan din organisation bliver medlem" in page
    response = client.get(meeting.register_url)
    assert "du er ikke tilknyttet en medlemsorganisation" in text(response)
    assert '<form method="post" class="stacked-form"' not in text(response)


def test_a_member_registers_a_colleague_through_the_form(
    client, meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    org = member_org("Aarhus Kommune")
    registrar = person_at(org, first_name="Mads", last_name="Medlem")
    colleague = person_at(org, first_name="Kirsten", last_name="Kollega", email="k@aarhus.dk")
    client.force_login(registrar)

    form_page = text(client.get(meeting.register_url))
    assert "Aarhus Kommune (medlem)" in form_page
    assert "Kirsten Kollega (k@aarhus.dk)" in form_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            meeting.register_url,
            {
                "organisation": str(org.pk),
                "participant": str(colleague.pk),
                "dietary_needs": "Glutenfri",
                "accessibility_needs": "",
            },
            follow=True,
        )

    registration = Registration.objects.get(person=colleague)
    assert registration.registered_by == registrar
    assert registration.dietary_needs == "Glutenfri"
    page = text(response)
    assert "Kirsten Kollega er tilmeldt, og pladsen er bekræftet." in page
    assert "Kolleger, du har tilmeldt" in page
    assert mail.outbox[0].to == ["k@aarhus.dk"]
    assert mail.outbox[0].cc == [registrar.email]
    assert "Mads Medlem har tilmeldt dig mødet nedenfor" in mail.outbox[0].body


def test_the_form_says_why_a_request_is_waitlisted(
    client, make_meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    meeting = make_meeting(capacity=1, trial_places=0)
    org = member_org()
    services.register(meeting=meeting, person=person_at(org), organisation=org)
    person = person_at(org)
    client.force_login(person)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            meeting.register_url,
            {"organisation": str(org.pk), "participant": str(person.pk)},
            follow=True,
        )

    page = text(response)
    assert "Du er på venteliste. Mødet er fuldt. Du rykker automatisk op" in page
    assert "Du er på venteliste." in page  # the registration box on the page
    assert "Du er på venteliste:" in mail.outbox[-1].subject


def test_a_foreign_participant_is_a_field_error_not_a_crash(client, meeting, member_org, person_at):
    org = member_org()
    person = person_at(org)
    client.force_login(person)
    stranger = UserFactory(verified=True)
    response = client.submit(
        meeting.register_url, {"organisation": str(org.pk), "participant": str(stranger.pk)}
    )
    assert response.status_code == 400
    assert "Marker en gyldig valgmulighed" in text(response)
    response = client.submit(meeting.register_url, {"organisation": "abc", "participant": "x"})
    assert response.status_code == 400


def test_a_trial_registration_through_the_form(client, meeting, non_member_org, person_at):
    org = non_member_org("Esbjerg Kommune")
    person = person_at(org)
    client.force_login(person)
    form_page = text(client.get(meeting.trial_registration_url))
    assert "Esbjerg Kommune (gratis prøvemøde)" in form_page

    client.submit(
        meeting.register_url, {"organisation": str(org.pk), "participant": str(person.pk)}
    )

    registration = Registration.objects.get(person=person)
    assert registration.kind == Registration.Kind.TRIAL and registration.is_confirmed
    # The trial is used: the option is gone for the next meeting.
    assert "(gratis prøvemøde)" not in text(client.get(meeting.register_url))


def test_cancel_from_the_meeting_page_and_strangers_cannot(client, meeting, member_org, person_at):
    org = member_org()
    person = person_at(org)
    registration = services.register(meeting=meeting, person=person, organisation=org)
    stranger = person_at(org)
    client.force_login(stranger)
    cancel_url = f"/moeder/tilmelding/{registration.pk}/afmeld/"
    assert client.get(cancel_url).status_code == 404
    assert client.post_with_token(cancel_url, page=meeting.url).status_code == 404

    client.force_login(person)
    # "Afmeld" on the meeting page opens the confirmation page; its form cancels.
    assert f'href="{cancel_url}?next=' in client.get(meeting.url).content.decode()
    response = client.submit(cancel_url, {"next": "https://evil.example/"}, page=cancel_url)
    assert response.status_code == 302
    assert response["Location"] == meeting.url
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_the_cancel_link_in_the_e_mail_asks_first_then_cancels_and_promotes(
    client, make_meeting, member_org, person_at
):
    meeting = make_meeting(capacity=1, trial_places=0)
    org = member_org()
    first = services.register(meeting=meeting, person=person_at(org), organisation=org)
    second = services.register(meeting=meeting, person=person_at(org), organisation=org)
    link = emails.cancel_url(first)
    assert link.startswith(settings.SITE_URL)
    path = link.removeprefix(settings.SITE_URL)

    page = text(client.get(path))
    assert "Ja, afmeld mig" in page
    first.refresh_from_db()
    assert first.is_confirmed  # a GET never cancels

    client.submit(path)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert second.is_confirmed
    broken = client.get(path[:-5] + "xxxx/")
    assert broken.status_code == 404
    assert "Linket til afmelding er ikke gyldigt" in text(broken)
    assert 'href="/min-side/"' in broken.content.decode()


def test_min_side_lists_upcoming_and_past_registrations_with_status_and_cancel(
    client, make_meeting, member_org, person_at
):
    org = member_org()
    person = person_at(org)
    upcoming = make_meeting(title="Kommende møde")
    past = make_meeting(
        title="Gammelt møde", start=cph(2021, 12, 8, 9, 30), end=cph(2021, 12, 8, 15, 30)
    )
    registration = services.register(meeting=upcoming, person=person, organisation=org)
    RegistrationFactory(
        meeting=past, person=person, organisation=org, attended_at=cph(2021, 12, 8, 9, 40)
    )
    client.force_login(person)

    page = text(client.get("/min-side/"))

    assert "Mine møder" in page
    assert re.search(r"Kommende.*Kommende møde.*Bekræftet", page)
    assert re.search(r"Tidligere møder.*Gammelt møde.*Deltog", page)
    assert f'href="/moeder/tilmelding/{registration.pk}/afmeld/?next=/min-side/"' in page
    assert page.count("/afmeld/") == 1  # no cancel button for the past meeting


def test_network_page_lists_upcoming_first_and_an_archive_with_pinned_queries(
    client, network, make_meeting, django_assert_max_num_queries
):
    for month in (2, 4, 6):
        make_meeting(
            title=f"Møde {month}/2030", start=cph(2030, month, 1, 10), end=cph(2030, month, 1, 15)
        )
    for year in range(2015, 2021):
        make_meeting(title=f"Møde {year}", start=cph(year, 12, 1, 10), end=cph(year, 12, 1, 15))

    with django_assert_max_num_queries(25):
        page = text(client.get(network.url))

    assert page.index("Møde 2/2030") < page.index("Møde 4/2030") < page.index("Møde 6/2030")
    assert "Arkiv: 6 tidligere møder" in page
    assert page.index("Møde 6/2030") < page.index("Møde 2020") < page.index("Møde 2015")

    # The number of queries does not grow with the number of meetings.
    for year in range(2005, 2015):
        make_meeting(title=f"Møde {year}", start=cph(year, 12, 1, 10), end=cph(year, 12, 1, 15))
    with django_assert_max_num_queries(25):
        client.get(network.url)


def test_the_network_pages_meeting_list_is_kept_and_follows_every_change(
    client, network, make_meeting, venue
):
    """The list is kept rendered in the cache (meetings_tags.network_meetings): a warm
    page asks no meeting query, and a new, renamed or unpublished meeting, a venue
    renamed, another page of the archive or a meeting that ends show on the next
    request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = make_meeting(title="Møde om naboskab")
    for year in range(2000, 2022):
        make_meeting(title=f"Møde {year}", start=cph(year, 12, 1, 10), end=cph(year, 12, 1, 15))
    assert "Møde om naboskab" in text(client.get(network.url))
    with CaptureQueriesContext(connection) as warm:
        page = text(client.get(network.url))
    assert "meetings_meetingpage" not in " ".join(query["sql"] for query in warm)
    assert f"{venue.name}, {venue.city}" in page and "Møde 2021" in page

    make_meeting(title="Møde om tryghed")
    assert "Møde om tryghed" in text(client.get(network.url))
    first.title = "Møde om godt naboskab"
    first.save_revision().publish()
    assert "Møde om godt naboskab" in text(client.get(network.url))
    venue.name = "Rådhuset, sal B"
    venue.save()
    assert "Rådhuset, sal B" in text(client.get(network.url))
    first.unpublish()
    assert "Møde om godt naboskab" not in text(client.get(network.url))

    second_page = text(client.get(network.url, {"arkiv": 2}))
    assert "Møde 2001" in second_page and "Møde 2021" not in second_page
    assert "Møde 2021" in text(client.get(network.url))

    # A meeting that ends moves to the archive without any change by an editor.
    soon = timezone.now() + datetime.timedelta(seconds=2)
    make_meeting(title="Møde der slutter nu", start=soon - datetime.timedelta(hours=1), end=soon)
    page = text(client.get(network.url))
    assert page.index("Møde der slutter nu") < page.index("Arkiv:")
    while timezone.now() <= soon:
        time.sleep(0.2)
    page = text(client.get(network.url))
    assert page.index("Arkiv:") < page.index("Møde der slutter nu")


def test_a_meeting_page_reads_its_network_venue_and_contact_with_the_page(
    client, make_meeting, venue, django_assert_max_num_queries
):
    """Routing reads the meeting with its venue and responsible person in one query and
    hands it its network (read on the way); an anonymous visitor's warm page costs the
    two routing queries, the seat summary and the materials."""
    from portal.factories import ContactFactory

    contact = ContactFactory(name="Karin Koordinator")
    meeting = make_meeting(title="Møde med kontakt", responsible_contact=contact)
    client.get(meeting.url)
    with django_assert_max_num_queries(4):
        page = text(client.get(meeting.url))
    assert "Karin Koordinator" in page
    assert venue.name in page
    assert "Kommunernes Netværk" in page


def test_home_page_shows_the_next_meetings_with_pinned_queries(
    client, home_page, make_meeting, django_assert_max_num_queries
):
    make_meeting(title="Forbi", start=cph(2020, 1, 1, 10), end=cph(2020, 1, 1, 12))
    for day in range(1, 6):
        make_meeting(
            title=f"Møde {day}. marts", start=cph(2030, 3, day, 10), end=cph(2030, 3, day, 12)
        )

    with django_assert_max_num_queries(20):
        page = text(client.get("/"))

    assert "Kommende møder" in page
    assert "Møde 1. marts" in page and "Møde 3. marts" in page
    assert "Møde 4. marts" not in page and "Forbi" not in page
    assert "fredag 1. marts 2030" in page  # when, not only the title


@pytest.fixture
def minutes(make_meeting):
    meeting = make_meeting(
        start=cph(2021, 12, 8, 9, 30),
        end=cph(2021, 12, 8, 15, 30),
        materials_audience=MeetingPage.MaterialsAudience.ATTENDEES,
    )
    material = MeetingMaterial(meeting=meeting, title="Referat", kind="minutes")
    material.file.save("referat.txt", ContentFile(b"Hemmeligt referat"), save=False)
    material.save()
    return material


def test_materials_are_not_reachable_by_a_plain_media_url(minutes):
    assert not str(minutes.file.path).startswith(str(settings.MEDIA_ROOT))
    assert str(minutes.file.path).startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_materials_for_attendees_only(client, minutes, member_org, person_at):
    meeting = minutes.meeting
    org = member_org(years=[2021])
    attendee, other_member = person_at(org), person_at(org)
    RegistrationFactory(meeting=meeting, person=attendee, organisation=org)
    url = minutes.get_absolute_url()

    response = client.get(url)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    assert "kan ses af mødets deltagere" in text(client.get(meeting.url))

    client.force_login(other_member)
    assert client.get(url).status_code == 403
    assert url not in text(client.get(meeting.url))

    client.force_login(attendee)
    assert url in text(client.get(meeting.url))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Hemmeligt referat"
    assert response["Cache-Control"] == "private, no-store"


def test_materials_for_members(client, minutes, member_org, non_member_org, person_at):
    meeting = minutes.meeting
    meeting.materials_audience = MeetingPage.MaterialsAudience.MEMBERS
    meeting.save()
    member = person_at(member_org(years=[2021]))
    outsider = person_at(non_member_org())
    client.force_login(outsider)
    assert client.get(minutes.get_absolute_url()).status_code == 403
    client.force_login(member)
    assert client.get(minutes.get_absolute_url()).status_code == 200


def test_programme_item_end_must_be_after_start():
    block = ProgrammeItemBlock()
    value = block.to_python(
        {
            "start_time": "10:00",
            "end_time": "09:30",
            "title": "Oplæg",
            "kind": "talk",
            "description": "",
            "speakers": [],
        }
    )
    with pytest.raises(Exception) as excinfo:
        block.clean(value)
    assert excinfo.value.block_errors["end_time"].messages == [
        "Sluttidspunktet skal ligge efter starttidspunktet."
    ]
    value["end_time"] = datetime.time(10, 30)
    assert block.clean(value)["title"] == "Oplæg"


def test_meeting_validation_in_danish(make_meeting):
    from django.core.exceptions import ValidationError

    meeting = make_meeting()
    meeting.end = meeting.start - datetime.timedelta(hours=1)
    meeting.trial_places = meeting.capacity + 1
    with pytest.raises(ValidationError) as excinfo:
        meeting.full_clean()
    assert excinfo.value.message_dict["end"] == ["Mødet skal slutte, efter det begynder."]
    assert excinfo.value.message_dict["trial_places"] == [
        "Der kan ikke være flere prøvepladser end pladser i alt."
    ]


def test_the_trial_offer_points_to_this_meetings_trial_registration(
    meeting, non_member_org, network
):
    from network import services as network_services

    org = non_member_org()
    offer = network_services.trial_offer(organisation=org, network=network, on=meeting.date)
    assert offer.meeting.pk == meeting.pk
    assert offer.url == meeting.trial_registration_url

    # Once its trial places are taken, the meeting is no longer offered.
    RegistrationFactory(meeting=meeting, kind=Registration.Kind.TRIAL)
    RegistrationFactory(meeting=meeting, kind=Registration.Kind.TRIAL)
    assert network_services.trial_offer(organisation=org, network=network, on=meeting.date) is None


def _edit_with_material(client, meeting, upload):
    from django.contrib.auth.models import Group
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    moderator = UserFactory(is_staff=True, verified=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    data = nested_form_data(
        {
            "title": meeting.title,
            "slug": meeting.slug,
            "start": meeting.local_start.strftime("%Y-%m-%d %H:%M"),
            "end": meeting.local_end.strftime("%Y-%m-%d %H:%M"),
            "status": "planned",
            "lead": meeting.lead,
            "programme": streamfield([]),
            "audience": meeting.audience,
            "capacity": meeting.capacity,
            "seats_per_organisation": 2,
            "trial_places": 2,
            "materials_audience": "members",
            "materials": inline_formset(
                [{"title": "Slides fra Housing First-oplægget", "kind": "slides", "file": upload}]
            ),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    data["practical_information"] = '{"blocks": [], "entityMap": {}}'
    return client.submit(f"/admin/pages/{meeting.pk}/edit/", data)


def test_an_editor_uploads_materials_in_the_page_editor_and_they_stay_private(
    client, meeting, member_org, person_at
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _edit_with_material(
        client, meeting, SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides")
    )

    assert response.status_code == 302
    material = MeetingMaterial.objects.get(meeting=meeting)
    assert str(material.file.path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert material.title == "Slides fra Housing First-oplægget"
    client.force_login(person_at(member_org()))
    response = client.get(material.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 slides"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_material_that_is_not_what_its_name_says_is_refused_in_danish(client, meeting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("falske-slides.pdf", b"MZ\x90\x00 a program, not slides")
    response = _edit_with_material(client, meeting, fake)

    assert response.status_code == 200  # the editor stays on the form
    assert (
        "Filen skal være en PDF-, Word- (DOCX), OpenDocument- (ODT), PowerPoint- (PPTX) "
        "eller Excel-fil (XLSX)." in text(response)
    )
    assert not MeetingMaterial.objects.filter(meeting=meeting).exists()
    assert not any((settings.PRIVATE_MEDIA_ROOT / "meetings").rglob("falske-slides*"))


def test_a_mail_server_outage_does_not_turn_a_registration_into_an_error(
    client,
    meeting,
    member_org,
    person_at,
    failing_mail_server,
    caplog,
    django_capture_on_commit_callbacks,
):
    org = member_org("Aarhus Kommune")
    registrar = person_at(org, first_name="Mads", last_name="Medlem", email="m@aarhus.dk")
    colleague = person_at(org, first_name="Kirsten", last_name="Kollega", email="k@aarhus.dk")
    client.force_login(registrar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            meeting.register_url,
            {"organisation": str(org.pk), "participant": str(colleague.pk)},
            follow=True,
        )
    assert response.status_code == 200
    assert "Kirsten Kollega er tilmeldt, og pladsen er bekræftet." in text(response)
    assert Registration.objects.get(person=colleague).status == Registration.Status.CONFIRMED
    # One confirmation to the colleague, the registrar copied, waiting for the mail server.
    (row,) = assert_retrying_and_logged(caplog, {"k@aarhus.dk", "m@aarhus.dk"})
    assert (row.message["to"], row.message["cc"]) == (["k@aarhus.dk"], ["m@aarhus.dk"])
    assert mail.outbox == []
