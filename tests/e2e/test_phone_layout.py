"""Pages people use on their phones must not scroll sideways at 390 px (an iPhone)."""

import pytest
from playwright.sync_api import expect

from network.factories import AffiliationFactory, MembershipFactory, NetworkPageFactory
from network.library.factories import (
    AgreementCallPageFactory,
    AgreementFactory,
    AgreementLibraryPageFactory,
    NationalOverviewPageFactory,
)
from network.models import Affiliation, Organisation
from portal.factories import UserFactory
from tests.e2e.login import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"


def phone_page(new_context, live_server, email):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    pass_second_factor(page, email, PASSWORD)
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    return page


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_min_side_fits_a_phone_screen(new_context, live_server, home_page):
    person = UserFactory(verified=True, email="mads@aarhus.dk", password=PASSWORD)
    affiliation = AffiliationFactory(
        person=person, organisation__name="Aarhus Kommune", role=Affiliation.Role.CONTACT_PERSON
    )
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")
    MembershipFactory(organisation=affiliation.organisation, network=network)

    page = phone_page(new_context, live_server, person.email)
    page.goto(f"{live_server.url}/min-side/")
    expect(page.get_by_role("heading", name="Dine organisationer")).to_be_visible()
    expect(page.get_by_role("cell", name="Aarhus Kommune")).to_be_visible()
    assert page_width(page) <= 390


def test_agreement_answers_fit_a_phone_screen(new_context, live_server, home_page):
    """A housing organisation's Min side (its answers table) and an agreement's facts."""
    AgreementLibraryPageFactory(parent=home_page)
    call = AgreementCallPageFactory(parent=home_page)
    housing = Organisation.objects.create(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Boligforeningen Østjylland"
    )
    person = UserFactory(verified=True, email="udlejning@bf.example", password=PASSWORD)
    AffiliationFactory(person=person, organisation=housing)
    agreement = AgreementFactory(
        call=call,
        submitting_organisation=housing,
        submitted_by=person,
        other_parties="Boligselskabet Fjordbo",
        vacant_share=25,
    )

    page = phone_page(new_context, live_server, person.email)
    page.goto(f"{live_server.url}/min-side/")
    expect(page.get_by_role("heading", name="Dine aftalesvar")).to_be_visible()
    assert page_width(page) <= 390

    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    expect(page.get_by_role("heading", name=agreement.title)).to_be_visible()
    assert page_width(page) <= 390


def test_the_overview_map_fits_a_phone_screen_and_prints(
    new_context, live_server, home_page, tmp_path
):
    """The tile map scales with its viewBox: at 390 px it fits without sideways scroll,
    every square is drawn and on screen, and it is kept when printed."""
    overview = NationalOverviewPageFactory(parent=home_page)
    capital = Organisation.objects.municipalities().filter(region="1084")
    for municipality in capital.order_by("municipality_code")[:4]:
        AgreementFactory(municipality=municipality, state="signed", status="published")

    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}{overview.url}")
    svg = page.get_by_role("img", name="Kort over Danmarks kommuner efter svar")
    svg.scroll_into_view_if_needed()
    expect(svg).to_be_visible()
    assert page_width(page) <= 390
    box = svg.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["width"] > 300  # as wide as the phone allows, not shrunk to a stamp
    assert page.locator(".tile-map-svg g.tile").count() == 98
    assert page.locator(".tile-map-svg g.tile-signed").count() == 4
    expect(page.get_by_text("Aftale (4)")).to_be_visible()
    page.screenshot(path=tmp_path / "overview-390.png", full_page=True)
    print("screenshot:", tmp_path / "overview-390.png")

    # At 320 px (zoomed in) the map still fits the screen.
    page.set_viewport_size({"width": 320, "height": 700})
    box = svg.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320

    page.emulate_media(media="print")
    expect(svg).to_be_visible()
    assert svg.bounding_box()["width"] > 300
