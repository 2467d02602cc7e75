"""Meeting journeys in Chromium: a member registers a colleague, reads the timetable,
downloads the calendar file and cancels; a waitlisted person is promoted when a seat
becomes free."""

import datetime
import re
import zoneinfo
from pathlib import Path

import icalendar
import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings import services
from meetings.factories import MeetingPageFactory, VenueFactory, programme_item
from meetings.models import Registration
from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from portal.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(
        parent=home_page, title="Kommunernes Netværk for Udsatte Boligområder", slug="netvaerket"
    )


@pytest.fixture
def aarhus(network):
    org = MunicipalityFactory(name="Aarhus Kommune")
    start = datetime.date.today().year
    for year in (start, start + 1):
        MembershipFactory(organisation=org, network=network, year=year)
    return org


def person(org, first, last, email):
    user = UserFactory(
        verified=True, email=email, first_name=first, last_name=last, password=PASSWORD
    )
    AffiliationFactory(person=user, organisation=org)
    return user


def log_in(page, base, email, next_path="/min-side/"):
    page.goto(f"{base}/konto/login/?next={next_path}")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_a_member_registers_a_colleague_sees_the_timetable_downloads_the_ics_and_cancels(
    page, live_server, network, aarhus
):
    person(aarhus, "Mads", "Medlem", "mads@aarhus.dk")
    colleague = person(aarhus, "Kirsten", "Kollega", "kirsten@aarhus.dk")
    meeting = MeetingPageFactory(
        parent=network,
        title="Netværksmøde om anvisning",
        venue=VenueFactory(),
        ask_joins_dinner=True,
        programme=[
            programme_item("10.00", "10.15", "Velkomst", "talk"),
            programme_item(
                "10.15",
                "11.00",
                "Boligsocial monitorering",
                "talk",
                speakers=[("Mette Holm", "Analysechef", "Testrup Kommune")],
            ),
            programme_item("11.00", "11.15", "Pause", "break"),
        ],
    )
    base = live_server.url
    log_in(page, base, "mads@aarhus.dk")

    # From the network page to the meeting and its timetable.
    page.goto(f"{base}{network.url}")
    page.get_by_role("link", name="Netværksmøde om anvisning").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Netværksmøde om anvisning")
    items = (
        page.get_by_role("region", name="Program")
        .get_by_role("listitem")
        .filter(has=page.get_by_role("heading", level=3))
    )
    expect(items).to_have_count(3)
    expect(items.nth(1)).to_contain_text("10.15\u201311.00")
    expect(items.nth(1)).to_contain_text("Mette Holm, Analysechef")

    # Register the colleague.
    page.get_by_role("link", name="Tilmeld", exact=True).click()
    page.get_by_label("Hvem deltager?").select_option(label="Kirsten Kollega (kirsten@aarhus.dk)")
    page.get_by_label("Kosthensyn").fill("Glutenfri")
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Tilmeld").click()
    expect(
        page.get_by_text("Kirsten Kollega er tilmeldt, og pladsen er bekræftet.")
    ).to_be_visible()
    registration = Registration.objects.get(person=colleague)
    assert registration.is_confirmed and registration.joins_dinner is True
    assert any(m.to == ["kirsten@aarhus.dk"] for m in mail.outbox)

    # Download the meeting to the calendar.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Føj til kalender (.ics)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Netværksmøde om anvisning"
    assert event.decoded("DTSTART") == meeting.start.astimezone(CPH)
    assert event["LOCATION"] == "KL-huset, Weidekampsgade 10, 2300 København S"

    # Cancel the colleague's registration again.
    colleagues = page.locator(".colleague-registrations")
    expect(colleagues).to_contain_text("Kirsten Kollega")
    colleagues.get_by_role("link", name="Afmeld Kirsten Kollega").click()
    page.get_by_role("button", name="Ja, afmeld Kirsten Kollega").click()
    expect(page.get_by_text("Tilmeldingen for Kirsten Kollega er afmeldt.")).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_a_waitlisted_person_is_promoted_when_a_seat_becomes_free(
    page, browser, live_server, network, aarhus
):
    odense = MunicipalityFactory(name="Odense Kommune")
    MembershipFactory(organisation=odense, network=network, year=datetime.date.today().year)
    MembershipFactory(organisation=odense, network=network, year=datetime.date.today().year + 1)
    meeting = MeetingPageFactory(
        parent=network, title="Lille møde", capacity=1, trial_places=0, venue=VenueFactory()
    )
    holder = person(aarhus, "Anna", "Aarhus", "anna@aarhus.dk")
    services.register(meeting=meeting, person=holder, organisation=aarhus)
    person(odense, "Ole", "Odense", "ole@odense.dk")
    base = live_server.url

    # Ole asks for a seat and is told why he waits.
    log_in(page, base, "ole@odense.dk", next_path=meeting.register_url)
    page.get_by_role("button", name="Tilmeld").click()
    expect(page.locator(".message-warning")).to_contain_text("Du er på venteliste. Mødet er fuldt.")
    expect(page.locator("#tilmelding")).to_contain_text("Du er på venteliste.")

    # Anna cancels from Min side in her own browser.
    anna_context = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    anna = anna_context.new_page()
    log_in(anna, base, "anna@aarhus.dk")
    anna.get_by_role("link", name="Afmeld Anna Aarhus fra Lille møde").click()
    anna.get_by_role("button", name="Ja, afmeld mig").click()
    expect(anna.get_by_text("Din tilmelding er afmeldt.")).to_be_visible()
    anna_context.close()

    # Ole has the seat and an e-mail saying so.
    page.goto(f"{base}/min-side/")
    expect(page.locator(".my-registrations")).to_contain_text("Lille møde")
    expect(page.locator(".my-registrations .status")).to_have_text("Bekræftet")
    promoted = [m for m in mail.outbox if m.to == ["ole@odense.dk"] and "ledig" in m.subject]
    assert len(promoted) == 1
    assert "fået en bekræftet plads" in promoted[0].body
