"""Prices and invoicing (issue 11): pro-rata per quarter, what was charged kept on the
membership, the invoicing export, and the e-invoice (Peppol BIS Billing 3.0) checked
field by field against a known-good invoice written by hand (tests/data/)."""

import csv
import datetime
import importlib
import io
import xml.etree.ElementTree as ET
import zipfile
import zoneinfo
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.models import Permission
from django.utils import translation
from wagtail.models import Site

from network import access, einvoice, pricing, renewals, services
from network.factories import VALID_EAN, MembershipFactory, MunicipalityFactory, NetworkPageFactory
from network.models import Membership, NetworkPage
from portal.factories import UserFactory
from portal.models import SiteSettings
from tests.roles import COORDINATORS, ROLES, log_in, make_person

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
KNOWN_GOOD = Path(__file__).parent.parent / "data" / "einvoice-membership-2026-00042.xml"
LISTING = "/admin/snippets/network/membership/"
NS = {
    "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2": "",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2": "cac:",
    "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2": "cbc:",
}


def travel(*args, tz=CPH):
    return time_machine.travel(datetime.datetime(*args, tzinfo=tz), tick=False)


def sign_up(person, organisation, network, year):
    return services.sign_up(
        person=person,
        organisation=organisation,
        network=network,
        year=year,
        ean=VALID_EAN,
        purchase_reference="PO 2026-17",
        invoice_contact_name="Bente Bogholder",
        invoice_contact_email="faktura@testrup.dk",
        accept_terms=True,
    )


def fields(xml: bytes) -> list[tuple[str, dict, str]]:
    """Every leaf of the invoice as (path below Invoice with prefixes, attributes, text), in
    document order."""
    root = ET.fromstring(xml)  # noqa: S314  (our own output and our own test file)
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    leaves = []

    def walk(element, path):
        uri, local = element.tag[1:].split("}")
        name = f"{path}/{NS[uri]}{local}"
        children = list(element)
        if not children:
            leaves.append((name, dict(element.attrib), (element.text or "").strip()))
        for child in children:
            walk(child, name)

    for child in root:
        walk(child, "")
    return leaves


def field(xml: bytes, path: str) -> str:
    matches = [text for name, _attrs, text in fields(xml) if name == path]
    assert len(matches) == 1, (path, matches)
    return matches[0]


@pytest.fixture
def seller(home_page):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.invoice_legal_name = "Erfa-netværket ApS"
    settings.cvr = "12345678"
    settings.invoice_street = "Weidekampsgade 10"
    settings.invoice_postcode = "2300"
    settings.invoice_city = "København S"
    settings.invoice_email = "faktura@erfa.example"
    settings.bank_reg_no = "1234"
    settings.bank_account_no = "0001234567"
    settings.payment_days = 30
    settings.save()
    return settings


@pytest.fixture
def coordinator(db):
    return make_person("editor")


def approved_in_may(network, organisation, *, pk=None, **kwargs):
    """Signed up on 19 May 2026 (second quarter), approved the next morning."""
    price = pricing.network_price(network, year=2026, on=datetime.date(2026, 5, 19))
    values = {
        "organisation": organisation,
        "network": network,
        "year": 2026,
        "status": Membership.Status.ACTIVE,
        "purchase_reference": "PO 2026-17",
        "invoice_contact_name": "Bente Bogholder",
        "invoice_contact_email": "faktura@testrup.dk",
        "approved_at": datetime.datetime(2026, 5, 20, 9, 0, tzinfo=CPH),
        **pricing.charge_fields(price),
        **({"pk": pk} if pk else {}),
        **kwargs,
    }
    return MembershipFactory(**values)


# --- Pro-rata ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "year", "quarters", "amount", "start", "rule"),
    [
        (
            datetime.datetime(2026, 1, 1, 0, 5, tzinfo=CPH),
            2026,
            4,
            "9500.00",
            datetime.date(2026, 1, 1),
            "Pris for 2026: 4 af 4 kvartaler, 9.500 kr. ekskl. moms",
        ),
        # 23:30 in Copenhagen on 31 March is 21:30 UTC: still the first quarter.
        (
            datetime.datetime(2026, 3, 31, 21, 30, tzinfo=datetime.UTC),
            2026,
            4,
            "9500.00",
            datetime.date(2026, 1, 1),
            "Pris for 2026: 4 af 4 kvartaler, 9.500 kr. ekskl. moms",
        ),
        (
            datetime.datetime(2026, 5, 19, 10, 0, tzinfo=CPH),
            2026,
            3,
            "7125.00",
            datetime.date(2026, 4, 1),
            "Pris for 2026: 3 af 4 kvartaler, 7.125 kr. ekskl. moms",
        ),
        # 22:30 UTC on 30 June is already 1 July in Copenhagen: the third quarter.
        (
            datetime.datetime(2026, 6, 30, 22, 30, tzinfo=datetime.UTC),
            2026,
            2,
            "4750.00",
            datetime.date(2026, 7, 1),
            "Pris for 2026: 2 af 4 kvartaler, 4.750 kr. ekskl. moms",
        ),
        (
            datetime.datetime(2026, 9, 30, 23, 59, tzinfo=CPH),
            2026,
            2,
            "4750.00",
            datetime.date(2026, 7, 1),
            "Pris for 2026: 2 af 4 kvartaler, 4.750 kr. ekskl. moms",
        ),
        (
            datetime.datetime(2026, 10, 1, 0, 1, tzinfo=CPH),
            2026,
            1,
            "2375.00",
            datetime.date(2026, 10, 1),
            "Pris for 2026: 1 af 4 kvartaler, 2.375 kr. ekskl. moms",
        ),
        # In the autumn the coming year is offered: all of it.
        (
            datetime.datetime(2026, 11, 19, 10, 0, tzinfo=CPH),
            2027,
            4,
            "9500.00",
            datetime.date(2027, 1, 1),
            "Pris for 2027: 4 af 4 kvartaler, 9.500 kr. ekskl. moms",
        ),
    ],
)
def test_sign_up_keeps_the_pro_rata_price_of_the_quarter_joined_in(
    network, municipality, person, moment, year, quarters, amount, start, rule
):
    with time_machine.travel(moment, tick=False):
        membership = sign_up(person, municipality, network, year)
    membership = Membership.objects.get(pk=membership.pk)
    assert membership.price_yearly == Decimal("9500.00")
    assert membership.price_quarters == quarters
    assert membership.price_amount == Decimal(amount)
    assert (membership.period_start, membership.period_end) == (
        start,
        datetime.date(year, 12, 31),
    )
    assert membership.price_rule == rule


def test_the_rule_reads_in_danish_and_english_with_ore_only_when_there_are_any():
    price = pricing.price_for(Decimal("9999.99"), year=2026, on=datetime.date(2026, 5, 19))
    assert price.amount == Decimal("7499.99")  # 7499.9925 rounded to øre
    assert price.vat == Decimal("1875.00")
    assert price.amount_incl_vat == Decimal("9374.99")
    with translation.override("da"):
        assert price.rule == "Pris for 2026: 3 af 4 kvartaler, 7.499,99 kr. ekskl. moms"
    with translation.override("en"):
        assert price.rule == "Price for 2026: 3 of 4 quarters, DKK 7,499.99 excl. VAT"
    assert pricing.price_for(None, year=2026, on=datetime.date(2026, 5, 19)) is None
    with pytest.raises(ValueError):
        pricing.price_for(Decimal(9500), year=2025, on=datetime.date(2026, 5, 19))


def test_sign_up_page_receipt_and_email_show_the_price_and_keep_it_when_the_price_changes(
    client, network, municipality, person, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(person)
    with travel(2026, 11, 19, 10, 0):
        page = client.get("/netvaerk/tilmelding/").content.decode()
        assert "Pris for 2026: 1 af 4 kvartaler, 2.375 kr. ekskl. moms" in page
        assert "Pris for 2027: 4 af 4 kvartaler, 9.500 kr. ekskl. moms" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.submit(
                "/netvaerk/tilmelding/",
                {
                    "network": network.pk,
                    "organisation": municipality.pk,
                    "year": 2026,
                    "ean": VALID_EAN,
                    "invoice_contact_name": "Bente Bogholder",
                    "invoice_contact_email": "faktura@testrup.dk",
                    "accept_terms": "on",
                },
                follow=True,
            )
    rule = "Pris for 2026: 1 af 4 kvartaler, 2.375 kr. ekskl. moms"
    assert rule in response.content.decode()
    receipt = next(m for m in mailoutbox if m.to == ["anna@testrup.dk"])
    assert rule in receipt.body
    staff_mail = next(m for m in mailoutbox if m.to != ["anna@testrup.dk"])
    assert rule in staff_mail.body

    # The editor raises the price: the membership keeps what it was signed up for.
    network.price = Decimal("12000")
    network.save_revision().publish()
    membership = Membership.objects.get()
    with travel(2026, 11, 20, 10, 0):
        receipt_page = client.get(f"/netvaerk/tilmelding/{membership.pk}/").content.decode()
        assert rule in receipt_page
        assert "12.000" not in receipt_page
        assert (
            "Pris for 2027: 4 af 4 kvartaler, 12.000 kr. ekskl. moms"
            in client.get("/netvaerk/tilmelding/").content.decode()
        )


def test_the_sign_up_page_runs_a_fixed_number_of_queries_for_any_number_of_networks(
    client, home_page, network, municipality, person, django_assert_max_num_queries
):
    client.force_login(person)
    with travel(2026, 11, 19, 10, 0):
        client.get("/netvaerk/tilmelding/")  # warm the session and permissions
        with django_assert_max_num_queries(9):
            client.get("/netvaerk/tilmelding/")
        for n in range(5):
            NetworkPageFactory(parent=home_page, title=f"Netværk {n}", price=1000 * (n + 1))
        client.get("/netvaerk/tilmelding/")  # the site's menu is rebuilt after new pages
        with django_assert_max_num_queries(9):
            page = client.get("/netvaerk/tilmelding/").content.decode()
    assert "Pris for 2027: 4 af 4 kvartaler, 5.000 kr. ekskl. moms" in page


def test_the_network_page_shows_a_new_price_at_once_also_to_visitors(client, network):
    assert "9.500 kr." in client.get(network.url).content.decode()
    network.price = Decimal("12000")
    network.save_revision().publish()
    assert "12.000 kr." in client.get(network.url).content.decode()


def test_a_network_without_a_price_charges_nothing_and_shows_no_price(
    client, home_page, municipality, person
):
    free = NetworkPageFactory(parent=home_page, title="Gratis netværk", price=None)
    client.force_login(person)
    with travel(2026, 5, 19, 10, 0):
        assert "Priser" not in client.get("/netvaerk/tilmelding/").content.decode()
        membership = sign_up(person, municipality, free, 2026)
        assert membership.price is None and membership.price_rule == ""
        assert (
            "kvartaler" not in client.get(f"/netvaerk/tilmelding/{membership.pk}/").content.decode()
        )


# --- The invoicing export ----------------------------------------------------------------


def test_invoicing_export_has_amount_period_rule_and_invoice_number(
    client, network, municipality, coordinator
):
    membership = approved_in_may(network, municipality, pk=42)
    MembershipFactory(network=network, year=2026, status=Membership.Status.APPLIED)
    client.force_login(coordinator)
    export = client.get(LISTING, {"year": 2026, "export": "csv"})
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    row = next(r for r in rows if r["Organisation"] == "Testrup Kommune")
    assert row["Beløb (kr. ekskl. moms)"] == "7125,00"
    assert row["Periode"] == "01.04.2026-31.12.2026"
    assert row["Prisregel"] == "Pris for 2026: 3 af 4 kvartaler, 7.125 kr. ekskl. moms"
    assert row["Fakturanummer"] == "2026-00042" == membership.invoice_number
    applied = next(r for r in rows if r["Status"] == "Ansøgt")
    assert applied["Fakturanummer"] == ""  # no invoice before approval
    assert applied["Beløb (kr. ekskl. moms)"] == "9500,00"

    xlsx = client.get(LISTING, {"year": 2026, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    values = {
        row[header.index("Organisation")]: row
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    testrup = values["Testrup Kommune"]
    assert testrup[header.index("Beløb (kr. ekskl. moms)")] == 7125  # a number cell
    assert testrup[header.index("Prisregel")].startswith("Pris for 2026: 3 af 4")


# --- E-invoices ---------------------------------------------------------------------------


def test_the_e_invoice_matches_the_known_good_invoice_field_by_field(
    client, network, seller, coordinator, django_assert_max_num_queries
):
    testrup = MunicipalityFactory(name="Testrup Kommune", address="Rådhustorvet 1\n8999 Testrup")
    membership = approved_in_may(network, testrup, pk=42)
    client.force_login(coordinator)

    with django_assert_max_num_queries(12):
        response = client.get(f"/admin/network/medlemskab/{membership.pk}/e-faktura/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="faktura-2026-00042.xml"'
    xml = response.content
    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")

    expected = fields(KNOWN_GOOD.read_bytes())
    assert len(expected) == 60
    assert fields(xml) == expected

    # The same invoice at every download, also after the network's price has changed.
    network.price = Decimal("12000")
    network.save_revision().publish()
    again = client.get(f"/admin/network/medlemskab/{membership.pk}/e-faktura/")
    assert again.content == xml
    history = client.get(f"/admin/snippets/network/membership/history/{membership.pk}/")
    assert "E-faktura hentet" in history.content.decode()

    # The edit form shows what was charged, read-only, in Danish.
    edit = client.get(f"/admin/snippets/network/membership/edit/{membership.pk}/").content.decode()
    for label in ("Beløb (kr. ekskl. moms)", "Kvartaler betalt", "Periode fra", "Periode til"):
        assert label in edit
    assert 'name="price_amount"' not in edit  # not an input: read-only


def test_seller_ean_and_iban_are_used_when_given(network, municipality, seller):
    seller.seller_ean = VALID_EAN
    seller.bank_reg_no = seller.bank_account_no = ""
    seller.iban = "DK5000400440116243"
    membership = approved_in_may(network, municipality, purchase_reference="")
    xml = einvoice.invoice_xml(membership, seller)
    assert ("/cac:AccountingSupplierParty/cac:Party/cbc:EndpointID", {"schemeID": "0088"}) in [
        (path, attrs) for path, attrs, _text in fields(xml)
    ]
    assert field(xml, "/cac:PaymentMeans/cbc:PaymentMeansCode") == "58"
    assert field(xml, "/cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID") == (
        "DK5000400440116243"
    )
    # Without a purchase reference the invoice contact is the buyer's reference.
    assert field(xml, "/cbc:BuyerReference") == "Bente Bogholder"
    assert "cac:OrderReference" not in xml.decode()


def test_a_years_invoices_download_as_one_zip_from_the_listing(
    client, network, home_page, seller, coordinator, django_assert_max_num_queries
):
    other_network = NetworkPageFactory(parent=home_page, title="Boligsocialt Netværk")
    free_network = NetworkPageFactory(parent=home_page, title="Gratis netværk", price=None)
    invoiced = [
        approved_in_may(network, MunicipalityFactory()),
        approved_in_may(network, MunicipalityFactory()),
        approved_in_may(other_network, MunicipalityFactory()),
    ]
    applied = MembershipFactory(network=network, year=2026, status=Membership.Status.APPLIED)
    without_price = MembershipFactory(
        network=free_network, year=2026, approved_at=datetime.datetime(2026, 1, 5, tzinfo=CPH)
    )
    client.force_login(coordinator)

    listing = client.get(LISTING, {"year": 2026}).content.decode()
    assert "E-fakturaer for 2026 (zip)" in listing
    for membership in invoiced:
        assert f'aria-label="Hent e-fakturaen for {membership}"' in listing
    for membership in (applied, without_price):
        assert f'aria-label="Hent e-fakturaen for {membership}"' not in listing

    with django_assert_max_num_queries(30):
        response = client.get("/admin/network/e-fakturaer/2026/")
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="e-fakturaer-2026.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(f"faktura-{m.invoice_number}.xml" for m in invoiced)
    for membership in invoiced:
        xml = archive.read(f"faktura-{membership.invoice_number}.xml")
        assert field(xml, "/cbc:ID") == membership.invoice_number
        assert field(xml, "/cac:LegalMonetaryTotal/cbc:PayableAmount") == "8906.25"

    # One network's, from the listing filtered by it.
    filtered = client.get(LISTING, {"year": 2026, "network": other_network.pk}).content.decode()
    assert f"/admin/network/e-fakturaer/2026/?network={other_network.pk}" in filtered
    one = client.get(f"/admin/network/e-fakturaer/2026/?network={other_network.pk}")
    assert zipfile.ZipFile(io.BytesIO(one.content)).namelist() == [
        f"faktura-{invoiced[2].invoice_number}.xml"
    ]

    # A membership that is not approved: no file, a Danish message.
    refused = client.get(f"/admin/network/medlemskab/{applied.pk}/e-faktura/", follow=True)
    assert "Content-Disposition" not in refused
    assert (
        f"{applied} har ingen e-faktura: medlemskabet er ikke godkendt eller har ingen pris."
        in refused.content.decode()
    )

    # A year with nothing to invoice: back to the listing with a Danish message.
    empty = client.get("/admin/network/e-fakturaer/2019/", follow=True)
    assert "Ingen godkendte medlemskaber med pris i 2019 at fakturere." in empty.content.decode()


def test_missing_seller_details_give_a_danish_message_not_a_500(
    client, network, municipality, home_page, coordinator
):
    membership = approved_in_may(network, municipality)
    client.force_login(coordinator)
    response = client.get(f"/admin/network/medlemskab/{membership.pk}/e-faktura/", follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "Udfyld først sælgeroplysningerne under Indstillinger &gt; Webstedsindstillinger: "
        "CVR-nummer, gade og husnummer, postnummer, by, e-mail til spørgsmål om fakturaer, "
        "kontonummer / IBAN." in page
    )
    zip_response = client.get("/admin/network/e-fakturaer/2026/", follow=True)
    assert "Udfyld først sælgeroplysningerne" in zip_response.content.decode()


def test_only_who_may_approve_memberships_downloads_invoices(client, network, municipality, seller):
    membership = approved_in_may(network, municipality)
    admin_only = UserFactory(verified=True, is_staff=False)
    admin_only.user_permissions.add(Permission.objects.get(codename="access_admin"))
    member = make_person("member", network=network)
    urls = [
        f"/admin/network/medlemskab/{membership.pk}/e-faktura/",
        "/admin/network/e-fakturaer/2026/",
    ]
    client.force_login(admin_only)
    for url in urls:  # Wagtail sends who may not back to the dashboard, with a message
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert "Content-Disposition" not in response
    client.force_login(member)  # no admin at all
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403 and "Content-Disposition" not in response
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- Seller details in the site settings ----------------------------------------------


def settings_form(**overrides):
    return {
        "organisation_name": "Erfa-netværket",
        "address": "",
        "email": "",
        "phone": "",
        "header_cta-count": "0",
        "footer_links-count": "0",
        "privacy_page": "",
        "invoice_legal_name": "Erfa-netværket ApS",
        "cvr": "12345678",
        "seller_ean": "",
        "invoice_street": "Weidekampsgade 10",
        "invoice_postcode": "2300",
        "invoice_city": "København S",
        "invoice_email": "faktura@erfa.example",
        "bank_reg_no": "1234",
        "bank_account_no": "0001234567",
        "iban": "",
        "payment_days": "30",
        **overrides,
    }


def test_seller_details_are_validated_in_danish_in_the_site_settings(client, home_page):
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/portal/sitesettings/{site.pk}/"
    client.force_login(make_person("superuser"))
    form = client.get(url).content.decode()
    for label in ("Sælger på e-fakturaer", "CVR-nummer", "EAN/GLN-nummer (sælger)", "Reg.nr."):
        assert label in form

    response = client.submit(
        url,
        settings_form(
            cvr="1234",
            seller_ean="5798000000002",
            iban="DK00 1234",
            invoice_postcode="23",
            bank_account_no="",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Et CVR-nummer har præcis 8 cifre og starter ikke med 0." in page
    assert "kontrolciffer" in page  # the EAN's GS1 check digit
    assert "IBAN-nummeret er ikke gyldigt." in page
    assert "Et dansk postnummer har 4 cifre." in page
    assert not SiteSettings.for_site(site).cvr  # nothing saved

    response = client.submit(url, settings_form(bank_account_no=""))
    assert "Angiv både reg.nr. og kontonummer." in response.content.decode()

    response = client.submit(url, settings_form(iban="dk50 0040 0440 1162 43"))
    assert response.status_code == 302
    saved = SiteSettings.for_site(site)
    assert (saved.cvr, saved.iban, saved.seller_name) == (
        "12345678",
        "DK5000400440116243",
        "Erfa-netværket ApS",
    )
    assert saved.invoice_details_missing() == []


# --- Renewals and the rollover keep their price too -------------------------------------


def test_a_renewal_and_a_continued_membership_keep_the_whole_years_price_and_are_invoiced(
    client,
    network,
    home_page,
    municipality,
    person,
    seller,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    last_year = MembershipFactory(organisation=municipality, network=network, year=2026)
    continuing = NetworkPageFactory(
        parent=home_page,
        title="Fortsættende netværk",
        price=Decimal("8000"),
        renewal_mode=NetworkPage.RenewalMode.CONTINUING,
    )
    continued_from = MembershipFactory(network=continuing, year=2026)

    rule = "Pris for 2027: 4 af 4 kvartaler, 9.500 kr. ekskl. moms"
    with travel(2026, 11, 19, 10, 0):
        client.force_login(person)
        page = client.get(last_year.renewal_path()).content.decode()
        assert f'<p class="price-line">{rule}</p>' in page
        with django_capture_on_commit_callbacks(execute=True):
            renewal = renewals.renew(
                membership=last_year,
                person=person,
                ean=VALID_EAN,
                invoice_contact_name="Bente Bogholder",
                invoice_contact_email="faktura@testrup.dk",
            )
    assert all(f"{rule}." in m.body for m in mailoutbox)
    network.price = Decimal("12000")  # raised after the renewal: it keeps its price
    network.save_revision().publish()
    renewal = Membership.objects.get(pk=renewal.pk)
    assert renewal.price_rule == rule

    with travel(2027, 1, 1, 0, 30):
        renewals.roll_over()
    continued = Membership.objects.get(organisation=continued_from.organisation, year=2027)
    assert continued.status == Membership.Status.ACTIVE and continued.approved_at is None
    assert continued.price_rule == "Pris for 2027: 4 af 4 kvartaler, 8.000 kr. ekskl. moms"
    # Active by the rollover, not by anyone's approval: invoiced all the same, dated the
    # day it was made.
    xml = einvoice.invoice_xml(continued, seller)
    assert field(xml, "/cbc:IssueDate") == "2027-01-01"
    assert field(xml, "/cac:LegalMonetaryTotal/cbc:PayableAmount") == "10000.00"


@pytest.mark.parametrize("role", ROLES)
def test_who_may_download_e_invoices(role, client, network, municipality, seller):
    """`access.can_download_invoices`, the admin's buttons and the download views agree
    for every kind of person (tests/roles.py)."""
    person = make_person(role, network=network, organisation=municipality)
    may = role in COORDINATORS
    assert access.can_download_invoices(person) is may
    membership = approved_in_may(network, MunicipalityFactory())
    log_in(client, person)
    listing = client.get(LISTING)
    single = client.get(f"/admin/network/medlemskab/{membership.pk}/e-faktura/")
    batch = client.get("/admin/network/e-fakturaer/2026/")
    if may:
        assert f'aria-label="Hent e-fakturaen for {membership}"' in listing.content.decode()
        assert single.status_code == batch.status_code == 200
        assert single["Content-Disposition"].startswith("attachment;")
    else:
        assert listing.status_code in (302, 403)
        for response in (single, batch):
            assert response.status_code in (302, 403)
            assert "Content-Disposition" not in response


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rådhuspladsen 2\n8000 Aarhus C", ("Rådhuspladsen 2", "", "8000", "Aarhus C")),
        ("Torvet 1, Bygning B, 8999 Testrup", ("Torvet 1", "Bygning B", "8999", "Testrup")),
        ("Postboks 12\nTorvet 1\nDK-8999 Testrup", ("Postboks 12", "Torvet 1", "8999", "Testrup")),
        ("Torvet 1", ("Torvet 1", "", "", "")),
        ("", ("", "", "", "")),
    ],
)
def test_the_buyers_free_text_address_is_split_for_the_invoice(text, expected):
    address = einvoice.split_address(text)
    assert (address.street, address.additional, address.postcode, address.city) == expected


def test_memberships_from_before_prices_were_kept_get_the_price_of_their_sign_up_date(network):
    """Migration 0004's backfill, run on rows as they were before it."""
    migration = importlib.import_module("network.migrations.0004_membership_price")
    may = MembershipFactory(network=network, year=2026, **pricing.charge_fields(None))
    autumn = MembershipFactory(network=network, year=2027, **pricing.charge_fields(None))
    Membership.objects.filter(pk=may.pk).update(
        created_at=datetime.datetime(2026, 5, 19, 10, 0, tzinfo=CPH)
    )
    Membership.objects.filter(pk=autumn.pk).update(
        created_at=datetime.datetime(2026, 11, 19, 10, 0, tzinfo=CPH)
    )
    migration.keep_what_was_charged(apps, None)
    may.refresh_from_db()
    autumn.refresh_from_db()
    assert may.price_rule == "Pris for 2026: 3 af 4 kvartaler, 7.125 kr. ekskl. moms"
    assert may.period_start == datetime.date(2026, 4, 1)
    assert autumn.price_rule == "Pris for 2027: 4 af 4 kvartaler, 9.500 kr. ekskl. moms"
