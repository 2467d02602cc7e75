"""Phones and zoom (issue 13): pages must not scroll sideways at 390 px (an iPhone) nor at
320 px (WCAG 1.4.10 reflow: a 1280 px screen zoomed to 400 %). Data tables may scroll
inside their own named, keyboard-focusable region, with a hint while they overflow; the
programme reflows into stacked items; the overview's charts and map stay readable."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page
from wagtail.rich_text import RichText

from meetings.models import MeetingPage
from network.factories import AffiliationFactory, MembershipFactory, NetworkPageFactory
from network.library.factories import (
    AgreementCallPageFactory,
    AgreementFactory,
    AgreementLibraryPageFactory,
    NationalOverviewPageFactory,
)
from network.library.models import Agreement, AgreementCallPage, NationalOverviewPage
from network.models import Affiliation, Organisation
from portal.factories import ContactFactory, StandardPageFactory, UserFactory
from portal.models import HomePage, User
from tests.e2e.axe import sideways_overflow
from tests.e2e.login import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "Et-langt-kodeord-2026"


def phone_page(new_context, live_server, email):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, live_server.url, email, PASSWORD)
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()
    return page


def page_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_min_side_fits_a_phone_screen(new_context, live_server, home_page):
    person = UserFactory(verified=True, email="mads@aarhus.dk", password=PASSWORD)
    affiliation = AffiliationFactory(
        person=person, organisation__name="Aarhus Kommune", role=Affiliation.Role.CONTACT_PERSON
    )
    network = NetworkPageFactory(parent=home_page, title="Kommunernes Netværk")
    MembershipFactory(organisation=affiliation.organisation, network=network)

    page = phone_page(new_context, live_server, person.email)
    page.goto(f"{live_server.url}/min-side/")
    expect(page.get_by_role("heading", name="Dine organisationer")).to_be_visible()
    expect(page.get_by_role("cell", name="Aarhus Kommune")).to_be_visible()
    assert page_width(page) <= 390


def test_agreement_answers_fit_a_phone_screen(new_context, live_server, home_page):
    """A housing organisation's Min side (its answers table) and an agreement's facts."""
    AgreementLibraryPageFactory(parent=home_page)
    call = AgreementCallPageFactory(parent=home_page)
    housing = Organisation.objects.create(
        kind=Organisation.Kind.HOUSING_ORGANISATION, name="Boligforeningen Østjylland"
    )
    person = UserFactory(verified=True, email="udlejning@bf.example", password=PASSWORD)
    AffiliationFactory(person=person, organisation=housing)
    agreement = AgreementFactory(
        call=call,
        submitting_organisation=housing,
        submitted_by=person,
        other_parties="Boligselskabet Fjordbo",
        vacant_share=25,
    )

    page = phone_page(new_context, live_server, person.email)
    page.goto(f"{live_server.url}/min-side/")
    expect(page.get_by_role("heading", name="Dine aftalesvar")).to_be_visible()
    assert page_width(page) <= 390

    page.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    expect(page.get_by_role("heading", name=agreement.title)).to_be_visible()
    assert page_width(page) <= 390


def test_the_overview_map_fits_a_phone_screen_and_prints(
    new_context, live_server, home_page, tmp_path
):
    """The tile map scales with its viewBox: at 390 px it fits without sideways scroll,
    every square is drawn and on screen, and it is kept when printed."""
    overview = NationalOverviewPageFactory(parent=home_page)
    capital = Organisation.objects.municipalities().filter(region="1084")
    for municipality in capital.order_by("municipality_code")[:4]:
        AgreementFactory(municipality=municipality, state="signed", status="published")

    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}{overview.url}")
    svg = page.get_by_role("img", name="Kort over Danmarks kommuner efter svar")
    svg.scroll_into_view_if_needed()
    expect(svg).to_be_visible()
    assert page_width(page) <= 390
    box = svg.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["width"] > 300  # as wide as the phone allows, not shrunk to a stamp
    assert page.locator(".tile-map-svg g.tile").count() == 98
    assert page.locator(".tile-map-svg g.tile-signed").count() == 4
    expect(page.get_by_text("Aftale (4)")).to_be_visible()
    page.screenshot(path=tmp_path / "overview-390.png", full_page=True)
    print("screenshot:", tmp_path / "overview-390.png")

    # At 320 px (zoomed in) the map still fits the screen.
    page.set_viewport_size({"width": 320, "height": 700})
    box = svg.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320

    page.emulate_media(media="print")
    expect(svg).to_be_visible()
    assert svg.bounding_box()["width"] > 300


# --- Reflow at 320 and 390 px (issue 13, WCAG 1.4.10) ----------------------------------
#
# DKFDS sets body{overflow-x:hidden}: a page whose content is wider than the screen does
# not scroll sideways, it is cut off. So scrollWidth proves little; these tests measure
# every element's box against the viewport instead. What may be wider than the screen is
# a data table inside its scroll region ({% tableregion %}), which itself fits.

PHONES = (320, 390)

MEMBER = ("medlem@aarhus.dk", "Medlem-demo-2026")
HOUSING = ("udlejning@bf-oestjylland.example", "Bolig-demo-2026")


def sticking_out(page) -> list[str]:
    """What sticks out past the viewport's right edge (empty when nothing does): the
    one measurement, shared with the accessibility matrix (tests/e2e/axe.py); wide
    content counts only outside a scroll box the keyboard can reach."""
    return sideways_overflow(page)


def log_in_as(page, base, account):
    email, password = account
    log_in(page, base, email, password)
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()


@pytest.fixture
def demo_site(db):
    """The demo content (`manage.py load_demo`: the pages, meetings, agreements and
    accounts people try the site with), and what phones choke on: a responsible person
    with a long e-mail address, a long Danish compound, a long URL, an editor's table
    wider than a phone, and a member's organisation with a long name."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    home = HomePage.objects.get()
    contact = ContactFactory(
        name="Karen Koordinator-Kristiansen",
        title="Netværkskoordinator",
        email="netvaerkskoordinator.for.udsatte.boligomraader@kommunernes-netvaerk.example",
    )
    body = [
        (
            "paragraph",
            RichText(
                "<p>Boligorganisationssamarbejdsaftaleforhandlingerne skal være afsluttet "
                "inden årets udgang. Læs mere på "
                '<a href="https://www.example.dk/kommunernes-netvaerk/udsatte-boligomraader/'
                'aftaler-om-anvisning-og-fleksibel-udlejning-2026">https://www.example.dk/'
                "kommunernes-netvaerk/udsatte-boligomraader/aftaler-om-anvisning-og-"
                "fleksibel-udlejning-2026</a>.</p>"
            ),
        ),
        (
            "table",
            {
                "data": [
                    [
                        "Kommune",
                        "Møder 2023",
                        "Møder 2024",
                        "Møder 2025",
                        "Deltagere",
                        "Boligorganisationer",
                        "Aftaler",
                    ],
                    ["Aarhus", "4", "4", "3", "27", "Brabrand Boligforening", "2"],
                    ["Ikast-Brande", "2", "3", "4", "11", "Boligselskabet Fjordbo", "1"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "Mødeaktivitet pr. kommune",
            },
        ),
    ]
    page = StandardPageFactory(
        parent=home,
        title="Samarbejdsaftaler om boligsocial anvisning",
        slug="samarbejdsaftaler",
        body=body,
        responsible_contact=contact,
    )
    page.save_revision().publish()
    member = User.objects.get(email=MEMBER[0])
    long_name = Organisation.objects.create(
        name="Fællesorganisationen for Almennyttige Boligselskaber i Østjylland",
        kind=Organisation.Kind.HOUSING_ORGANISATION,
    )
    AffiliationFactory(person=member, organisation=long_name)
    return page


def public_paths(role) -> list[str]:
    """Every live page, every agreement the library lists, the account and search pages,
    the 404 page, and what the logged-in person has (Min side, sign-up, registration,
    the questionnaire)."""
    paths = [page.url for page in Page.objects.live().specific() if page.url]
    paths += [agreement.get_absolute_url() for agreement in Agreement.objects.listed()]
    paths += ["/soeg/?q=aftale", "/findes-ikke/"]
    if role == "anonymous":
        paths += ["/konto/login/", "/konto/signup/", "/konto/password/reset/"]
    else:
        paths += ["/min-side/", "/min-side/mine-data/"]
    if role == "member":
        paths += ["/netvaerk/tilmelding/"]
        paths += [
            reverse("meetings:register", args=[meeting.pk])
            for meeting in MeetingPage.objects.live()
            if meeting.start > timezone.now()
        ]
    if role == "housing":
        paths += [call.questionnaire_url() for call in AgreementCallPage.objects.live()]
    return paths


@pytest.mark.parametrize("role", ["anonymous", "member", "housing"])
def test_no_public_page_sticks_out_at_320_or_390_px(new_context, live_server, demo_site, role):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    if role != "anonymous":
        log_in_as(page, live_server.url, MEMBER if role == "member" else HOUSING)
    paths = public_paths(role)
    assert demo_site.url in paths and len(paths) > 20
    problems = []
    for width in PHONES:
        page.set_viewport_size({"width": width, "height": 700})
        for path in paths:
            response = page.goto(f"{live_server.url}{path}")
            assert response.status in (200, 403, 404), (path, response.status)
            if out := sticking_out(page):
                problems.append(f"{width} px {path}: {out[:5]}")
            if (scroll_width := page.evaluate("document.documentElement.scrollWidth")) > width:
                problems.append(f"{width} px {path}: scrolls sideways to {scroll_width} px")
    assert problems == []


def test_page_meta_and_long_words_wrap_and_the_header_fits_at_320(
    new_context, live_server, demo_site
):
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    page.goto(f"{live_server.url}{demo_site.url}")
    meta = page.get_by_role("complementary", name="Om denne side")
    email = meta.get_by_role("link", name=demo_site.responsible_contact.email)
    box = email.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert box["height"] > 30  # it wraps onto more lines instead of running off
    # The header: logo and name, menu button and search, all on the screen.
    for element in (
        page.locator(".brand"),
        page.get_by_role("button", name="Menu"),
        page.get_by_role("search").get_by_role("searchbox"),
        page.get_by_role("search").get_by_role("button"),
    ):
        expect(element).to_be_visible()
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, element
    assert sticking_out(page) == []


def test_the_programme_reflows_on_a_phone_and_prints(new_context, live_server, demo_site):
    meeting = MeetingPage.objects.get(title="3. netværksmøde 2021")
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    page.goto(f"{live_server.url}{meeting.url}")
    items = page.locator("ol.programme-list > li")
    assert items.count() == len(meeting.programme) >= 8
    for i in range(items.count()):
        item = items.nth(i)
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320
        # Nothing inside the item is cut off: it is no wider inside than its box.
        assert item.evaluate("e => e.scrollWidth <= e.clientWidth")
        time, title = item.locator(".programme-time"), item.get_by_role("heading", level=3)
        expect(time).to_be_visible()
        expect(title).to_be_visible()
        # Stacked: the time above the title, both starting at the item's left.
        assert time.bounding_box()["y"] + time.bounding_box()["height"] <= title.bounding_box()["y"]
    speaker = page.get_by_text("Mette Holm")
    assert speaker.bounding_box()["x"] + speaker.bounding_box()["width"] <= 320
    assert sticking_out(page) == []

    # On a computer the times stand in a column of their own, left of the titles.
    page.set_viewport_size({"width": 1280, "height": 800})
    first = items.nth(1)
    time_box = first.locator(".programme-time").bounding_box()
    title_box = first.get_by_role("heading", level=3).bounding_box()
    assert time_box["x"] + time_box["width"] <= title_box["x"]
    assert abs(time_box["y"] - title_box["y"]) < 40

    # Printed: the programme, with times beside the items, and no registration box.
    page.emulate_media(media="print")
    expect(items.first).to_be_visible()
    expect(page.locator(".registration-box")).to_be_hidden()
    time_box = first.locator(".programme-time").bounding_box()
    title_box = first.get_by_role("heading", level=3).bounding_box()
    assert time_box["x"] + time_box["width"] <= title_box["x"]


@pytest.mark.parametrize("width", PHONES)
def test_the_overview_charts_and_map_are_readable_on_a_phone(
    new_context, live_server, demo_site, width
):
    overview = NationalOverviewPage.objects.get()
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(f"{live_server.url}{overview.url}")
    chart = page.get_by_role("figure", name="Kommuner efter svar", exact=True)
    expect(chart).to_be_visible()
    # The chart's words and numbers are text: a screen reader and a search find them.
    expect(chart.get_by_role("term").filter(has_text="Ikke besvaret")).to_be_visible()
    # Rendered size: an SVG's text is scaled with its viewBox (8 px at 390 px before).
    sizes = page.locator(".chart-label, .chart-value").evaluate_all(
        """els => els.map(e => parseFloat(getComputedStyle(e).fontSize)
            * (e instanceof SVGElement ? e.ownerSVGElement.getScreenCTM().a : 1))"""
    )
    assert len(sizes) >= 2 * 9 and min(sizes) >= 12
    for label in page.locator(".chart-label, .chart-value").all():
        box = label.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    # The tile map's letters: their font size times the map's scale on the screen.
    letter = page.locator(".tile-map-svg g.tile text").first
    rendered = letter.evaluate(
        "t => parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a"
    )
    assert rendered >= 12
    assert sticking_out(page) == []

    # Printed: the bars are drawn, the words are there.
    page.emulate_media(media="print")
    expect(chart.locator("svg.chart-bar").first).to_be_visible()
    expect(chart.get_by_text("Ikke besvaret")).to_be_visible()


def test_data_tables_scroll_in_a_named_region_the_keyboard_reaches(
    new_context, live_server, demo_site
):
    overview = NationalOverviewPage.objects.get()
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    page.goto(f"{live_server.url}{overview.url}")
    region = page.get_by_role("region", name="Tabel Kommuner efter svar og region")
    wide_hint = page.locator(".table-region-wrap", has=region).get_by_text(
        "Rul sidelæns for at se hele tabellen"
    )
    expect(wide_hint).to_be_visible()
    # A table that fits has no hint.
    topics = page.get_by_role("region", name="Tabel Kommuner med aftale, fordelt på emne")
    expect(topics).to_be_visible()
    expect(
        page.locator(".table-region-wrap", has=topics).locator(".table-scroll-hint")
    ).to_be_hidden()

    # From "Gå til indhold", Tab reaches the region; it shows a focus ring, and the
    # arrow keys scroll it.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Gå til indhold")).to_be_focused()
    page.keyboard.press("Enter")
    for _press in range(30):
        page.keyboard.press("Tab")
        if region.evaluate("e => e === document.activeElement"):
            break
    expect(region).to_be_focused()
    outline = region.evaluate("e => getComputedStyle(e).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2
    assert region.evaluate("e => e.scrollLeft") == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle())

    # On a computer the table fits: no hint.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(wide_hint).to_be_hidden()

    # An editor's table in a page: named by its caption, the same hint.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}{demo_site.url}")
    table = page.get_by_role("region", name="Tabel Mødeaktivitet pr. kommune")
    expect(table).to_have_attribute("tabindex", "0")
    expect(page.get_by_text("Rul sidelæns for at se hele tabellen")).to_be_visible()


def test_the_scroll_hint_needs_no_javascript(new_context, live_server, demo_site):
    page = new_context(viewport={"width": 320, "height": 700}, java_script_enabled=False).new_page()
    overview = NationalOverviewPage.objects.get()
    page.goto(f"{live_server.url}{overview.url}")
    page.evaluate("document.fonts.ready.then(() => true)")  # the layout has settled
    hints = page.locator(".table-scroll-hint")
    visible = [hint.is_visible() for hint in hints.all()]
    overflowing = page.locator(".table-region").evaluate_all(
        "els => els.map(e => e.scrollWidth > e.clientWidth)"
    )
    assert visible == overflowing and True in visible and False in visible


def test_min_side_tables_become_cards_on_a_phone(new_context, live_server, demo_site):
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    log_in_as(page, live_server.url, MEMBER)
    page.goto(f"{live_server.url}/min-side/")
    table = page.locator("table.affiliations")
    cell = table.get_by_role("cell", name="Fællesorganisationen for Almennyttige")
    expect(cell).to_be_visible()
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 320
    # Each value carries its column's name (the header row is not shown on a phone).
    expect(table.locator("thead")).to_be_hidden()
    label = cell.evaluate("e => getComputedStyle(e, '::before').content")
    assert label == '"Organisation"'
    assert sticking_out(page) == []
    # On a computer it is an ordinary table with its header row.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(table.get_by_role("columnheader", name="Rolle")).to_be_visible()


def test_where_css_cannot_tell_portal_tables_js_marks_the_overflowing_tables(
    new_context, live_server, demo_site
):
    """Browsers without scroll-driven animations (the CSS way to show the hint) get the
    same from portal/tables.js; Chromium is told here that it lacks them."""
    page = new_context(viewport={"width": 320, "height": 700}).new_page()
    page.add_init_script(
        "const supports = CSS.supports.bind(CSS);"
        "CSS.supports = (query) => !query.includes('animation-timeline') && supports(query);"
    )
    overview = NationalOverviewPage.objects.get()
    page.goto(f"{live_server.url}{overview.url}")
    # The marks follow the layout (which settles once the web font is in): wait until
    # every wrapper is marked exactly when its region can scroll, some are and some not.
    page.wait_for_function(
        """() => {
          const wraps = [...document.querySelectorAll('.table-region-wrap')];
          const state = wraps.map(w => {
            const r = w.querySelector('.table-region');
            return [w.classList.contains('is-overflowing'), r.scrollWidth > r.clientWidth + 1];
          });
          return document.fonts.status === 'loaded'
            && state.every(([marked, overflows]) => marked === overflows)
            && state.some(([marked]) => marked) && state.some(([marked]) => !marked);
        }"""
    )
    # Wider, the tables fit, and the marks go.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.wait_for_function(
        "() => document.querySelector('.table-region-wrap.is-overflowing') === null"
    )
    expect(page.locator(".table-scroll-hint").first).to_be_hidden()
