"""Nothing grows without bound: with the scaled data set (`seed_scale`) every busy page
asks the database as many queries as with the demo data, and its size stops growing
once each of its lists holds a full page.

The page list is the one `make bench` measures, anonymous and as the demo member. Sizes
are compared between two scaled sizes (`SMALL`, then three to five times as much), not the
demo data: the demo's lists are shorter than one page, so a page of twenty agreements is
rightly bigger than a page of three; what must not happen is that three times the rows
make a bigger page. A list that shows every row (the overview's per-municipality titles,
Min side's registrations, the meeting archive, as they did) grows by far more than the
allowance here.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import User

# About a fifth of the full set (10,000 agreements, 300 meetings, 20,000 registrations,
# 1,000 news items), then three times that (the full set on PostgreSQL, whose suite has
# the time): every list holds more than a page at SMALL.
SMALL = 0.2


def large() -> float:
    return 1.0 if connection.vendor == "postgresql" else 0.6


# Three times the rows may cost this much more page, no more.
SIZE_ALLOWANCE = 1.10
SIZE_SLACK = 3_000  # bytes: dates, counts and page numbers get longer
SIZE_CAP = 120_000  # bytes: no busy page is larger than this at any size

NETWORK = "/kommunernes-netvaerk-for-udsatte-boligomraader/"
PAGES = {
    "home": "/",
    "network": NETWORK,
    "meeting": f"{NETWORK}naeste-netvaerksmoede/",
    "library": "/aftalebibliotek/",
    "library search": "/aftalebibliotek/?q=Kommune",
    "overview": "/landsoverblik/",
    "inspiration": "/inspiration/",
    "search": "/soeg/?q=Kommune",
    "news": "/nyheder/",
    "min side": "/min-side/",
}
MEMBER = "medlem@aarhus.dk"


def measure(client, who: str) -> dict[str, tuple[int, int]]:
    """{page: (queries, bytes)} for one visitor; each page is asked twice and the second
    answer measured (the first fills the per-process caches a running server has)."""
    figures = {}
    for name, url in PAGES.items():
        if who == "anonymous" and name == "min side":
            continue
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        figures[name] = (len(queries), len(response.content))
    return figures


def measure_both(client) -> dict[str, dict]:
    client.logout()
    anonymous = measure(client, "anonymous")
    client.force_login(User.objects.get(email=MEMBER))
    member = measure(client, "member")
    client.logout()
    return {"anonymous": anonymous, "member": member}


def register_member_for_the_upcoming_meeting() -> None:
    """The demo member's Min side with a list in each part (an empty list costs one
    query less: nothing to fetch), as a member who uses the site has."""
    from meetings.models import MeetingPage
    from meetings.services import register
    from network.models import Organisation

    register(
        meeting=MeetingPage.objects.get(slug="naeste-netvaerksmoede"),
        person=User.objects.get(email=MEMBER),
        organisation=Organisation.objects.get(municipality_code="751"),
    )


@pytest.mark.django_db
def test_query_counts_and_page_sizes_do_not_grow_with_the_data(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    register_member_for_the_upcoming_meeting()
    demo = measure_both(client)
    call_command("seed_scale", "--factor", str(SMALL), stdout=open("/dev/null", "w"))  # noqa: SIM115
    small = measure_both(client)
    bigger = large()
    call_command("seed_scale", "--factor", str(bigger), stdout=open("/dev/null", "w"))  # noqa: SIM115
    at_large = measure_both(client)

    # The same number of queries at every size, page by page, for both visitors.
    differ = {
        (who, page): (q, small[who][page][0], at_large[who][page][0])
        for who, pages in demo.items()
        for page, (q, _size) in pages.items()
        if not q == small[who][page][0] == at_large[who][page][0]
    }
    assert differ == {}, f"query counts (demo, {SMALL}, {bigger}) that changed: {differ}"

    grown = {
        (who, page): (small[who][page][1], size)
        for who, pages in at_large.items()
        for page, (_q, size) in pages.items()
        if size > small[who][page][1] * SIZE_ALLOWANCE + SIZE_SLACK or size > SIZE_CAP
    }
    assert grown == {}, f"pages that grew with the data (bytes at {SMALL}, at {bigger}): {grown}"


@pytest.mark.django_db
def test_the_scaled_lists_are_paged_in_danish(client):
    """What a reader sees at scale: page links with the current page marked, in Danish,
    on every list that outgrew a page, and the overview as a summary."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_scale", "--factor", "0.2", stdout=open("/dev/null", "w"))  # noqa: SIM115

    def paged(url, label):
        body = client.get(url).content.decode()
        assert f'<nav class="pagination" aria-label="{label}">' in body, url
        assert 'aria-current="page"' in body, url
        assert "Side 1 af" in body, url
        assert '<span class="pagination-nav-link">Næste</span>' in body, url
        return body

    paged("/nyheder/", "Sider")
    paged("/aftalebibliotek/", "Sider med aftaler")
    paged("/soeg/?q=netv%C3%A6rk", "Sider")
    network = paged(NETWORK, "Sider i mødearkivet")
    assert "?arkiv=2#arkiv" in network
    second = client.get(NETWORK, {"arkiv": 2}).content.decode()
    assert '<details class="meeting-archive" id="arkiv" open>' in second
    assert 'aria-current="page"><span class="visually-hidden">Side </span>2</a>' in second

    client.force_login(User.objects.get(email=MEMBER))
    min_side = paged("/min-side/", "Sider med dine tidligere møder")
    assert "tidligere=2" in min_side
    assert "Sider med aftaler, din kommune bliver spurgt om" in min_side
    overview = client.get("/landsoverblik/").content.decode()
    assert "?municipality=" in overview
    assert "Skala-aftale" not in overview  # counts per municipality, not every title
