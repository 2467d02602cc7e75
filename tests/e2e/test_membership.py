"""The membership journey in Chromium: a municipality employee signs up on the site,
verifies the e-mail address, joins the municipality, signs it up for next year's network
and sees the trial offer; staff approve in the Wagtail admin; the person sees "Aktiv"."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from wagtail import hooks

from network.factories import VALID_EAN, NetworkPageFactory
from network.hooks import NEXT_TRIAL_MEETING
from network.models import Membership
from portal.factories import StandardPageFactory, UserFactory
from tests.e2e.login import pass_second_factor

# Live-server tests flush the database afterwards; serialized_rollback gives this test the
# data migrations loaded (the 98 municipalities, Wagtail's root page).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"


@pytest.fixture
def network(home_page):
    return NetworkPageFactory(
        parent=home_page,
        title="Kommunernes Netværk for Udsatte Boligområder",
        slug="kommunernes-netvaerk",
        price=9500,
    )


@pytest.fixture
def trial_meeting(home_page):
    """Stands in for the meetings app's provider of the next meeting with trial places."""
    meeting = StandardPageFactory(parent=home_page, title="Netværksmøde 8. december")
    with hooks.register_temporarily(NEXT_TRIAL_MEETING, lambda network, on: meeting):
        yield meeting


def confirmation_path(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    url = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


def test_municipality_employee_signs_up_for_next_year_and_staff_approve(
    page, browser, live_server, network, trial_meeting, autumn
):
    next_year = autumn.year + 1
    UserFactory(
        verified=True,
        email="staff@erfa.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    base = live_server.url

    # Sign up on the site and confirm the address from the e-mail.
    page.goto(f"{base}/konto/signup/")
    page.fill("input[name=first_name]", "Anna")
    page.fill("input[name=last_name]", "Andersen")
    page.fill("input[name=job_title]", "Boligsocial konsulent")
    page.fill("input[name=email]", "anna.andersen@aarhus.dk")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("anna.andersen@aarhus.dk")

    page.goto(base + confirmation_path("anna.andersen@aarhus.dk"))
    page.locator("main form button[type=submit]").click()

    # Min side offers the municipality that owns the domain.
    page.goto(f"{base}/min-side/")
    expect(page.get_by_text("Det ser ud til, at du arbejder i Aarhus Kommune")).to_be_visible()
    page.get_by_role("button", name="Tilknyt mig Aarhus Kommune").click()
    expect(page.get_by_text("Du er nu tilknyttet Aarhus Kommune.")).to_be_visible()

    # Sign the municipality up for next year from the network page.
    page.goto(f"{base}{network.url}")
    page.get_by_role("link", name="Tilmeld din organisation").click()
    page.get_by_label("År").select_option(str(next_year))
    page.get_by_label("EAN-/GLN-nummer").fill("5798000000002")  # wrong check digit
    page.get_by_label("Indkøbsordre / reference").fill("PO-4711")
    page.get_by_label("Fakturakontakt (skal udfyldes)").fill("Bente Bogholder")
    page.get_by_label("Fakturakontaktens e-mail").fill("faktura@aarhus.dk")
    page.get_by_label("Jeg accepterer medlemsbetingelserne").check()
    page.get_by_role("button", name="Tilmeld", exact=True).click()
    expect(page.locator("#id_ean_error")).to_contain_text("kontrolciffer")
    assert not Membership.objects.exists()

    page.get_by_label("EAN-/GLN-nummer").fill(VALID_EAN)
    page.get_by_label("Jeg accepterer medlemsbetingelserne").check()
    page.get_by_role("button", name="Tilmeld", exact=True).click()
    expect(page.get_by_text("Vi har modtaget jeres tilmelding")).to_be_visible()
    expect(page.locator(".status")).to_have_text("Ansøgt")
    expect(page.get_by_role("heading", name="Kom gratis til et møde")).to_be_visible()
    offer = page.get_by_role("link", name="Tilmeld jer det gratis møde")
    expect(offer).to_have_attribute("href", trial_meeting.url)
    membership = Membership.objects.get()
    assert (membership.organisation.name, membership.year) == ("Aarhus Kommune", next_year)

    # Staff approve in the Wagtail admin with the bulk action.
    staff_context = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    staff = staff_context.new_page()
    staff.goto(f"{base}/konto/login/?next=/admin/snippets/network/membership/")
    staff.fill("input[name=login]", "staff@erfa.example")
    staff.fill("input[name=password]", PASSWORD)
    staff.locator("main form button[type=submit]").click()
    pass_second_factor(staff, "staff@erfa.example", PASSWORD, "/admin/snippets/network/membership/")
    staff.wait_for_url(re.compile(r"/admin/snippets/network/membership/"))
    expect(staff.get_by_text("Aarhus Kommune").first).to_be_visible()
    staff.locator(f"input.bulk-action-checkbox[data-object-id='{membership.pk}']").check()
    staff.get_by_role("link", name="Godkend de valgte medlemskaber").click()
    expect(staff.get_by_text("Godkend disse ansøgte medlemskaber?")).to_be_visible()
    staff.get_by_role("button", name="Ja, fortsæt").click()
    expect(staff.get_by_text("1 medlemskab godkendt.")).to_be_visible()
    staff_context.close()

    # The person sees the membership as active.
    page.goto(f"{base}/min-side/")
    memberships = page.locator(
        "section", has=page.get_by_role("heading", name="Netværksmedlemskaber")
    )
    expect(memberships).to_contain_text(f"Aarhus Kommune, {next_year}")
    expect(memberships.locator(".status")).to_have_text("Aktiv")
    assert any("er nu aktivt" in m.body for m in mail.outbox if "anna.andersen@aarhus.dk" in m.to)
