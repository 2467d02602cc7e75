"""A coordinator runs a meeting's registrations in Chromium: checks people in at the door
on a phone (390 px) and at a desk (1280 px), moves someone from the waitlist, cancels a
seat, exports the participants as CSV and XLSX with a guest among them; and a member
cancels a seat from Min side through the confirmation page.

These are the presses that answered 403 "CSRF token missing" while every test passed."""

import csv
import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from meetings import services
from meetings.factories import MeetingPageFactory, VenueFactory
from meetings.models import Registration
from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from portal.factories import UserFactory
from tests.e2e.login import STAFF_PASSWORD, pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = STAFF_PASSWORD
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
MORE_ACTIONS = re.compile("^(Flere )?[Hh]andlinger$")
INJECTION = '=HYPERLINK("https://evil.example/","Klik")'


def person(org, first, last, email, **kwargs):
    user = UserFactory(
        verified=True, email=email, first_name=first, last_name=last, password=PASSWORD, **kwargs
    )
    if org is not None:
        AffiliationFactory(person=user, organisation=org)
    return user


@pytest.fixture
def meeting(home_page):
    """Capacity 3: Anna, Bent and Carl (Aarhus) confirmed, Ole (Odense) waitlisted, and a
    guest without an organisation added by hand."""
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk", slug="netvaerk")
    year = datetime.date.today().year
    aarhus = MunicipalityFactory(name="Aarhus Kommune")
    odense = MunicipalityFactory(name="Odense Kommune")
    for org in (aarhus, odense):
        for y in (year, year + 1):
            MembershipFactory(organisation=org, network=network, year=y)
    meeting = MeetingPageFactory(
        parent=network,
        title="Decembermødet",
        capacity=3,
        seats_per_organisation=3,
        trial_places=0,
        venue=VenueFactory(),
    )
    for first, email in (("Anna", "anna"), ("Bent", "bent"), ("Carl", "carl")):
        services.register(
            meeting=meeting,
            person=person(aarhus, first, "Aarhus", f"{email}@aarhus.dk", job_title=INJECTION),
            organisation=aarhus,
        )
    services.register(
        meeting=meeting,
        person=person(odense, "Ole", "Odense", "ole@odense.dk"),
        organisation=odense,
    )
    Registration.objects.create(
        meeting=meeting,
        person=person(None, "Gustav", "Gæst", "gustav@example.com"),
        organisation=None,
        kind=Registration.Kind.GUEST,
        status=Registration.Status.CONFIRMED,
    )
    return meeting


def logged_in(new_context, live_server, email, viewport, next_path):
    page = new_context(viewport=viewport).new_page()
    page.goto(f"{live_server.url}/konto/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    pass_second_factor(page, email, PASSWORD, next_path)
    page.wait_for_url(re.compile(re.escape(next_path.split("?")[0])))
    return page


def fits_the_screen(page, locator) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def test_a_coordinator_checks_people_in_on_a_phone(new_context, live_server, meeting, coordinator):
    listing = f"/admin/meetings/registrations/?meeting={meeting.pk}"
    page = logged_in(new_context, live_server, coordinator.email, PHONE, listing)

    # In the listing of the meeting: search for Bent (the results come back without a
    # reload, and their row forms carry the token too), and "Tjek ind" is on screen.
    page.get_by_role("textbox", name=re.compile("^Søg")).fill("Bent")
    expect(page.get_by_role("button", name="Tjek ind: Anna Aarhus")).to_have_count(0)
    button = page.get_by_role("button", name="Tjek ind: Bent Aarhus")
    expect(button).to_be_visible()
    assert fits_the_screen(page, button), "no sideways hunting for the button at 390 px"
    button.click()
    expect(page.get_by_text("Bent Aarhus er tjekket ind.")).to_be_visible()
    assert Registration.objects.get(person__first_name="Bent").attended

    # The check-in page made for the door: a search box and big buttons, one column.
    page.get_by_role("link", name="Indtjekning").first.click()
    expect(page.get_by_text("1 af 4 tjekket ind")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # A screen reader's list of landmarks names the door's search.
    expect(page.get_by_role("search", name="Søg deltager")).to_be_visible()
    page.get_by_label("Find en deltager").fill("gæst")
    page.get_by_role("button", name="Søg", exact=True).click()
    expect(page.get_by_text("Anna Aarhus")).to_have_count(0)
    button = page.get_by_role("button", name="Tjek ind: Gustav Gæst")
    assert fits_the_screen(page, button)
    button.click()
    expect(page.get_by_text("Gustav Gæst er tjekket ind.")).to_be_visible()
    expect(page.get_by_text("2 af 4 tjekket ind")).to_be_visible()
    expect(page.get_by_label("Find en deltager")).to_have_value("")  # ready for the next
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A wrong press is undone from the same page.
    page.get_by_role("button", name="Fortryd indtjekning: Gustav Gæst").click()
    expect(page.get_by_text("Indtjekningen af Gustav Gæst er fortrudt.")).to_be_visible()
    assert not Registration.objects.get(person__first_name="Gustav").attended


def test_a_coordinator_runs_the_registrations_at_a_desk_and_exports_them(
    new_context, live_server, meeting, coordinator
):
    listing = f"/admin/meetings/registrations/?meeting={meeting.pk}"
    page = logged_in(new_context, live_server, coordinator.email, DESK, listing)

    # Check in.
    page.get_by_role("button", name="Tjek ind: Anna Aarhus").click()
    expect(page.get_by_text("Anna Aarhus er tjekket ind.")).to_be_visible()
    assert Registration.objects.get(person__first_name="Anna").attended

    # Move Ole from the waitlist (past the capacity: the coordinator's decision).
    page.get_by_role("button", name="Bekræft fra venteliste: Ole Odense").click()
    expect(
        page.get_by_text("Ole Odense er rykket fra ventelisten til en bekræftet plads")
    ).to_be_visible()
    assert Registration.objects.get(person__first_name="Ole").is_confirmed

    # Cancel Carl's seat, after a question in Danish.
    page.get_by_role("link", name="Afmeld: Carl Aarhus").click()
    expect(page.get_by_text("Afmeld Carl Aarhus? Vedkommende får besked på e-mail")).to_be_visible()
    page.get_by_role("button", name="Ja: Afmeld").click()
    expect(page.get_by_text("Tilmeldingen for Carl Aarhus er afmeldt.")).to_be_visible()
    assert page.url.endswith(listing)
    assert Registration.objects.get(person__first_name="Carl").status == "cancelled"

    # Export the participants, the guest among them: CSV for Danish Excel …
    page.goto(f"{live_server.url}{listing}&status=confirmed")
    page.get_by_role("button", name=MORE_ACTIONS).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Hent CSV$")).click()
    raw = Path(download.value.path()).read_bytes()
    assert download.value.suggested_filename == f"deltagere-{meeting.slug}.csv"
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert sorted(r["Fornavn"] for r in rows) == ["Anna", "Bent", "Gustav", "Ole"]
    assert next(r for r in rows if r["Fornavn"] == "Gustav")["Organisation"] == ""
    assert next(r for r in rows if r["Fornavn"] == "Anna")["Stilling"] == "'" + INJECTION

    # … and XLSX, where the job title is text, not a formula.
    page.reload()
    page.get_by_role("button", name=MORE_ACTIONS).click()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Hent XLSX$")).click()
    assert download.value.suggested_filename == f"deltagere-{meeting.slug}.xlsx"
    xlsx = Path(download.value.path()).read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert sorted(rows) == ["Anna", "Bent", "Gustav", "Ole"]
    title = rows["Anna"][header.index("Stilling")]
    assert title.value == INJECTION and title.data_type == "s"


def test_a_member_cancels_from_min_side_after_confirming(new_context, live_server, meeting):
    page = logged_in(new_context, live_server, "bent@aarhus.dk", PHONE, "/min-side/")

    page.get_by_role("link", name="Afmeld Bent Aarhus fra Decembermødet").click()
    expect(page.get_by_text("Din plads er bekræftet. Afmelder du dig")).to_be_visible()
    assert Registration.objects.get(person__first_name="Bent").is_confirmed  # not yet

    page.get_by_role("button", name="Ja, afmeld mig").click()

    expect(page.get_by_text("Din tilmelding er afmeldt.")).to_be_visible()
    assert page.url.endswith("/min-side/")
    expect(page.locator(".my-registrations .status")).to_have_text("Afmeldt")
    assert Registration.objects.get(person__first_name="Bent").status == "cancelled"
