"""The library page: search, filters, sorting, pagination and pinned query counts."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from network.factories import OrganisationFactory
from network.library import fragments
from network.library.factories import AgreementFactory, municipality
from network.library.models import Agreement
from portal.regions import Region

from .helpers import listed_titles


def titles(response) -> list[str]:
    return listed_titles(response)


@pytest.fixture
def agreements(db):
    aarhus, copenhagen, aalborg = municipality("751"), municipality("101"), municipality("851")
    nord = OrganisationFactory(name="Boligselskabet Nordlys")
    syd = OrganisationFactory(name="Sydbo")
    return {
        "velkomst": AgreementFactory(
            title="Velkomst i afdelingerne",
            summary="Frivillige værter byder nye beboere velkommen.",
            municipality=aarhus,
            housing_organisations=[nord],
            topics=["reception"],
            signed_on=datetime.date(2017, 6, 1),
        ),
        "anvisning": AgreementFactory(
            title="Kommunal anvisning af hver fjerde bolig",
            summary="Kommunen anviser en fjerdedel af de ledige boliger.",
            municipality=copenhagen,
            housing_organisations=[syd],
            topics=["allocation", "placement"],
            signed_on=datetime.date(2016, 1, 15),
        ),
        "fleksibel": AgreementFactory(
            title="Fleksibel udlejning i Aalborg Øst",
            summary="Udlejning med fortrinsret for personer i job og uddannelse.",
            municipality=aalborg,
            housing_organisations=[nord],
            topics=["letting"],
            signed_on=None,
            state=Agreement.State.NEGOTIATING,
        ),
        "medlemmer": AgreementFactory(
            title="Medlemsaftale om velkomst",
            summary="Kun for medlemmer.",
            municipality=aarhus,
            consent=Agreement.Consent.MEMBERS,
        ),
        "ingen": AgreementFactory(
            title="Ingen aftale i Aalborg", municipality=aalborg, state=Agreement.State.NONE
        ),
    }


def test_search_over_title_summary_and_parties(client, library_page, agreements):
    assert titles(client.get(library_page.url, {"q": "værter"})) == ["Velkomst i afdelingerne"]
    assert titles(client.get(library_page.url, {"q": "anvisning"})) == [
        "Kommunal anvisning af hver fjerde bolig"
    ]
    # A party's name finds its agreements.
    assert set(titles(client.get(library_page.url, {"q": "Nordlys"}))) == {
        "Velkomst i afdelingerne",
        "Fleksibel udlejning i Aalborg Øst",
    }
    # The municipality's name too.
    assert "Kommunal anvisning af hver fjerde bolig" in titles(
        client.get(library_page.url, {"q": "Københavns"})
    )
    # The start of a word is enough: people type "København", not "Københavns".
    assert "Kommunal anvisning af hver fjerde bolig" in titles(
        client.get(library_page.url, {"q": "København"})
    )
    assert "Fleksibel udlejning i Aalborg Øst" in titles(
        client.get(library_page.url, {"q": "Fleksib"})
    )
    # Members-only agreements are not found by the public.
    assert "Medlemsaftale om velkomst" not in titles(
        client.get(library_page.url, {"q": "velkomst"})
    )


def test_members_find_members_only_agreements(client, library_page, agreements, member):
    client.force_login(member)
    assert "Medlemsaftale om velkomst" in titles(client.get(library_page.url, {"q": "velkomst"}))


def test_no_agreement_answers_are_not_listed(client, library_page, agreements):
    assert "Ingen aftale i Aalborg" not in titles(client.get(library_page.url))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"municipality": "MUNI:751"}, {"Velkomst i afdelingerne"}),
        ({"region": Region.NORDJYLLAND}, {"Fleksibel udlejning i Aalborg Øst"}),
        ({"topic": "allocation"}, {"Kommunal anvisning af hver fjerde bolig"}),
        ({"year": "2017"}, {"Velkomst i afdelingerne"}),
        ({"housing_organisation": "ORG:Sydbo"}, {"Kommunal anvisning af hver fjerde bolig"}),
        ({"topic": "reception", "q": "velkomst"}, {"Velkomst i afdelingerne"}),
        ({"year": "abc", "topic": "nonsense", "municipality": "x"}, None),  # ignored, no 500
    ],
)
def test_filters(client, library_page, agreements, params, expected):
    params = dict(params)
    if params.get("municipality", "").startswith("MUNI:"):
        params["municipality"] = municipality(params["municipality"][5:]).pk
    if params.get("housing_organisation", "").startswith("ORG:"):
        name = params["housing_organisation"][4:]
        params["housing_organisation"] = (
            agreements["anvisning"].housing_organisations.get(name=name).pk
        )
    response = client.get(library_page.url, params)
    assert response.status_code == 200
    if expected is None:
        expected = set(titles(client.get(library_page.url)))
    assert set(titles(response)) == expected


def test_sorting(client, library_page, agreements):
    by_signed = titles(client.get(library_page.url, {"sort": "signed"}))
    assert by_signed[:2] == ["Velkomst i afdelingerne", "Kommunal anvisning af hver fjerde bolig"]
    by_municipality = titles(client.get(library_page.url, {"sort": "municipality"}))
    assert by_municipality[0] == "Fleksibel udlejning i Aalborg Øst"  # Aalborg Kommune
    searched = titles(client.get(library_page.url, {"q": "velkomst", "sort": "municipality"}))
    assert searched == ["Velkomst i afdelingerne"]


def test_pagination_keeps_the_filters(client, library_page):
    for n in range(25):
        AgreementFactory(title=f"Aftale nummer {n:02d}", topics=["placement"])
    response = client.get(library_page.url, {"topic": "placement"})
    assert len(titles(response)) == 20
    body = response.content.decode()
    assert "topic=placement&amp;page=2" in body
    second = client.get(library_page.url, {"topic": "placement", "page": "2"})
    assert len(titles(second)) == 5
    assert client.get(library_page.url, {"page": "abc"}).status_code == 200
    assert client.get(library_page.url, {"page": "999"}).status_code == 200


def test_listing_query_count_does_not_grow_with_the_number_of_agreements(
    client, library_page, member, django_assert_max_num_queries
):
    for n in range(30):
        AgreementFactory(
            title=f"Aftale {n}",
            consent=Agreement.Consent.MEMBERS if n % 2 else Agreement.Consent.PUBLIC,
            topics=["placement", "reception"],
        )
    client.force_login(member)
    client.get(library_page.url)  # warm caches (site root, content types)
    fragments.forget()  # the listing built from the database, not the kept copy
    # 22: one more than before per-party consent (the viewer's own organisations, to
    # know whether they are a party and see who has consented); 23: the page's consents
    # are fetched for every signed-in viewer, whoever's agreements are on the page, so
    # the count is the same with the demo data and at scale (tests/scale).
    with django_assert_max_num_queries(23):
        response = client.get(library_page.url)
    assert len(titles(response)) == 20
    # 26: the search counts its matches and ranks one page in the database (on SQLite
    # the ranked ids, then their rows) instead of loading every visible id; the page's
    # consents as above.
    with django_assert_max_num_queries(26):
        response = client.get(library_page.url, {"q": "Aftale", "topic": "placement"})
    assert len(titles(response)) == 20
    # Kept in the shared cache: no query for the listing, the filters or the search.
    with django_assert_max_num_queries(7):
        kept = client.get(library_page.url, {"q": "Aftale", "topic": "placement"})
    assert titles(kept) == titles(response)


def test_overview_and_site_search_query_counts(
    client, library_page, overview_page, member, django_assert_max_num_queries
):
    for n in range(30):
        AgreementFactory(title=f"Aftale {n}", topics=["placement", "reception"])
    client.force_login(member)
    client.get(overview_page.url)
    fragments.forget()
    with django_assert_max_num_queries(23):
        assert client.get(overview_page.url).status_code == 200
    with django_assert_max_num_queries(17):  # see above: counted and ranked in the database
        assert client.get("/soeg/", {"q": "Aftale"}).status_code == 200


def test_detail_page_shows_the_facts_and_a_download_link(client, library_page, agreements):
    agreement = agreements["velkomst"]
    body = client.get(library_page.agreement_url(agreement)).content.decode()
    assert "Velkomst i afdelingerne" in body
    assert "Boligselskabet Nordlys" in body
    assert "Modtagelse og integration" in body
    assert "1. juni 2017" in body
    assert f'href="/aftaler/dokument/{agreement.pk}/"' in body
    assert "/media/" not in body
    # DKFDS's breadcrumbs lead back to the library; the agreement is where the reader is.
    crumbs = body[body.index('<nav class="breadcrumbs" aria-label="Brødkrumme">') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert f'href="{library_page.url}">{library_page.title}</a>' in crumbs
    assert 'aria-current="page"' in crumbs and "Velkomst i afdelingerne" in crumbs


def test_sitemap_lists_public_agreements_only(client, library_page, agreements, staff):
    client.force_login(staff)  # who asks does not matter: the sitemap is public
    body = client.get("/sitemap.xml").content.decode()
    assert library_page.agreement_url(agreements["velkomst"]) in body
    assert library_page.agreement_url(agreements["medlemmer"]) not in body
    assert list(Agreement.objects.visible_to(AnonymousUser()).listed()) != []
