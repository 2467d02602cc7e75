"""The site search keeps its results in the shared cache (`portal.views.search_results`):
what an editor or a party changes is found at once, and nothing only members may read is
ever shown to anyone else from a kept copy."""

import re

import pytest

from network.library.factories import (
    AgreementFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
)
from network.library.models import Agreement, Audience


def search(client, query: str, **params) -> str:
    response = client.get("/soeg/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def page_titles(body: str) -> list[str]:
    return re.findall(r'<li><h2><a href="[^"]+">([^<]+)</a></h2>', body)


def agreement_titles(body: str) -> list[str]:
    return re.findall(r'<li><h3><a href="[^"]+">([^<]+)</a></h3>', body)


@pytest.fixture
def index_page(home_page):
    return ResourceIndexPageFactory(parent=home_page)


@pytest.fixture
def guide(index_page):
    return ResourcePageFactory(
        parent=index_page,
        title="Guide om modtagelse af nye beboere",
        intro="Trin for trin.",
    )


@pytest.fixture
def members_template(index_page):
    return ResourcePageFactory(
        parent=index_page,
        title="Skabelon: Aftale om modtagelse (Rosenkvarteret)",
        intro="En redigerbar skabelon.",
        audience=Audience.MEMBERS,
    )


def test_a_page_published_renamed_or_withdrawn_is_searched_as_it_is_now(client, guide):
    assert page_titles(search(client, "modtagelse")) == ["Guide om modtagelse af nye beboere"]

    guide.title = "Vejledning om modtagelse af nye beboere"
    guide.save_revision().publish()
    assert page_titles(search(client, "modtagelse")) == ["Vejledning om modtagelse af nye beboere"]

    guide.unpublish()
    body = search(client, "modtagelse")
    assert page_titles(body) == []
    assert "Ingen resultater for »modtagelse«." in body


def test_an_agreement_published_or_withdrawn_is_searched_as_it_is_now(client, library_page):
    AgreementFactory(title="Velkomst i afdelingerne", summary="Frivillige værter.")
    assert agreement_titles(search(client, "velkomst")) == ["Velkomst i afdelingerne"]

    second = AgreementFactory(title="Velkomst af nye beboere", summary="Et velkomstbrev.")
    body = search(client, "velkomst")
    assert "2 aftaler i aftalebiblioteket" in body
    assert sorted(agreement_titles(body)) == ["Velkomst af nye beboere", "Velkomst i afdelingerne"]

    second.status = Agreement.Status.WITHDRAWN
    second.save()
    assert agreement_titles(search(client, "velkomst")) == ["Velkomst i afdelingerne"]


def test_results_a_member_saw_are_never_shown_to_a_non_member_or_anonymous_visitor(
    client, library_page, guide, members_template, member, non_member
):
    AgreementFactory(title="Medlemsaftale om modtagelse", consent=Agreement.Consent.MEMBERS)
    client.force_login(member)
    body = search(client, "modtagelse")
    assert "Skabelon: Aftale om modtagelse (Rosenkvarteret)" in page_titles(body)
    assert agreement_titles(body) == ["Medlemsaftale om modtagelse"]

    for visitor in (non_member, None):
        if visitor:
            client.force_login(visitor)
        else:
            client.logout()
        body = search(client, "modtagelse")
        assert page_titles(body) == ["Guide om modtagelse af nye beboere"], visitor
        assert agreement_titles(body) == [], visitor
        assert "Rosenkvarteret" not in body and "Medlemsaftale" not in body

    # And the other way round: a member asking after anonymous visitors sees it all.
    client.force_login(member)
    assert agreement_titles(search(client, "modtagelse")) == ["Medlemsaftale om modtagelse"]


def test_a_member_who_leaves_the_network_no_longer_finds_member_material(
    client, library_page, members_template, member
):
    client.force_login(member)
    found = page_titles(search(client, "Rosenkvarteret"))
    assert found == ["Skabelon: Aftale om modtagelse (Rosenkvarteret)"]
    member.affiliations.all().delete()
    assert page_titles(search(client, "Rosenkvarteret")) == []


def test_each_language_and_page_of_results_is_kept_apart(client, index_page):
    for number in range(12):
        ResourcePageFactory(parent=index_page, title=f"Boligsocial vejledning {number:02}")
    first = page_titles(search(client, "boligsocial"))
    second = page_titles(search(client, "boligsocial", page=2))
    assert len(first) == 10 and len(second) == 2
    assert not set(first) & set(second)
    assert "12 resultater for »boligsocial«" in search(client, "boligsocial")
    client.cookies["django_language"] = "en"
    assert "12 results for “boligsocial”" in search(client, "boligsocial")


def test_kept_results_cost_an_anonymous_visitor_no_query(
    client, library_page, guide, django_assert_num_queries
):
    AgreementFactory(title="Modtagelse i afdelingerne")
    search(client, "modtagelse")
    with django_assert_num_queries(0):
        body = search(client, "modtagelse")
    assert page_titles(body) == ["Guide om modtagelse af nye beboere"]
    assert agreement_titles(body) == ["Modtagelse i afdelingerne"]
