"""Every spreadsheet export in the admin goes through portal/exports.py: semicolons and a
BOM for a Danish Excel, and no cell a spreadsheet would run as a formula."""

import csv
import io

import openpyxl
import pytest

from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    NetworkPageFactory,
    OrganisationFactory,
)
from portal.factories import UserFactory

INJECTION = '=HYPERLINK("https://evil.example/","Faktura")'


@pytest.fixture
def coordinator(db):
    return UserFactory(verified=True, is_staff=True, is_superuser=True)


def csv_rows(response) -> tuple[bytes, list[dict]]:
    raw = b"".join(response.streaming_content)
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_membership_invoicing_csv_neutralises_a_formula_in_the_purchase_reference(
    client, home_page, coordinator
):
    network = NetworkPageFactory(parent=home_page, title="Netværk for Ældreområdet")
    organisation = OrganisationFactory(name="Ærø Kommune")
    MembershipFactory(organisation=organisation, network=network, purchase_reference=INJECTION)
    client.force_login(coordinator)

    raw, rows = csv_rows(client.get("/admin/snippets/network/membership/", {"export": "csv"}))

    assert raw.startswith(b"\xef\xbb\xbf")
    row = next(r for r in rows if r["Organisation"] == "Ærø Kommune")
    assert row["Reference"] == "'" + INJECTION

    response = client.get("/admin/snippets/network/membership/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    reference = next(cell for cell in cells if cell.value == INJECTION)
    assert reference.data_type == "s" and reference.quotePrefix


def test_organisation_and_affiliation_exports_use_the_same_safe_csv(client, coordinator):
    organisation = OrganisationFactory(name="+45 Boligselskab", address="@Hovedgaden 1")
    AffiliationFactory(
        person=UserFactory(first_name="Tina", last_name="Tabel"), organisation=organisation
    )
    client.force_login(coordinator)

    raw, rows = csv_rows(client.get("/admin/snippets/network/organisation/", {"export": "csv"}))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("Navn;")
    row = next(r for r in rows if r["Navn"].endswith("45 Boligselskab"))
    assert row["Navn"] == "'+45 Boligselskab"
    assert row["Adresse"] == "'@Hovedgaden 1"

    raw, rows = csv_rows(client.get("/admin/snippets/network/affiliation/", {"export": "csv"}))
    row = next(r for r in rows if r["Navn"] == "Tina Tabel")
    assert row["Organisation"] == "'+45 Boligselskab"
