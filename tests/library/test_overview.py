"""The national overview against a known data set, including small-count suppression."""

import datetime
import itertools
import random

import pytest

from network.library.factories import AgreementFactory, pdf_file
from network.library.models import Agreement
from network.library.overview import Cell, build_overview, suppress_lines
from network.models import Organisation
from portal.regions import Region

H = "skjult"


def by_region(region):
    return list(
        Organisation.objects.municipalities().filter(region=region).order_by("municipality_code")
    )


def answer(
    municipality,
    state,
    *,
    consent="public",
    status="published",
    topics=("placement",),
    year=2016,
    title=None,
):
    return AgreementFactory(
        municipality=municipality,
        state=state,
        consent=consent,
        status=status,
        topics=list(topics) if state != "none" else [],
        signed_on=datetime.date(year, 5, 1) if state == "signed" else None,
        title=title or f"Aftale i {municipality.name}",
        document="" if state == "none" else pdf_file(),
    )


@pytest.fixture
def known_data_set(db):
    """Per region: signed / under negotiation / none (published answers).

    Capital 5/3/4, Zealand 3/1/0, Southern 4/3/3, Central 2/0/5, North 0/0/0; plus answers
    that must not count (submitted, rejected, withdrawn, draft) in the North.
    """
    capital, zealand, southern, central, north = (
        by_region(r)
        for r in (
            Region.HOVEDSTADEN,
            Region.SJAELLAND,
            Region.SYDDANMARK,
            Region.MIDTJYLLAND,
            Region.NORDJYLLAND,
        )
    )
    consents = itertools.cycle(["public", "members", "internal"])
    years = itertools.cycle([2015, 2016, 2016, 2016])
    signed = capital[:5] + zealand[:3] + southern[:4] + central[:2]
    for i, municipality in enumerate(signed):
        topics = ["placement"]
        if i < 3:
            topics.append("reception")
        if i == 5:
            topics.append("letting")
        year = 2017 if i == 13 else next(years)
        answer(municipality, "signed", consent=next(consents), topics=topics, year=year)
    # A municipality with two answers counts once, by the most advanced one.
    answer(capital[0], "none", consent="internal")
    answer(capital[0], "negotiating", consent="members")
    for municipality in capital[5:8] + zealand[3:4] + southern[4:7]:
        answer(municipality, "negotiating", consent=next(consents))
    for municipality in capital[8:12] + southern[7:10] + central[2:7]:
        answer(municipality, "none", consent=next(consents))
    # Not reviewed, rejected, withdrawn and drafts count nowhere.
    for status in ("submitted", "rejected", "withdrawn", "draft"):
        answer(north[0], "signed", status=status, title=f"Nordaftale {status}")
    return {"capital": capital, "north": north}


def table(overview):
    return {
        row.key or "DK": [cell.display for cell in row.cells]
        for row in [*overview.regions, overview.national]
    }


def test_municipalities_by_answer_and_region_with_suppression(known_data_set):
    overview = build_overview()
    assert overview.municipality_count == 98
    assert overview.answered_count == 12 + 4 + 10 + 7  # signed + negotiating + none
    assert table(overview) == {
        Region.HOVEDSTADEN: ["5", "3", "4", "17"],
        # 1 under negotiation is hidden, and the 0 beside it so it cannot be derived.
        Region.SJAELLAND: ["3", H, H, "13"],
        Region.SYDDANMARK: ["4", "3", "3", "12"],
        Region.MIDTJYLLAND: [H, H, "5", "12"],
        # Hidden only so that the Central Region's numbers cannot be derived from the totals.
        Region.NORDJYLLAND: [H, "0", H, "11"],
        "DK": ["14", "7", "12", "65"],
    }
    assert [row.total for row in overview.regions] == [29, 17, 22, 19, 11]


def test_exact_figures_without_suppression(known_data_set):
    overview = build_overview(suppress=False)
    assert {row.key: [c.value for c in row.cells] for row in overview.regions} == {
        Region.HOVEDSTADEN: [5, 3, 4, 17],
        Region.SJAELLAND: [3, 1, 0, 13],
        Region.SYDDANMARK: [4, 3, 3, 12],
        Region.MIDTJYLLAND: [2, 0, 5, 12],
        Region.NORDJYLLAND: [0, 0, 0, 11],
    }


def test_topics_and_years(known_data_set):
    overview = build_overview()
    assert {row.key: row.cells[0].display for row in overview.topics} == {
        "placement": "14",
        "reception": "3",
        "allocation": "0",
        "letting": H,  # one municipality
        "other": "0",
    }
    assert {row.label: row.cells[0].display for row in overview.years} == {
        "2015": "4",
        "2016": "9",
        "2017": H,
    }


def test_the_overview_page_shows_tables_and_charts_without_javascript(
    client, overview_page, known_data_set
):
    response = client.get(overview_page.url)
    body = response.content.decode()
    assert "33 af de 98 kommuner er dækket af mindst ét behandlet svar." in body
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    assert "<script" not in body
    # A hidden figure is never drawn as a bar.
    chart = response.context["overview"].charts[0]
    assert [bar["value"] for bar in chart.bars] == ["14", "7", "12", "65"]
    region_chart = response.context["overview"].charts[1]
    assert [(bar["value"], bar["width"]) for bar in region_chart.bars][3:] == [(H, 0), (H, 0)]


def test_per_municipality_detail_only_from_agreements_whose_consent_allows(
    client, overview_page, library_page, known_data_set, member
):
    """A summary row per municipality (how many agreements the visitor may read), linked
    to those agreements in the library, never an agreement beyond its consent."""
    capital = known_data_set["capital"]

    def rows(response) -> dict:
        return {
            row["municipality__name"]: (row["agreements"], row["signed"], row["url"])
            for row in response.context["municipality_detail"]
        }

    anonymous = client.get(overview_page.url)
    # capital[0]: public signed (+ a members-only one under negotiation, + "none");
    # capital[1]: members; capital[2]: internal.
    link = f"{library_page.url}?municipality={capital[0].pk}"
    assert rows(anonymous)[capital[0].name] == (1, 1, link)
    assert capital[1].name not in rows(anonymous)
    assert capital[2].name not in rows(anonymous)
    assert f'href="{link}"' in anonymous.content.decode()
    listed = client.get(link).content.decode()
    assert f"Aftale i {capital[0].name}" in listed
    assert f"Aftale i {capital[1].name}" not in listed

    client.force_login(member)
    members_view = client.get(overview_page.url)
    assert rows(members_view)[capital[0].name][:2] == (2, 1)
    assert rows(members_view)[capital[1].name][:2] == (1, 1)
    assert capital[2].name not in rows(members_view)
    assert "Nordaftale" not in members_view.content.decode()
    assert known_data_set["north"][0].name not in rows(members_view)


def test_csv_download_of_the_public_table(client, overview_page, known_data_set):
    response = client.get(overview_page.csv_url())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Område;Aftale;Under forhandling;Ingen aftale;Ikke besvaret;Kommuner"
    assert lines[1] == "Hele landet;14;7;12;65;98"
    # Rows follow portal.regions.Region: the capital region, then Zealand, ...
    assert lines[3].split(";")[1:] == ["3", "skjult", "skjult", "13", "17"]
    assert len(lines) == 7


def test_suppression_leaves_no_line_with_a_single_hidden_cell():
    """Property check over random tables: every 1 or 2 is hidden, and no row or column
    has exactly one hidden cell (it could be worked out from the total)."""
    rng = random.Random(2016)
    for _ in range(300):
        rows, cols = 6, 4
        cells = [
            [Cell(rng.choice([0, 0, 1, 2, 3, 5, 8, 13])) for _ in range(cols)] for _ in range(rows)
        ]
        lines = [[(r, c) for c in range(cols)] for r in range(rows)]
        lines += [[(r, c) for r in range(rows)] for c in range(cols)]
        suppress_lines(cells, lines)
        for row in cells:
            for cell in row:
                if cell.value in (1, 2):
                    assert cell.suppressed
        for line in lines:
            assert sum(cells[r][c].suppressed for r, c in line) != 1


def test_an_empty_overview(db):
    overview = build_overview()
    assert table(overview)["DK"] == ["0", "0", "0", "98"]
    assert overview.years == []
    assert Agreement.objects.counted().count() == 0
