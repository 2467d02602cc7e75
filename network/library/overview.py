"""The national overview: aggregate figures over all reviewed (published) answers.

Every answer counts, whatever its consent; "internal" answers are counted and never
shown. So that nothing about a single answer can be inferred, public breakdowns hide
small counts (1 or 2): the *primary* suppression. A hidden cell that could be worked out
from its row or column total is protected by hiding one more cell in that line (the
*secondary* suppression), repeated until no line has exactly one hidden cell.

A municipality is counted once, by its best answer: a signed agreement beats one under
negotiation, which beats "no agreement"; municipalities without an answer are "not
answered". The four categories add up to the number of municipalities (98).
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network.models import Organisation
from portal.regions import Region

from .models import Agreement, Topic

SMALL_COUNTS = (1, 2)

SIGNED = Agreement.State.SIGNED
NEGOTIATING = Agreement.State.NEGOTIATING
NONE = Agreement.State.NONE
NOT_ANSWERED = "not_answered"
CATEGORIES = [SIGNED, NEGOTIATING, NONE, NOT_ANSWERED]
CATEGORY_LABELS = {
    SIGNED: _("Agreement"),
    NEGOTIATING: _("Under negotiation"),
    NONE: _("No agreement"),
    NOT_ANSWERED: _("Not answered"),
}
RANK = {SIGNED: 3, NEGOTIATING: 2, NONE: 1}

# The tile map: a municipality whose figure is hidden in the table is drawn as HIDDEN.
HIDDEN = "hidden"
MAP_LABELS = {**CATEGORY_LABELS, HIDDEN: _("Hidden (small number)")}
# One letter per status, so the map does not rely on colour alone.
MAP_LETTERS = {
    SIGNED: pgettext_lazy("map letter: agreement", "A"),
    NEGOTIATING: pgettext_lazy("map letter: under negotiation", "N"),
    NONE: pgettext_lazy("map letter: no agreement", "X"),
    NOT_ANSWERED: pgettext_lazy("map letter: not answered", "-"),
    HIDDEN: pgettext_lazy("map letter: hidden", "?"),
}
TILES_CSV = Path(__file__).resolve().parent.parent / "data" / "municipality_tiles.csv"
TILE_SIZE = 40
TILE_STEP = 44


@dataclass
class Cell:
    value: int
    suppressed: bool = False

    @property
    def display(self) -> str:
        return str(_("hidden")) if self.suppressed else str(self.value)


@dataclass
class Row:
    label: str
    cells: list[Cell]
    total: int | None = None
    key: str = ""


@dataclass
class Chart:
    """A horizontal bar chart, drawn in HTML (library/includes/bar_chart.html): labels and
    values are real text that reflows and stays readable on a phone; each bar's length
    ("width") is a percentage of the longest visible bar."""

    title: str
    bars: list[dict] = field(default_factory=list)


@dataclass
class Tile:
    code: str
    name: str
    status: str  # a category, or HIDDEN
    x: int
    y: int

    @property
    def label(self) -> str:
        return str(MAP_LABELS[self.status])

    @property
    def letter(self) -> str:
        return str(MAP_LETTERS[self.status])

    @property
    def css(self) -> str:
        return self.status.replace("_", "-")


@dataclass
class TileMap:
    """A tile map of the municipalities, drawn as SVG in the template."""

    tiles: list[Tile]
    width: int
    height: int
    tile: int = TILE_SIZE
    unplaced: list[str] = field(default_factory=list)  # names of municipalities not drawn

    @property
    def centre(self) -> int:
        return self.tile // 2

    @property
    def baseline(self) -> int:
        """Where a letter of the tiles' font size (32, library.css) sits centred in its
        square. The map is 744 units wide: at 320 px it is drawn 288 px wide, and a
        32-unit letter is then 12.4 px tall on screen (readable); 22 units gave 8.5 px."""
        return self.tile // 2 + 11

    @property
    def legend(self) -> list[dict]:
        counts = defaultdict(int)
        for tile in self.tiles:
            counts[tile.status] += 1
        return [
            {
                "status": status,
                "css": status.replace("_", "-"),
                "label": str(MAP_LABELS[status]),
                "letter": str(MAP_LETTERS[status]),
                "count": counts[status],
            }
            for status in [*CATEGORIES, HIDDEN]
        ]


@functools.cache
def tile_positions() -> dict[str, tuple[int, int]]:
    """Municipality code -> (column, row) on the tile map, from network/data/
    municipality_tiles.csv: placed by hand roughly where each municipality lies (column
    from the west, row from the north); Copenhagen's suburbs are spread out so each has
    its tile, and Bornholm sits in the south-east corner."""
    with TILES_CSV.open(newline="", encoding="utf-8") as f:
        return {row["code"]: (int(row["column"]), int(row["row"])) for row in csv.DictReader(f)}


def tile_map(entries: list[tuple[str, str, str]]) -> TileMap:
    """`entries`: (municipality code, name, status) for every municipality; those without
    a place on the map (a code not in the data file) are left out of the map only."""
    positions = tile_positions()
    tiles = [
        Tile(code, name, status, positions[code][0] * TILE_STEP, positions[code][1] * TILE_STEP)
        for code, name, status in entries
        if code in positions
    ]
    columns = max((c for c, _r in positions.values()), default=0) + 1
    rows = max((r for _c, r in positions.values()), default=0) + 1
    return TileMap(
        unplaced=sorted(name for code, name, _status in entries if code not in positions),
        tiles=sorted(tiles, key=lambda t: (t.y, t.x)),
        width=columns * TILE_STEP - (TILE_STEP - TILE_SIZE),
        height=rows * TILE_STEP - (TILE_STEP - TILE_SIZE),
    )


@dataclass
class Overview:
    municipality_count: int
    answered_count: int
    national: Row
    regions: list[Row]
    topics: list[Row]
    years: list[Row]
    columns: list[str]
    charts: list[Chart]
    map: TileMap | None = None


def suppress_lines(cells: list[list[Cell]], lines: list[list[tuple[int, int]]]) -> None:
    """Hide small counts, then hide more cells until no line (a set of cells whose sum is
    published or derivable) has exactly one hidden cell."""
    for row in cells:
        for cell in row:
            if cell.value in SMALL_COUNTS:
                cell.suppressed = True
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [pos for pos in line if cells[pos[0]][pos[1]].suppressed]
            if len(hidden) != 1:
                continue
            candidates = [pos for pos in line if not cells[pos[0]][pos[1]].suppressed]
            if not candidates:
                continue
            # Hide the smallest other cell: the least information lost.
            r, c = min(candidates, key=lambda pos: (cells[pos[0]][pos[1]].value, pos))
            cells[r][c].suppressed = True
            changed = True


def municipality_states() -> dict[int, str]:
    """Each answered municipality's best state over its published answers. The database
    returns the distinct (municipality, state) pairs: at most three per municipality,
    however many answers there are."""
    best: dict[int, str] = {}
    for municipality_id, state in (
        Agreement.objects.counted()
        .filter(municipality__isnull=False)
        .order_by()
        .values_list("municipality_id", "state")
        .distinct()
    ):
        if state in RANK and RANK[state] > RANK.get(best.get(municipality_id), 0):
            best[municipality_id] = state
    return best


def build_overview(*, suppress: bool = True) -> Overview:
    municipalities = list(
        Organisation.objects.municipalities().values_list(
            "pk", "region", "municipality_code", "name"
        )
    )
    states = municipality_states()
    regions = list(Region)

    # Counts: one row per region, then the national row; columns are the categories.
    counts = [[0] * len(CATEGORIES) for _ in range(len(regions) + 1)]
    region_sizes = [0] * len(regions)
    region_index = {region.value: i for i, region in enumerate(regions)}
    for pk, region, _code, _name in municipalities:
        column = CATEGORIES.index(states.get(pk, NOT_ANSWERED))
        counts[-1][column] += 1
        if region in region_index:
            counts[region_index[region]][column] += 1
            region_sizes[region_index[region]] += 1
    cells = [[Cell(value) for value in row] for row in counts]
    if suppress:
        n_rows, n_cols = len(cells), len(CATEGORIES)
        lines = [[(r, c) for c in range(n_cols)] for r in range(n_rows)]  # row totals
        lines += [[(r, c) for r in range(n_rows)] for c in range(n_cols)]  # national = sum
        suppress_lines(cells, lines)
    # The map shows a municipality's own answer only where the table shows the number it
    # is counted in (its region's cell; the national cell without a region).
    map_entries = []
    for pk, region, code, name in municipalities:
        status = states.get(pk, NOT_ANSWERED)
        row = region_index.get(region, len(regions))
        if cells[row][CATEGORIES.index(status)].suppressed:
            status = HIDDEN
        map_entries.append((code, name, status))
    region_rows = [
        Row(label=str(region.label), cells=cells[i], total=region_sizes[i], key=region.value)
        for i, region in enumerate(regions)
    ]
    national = Row(label=str(_("All of Denmark")), cells=cells[-1], total=len(municipalities))

    # Topics: municipalities with a signed agreement on the topic (topics overlap, so no
    # total is published and small counts are hidden one by one).
    signed_municipalities: dict[str, set[int]] = defaultdict(set)
    for code, municipality_id in (
        Agreement.objects.counted()
        .filter(state=SIGNED, municipality__isnull=False)
        .order_by()
        .values_list("topics__code", "municipality_id")
        .distinct()
    ):
        if code:
            signed_municipalities[code].add(municipality_id)
    topic_rows = []
    for topic in Topic.objects.all():
        value = len(signed_municipalities.get(topic.code, ()))
        topic_rows.append(Row(label=str(topic), cells=[_primary(value, suppress)], key=topic.code))

    # Years: signed agreements by the year they were signed.
    per_year: dict[int | None, int] = defaultdict(int)
    for year, count in (
        Agreement.objects.counted()
        .filter(state=SIGNED)
        .order_by()
        .values_list(ExtractYear("signed_on"))
        .annotate(count=Count("pk"))
    ):
        per_year[year] += count
    year_rows = [
        Row(label=str(year), cells=[_primary(per_year[year], suppress)], key=str(year))
        for year in sorted(y for y in per_year if y is not None)
    ]
    if per_year.get(None):
        year_rows.append(
            Row(label=str(_("Year not given")), cells=[_primary(per_year[None], suppress)])
        )

    columns = [str(CATEGORY_LABELS[c]) for c in CATEGORIES]
    return Overview(
        municipality_count=len(municipalities),
        answered_count=len(states),
        national=national,
        regions=region_rows,
        topics=topic_rows,
        years=year_rows,
        columns=columns,
        charts=[
            _chart(
                _("Municipalities by answer"),
                list(zip(columns, national.cells, strict=True)),
            ),
            _chart(
                _("Municipalities with an agreement, by region"),
                [(row.label, row.cells[0]) for row in region_rows],
            ),
            _chart(
                _("Municipalities with an agreement, by topic"),
                [(row.label, row.cells[0]) for row in topic_rows],
            ),
            _chart(
                _("Agreements by year signed"),
                [(row.label, row.cells[0]) for row in year_rows],
            ),
        ],
        map=tile_map(map_entries),
    )


def _primary(value: int, suppress: bool) -> Cell:
    return Cell(value, suppressed=suppress and value in SMALL_COUNTS)


def _chart(title, items: list[tuple[str, Cell]]) -> Chart:
    chart = Chart(title=str(title))
    visible = [cell.value for _label, cell in items if not cell.suppressed]
    top = max(visible, default=0) or 1
    for label, cell in items:
        chart.bars.append(
            {
                "label": label,
                "value": cell.display,
                "suppressed": cell.suppressed,
                "width": 0 if cell.suppressed else round(100 * cell.value / top),
            }
        )
    return chart


def csv_rows(overview: Overview) -> list[list[str]]:
    """The public table (whole country and regions) as CSV rows."""
    header = [str(_("Area")), *overview.columns, str(_("Municipalities"))]
    rows = [header]
    for row in [overview.national, *overview.regions]:
        rows.append([row.label, *(cell.display for cell in row.cells), str(row.total)])
    return rows
