"""Odd search input never breaks a page (SQLite full-text syntax, NUL on PostgreSQL)."""

import pytest

from network.library.factories import AgreementFactory
from tests.form_markup import check_form_page

from .helpers import listed_titles

ODD_QUERIES = [
    '"',
    'ø"æ',
    '""',
    'a"b"c"',
    "\x00x",
    "(",
    "* OR",
    "AND",
    "NEAR(",
    "-",
    "%",
    "x" * 300,
]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_odd_search_input_never_breaks_the_library_or_the_site_search(client, library_page, query):
    AgreementFactory(title="Aftale om velkomst")
    assert client.get(library_page.url, {"q": query}).status_code == 200
    assert client.get("/soeg/", {"q": query}).status_code == 200


def test_balanced_quotes_are_kept(client, library_page):
    AgreementFactory(title="Aftale om velkomst")
    response = client.get(library_page.url, {"q": '"velkomst"'})
    assert listed_titles(response) == ["Aftale om velkomst"]


def test_a_year_that_is_not_a_year_is_a_linked_error_and_the_filters_stay_labelled(
    client, library_page
):
    check_form_page(client.get(library_page.url), errors=False)
    response = client.get(library_page.url, {"year": "sidste år"})
    assert response.status_code == 200
    soup = check_form_page(response, errors=True)
    assert [a["href"] for a in soup.select('[data-module="error-summary"] a')] == ["#id_year"]
    assert soup.find(id="id_year")["aria-describedby"] == "id_year_error"
    # Every filter is optional: no "(frivilligt)" on each of them.
    assert "frivilligt" not in soup.select_one("form.library-filters").get_text()
