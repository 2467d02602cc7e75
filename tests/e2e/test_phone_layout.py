"""Pages people use on their phones must not scroll sideways at 390 px (an iPhone)."""

import pytest
from playwright.sync_api import expect

from network.factories import AffiliationFactory, MembershipFactory, NetworkPageFactory
from network.models import Affiliation
from portal.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"


def test_min_side_fits_a_phone_screen(new_context, live_server, home_page):
    person = UserFactory(verified=True, email="mads@aarhus.dk", password=PASSWORD)
    affiliation = AffiliationFactory(
        person=person, organisation__name="Aarhus Kommune", role=Affiliation.Role.CONTACT_PERSON
    )
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")
    MembershipFactory(organisation=affiliation.organisation, network=network)

    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/konto/login/")
    page.fill("input[name=login]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()

    page.goto(f"{live_server.url}/min-side/")
    expect(page.get_by_role("heading", name="Dine organisationer")).to_be_visible()
    expect(page.get_by_role("cell", name="Aarhus Kommune")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
