"""Browser journeys in Danish: a visitor becomes a user; an editor publishes a page.

The live server runs in the test process, so the verification e-mail is read from
django.core.mail.outbox, where the locmem backend puts it.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from portal.factories import UserFactory
from portal.models import StandardPage, User
from tests.e2e.login import pass_second_factor

# "Adgangskode (skal udfyldes)", not "Adgangskode (igen) (skal udfyldes)".
PASSWORD_LABEL = re.compile(r"^Adgangskode(?! \(igen\))")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    mail.outbox = []


def test_visitor_signs_up_confirms_edits_profile_logs_out_and_in(page, live_server, home_page):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Opret konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opret konto")

    page.get_by_label("Fornavn").fill("Sofie")
    page.get_by_label("Efternavn").fill("Sørensen")
    page.get_by_label("Stilling").fill("Boligsocial konsulent")
    page.get_by_label("E-mail").fill("sofie@odense")  # a slip of the keyboard
    page.get_by_label(PASSWORD_LABEL).fill("Et-godt-kodeord-2026")
    page.get_by_label("Adgangskode (igen)").fill("Et-godt-kodeord-2026")
    page.get_by_role("button", name="Opret konto").click()
    expect(page.locator("#id_email_error")).to_have_text("Fejl: Indtast en gyldig e-mail-adresse.")
    assert not User.objects.exists()

    page.get_by_label("E-mail").fill("sofie@odense.dk")
    page.get_by_label(PASSWORD_LABEL).fill("Et-godt-kodeord-2026")
    page.get_by_label("Adgangskode (igen)").fill("Et-godt-kodeord-2026")
    page.get_by_role("button", name="Opret konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft din e-mailadresse")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sofie@odense.dk"]
    assert message.subject == "[Erfa-netværk] Bekræft din e-mailadresse"
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body)[0]

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft e-mailadresse")
    page.get_by_role("button", name="Bekræft").click()

    expect(page).to_have_url(live_server.url + "/min-side/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min side")
    expect(page.get_by_text("Du har bekræftet sofie@odense.dk.")).to_be_visible()
    expect(page.get_by_label("Fornavn")).to_have_value("Sofie")

    page.get_by_label("Stilling").fill("Projektleder")
    page.get_by_label("Telefon").fill("65 51 00 00")
    page.get_by_role("button", name="Gem profil").click()
    expect(page.get_by_text("Din profil er gemt.")).to_be_visible()

    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()
    expect(page.get_by_role("link", name="Log ind")).to_be_visible()

    page.get_by_role("link", name="Log ind").click()
    page.get_by_label("E-mail").fill("sofie@odense.dk")
    page.get_by_label(PASSWORD_LABEL).fill("forkert-kodeord")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_text("E-mailadressen og/eller adgangskoden er forkert.")).to_be_visible()

    page.get_by_label(PASSWORD_LABEL).fill("Et-godt-kodeord-2026")
    page.get_by_role("button", name="Log ind").click()
    expect(page).to_have_url(live_server.url + "/min-side/")
    expect(page.get_by_label("Stilling")).to_have_value("Projektleder")
    expect(page.get_by_label("Telefon")).to_have_value("65 51 00 00")


def test_editor_logs_in_and_publishes_a_standard_page(page, live_server, home_page):
    UserFactory(
        email="redaktoer@erfa.example",
        first_name="Rikke",
        last_name="Redaktør",
        is_staff=True,
        is_superuser=True,
        verified=True,
    )
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")  # the site's own
    page.get_by_label("E-mail").fill("redaktoer@erfa.example")
    page.get_by_label(PASSWORD_LABEL).fill("Kodeord-til-test-1")
    page.get_by_role("button", name="Log ind").click()
    pass_second_factor(page, "redaktoer@erfa.example", "Kodeord-til-test-1", "/admin/")
    expect(page).to_have_url(live_server.url + "/admin/")

    page.goto(f"{live_server.url}/admin/pages/add/portal/standardpage/{home_page.pk}/")
    page.get_by_role("textbox", name=re.compile(r"^Titel")).fill("Praktisk information")
    page.get_by_role("textbox", name="Introduktion").fill("Sådan finder du KL-huset.")
    page.get_by_role("button", name="Flere handlinger").last.click()
    page.get_by_role("button", name="Udgiv").last.click()
    # Wagtail's own Danish catalogue leaves this message in English; match the title only.
    expect(page.get_by_role("status").first).to_contain_text("Praktisk information")

    created = StandardPage.objects.get(title="Praktisk information")
    assert created.live
    page.goto(live_server.url + created.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktisk information")
    expect(page.get_by_text("Sådan finder du KL-huset.")).to_be_visible()
    expect(page.locator(".page-meta")).to_contain_text("Oprettet")
