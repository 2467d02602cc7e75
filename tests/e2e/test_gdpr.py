"""Browser journey: a member downloads everything held about them, then deletes their
account after giving the password; their registration stays, without them."""

import json
import pathlib
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from meetings import services as meeting_services
from meetings.factories import MeetingPageFactory, VenueFactory
from meetings.models import Registration
from network.factories import AffiliationFactory, MembershipFactory, NetworkPageFactory
from portal.factories import UserFactory
from portal.models import User

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Kodeord-til-test-1"  # UserFactory's


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_member_downloads_their_data_and_deletes_the_account(page, live_server, home_page):
    base = live_server.url
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")
    membership = MembershipFactory(network=network)
    member = UserFactory(
        verified=True, email="mette@testrup.dk", first_name="Mette", last_name="Madsen"
    )
    AffiliationFactory(person=member, organisation=membership.organisation)
    meeting = MeetingPageFactory(parent=network, venue=VenueFactory(), title="Efterårsmødet")
    registration = meeting_services.register(
        meeting=meeting, person=member, organisation=membership.organisation
    )

    page.goto(f"{base}/konto/login/?next=/min-side/")
    page.fill("input[name=login]", member.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min side")

    page.get_by_role("link", name="Hent mine data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine data")
    expect(page.get_by_text(re.compile(r"^Efterårsmødet \(\d{4}-"))).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent mine data (JSON)").click()
    data = json.loads(pathlib.Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["profile"]["email"] == "mette@testrup.dk"
    assert [r["meeting"] for r in data["registrations"]] == ["Efterårsmødet"]

    page.get_by_role("link", name="Tilbage til Min side").click()
    page.get_by_role("link", name="Slet min konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Slet min konto")
    page.get_by_label("Din adgangskode").fill("ikke-det-rigtige")
    page.get_by_role("button", name="Slet min konto endeligt").click()
    expect(page.locator("#id_password_error")).to_contain_text("Adgangskoden er ikke korrekt.")
    assert User.objects.filter(pk=member.pk).exists()

    page.get_by_label("Din adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Slet min konto endeligt").click()
    expect(page.get_by_text("Din konto og dine personoplysninger er slettet.")).to_be_visible()
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()

    assert not User.objects.filter(email="mette@testrup.dk").exists()
    kept = Registration.objects.get(pk=registration.pk)
    assert kept.person is None and kept.status == Registration.Status.CANCELLED

    # The address cannot log in any more.
    page.goto(f"{base}/konto/login/")
    page.fill("input[name=login]", "mette@testrup.dk")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()
    expect(page.get_by_role("button", name="Log ud")).to_have_count(0)
