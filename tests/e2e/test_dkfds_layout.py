"""Det Fælles Designsystem's header in Chromium (issue 13): at 1280 px the main menu is
in the header; at 390 px (a phone) a "Menu" button opens and closes DKFDS's drawer and
the page's H1 starts within the first screen; without JavaScript the menu is on the
page itself. The DKFDS CSS comes from the site's own /static/."""

import datetime

import pytest
from playwright.sync_api import expect

from portal.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def menu_pages(home_page):
    return [
        StandardPageFactory(parent=home_page, title=title, show_in_menus=True)
        for title in ("Om netværket", "Nyheder", "Aftalebibliotek")
    ]


def main_menu(page):
    return page.get_by_role("navigation", name="Hovedmenu")


def h1_top(page) -> float:
    return page.get_by_role("heading", level=1).bounding_box()["y"]


def test_on_a_computer_the_menu_is_in_the_header(new_context, live_server, menu_pages):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto(f"{live_server.url}/")
    expect(main_menu(page).get_by_role("link", name="Om netværket")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    assert h1_top(page) < 300
    # The DKFDS stylesheet is served by the site itself (no CDN) and is in use: its font.
    href = page.locator('link[rel="stylesheet"]').first.get_attribute("href")
    assert href.startswith("/static/vendor/dkfds/css/dkfds.min")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok and response.headers["content-type"].startswith("text/css")
    assert ".mobile-drawer" in response.text()
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "IBM Plex Sans" in font


def test_on_a_phone_the_menu_button_opens_and_closes_the_menu(new_context, live_server, menu_pages):
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/")
    # The H1 starts within the first screen, well above the fold.
    assert h1_top(page) < PHONE["height"] / 2
    expect(main_menu(page)).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    menu = main_menu(page)
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Aftalebibliotek")).to_be_visible()
    # The close button gets focus, as DKFDS's drawer promises; Luk closes it again.
    expect(page.get_by_role("button", name="Luk")).to_be_focused()
    page.get_by_role("button", name="Luk").click()
    expect(main_menu(page)).to_be_hidden()
    expect(page.get_by_role("button", name="Menu")).to_be_focused()
    # A link in the open menu takes the visitor there.
    page.get_by_role("button", name="Menu").click()
    main_menu(page).get_by_role("link", name="Aftalebibliotek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aftalebibliotek")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_on_a_phone_without_javascript_the_menu_is_on_the_page(
    new_context, live_server, menu_pages
):
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()  # it would do nothing
    expect(main_menu(page).get_by_role("link", name="Om netværket")).to_be_visible()
    expect(page.get_by_role("search").get_by_role("searchbox")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("viewport", [PHONE, {"width": 320, "height": 640}, DESKTOP])
def test_pages_of_a_long_list_are_dkfds_pagination(new_context, live_server, home_page, viewport):
    """DKFDS's pagination: words on the arrows at every width (never an icon alone), the
    chevrons drawn from the site's own DKFDS icon sprite, "Side 1 af 2" on phones, and the
    next page one keypress away."""
    news = NewsIndexPageFactory(parent=home_page, title="Nyheder", slug="nyheder")
    for day in range(1, 13):
        NewsPageFactory(parent=news, title=f"Nyhed {day:02d}", date=datetime.date(2021, 11, day))
    page = new_context(viewport=viewport).new_page()
    sprites = []
    page.on(
        "response",
        lambda r: sprites.append(r.status) if "all-svg-icons" in r.url else None,
    )
    page.goto(f"{live_server.url}/nyheder/")
    pages = page.get_by_role("navigation", name="Sider")
    next_link = pages.get_by_role("link", name="Næste")
    expect(next_link).to_be_visible()
    if viewport["width"] < 600:
        expect(pages.get_by_text("Side 1 af 2")).to_be_visible()
    else:
        expect(pages.get_by_role("link", name="Side 2")).to_be_visible()
    assert sprites and set(sprites) == {200}, sprites
    box = next_link.bounding_box()
    assert box["x"] + box["width"] <= viewport["width"]
    next_link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Nyhed 02")).to_be_visible()
    expect(pages.get_by_role("link", name="Forrige")).to_be_visible()


@pytest.mark.parametrize(("language", "word"), [("da", "Mere"), ("en", "More")])
def test_the_menu_items_that_do_not_fit_gather_under_a_button_in_the_readers_language(
    new_context, live_server, home_page, language, word
):
    """DKFDS gathers the menu items that do not fit the header under a button it labels
    in Danish; an English reader reads "More" there."""
    for title in (
        "Kommunernes Netværk for Udsatte Boligområder",
        "Aftalebibliotek og landsoverblik",
        "Inspiration og materialer",
        "Om netværket",
        "Nyheder",
    ):
        StandardPageFactory(parent=home_page, title=title, show_in_menus=True)
    context = new_context(viewport=DESKTOP)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    more = page.get_by_role("banner").get_by_role("button", name=word, exact=True)
    expect(more).to_be_visible()
    more.click()
    expect(page.get_by_role("banner").get_by_role("link", name="Nyheder")).to_be_visible()
