"""Browser journey: a coordinator sets up two-factor login from Min side, reading the
secret from the page as they would type it into an authenticator app, logs out, logs in
with password and code, and enters the admin."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from playwright.sync_api import expect

from portal.factories import UserFactory
from tests.mfa import totp_code

PASSWORD = "Kodeord-til-test-1"  # UserFactory's
EMAIL = "koordinator@erfa.example"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def coordinator(db):
    person = UserFactory(email=EMAIL, first_name="Karen", last_name="Koordinator", verified=True)
    person.groups.add(Group.objects.get(name="Editors"))
    return person


def submit(page):
    page.locator("main form button[type=submit]").first.click()


def test_coordinator_sets_up_totp_logs_in_with_a_code_and_enters_the_admin(
    page, live_server, home_page, coordinator
):
    base = live_server.url
    page.goto(f"{base}/konto/login/?next=/admin/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)

    # The admin does not open: first the second factor, with a Danish message.
    expect(page.get_by_text("Redaktionen kræver to-trins-login.")).to_be_visible()
    assert "/admin/" not in page.url.split("?")[0]

    page.goto(f"{base}/min-side/")
    section = page.locator("section.mfa-my-page")
    expect(section.get_by_role("heading", name="To-trins-login")).to_be_visible()
    expect(section).to_contain_text("Du skal slå to-trins-login til")
    section.get_by_role("link", name="Slå to-trins-login til").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("To-trins-login")
    page.get_by_role("link", name="Aktiver").click()

    # allauth asks for the password again before an authenticator is added.
    expect(page.get_by_text("Indtast din adgangskode:")).to_be_visible()
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Aktiver autentificeringsapp")
    expect(page.get_by_role("img")).to_be_visible()  # the QR code
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.locator("input[name=code]").fill("000000" if totp_code(secret) != "000000" else "111111")
    submit(page)
    expect(page.locator("#id_code_error")).to_have_text("Fejl: Forkert kode.")
    page.locator("input[name=code]").fill(totp_code(secret))
    submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Gendannelseskoder")
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    page.get_by_role("link", name="Gå til redaktionen").click()
    expect(page).to_have_url(f"{base}/admin/")

    # Log out, and in again: password, then a code from the app.
    page.goto(f"{base}/min-side/")
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    page.goto(f"{base}/admin/pages/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    expect(page.get_by_text("Din konto er beskyttet af to-trins-login.")).to_be_visible()
    page.locator("input[name=code]").fill(totp_code(secret))
    submit(page)
    expect(page).to_have_url(f"{base}/admin/pages/")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()


def test_coordinator_adds_a_passkey_in_chromiums_virtual_authenticator_and_logs_in_with_it(
    page, live_server, home_page, coordinator
):
    """WebAuthn for real: Chromium's virtual authenticator (DevTools protocol) stands in
    for a security key or a phone's passkey, so the browser signs allauth's challenges.
    WebAuthn refuses an IP address as the site's domain ("SecurityError: This is an
    invalid domain"): run it on the default live server (localhost), not with
    `--liveserver 127.0.0.1:PORT`."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    base = live_server.url
    page.goto(f"{base}/konto/login/?next=/min-side/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    page.locator("section.mfa-my-page").get_by_role("link", name="Slå to-trins-login til").click()
    expect(page.get_by_role("heading", name="Sikkerhedsnøgler")).to_be_visible()
    page.get_by_role("link", name="Tilføj").click()
    page.locator("input[name=password]").fill(PASSWORD)  # allauth asks again
    submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Tilføj sikkerhedsnøgle")
    page.locator("input[name=name]").fill("Min telefon")
    page.get_by_role("button", name="Tilføj").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gendannelseskoder")
    credentials = cdp.send("WebAuthn.getCredentials", authenticator)["credentials"]
    assert len(credentials) == 1  # the key the browser made is the one allauth stored
    page.get_by_role("link", name="Gå til redaktionen").click()
    expect(page).to_have_url(f"{base}/admin/")

    page.goto(f"{base}/min-side/")
    expect(page.locator("section.mfa-my-page")).to_contain_text("To-trins-login er slået til")
    page.get_by_role("button", name="Log ud").click()
    page.goto(f"{base}/admin/pages/")
    page.get_by_label("E-mail").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    submit(page)
    expect(page.get_by_text("Din konto er beskyttet af to-trins-login.")).to_be_visible()
    page.get_by_role("button", name="Brug en sikkerhedsnøgle").click()
    expect(page).to_have_url(f"{base}/admin/pages/")
