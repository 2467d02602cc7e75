"""The one pattern for data tables wider than a phone (issue 13; docs/architecture.md):
`{% tableregion %}` puts the table in a named region the keyboard reaches, with the hint
"Rul sidelæns for at se hele tabellen" (shown by CSS only while the table overflows;
tests/e2e/test_phone_layout.py checks that in Chromium). Simple record tables on Min
side become DKFDS cards on phones instead, each value labelled with its column."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from network.factories import AffiliationFactory
from network.library.factories import NationalOverviewPageFactory
from portal.factories import StandardPageFactory, UserFactory

HINT = "Rul sidelæns for at se hele tabellen"


def render(source: str, **context) -> BeautifulSoup:
    with translation.override("da"):
        html = Template("{% load portal_tags %}" + source).render(Context(context))
    return BeautifulSoup(html, "html.parser")


def region_name(soup: BeautifulSoup, region) -> str:
    """The region's accessible name as a screen reader computes it from aria-labelledby
    (hidden referenced elements count) or aria-label."""
    if region.has_attr("aria-labelledby"):
        return " ".join(
            soup.find(id=ref).get_text(" ", strip=True) for ref in region["aria-labelledby"].split()
        )
    return region["aria-label"]


def test_a_table_region_is_named_focusable_and_has_the_hint():
    soup = render(
        '{% tableregion labelledby="t-caption" %}<table><caption id="t-caption">Møder</caption>'
        "<tr><td>1</td></tr></table>{% endtableregion %}"
    )
    region = soup.find(attrs={"role": "region"})
    assert region["tabindex"] == "0"
    assert "table--responsive-scroll" in region["class"]  # DKFDS's scroll box and focus style
    assert region_name(soup, region) == "Tabel Møder"
    assert region.find("table").caption.get_text() == "Møder"
    hint = soup.find(class_="table-scroll-hint")
    assert hint.get_text(strip=True) == HINT
    assert hint.find_parent(class_="table-region-wrap") is region.find_parent(
        class_="table-region-wrap"
    )


def test_a_table_region_can_be_named_by_text_and_escapes_it():
    soup = render(
        "{% tableregion label=caption %}<table></table>{% endtableregion %}",
        caption='Tal for "A & B"',
    )
    region = soup.find(attrs={"role": "region"})
    assert region["aria-label"] == 'Tabel Tal for "A & B"'


@pytest.mark.parametrize(
    "tag",
    [
        "{% tableregion %}",
        '{% tableregion "x" %}',
        '{% tableregion labelledby="a" label="b" %}',
        '{% tableregion name="a" %}',
    ],
)
def test_a_table_region_needs_exactly_one_name(tag):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load portal_tags %}" + tag + "{% endtableregion %}")


def test_an_editors_table_scrolls_in_a_region_named_by_its_caption(client, home_page):
    table = {
        "data": [["Kommune", "Møder"], ["Aarhus", "4"]],
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "Mødeaktivitet",
    }
    page = StandardPageFactory(parent=home_page, body=[("table", table)])
    untitled = StandardPageFactory(
        parent=home_page, body=[("table", {**table, "table_caption": ""})]
    )
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    region = soup.find("main").find(attrs={"role": "region"})
    assert region_name(soup, region) == "Tabel Mødeaktivitet"
    assert region.find("table").find("th").get_text(strip=True) == "Kommune"
    assert HINT in soup.find("main").get_text()
    soup = BeautifulSoup(client.get(untitled.url).content, "html.parser")
    assert soup.find("main").find(attrs={"role": "region"})["aria-label"] == "Tabel"


def test_every_overview_table_is_in_a_named_region(client, home_page):
    overview = NationalOverviewPageFactory(parent=home_page)
    soup = BeautifulSoup(client.get(overview.url).content, "html.parser")
    tables = soup.find("main").find_all("table")
    names = []
    for table in tables:
        region = table.find_parent(attrs={"role": "region"})
        assert region is not None and region["tabindex"] == "0", table.caption
        names.append(region_name(soup, region))
    # With no answers yet: the table by region and the one by topic.
    assert names == [
        "Tabel Kommuner efter svar og region",
        "Tabel Kommuner med aftale, fordelt på emne",
    ]
    # The charts are text, not pictures of text: no chart is an image.
    charts = soup.find_all(class_="bar-chart")
    assert len(charts) == 3  # the year chart comes with the first signed agreement
    for chart in charts:
        assert chart.name == "dl" and chart.find("dt").get_text(strip=True)
        assert not chart.find_parent(attrs={"role": "img"})
        for bar in chart.find_all("svg"):
            assert bar["aria-hidden"] == "true"


def test_min_side_tables_label_every_value_with_its_column(client, home_page):
    person = UserFactory(verified=True, email="mads@aarhus.dk")
    AffiliationFactory(person=person, organisation__name="Aarhus Kommune")
    client.force_login(person)
    soup = BeautifulSoup(client.get("/min-side/").content, "html.parser")
    table = soup.find("table", class_="affiliations")
    assert "table--responsive-headers" in table["class"]
    headers = [th.get_text(strip=True) for th in table.thead.find_all("th")]
    for row in table.tbody.find_all("tr"):
        assert [td["data-title"] for td in row.find_all("td")] == headers
    assert headers == ["Organisation", "Rolle", "Status", "Medlemsoversigt"]
