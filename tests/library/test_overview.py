"""The national overview against a known data set, including small-count suppression."""

import datetime
import itertools
import random
import re
from pathlib import Path

import pytest

from network.data.municipalities import MUNICIPALITIES
from network.library.factories import AgreementFactory, pdf_file
from network.library.models import Agreement
from network.library.overview import (
    HIDDEN,
    TILE_SIZE,
    Cell,
    build_overview,
    municipality_states,
    suppress_lines,
    tile_positions,
)
from network.models import Organisation
from portal.regions import Region

H = "skjult"
OVERVIEW_QUERIES = 17  # the overview page built afresh (no kept body)


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
    assert body.count('class="bar-chart"') == 4
    assert body.count('class="tile-map-svg"') == 1
    # The site's own scripts (DKFDS's menu) are in the page's head and foot; the
    # overview's content needs none.
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script" not in main
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


# --- The tile map -----------------------------------------------------------------------

TILE = re.compile(
    r'<g class="tile tile-([a-z-]+)" data-code="(\d+)" data-status="([a-z_]+)"[^>]*>\s*'
    r"<title>([^<]*)</title>"
)


def tiles_on_page(html: str) -> dict[str, tuple[str, str]]:
    """{municipality code: (status, the tile's title)} as drawn in the page's map."""
    found = {code: (status, title) for _css, code, status, title in TILE.findall(html)}
    assert len(found) == len(TILE.findall(html))  # one tile per municipality
    return found


def test_every_municipality_has_one_tile_and_no_two_overlap(db):
    positions = tile_positions()
    assert set(positions) == {code for code, *_ in MUNICIPALITIES}
    assert len(positions) == 98
    tiles = build_overview().map.tiles
    assert sorted(t.code for t in tiles) == sorted(positions)
    for a, b in itertools.combinations(tiles, 2):
        apart = (
            a.x + TILE_SIZE <= b.x
            or b.x + TILE_SIZE <= a.x
            or a.y + TILE_SIZE <= b.y
            or b.y + TILE_SIZE <= a.y
        )
        assert apart, (a.name, b.name)
    # Roughly where they lie: Skagen's Frederikshavn north of Tønder, Esbjerg west of
    # Copenhagen, Bornholm furthest east.
    at = {t.code: (t.x, t.y) for t in tiles}
    assert at["813"][1] < at["550"][1]
    assert at["561"][0] < at["461"][0] < at["101"][0] <= at["400"][0]


def test_the_map_colours_each_municipality_by_its_answer_unless_its_figure_is_hidden(
    client, overview_page, known_data_set
):
    """Capital 5/3/4 (all shown): each municipality in its colour and letter. Zealand's
    one under negotiation, Central's two signed and the cells hidden beside them: grey."""
    capital, north = known_data_set["capital"], known_data_set["north"]
    html = client.get(overview_page.url).content.decode()
    tiles = tiles_on_page(html)
    assert len(tiles) == 98
    status = {code: s for code, (s, _title) in tiles.items()}
    # capital[0] answered "none", "negotiating" and "signed": it counts as signed.
    assert [status[m.municipality_code] for m in capital[:12]] == (
        ["signed"] * 5 + ["negotiating"] * 3 + ["none"] * 4
    )
    assert {status[m.municipality_code] for m in capital[12:]} == {"not_answered"}
    assert tiles[capital[0].municipality_code][1] == f"{capital[0].name}: Aftale"
    assert tiles[capital[5].municipality_code][1] == f"{capital[5].name}: Under forhandling"
    assert tiles[capital[8].municipality_code][1] == f"{capital[8].name}: Ingen aftale"
    assert tiles[capital[12].municipality_code][1] == f"{capital[12].name}: Ikke besvaret"
    # North: only drafts and the like, so every municipality "not answered" (its cell is 11).
    assert {status[m.municipality_code] for m in north} == {"not_answered"}
    # The letters the legend explains, in Danish; the colours in the style sheet.
    for css, letter in [("signed", "A"), ("negotiating", "F"), ("none", "I"), ("hidden", "?")]:
        assert re.search(
            rf'class="tile tile-{css}".*?<text[^>]*>{re.escape(letter)}</text>', html, re.S
        )
    css = (Path(__file__).parents[2] / "network/library/static/library/library.css").read_text()
    fills = {
        name: re.search(rf"\.tile-{name} rect {{ fill: ([^;]+);", css).group(1)
        for name in ("signed", "negotiating", "none", "not-answered", "hidden")
    }
    assert len(set(fills.values())) == 5
    # Each status in the legend, with its letter and how many squares have it.
    hidden = [code for code, s in status.items() if s == HIDDEN]
    assert f"Skjult (lille antal) ({len(hidden)})" in " ".join(html.split())


def test_the_map_never_reveals_a_hidden_figure_to_anyone(
    client, overview_page, known_data_set, member
):
    """A tile shows its municipality's answer only where the table shows the number it is
    counted in; the squares shown per region and answer are exactly the table's figures,
    and a member sees the same map as everyone else (the figures are the same for all)."""
    overview = build_overview()
    exact = build_overview(suppress=False)
    region_of = dict(
        Organisation.objects.municipalities().values_list("municipality_code", "region")
    )
    anonymous_html = client.get(overview_page.url).content.decode()
    client.force_login(member)
    member_html = client.get(overview_page.url).content.decode()
    anonymous, members = tiles_on_page(anonymous_html), tiles_on_page(member_html)
    assert anonymous == members
    # The member's own municipality (a test one) has no place on the map: it is named
    # under the map instead, and counted here by its state.
    unplaced = Organisation.objects.municipalities().exclude(municipality_code__in=tile_positions())
    assert len(unplaced) == 1
    assert unplaced[0].municipality_code not in anonymous
    assert f"Ikke på kortet: {unplaced[0].name}." in anonymous_html
    states = municipality_states()
    drawn = {code: s for code, (s, _t) in anonymous.items()}
    drawn[unplaced[0].municipality_code] = states.get(unplaced[0].pk, "not_answered")
    categories = ["signed", "negotiating", "none", "not_answered"]
    for row, exact_row in zip(overview.regions, exact.regions, strict=True):
        here = [s for code, s in drawn.items() if region_of[code] == row.key]
        shown = [here.count(c) for c in categories]
        assert shown == [0 if cell.suppressed else cell.value for cell in row.cells], row.label
        assert here.count(HIDDEN) == sum(
            e.value for cell, e in zip(row.cells, exact_row.cells, strict=True) if cell.suppressed
        )
    # Zealand's single municipality under negotiation and Central's two signed ones: hidden.
    zealand = by_region(Region.SJAELLAND)
    central = by_region(Region.MIDTJYLLAND)
    for municipality in [zealand[3], *central[:2]]:
        status, title = anonymous[municipality.municipality_code]
        assert (status, title) == (HIDDEN, f"{municipality.name}: Skjult (lille antal)")
        for html in (anonymous_html, member_html):
            assert f"{municipality.name}: Under forhandling" not in html
            assert f"{municipality.name}: Aftale" not in html


def test_the_map_is_an_accessible_picture_with_a_text_alternative(
    client, overview_page, known_data_set
):
    html = client.get(overview_page.url).content.decode()
    svg = re.search(r'<svg[^>]*class="tile-map-svg".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="map-title map-desc"' in svg
    assert '<title id="map-title">Kort over Danmarks kommuner efter svar</title>' in svg
    desc = re.search(r'<desc id="map-desc">(.*?)</desc>', svg, re.S).group(1)
    assert desc.startswith("Aftale: 12; Under forhandling: 6; Ingen aftale: 12; Ikke besvaret: ")
    assert svg.count('<g class="tile ') == 98 and svg.count("<title>") == 98
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg) and "width=" not in svg.split(">")[0]
    # The table with the same figures is linked from under the map, and the map explained.
    assert '<a href="#by-region-heading">Tallene som tabel' in html
    assert 'id="by-region-heading"' in html
    assert "viser kortet heller ikke kommunens svar" in " ".join(html.split())


def test_the_map_follows_a_new_answer_at_once(client, overview_page, known_data_set):
    """The map is part of the kept body: a newly published answer recolours it at once."""
    north = known_data_set["north"]
    code = north[5].municipality_code
    assert tiles_on_page(client.get(overview_page.url).content.decode())[code][0] == "not_answered"
    for municipality in north[5:8]:
        answer(municipality, "none")
    assert tiles_on_page(client.get(overview_page.url).content.decode())[code][0] == "none"


def test_the_map_costs_no_query_of_its_own(
    client, overview_page, known_data_set, django_assert_num_queries
):
    from django.core.cache import cache

    client.get(overview_page.url)
    cache.clear()  # the body built again, map included
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get(overview_page.url)
