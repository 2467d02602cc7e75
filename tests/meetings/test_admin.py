"""The editors' side: registrations in the Wagtail admin, exports, check-in, moving from
the waitlist, the printable list and the summary on the meeting's edit page."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core import mail

from meetings import services
from meetings.models import Registration
from portal.factories import UserFactory


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def editor(db):
    user = UserFactory(is_staff=True, verified=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def filled_meeting(make_meeting, member_org, non_member_org, person_at):
    """Capacity 3: Aarhus 2 confirmed, Esbjerg's trial confirmed, Odense waitlisted."""
    meeting = make_meeting(title="Decembermødet", capacity=3, trial_places=1)
    aarhus = member_org("Aarhus Kommune")
    odense = member_org("Odense Kommune")
    esbjerg = non_member_org("Esbjerg Kommune")
    services.register(
        meeting=meeting,
        person=person_at(aarhus, first_name="Anna", last_name="Aarhus"),
        organisation=aarhus,
        answers={"dietary_needs": "Vegetar", "accessibility_needs": "Kørestol"},
    )
    services.register(
        # Named, so no random Danish first name collides with "Anna" below.
        meeting=meeting,
        person=person_at(aarhus, first_name="Bent", last_name="Aarhus"),
        organisation=aarhus,
    )
    services.register(
        meeting=meeting,
        person=person_at(esbjerg, first_name="Erik", last_name="Esbjerg"),
        organisation=esbjerg,
        trial=True,
    )
    services.register(
        meeting=meeting,
        person=person_at(odense, first_name="Ole", last_name="Odense"),
        organisation=odense,
    )
    return meeting


def test_the_meeting_edit_page_shows_the_registration_summary(client, editor, filled_meeting):
    client.force_login(editor)
    page = text(client.get(f"/admin/pages/{filled_meeting.pk}/edit/"))
    assert "3 af 3 pladser bekræftet" in page
    assert "1 på venteliste" in page
    assert "prøvepladser brugt: 1 af 1" in page
    assert f"/admin/meetings/{filled_meeting.pk}/participants/" in page


def test_registrations_listing_filters_by_meeting_status_kind_and_organisation(
    client,
    editor,
    filled_meeting,
    make_meeting,
    member_org,
    person_at,
    django_assert_max_num_queries,
):
    other = make_meeting(title="Et andet møde")
    org = member_org()
    elsewhere = services.register(meeting=other, person=person_at(org), organisation=org)
    client.force_login(editor)
    base = f"/admin/meetings/registrations/?meeting={filled_meeting.pk}"

    with django_assert_max_num_queries(40):
        page = text(client.get(base))
    for registration in Registration.objects.filter(meeting=filled_meeting):
        assert f"/admin/meetings/registrations/{registration.pk}/cancel/" in page
    assert f"/admin/meetings/registrations/{elsewhere.pk}/cancel/" not in page
    assert page.count(">Tjek ind</button>") == 3  # the confirmed ones
    assert page.count(">Bekræft fra venteliste</button>") == 1

    waitlisted = text(client.get(base + "&status=waitlisted"))
    assert "Ole Odense" in waitlisted and "Anna Aarhus" not in waitlisted
    assert "Mødet er fuldt." in waitlisted
    trial = text(client.get(base + "&kind=trial"))
    assert "Erik Esbjerg" in trial and "Anna Aarhus" not in trial
    esbjerg = Registration.objects.get(kind="trial").organisation
    by_org = text(client.get(base + f"&organisation={esbjerg.pk}"))
    assert "Erik Esbjerg" in by_org and "Ole Odense" not in by_org


def test_participant_export_as_csv_and_xlsx_with_names_organisations_and_answers(
    client, editor, filled_meeting
):
    client.force_login(editor)
    base = f"/admin/meetings/registrations/?meeting={filled_meeting.pk}&status=confirmed"

    response = client.get(base + "&export=csv")
    assert response.status_code == 200
    assert "deltagere-" in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")  # spreadsheet programs read æøå right
    rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff"))))
    assert len(rows) == 3
    anna = next(row for row in rows if row["Fornavn"] == "Anna")
    assert anna["Efternavn"] == "Aarhus"
    assert anna["Organisation"] == "Aarhus Kommune"
    assert anna["Kosthensyn"] == "Vegetar"
    assert anna["Behov for tilgængelighed"] == "Kørestol"
    assert anna["Status"] == "Bekræftet"

    response = client.get(base + "&export=xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["Fornavn", "Efternavn", "E-mail", "Stilling", "Organisation"]
    assert sheet.max_row == 4


def test_participant_export_shows_copenhagen_time(client, editor, filled_meeting):
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    Registration.objects.filter(pk=anna.pk).update(
        created_at=datetime.datetime(2026, 6, 1, 22, 30, tzinfo=datetime.UTC)
    )
    client.force_login(editor)
    base = f"/admin/meetings/registrations/?meeting={filled_meeting.pk}&status=confirmed"

    response = client.get(base + "&export=csv")
    content = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    row = next(r for r in csv.DictReader(io.StringIO(content)) if r["Fornavn"] == "Anna")
    assert row["Tilmeldt"] == "02.06.2026 00:30"  # not "2026-06-01 22:30:00+00:00"

    response = client.get(base + "&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    anna_row = next(r for r in rows if r[0] == "Anna")
    assert anna_row[header.index("Tilmeldt")] == datetime.datetime(2026, 6, 2, 0, 30)


def test_check_in_and_undo(client, editor, filled_meeting):
    client.force_login(editor)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")

    response = client.submit(f"/admin/meetings/registrations/{anna.pk}/check-in/", {"attended": "1"})

    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.attended
    client.submit(f"/admin/meetings/registrations/{anna.pk}/check-in/", {"attended": "0"})
    anna.refresh_from_db()
    assert not anna.attended
    assert client.get(f"/admin/meetings/registrations/{anna.pk}/check-in/").status_code == 405


def test_move_from_the_waitlist_by_hand_tells_the_person(
    client, editor, filled_meeting, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    ole = Registration.objects.get(person__first_name="Ole")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(f"/admin/meetings/registrations/{ole.pk}/confirm/", follow=True)

    ole.refresh_from_db()
    assert ole.is_confirmed
    assert "er rykket fra ventelisten til en bekræftet plads" in text(response)
    assert mail.outbox[-1].to == [ole.person.email]


def test_an_editor_cancels_and_the_waitlist_moves_up(client, editor, filled_meeting):
    client.force_login(editor)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    client.submit(f"/admin/meetings/registrations/{anna.pk}/cancel/")
    anna.refresh_from_db()
    assert anna.status == Registration.Status.CANCELLED
    assert Registration.objects.get(person__first_name="Ole").is_confirmed


def test_printable_participant_list(client, editor, filled_meeting):
    client.force_login(editor)
    page = text(client.get(f"/admin/meetings/{filled_meeting.pk}/participants/"))
    assert "Decembermødet" in page
    assert "Bekræftet: 3 af 3 · Venteliste: 1 · Prøvemøde: 1" in page
    confirmed, waitlist = page.split("<h2>Venteliste</h2>")
    assert "Anna Aarhus" in confirmed and "Kosthensyn: Vegetar" in confirmed
    assert "Ole Odense" in waitlist and "Mødet er fuldt." in waitlist
    assert 'href="/static/meetings/participants.css"' in page


def test_an_editor_registers_someone_by_hand_under_the_same_rules(
    client, editor, filled_meeting, member_org, person_at
):
    client.force_login(editor)
    org = member_org("Vejle Kommune")
    person = person_at(org, first_name="Vera", last_name="Vejle")

    response = client.submit(
        "/admin/meetings/registrations/new/",
        {
            "meeting": filled_meeting.pk,
            "person": person.pk,
            "organisation": org.pk,
            "dietary_needs": "",
            "accessibility_needs": "",
            "joins_dinner": "",
        },
        follow=True,
    )

    registration = Registration.objects.get(person=person)
    assert registration.is_waitlisted  # the meeting is full
    assert registration.registered_by == editor
    assert "Vera Vejle er på venteliste: Mødet er fuldt." in text(response)


def test_people_without_permission_get_no_registrations(
    client, filled_meeting, member_org, person_at
):
    member = person_at(member_org())
    client.force_login(member)
    for url in (
        "/admin/meetings/registrations/",
        f"/admin/meetings/{filled_meeting.pk}/participants/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    response = client.submit(f"/admin/meetings/registrations/{anna.pk}/check-in/")
    assert response.status_code in (302, 403)
    anna.refresh_from_db()
    assert not anna.attended


def test_the_page_listing_links_to_the_meetings_registrations(client, editor, filled_meeting):
    client.force_login(editor)
    page = text(client.get(f"/admin/pages/{filled_meeting.get_parent().pk}/"))
    assert f"/admin/meetings/registrations/?meeting={filled_meeting.pk}" in page


def test_raising_the_capacity_and_publishing_fills_seats_from_the_waitlist(
    client, filled_meeting, django_capture_on_commit_callbacks
):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    moderator = UserFactory(is_staff=True, verified=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))  # Editors may not publish
    client.force_login(moderator)
    meeting = filled_meeting
    data = nested_form_data(
        {
            "title": meeting.title,
            "slug": meeting.slug,
            "start": meeting.local_start.strftime("%Y-%m-%d %H:%M"),
            "end": meeting.local_end.strftime("%Y-%m-%d %H:%M"),
            "status": "planned",
            "lead": meeting.lead,
            "practical_information": "",
            "programme": streamfield([]),
            "audience": meeting.audience,
            "capacity": 4,
            "seats_per_organisation": 2,
            "trial_places": 1,
            "ask_dietary_needs": "on",
            "ask_accessibility_needs": "on",
            "materials_audience": "members",
            "materials": inline_formset([]),
            "comments": inline_formset([]),
            "action-publish": "action-publish",
        }
    )
    data["practical_information"] = '{"blocks": [], "entityMap": {}}'

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(f"/admin/pages/{meeting.pk}/edit/", data, follow=True)

    assert "1 person er rykket fra ventelisten til en bekræftet plads." in text(response)
    assert Registration.objects.get(person__first_name="Ole").is_confirmed
    assert mail.outbox[-1].to == [Registration.objects.get(person__first_name="Ole").person.email]


def test_search_registrations_by_name(client, editor, filled_meeting):
    client.force_login(editor)
    page = text(client.get("/admin/meetings/registrations/?q=Odense"))
    ole = Registration.objects.get(person__first_name="Ole")
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    assert f"/admin/meetings/registrations/{ole.pk}/cancel/" in page
    assert f"/admin/meetings/registrations/{anna.pk}/cancel/" not in page


LONG_NOTE = (
    "Glutenfri og laktosefri kost, ingen nødder eller sesam, gerne vegetarisk, "
    "og frokosten bedes serveret separat på grund af alvorlig allergi."
)


def test_long_answers_are_cut_in_the_listing_but_whole_in_the_exports(
    client, editor, filled_meeting
):
    Registration.objects.filter(person__first_name="Anna", person__last_name="Aarhus").update(
        dietary_needs=LONG_NOTE
    )
    client.force_login(editor)
    base = f"/admin/meetings/registrations/?meeting={filled_meeting.pk}&status=confirmed"

    listing = text(client.get(base))
    assert LONG_NOTE not in listing
    shortened = re.search(r"Kosthensyn: ([^;<]*…)", listing)
    assert shortened, "the long note is shown shortened, ending in …"
    assert len(shortened.group(1)) <= 60
    assert LONG_NOTE.startswith(shortened.group(1)[:40])
    assert "Behov for tilgængelighed: Kørestol" in listing  # short answers stay whole

    response = client.get(base + "&export=csv")
    content = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    row = next(r for r in csv.DictReader(io.StringIO(content)) if r["Fornavn"] == "Anna")
    assert row["Kosthensyn"] == LONG_NOTE

    response = client.get(base + "&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert LONG_NOTE in [cell.value for row in sheet.iter_rows() for cell in row]

    printable = text(client.get(f"/admin/meetings/{filled_meeting.pk}/participants/"))
    assert LONG_NOTE in printable
