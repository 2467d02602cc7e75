"""The membership year in Chromium: the renewal invitation's link takes a municipality's
contact person through the login to "Forny for <year>", prefilled with last year's
invoicing details; they change the EAN and renew; staff see the renewal in the admin's
rollover report and download it."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from network import renewals
from network.factories import (
    VALID_EAN,
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    NetworkPageFactory,
)
from network.models import Affiliation, Membership
from portal.factories import UserFactory
from tests.e2e.login import pass_second_factor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
NEW_EAN = "5790000000005"


def test_contact_person_renews_from_the_email_link_and_staff_see_it_in_the_report(
    page, browser, live_server, home_page, autumn
):
    year = autumn.year
    base = live_server.url
    network = NetworkPageFactory(parent=home_page, title="Anvisningsnetværket", slug="anvisning")
    org = MunicipalityFactory(name="Aarby Kommune")
    contact = UserFactory(verified=True, email="kim@aarby.dk", password=PASSWORD)
    AffiliationFactory(person=contact, organisation=org, role=Affiliation.Role.CONTACT_PERSON)
    MembershipFactory(
        organisation=org,
        network=network,
        year=year,
        ean=VALID_EAN,
        purchase_reference="PO-GAMMEL",
        invoice_contact_email="faktura@aarby.dk",
    )
    UserFactory(
        verified=True,
        email="staff@erfa.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )

    assert renewals.send_renewal_notices()["invitations"] == 1
    invitation = next(m for m in mail.outbox if "kim@aarby.dk" in m.to)
    assert f"Forny Anvisningsnetværket for {year + 1}" in invitation.subject
    link = re.search(r"https?://\S+/netvaerk/forny/[^/\s]+/", invitation.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)

    # The link asks for the login first, then opens the prefilled page.
    page.goto(base + path)
    expect(page).to_have_url(re.compile(r"/konto/login/"))
    page.fill("input[name=login]", "kim@aarby.dk")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(path)))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Forny Anvisningsnetværket for {year + 1}"
    )
    ean = page.get_by_label("EAN-/GLN-nummer")
    expect(ean).to_have_value(VALID_EAN)
    expect(page.get_by_label("Indkøbsordre / reference")).to_have_value("PO-GAMMEL")
    ean.fill("5790000000004")  # a wrong check digit first
    page.get_by_role("button", name=f"Forny for {year + 1}").click()
    expect(page.locator("#id_ean_error")).to_contain_text("kontrolciffer")
    assert not Membership.objects.filter(year=year + 1).exists()
    page.get_by_label("EAN-/GLN-nummer").fill(NEW_EAN)
    page.get_by_role("button", name=f"Forny for {year + 1}").click()
    expect(page.get_by_text(f"Tak: Aarby Kommune er fornyet for {year + 1}.")).to_be_visible()
    expect(page.locator(".status")).to_have_text("Aktiv")
    renewal = Membership.objects.get(year=year + 1)
    assert (renewal.ean, renewal.status) == (NEW_EAN, Membership.Status.ACTIVE)

    # Staff open the rollover report from the admin's menu and download it.
    staff_context = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    staff = staff_context.new_page()
    staff.goto(f"{base}/konto/login/?next=/admin/")
    staff.fill("input[name=login]", "staff@erfa.example")
    staff.fill("input[name=password]", PASSWORD)
    staff.locator("main form button[type=submit]").click()
    pass_second_factor(staff, "staff@erfa.example", PASSWORD, "/admin/")
    staff.wait_for_url(re.compile(r"/admin/"))
    staff.get_by_role("button", name="Netværk").click()
    staff.get_by_role("link", name="Medlemsårets opgørelse").click()
    staff.wait_for_url(re.compile(r"/admin/network/medlemsaar/"))
    staff.get_by_label("År").select_option(str(year + 1))
    staff.get_by_role("button", name="Vis", exact=True).click()
    row = staff.locator(f"tr[data-network='{network.pk}']")
    expect(row.locator("th")).to_have_text("Anvisningsnetværket")
    expect(row.locator("td").nth(0)).to_have_text("1")  # renewed
    expect(row.locator("td").nth(1)).to_have_text("0")  # invited, not answered
    expect(row.locator("td").nth(4)).to_have_text("1")  # invitations sent
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Hent CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert f"Anvisningsnetværket;{year + 1};1;0;0;0;1;0" in text
    staff_context.close()


def test_an_editor_sets_the_networks_membership_year_in_the_page_editor(
    page, live_server, home_page
):
    from django.contrib.auth.models import Group

    from network.models import NetworkPage

    network = NetworkPageFactory(parent=home_page, title="Anvisningsnetværket", slug="anvisning")
    editor = UserFactory(
        email="redaktoer@erfa.example", password=PASSWORD, is_staff=True, verified=True
    )
    editor.groups.add(Group.objects.get(name="Moderators"))  # may publish
    base = live_server.url
    edit_url = f"/admin/pages/{network.pk}/edit/"
    page.goto(f"{base}/konto/login/?next={edit_url}")
    page.fill("input[name=login]", "redaktoer@erfa.example")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    pass_second_factor(page, "redaktoer@erfa.example", PASSWORD, edit_url)
    page.wait_for_url(re.compile(re.escape(edit_url)))

    expect(page.get_by_text("Medlemsåret", exact=True).first).to_be_visible()
    expect(page.get_by_label("Henstand slutter")).to_have_value("31.01")
    expect(page.get_by_label("Invitation til fornyelse fra")).to_have_value("1.10")
    page.get_by_label("Sådan fortsætter medlemskabet").select_option("continuing")
    page.get_by_label("Opsigelsesfrist").fill("30.11")
    page.get_by_label("Henstand slutter").fill("31.02")  # no such day
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-publish']").click()
    expect(page.get_by_text("Skriv en dag og en måned, fx 31.01.")).to_be_visible()
    assert NetworkPage.objects.get(pk=network.pk).renewal_mode == "explicit"

    page.get_by_label("Henstand slutter").fill("15.2")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-publish']").click()
    expect(page.get_by_text("Anvisningsnetværket").first).to_be_visible()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    saved = NetworkPage.objects.get(pk=network.pk)
    assert (saved.renewal_mode, saved.cancellation_deadline, saved.grace_end) == (
        "continuing",
        "11-30",
        "02-15",
    )
