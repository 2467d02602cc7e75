import csv
import io

from network.factories import (
    AffiliationFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
)
from network.models import Affiliation, Membership, Organisation
from portal.factories import UserFactory
from portal.regions import Region
from tests.roles import make_person


def test_staff_bulk_approve_memberships_in_the_admin(
    client, network, person, staff, mailoutbox, django_capture_on_commit_callbacks
):
    applied = [
        MembershipFactory(network=network, status=Membership.Status.APPLIED, signed_up_by=person)
        for _ in range(3)
    ]
    client.force_login(staff)
    ids = "&".join(f"id={m.pk}" for m in applied)
    url = f"/admin/bulk/network/membership/approve/?next=/admin/snippets/network/membership/&{ids}"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Godkend disse ansøgte medlemskaber?" in confirm.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(url, follow=True)
    assert "3 medlemskaber godkendt." in response.content.decode()
    assert set(Membership.objects.values_list("status", flat=True)) == {Membership.Status.ACTIVE}
    assert len(mailoutbox) == 3


def test_membership_listing_filters_counts_and_invoicing_export(
    client, network, staff, django_assert_max_num_queries
):
    aarhus = Organisation.objects.get(municipality_code="751")
    MembershipFactory(
        organisation=aarhus, network=network, year=2026, purchase_reference="PO-AAR-1"
    )
    for _ in range(20):
        MembershipFactory(network=network, year=2026)
    MembershipFactory(network=network, year=2026, status=Membership.Status.APPLIED)
    MembershipFactory(network=network, year=2025)
    client.force_login(staff)

    with django_assert_max_num_queries(40):
        page = client.get(
            "/admin/snippets/network/membership/", {"network": network.pk, "year": 2026}
        ).content.decode()
    assert "21 aktive medlemskaber" in page
    assert "Ansøgt: 1" in page

    export = client.get(
        "/admin/snippets/network/membership/",
        {"network": network.pk, "year": 2026, "status": "active", "export": "csv"},
    )
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(rows) == 21
    aarhus_row = next(r for r in rows if r["Organisation"] == "Aarhus Kommune")
    assert aarhus_row["Kommunekode"] == "751"
    assert aarhus_row["EAN-nummer"] == "5798000000001"
    assert aarhus_row["Reference"] == "PO-AAR-1"
    assert aarhus_row["Fakturakontakt"] == "Bente Bogholder"

    xlsx = client.get("/admin/snippets/network/membership/", {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )


def test_organisations_can_be_searched_and_filtered_by_kind_and_region(client, staff):
    OrganisationFactory(name="Boligselskabet Nordlys")
    client.force_login(staff)
    page = client.get(
        "/admin/snippets/network/organisation/",
        {"kind": "municipality", "region": Region.NORDJYLLAND},
    ).content.decode()
    assert "Aalborg Kommune" in page
    assert "Aarhus Kommune" not in page
    assert "Boligselskabet Nordlys" not in page

    page = client.get("/admin/snippets/network/organisation/", {"q": "nordlys"}).content.decode()
    assert "Boligselskabet Nordlys" in page

    export = client.get(
        "/admin/snippets/network/organisation/",
        {"kind": "municipality", "export": "csv"},
    )
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert len(rows) == 98
    assert {"Navn": "Aarhus Kommune", "Kommunekode": "751"}.items() <= next(
        r for r in rows if r["Navn"] == "Aarhus Kommune"
    ).items()


def test_staff_can_link_an_administration_company_to_housing_organisations(client, staff):
    company = OrganisationFactory(kind=Organisation.Kind.ADMINISTRATION_COMPANY, name="Adm A/S")
    client.force_login(staff)
    response = client.submit(
        "/admin/snippets/network/organisation/add/",
        {
            "kind": "housing",
            "name": "Boligforeningen Lyset",
            "address": "Lysvej 1",
            "municipality_code": "",
            "region": "",
            "administered_by": company.pk,
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-domain": "lyset.dk",
            "domains-0-id": "",
            "domains-0-ORDER": "1",
            "domains-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    housing = Organisation.objects.get(name="Boligforeningen Lyset")
    assert housing.administered_by == company
    assert housing.domain_list == ["lyset.dk"]


def test_admin_is_closed_to_members(client, person):
    client.force_login(person)
    response = client.get("/admin/snippets/network/membership/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/bulk/network/membership/approve/?id=1").status_code in (302, 403)


def test_municipality_factory_does_not_clash_with_real_codes(db):
    made_up = MunicipalityFactory()
    assert made_up.municipality_code.startswith("9")
    assert UserFactory  # factories importable for other apps


def test_an_editor_without_the_staff_flag_approves_from_the_rows_and_in_bulk(
    client, network, person, municipality, mailoutbox, django_capture_on_commit_callbacks
):
    """The coordinator's day: "Godkend" on one row, then several at once, for memberships
    and affiliation requests, through the confirmation page's form (with its token)."""
    editor = make_person("editor")
    applied = [
        MembershipFactory(network=network, status=Membership.Status.APPLIED, signed_up_by=person)
        for _ in range(3)
    ]
    requests = [
        AffiliationFactory(organisation=municipality, status="requested", verified_via="")
        for _ in range(3)
    ]
    client.force_login(editor)

    for listing, first, rest, model, approved, done in (
        (
            "/admin/snippets/network/membership/",
            applied[0],
            applied[1:],
            "membership",
            Membership.Status.ACTIVE,
            "2 medlemskaber godkendt.",
        ),
        (
            "/admin/snippets/network/affiliation/",
            requests[0],
            requests[1:],
            "affiliation",
            Affiliation.Status.VERIFIED,
            "2 tilknytninger godkendt.",
        ),
    ):
        page = client.get(listing).content.decode()
        row_button = (
            f"/admin/bulk/network/{model}/approve/?next={listing.replace('/', '%2F')}"
            f"&amp;id={first.pk}"
        )
        assert row_button in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.submit(row_button.replace("&amp;", "&"), follow=True)
        assert response.redirect_chain[-1][0] == listing
        first.refresh_from_db()
        assert first.status == approved

        ids = "&".join(f"id={obj.pk}" for obj in rest)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.submit(
                f"/admin/bulk/network/{model}/approve/?next={listing}&{ids}", follow=True
            )
        assert done in response.content.decode()
        # Nothing waits any more: no row offers "Godkend".
        assert (
            f"/admin/bulk/network/{model}/approve/?next="
            not in client.get(listing).content.decode()
        )

    assert {m.status for m in Membership.objects.all()} == {Membership.Status.ACTIVE}
    assert all(
        a.is_verified and a.decided_by == editor
        for a in Affiliation.objects.filter(pk__in=[r.pk for r in requests])
    )
    assert len(mailoutbox) == 6
