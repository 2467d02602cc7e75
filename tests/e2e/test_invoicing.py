"""E-invoices in Chromium: a staff member (second factor by TOTP) tries to download an
invoice before the seller details are set and is told in Danish what is missing; fills
them in the site settings (a bad CVR number is refused in Danish); then downloads one
membership's e-invoice from its row and the year's invoices as a zip from the listing."""

import datetime
import io
import re
import xml.etree.ElementTree as ET
import zipfile
import zoneinfo

import pytest
from playwright.sync_api import expect
from wagtail.models import Site

from network import pricing
from network.factories import MembershipFactory, MunicipalityFactory, NetworkPageFactory
from network.models import Membership
from portal.factories import UserFactory
from portal.models import SiteSettings
from tests.e2e.login import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"
CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"


def approved(network, organisation, signed_up_on):
    return MembershipFactory(
        network=network,
        organisation=organisation,
        year=2026,
        status=Membership.Status.ACTIVE,
        approved_at=datetime.datetime(2026, 5, 20, 9, 0, tzinfo=CPH),
        **pricing.charge_fields(pricing.network_price(network, year=2026, on=signed_up_on)),
    )


def test_staff_set_the_seller_details_and_download_e_invoices(page, live_server, home_page):
    base = live_server.url
    staff = UserFactory(
        verified=True,
        email="okonomi@erfa.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk", price=9500)
    testrup = approved(
        network, MunicipalityFactory(name="Testrup Kommune"), datetime.date(2026, 5, 19)
    )
    approved(network, MunicipalityFactory(name="Andeby Kommune"), datetime.date(2025, 12, 1))
    MembershipFactory(network=network, year=2026, status=Membership.Status.APPLIED)

    log_in(page, base, staff.email, PASSWORD, next_path="/admin/snippets/network/membership/")
    page.goto(f"{base}/admin/snippets/network/membership/?year=2026")
    row_button = page.get_by_role("link", name=f"Hent e-fakturaen for {testrup}")
    expect(page.get_by_role("link", name=re.compile("^Hent e-fakturaen for "))).to_have_count(2)

    # No seller details yet: a Danish message that says what is missing, no file.
    row_button.click()
    expect(page.locator(".messages")).to_contain_text(
        "Udfyld først sælgeroplysningerne under Indstillinger > Webstedsindstillinger: CVR-nummer"
    )

    # The site settings: a bad CVR number is refused in Danish, then saved.
    site = Site.objects.get(is_default_site=True)
    page.goto(f"{base}/admin/settings/portal/sitesettings/{site.pk}/")
    expect(page.get_by_text("Sælger på e-fakturaer")).to_be_visible()
    page.get_by_label("Juridisk navn på fakturaer").fill("Erfa-netværket ApS")
    page.get_by_label("CVR-nummer").fill("1234")
    page.get_by_label("Gade og husnummer").fill("Weidekampsgade 10")
    page.get_by_label("Postnummer").fill("2300")
    page.get_by_label("By", exact=True).fill("København S")
    page.get_by_label("E-mail til spørgsmål om fakturaer").fill("faktura@erfa.example")
    page.get_by_label("Reg.nr.").fill("1234")
    page.get_by_label("Kontonummer").fill("0001234567")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Et CVR-nummer har præcis 8 cifre")).to_be_visible()
    assert SiteSettings.for_site(site).cvr == ""
    page.get_by_label("CVR-nummer").fill("12345678")
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Et CVR-nummer har præcis 8 cifre")).to_have_count(0)
    expect(page.locator(".messages")).to_be_visible()
    assert SiteSettings.for_site(site).cvr == "12345678"

    # One membership's e-invoice from its row.
    page.goto(f"{base}/admin/snippets/network/membership/?year=2026")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Hent e-fakturaen for {testrup}").click()
    download = download_info.value
    assert download.suggested_filename == f"faktura-{testrup.invoice_number}.xml"
    with open(download.path(), "rb") as file:
        invoice = ET.fromstring(file.read())  # noqa: S314  (the site's own output)
    assert invoice.findtext(f"{CBC}ID") == testrup.invoice_number
    assert invoice.findtext(f"{CBC}Note") == (
        "Pris for 2026: 3 af 4 kvartaler, 7.125 kr. ekskl. moms"
    )

    # The year's invoices in one zip.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="E-fakturaer for 2026 (zip)").click()
    download = download_info.value
    assert download.suggested_filename == "e-fakturaer-2026.zip"
    with open(download.path(), "rb") as file:
        names = zipfile.ZipFile(io.BytesIO(file.read())).namelist()
    assert sorted(names) == sorted(
        f"faktura-{m.invoice_number}.xml" for m in Membership.objects.filter(status="active")
    )
