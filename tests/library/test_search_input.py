"""Odd search input never breaks a page (SQLite full-text syntax, NUL on PostgreSQL)."""

import pytest

from network.library.factories import AgreementFactory

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
