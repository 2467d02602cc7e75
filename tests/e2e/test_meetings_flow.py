"""Journeys in Chromium for issue 12's registration flow: a coordinator approves a request
with the admin's "Godkend" button (with a reason), and a participant sends a colleague
instead from Min side."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from meetings import services
from meetings.factories import MeetingPageFactory, VenueFactory
from meetings.models import Registration
from network.factories import MembershipFactory, MunicipalityFactory, NetworkPageFactory
from portal.factories import UserFactory
from tests.e2e.test_registrations_admin import DESK, PASSWORD, PHONE, logged_in, person

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def aarhus_meeting(home_page):
    """Capacity 3 at Kommunernes Netværk; Aarhus Kommune is a member."""
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk", slug="netvaerk")
    year = datetime.date.today().year
    aarhus = MunicipalityFactory(name="Aarhus Kommune")
    for y in (year, year + 1):
        MembershipFactory(organisation=aarhus, network=network, year=y)
    meeting = MeetingPageFactory(
        parent=network,
        title="Januarmødet",
        capacity=3,
        seats_per_organisation=3,
        trial_places=0,
        venue=VenueFactory(),
    )
    meeting.aarhus = aarhus
    return meeting


def test_a_coordinator_approves_a_request_with_the_admin_button(
    new_context, live_server, aarhus_meeting, mailoutbox
):
    aarhus_meeting.requires_approval = True
    aarhus_meeting.save()
    mona = person(aarhus_meeting.aarhus, "Mona", "Medlem", "mona@aarhus.dk")
    request = services.register(
        meeting=aarhus_meeting, person=mona, organisation=aarhus_meeting.aarhus
    )
    assert request.is_pending
    coordinator = UserFactory(
        verified=True,
        email="koordinator@erfa.example",
        first_name="Karen",
        last_name="Koordinator",
        password=PASSWORD,
        is_staff=True,
    )
    coordinator.groups.add(Group.objects.get(name="Editors"))
    mailoutbox.clear()
    listing = f"/admin/meetings/registrations/?meeting={aarhus_meeting.pk}"
    page = logged_in(new_context, live_server, coordinator.email, DESK, listing)

    expect(page.locator("td .w-status", has_text="Afventer godkendelse")).to_be_visible()
    page.get_by_role("link", name="Godkend: Mona Medlem").click()
    expect(page.get_by_text("Godkend anmodningen fra Mona Medlem?")).to_be_visible()
    page.get_by_label("Begrundelse (valgfri)").fill("Velkommen til januar.")
    page.get_by_role("button", name="Ja: Godkend").click()

    expect(page.get_by_text("Anmodningen fra Mona Medlem er godkendt")).to_be_visible()
    assert page.url.endswith(listing)
    request.refresh_from_db()
    assert request.is_confirmed and request.decision_reason == "Velkommen til januar."
    (message,) = [m for m in mailoutbox if m.to == ["mona@aarhus.dk"]]
    assert "Velkommen til januar." in message.body
    assert message.attachments  # the calendar file


def test_a_participant_sends_a_colleague_from_min_side(
    new_context, live_server, aarhus_meeting, mailoutbox
):
    aarhus = aarhus_meeting.aarhus
    bent = person(aarhus, "Bent", "Aarhus", "bent@aarhus.dk")
    person(aarhus, "Carla", "Aarhus", "carla@aarhus.dk")
    seat = services.register(meeting=aarhus_meeting, person=bent, organisation=aarhus)
    mailoutbox.clear()
    page = logged_in(new_context, live_server, "bent@aarhus.dk", PHONE, "/min-side/")

    page.get_by_role("link", name="Send en kollega i stedet til Januarmødet").click()
    expect(page.get_by_role("heading", name="Send en kollega i stedet")).to_be_visible()
    page.get_by_label("Kollega").select_option(label="Carla Aarhus (carla@aarhus.dk)")
    page.get_by_role("button", name="Giv min plads videre").click()

    expect(page.get_by_text("Din plads er givet videre til Carla Aarhus")).to_be_visible()
    assert page.url.endswith("/min-side/")
    expect(page.locator(".my-registrations .status").first).to_have_text("Afmeldt")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    seat.refresh_from_db()
    assert seat.status == Registration.Status.CANCELLED
    carla_seat = Registration.objects.get(person__email="carla@aarhus.dk", status="confirmed")
    assert carla_seat.organisation == aarhus
    assert sorted(m.to[0] for m in mailoutbox) == ["bent@aarhus.dk", "carla@aarhus.dk"]


def test_a_coordinator_declines_one_request_and_approves_the_rest_in_bulk(
    new_context, live_server, aarhus_meeting, coordinator, mailoutbox
):
    aarhus_meeting.requires_approval = True
    aarhus_meeting.save()
    aarhus = aarhus_meeting.aarhus
    requests = {
        first: services.register(
            meeting=aarhus_meeting,
            person=person(aarhus, first, "Aarhus", f"{first.lower()}@aarhus.dk"),
            organisation=aarhus,
        )
        for first in ("Dorte", "Erik", "Frida")
    }
    mailoutbox.clear()
    listing = f"/admin/meetings/registrations/?meeting={aarhus_meeting.pk}"
    page = logged_in(new_context, live_server, coordinator.email, DESK, listing)

    # One declined with its own reason, from the row.
    page.get_by_role("link", name="Afvis: Dorte Aarhus").click()
    page.get_by_label("Begrundelse (valgfri)").fill("Kun for sagsbehandlere.")
    page.get_by_role("button", name="Ja: Afvis").click()
    expect(page.get_by_text("Anmodningen fra Dorte Aarhus er afvist")).to_be_visible()

    # The other two ticked and approved together.
    for first in ("Erik", "Frida"):
        page.locator(f"input.bulk-action-checkbox[data-object-id='{requests[first].pk}']").check()
    page.get_by_role("link", name="Godkend de valgte anmodninger").click()
    expect(page.get_by_text("Godkend disse anmodninger?")).to_be_visible()
    page.get_by_role("button", name="Ja: Godkend").click()

    expect(page.get_by_text("2 anmodninger godkendt.")).to_be_visible()
    statuses = {first: Registration.objects.get(pk=r.pk).status for first, r in requests.items()}
    assert statuses == {"Dorte": "declined", "Erik": "confirmed", "Frida": "confirmed"}
    declined = next(m for m in mailoutbox if m.to == ["dorte@aarhus.dk"])
    assert "Begrundelse: Kun for sagsbehandlere." in declined.body


def test_a_coordinator_sends_a_colleague_in_the_admin(
    new_context, live_server, aarhus_meeting, coordinator, mailoutbox
):
    aarhus = aarhus_meeting.aarhus
    bent = person(aarhus, "Bent", "Aarhus", "bent@aarhus.dk")
    person(aarhus, "Carla", "Aarhus", "carla@aarhus.dk")
    seat = services.register(meeting=aarhus_meeting, person=bent, organisation=aarhus)
    listing = f"/admin/meetings/registrations/?meeting={aarhus_meeting.pk}"
    page = logged_in(new_context, live_server, coordinator.email, DESK, listing)

    page.get_by_role("link", name="Send en kollega: Bent Aarhus").click()
    page.get_by_label("Kollega").select_option(label="Carla Aarhus (carla@aarhus.dk)")
    page.get_by_role("button", name="Ja: Send en kollega").click()

    expect(
        page.get_by_text("Pladsen fra Bent Aarhus er givet videre til en kollega.")
    ).to_be_visible()
    assert page.url.endswith(listing)
    seat.refresh_from_db()
    assert seat.status == "cancelled"
    carla = Registration.objects.get(person__email="carla@aarhus.dk", status="confirmed")
    assert carla.registered_by == coordinator


def test_a_member_accepts_a_seat_offered_from_the_waitlist(
    new_context, live_server, aarhus_meeting, mailoutbox
):
    aarhus_meeting.capacity = 1
    aarhus_meeting.waitlist_offers = True
    aarhus_meeting.save()
    aarhus = aarhus_meeting.aarhus
    anna = person(aarhus, "Anna", "Aarhus", "anna@aarhus.dk")
    ole = person(aarhus, "Ole", "Aarhus", "ole@aarhus.dk")
    first = services.register(meeting=aarhus_meeting, person=anna, organisation=aarhus)
    waiting = services.register(meeting=aarhus_meeting, person=ole, organisation=aarhus)
    services.cancel(registration=first, cancelled_by=anna)
    waiting.refresh_from_db()
    assert waiting.is_offered
    page = logged_in(new_context, live_server, "ole@aarhus.dk", PHONE, "/min-side/")

    expect(page.locator(".my-registrations .status").first).to_have_text("Tilbudt en plads")
    page.get_by_role("link", name="Tag imod eller sig nej til pladsen").click()
    page.get_by_role("button", name="Ja, jeg tager pladsen").click()

    expect(page.get_by_text("Pladsen er din.")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.is_confirmed
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
