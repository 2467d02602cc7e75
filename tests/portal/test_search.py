"""Search finds live public pages only, and survives whatever is typed into the URL."""

import re

import pytest
from wagtail.models import PageViewRestriction

from portal.factories import NewsPageFactory, StandardPageFactory


def result_titles(response) -> list[str]:
    return re.findall(r'<li><h2><a href="[^"]+">([^<]+)</a></h2>', response.content.decode())


@pytest.fixture
def pages(home_page, news_index):
    public = StandardPageFactory(parent=home_page, title="Boligsocial monitorering")
    news = NewsPageFactory(
        parent=news_index, title="Nyt om anvisning", lead="Boligsocial anvisning i praksis"
    )
    StandardPageFactory(parent=home_page, title="Boligsocial kladde", live=False)
    private = StandardPageFactory(parent=home_page, title="Boligsocial for medlemmer")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    StandardPageFactory(parent=private, title="Boligsocial under privat side")
    unpublished = StandardPageFactory(parent=home_page, title="Boligsocial trukket tilbage")
    unpublished.unpublish()
    return public, news


def test_search_finds_live_public_pages_only(client, pages):
    response = client.get("/soeg/", {"q": "boligsocial"})
    assert response.status_code == 200
    assert sorted(result_titles(response)) == ["Boligsocial monitorering", "Nyt om anvisning"]
    assert "2 resultater for »boligsocial«" in response.content.decode()


def test_private_pages_stay_out_of_search_for_logged_in_people_too(client, pages, member):
    client.force_login(member)
    titles = result_titles(client.get("/soeg/", {"q": "medlemmer"}))
    assert titles == []


def test_search_without_results_says_so_in_danish(client, pages):
    response = client.get("/soeg/", {"q": "vindmøller"})
    assert "Ingen resultater for »vindmøller«." in response.content.decode()


def test_empty_search_shows_just_the_form(client, home_page):
    response = client.get("/soeg/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label" for="search-q">Søg efter</label>' in html
    assert "resultat" not in html


@pytest.mark.parametrize("page", ["abc", "999", "-1", "0", "1.5"])
def test_bad_page_numbers_do_not_break_search(client, pages, page):
    response = client.get("/soeg/", {"q": "boligsocial", "page": page})
    assert response.status_code == 200
    assert result_titles(response)  # falls back to a real page of results


def test_search_results_are_paginated(client, home_page):
    for n in range(12):
        StandardPageFactory(parent=home_page, title=f"Anvisning {n}")
    first = client.get("/soeg/", {"q": "anvisning"})
    assert len(result_titles(first)) == 10
    assert "Side 1 af 2" in first.content.decode()
    assert 'href="?q=anvisning&amp;page=2"' in first.content.decode()
    second = client.get("/soeg/", {"q": "anvisning", "page": "2"})
    assert len(result_titles(second)) == 2


def test_very_long_queries_are_cut_not_refused(client, pages):
    response = client.get("/soeg/", {"q": "boligsocial " + "x" * 5000})
    assert response.status_code == 200


def test_search_only_answers_get(client, home_page):
    assert client.post_with_token("/soeg/", {"q": "x"}, page="/soeg/").status_code == 405


def test_the_query_is_shown_escaped(client, home_page):
    html = client.get("/soeg/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("q", ['"', "   ", '""', "«»"])
def test_a_query_with_nothing_to_search_for_asks_for_words(client, pages, q):
    response = client.get("/soeg/", {"q": q})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv et eller flere ord at søge efter." in html
    assert not result_titles(response)


def test_the_form_alone_asks_for_nothing(client, home_page):
    html = client.get("/soeg/").content.decode()
    assert "Skriv et eller flere ord" not in html


@pytest.mark.parametrize("typed", ['a"', "'\"<>%", "Boligsocial\x00"])
def test_admin_search_boxes_survive_what_an_editor_types(client, pages, home_page, typed):
    """Found by QA on `make run`: a stray double quote in the search box of "Aftaler" or of
    the page explorer answered 500 (SQLite FTS5 syntax error). Every search through the
    backend is cleaned like the site search, and the phrase still finds what it names."""
    from network.library.factories import AgreementFactory
    from portal.factories import UserFactory

    AgreementFactory(title="Boligsocial aftale med Struer")
    client.force_login(UserFactory(is_staff=True, is_superuser=True, verified=True))

    for url in ("/admin/aftaler/", f"/admin/pages/{home_page.pk}/"):
        assert client.get(url, {"q": typed}).status_code == 200, url

    found = client.get("/admin/aftaler/", {"q": 'Boligsocial "Struer'}).content.decode()
    assert "Boligsocial aftale med Struer" in found
