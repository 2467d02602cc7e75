"""Content pages as a reader sees them: metadata, news listing, home page, header/footer."""

import datetime
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from portal.factories import NewsPageFactory, StandardPageFactory
from portal.models import NewsIndexPage

COPENHAGEN = datetime.timezone(datetime.timedelta(hours=1))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_content_page_shows_created_updated_and_responsible_person(client, home_page, contact):
    with time_machine.travel(datetime.datetime(2021, 11, 19, 10, 0, tzinfo=COPENHAGEN)):
        page = StandardPageFactory(
            parent=home_page, title="Boligplacering", responsible_contact=contact
        )
        page.save_revision().publish()
    page.refresh_from_db()  # as an editor opening it again would
    with time_machine.travel(datetime.datetime(2021, 12, 1, 9, 0, tzinfo=COPENHAGEN)):
        page.intro = "Opdateret introduktion."
        page.save_revision().publish()

    html = client.get(page.url).content.decode()
    meta = text_of(html[html.index('class="page-meta"') :])
    assert "Oprettet 19. november 2021" in meta
    assert "Senest opdateret 1. december 2021" in meta
    assert "Ansvarlig Karen Koordinator, Netværkskoordinator" in meta
    assert 'href="mailto:koordinator@erfa.example"' in html
    assert 'href="tel:33703000">33 70 30 00</a>' in html


def test_metadata_without_a_responsible_person_shows_only_the_dates(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Uden kontakt")
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Oprettet" in html
    assert "Ansvarlig" not in html


def test_news_page_shows_date_lead_body_and_metadata(client, news_index, contact):
    news = NewsPageFactory(
        parent=news_index,
        title="Årets sidste netværksmøde",
        date=datetime.date(2021, 11, 19),
        lead="Netværket samles i KL-huset.",
        body=[("paragraph", "<p>Temaet er systematisk anvisning.</p>")],
        responsible_contact=contact,
    )
    html = client.get(news.url).content.decode()
    assert '<time datetime="2021-11-19">19. november 2021</time>' in html
    assert "Netværket samles i KL-huset." in html
    assert "Temaet er systematisk anvisning." in html
    assert "Karen Koordinator" in html


def test_standard_page_body_blocks_render(client, home_page):
    page = StandardPageFactory(
        parent=home_page,
        body=[
            ("heading", {"text": "Program", "level": "h2"}),
            ("paragraph", "<p>Velkommen.</p>"),
            ("quote", {"quote": "Gode greb.", "attribution": "En deltager"}),
            (
                "call_to_action",
                {
                    "title": "Tilmeld jer",
                    "text": "Bliv medlem.",
                    "link": {"label": "Tilmeld", "page": None, "url": "https://example.org/"},
                },
            ),
            (
                "table",
                {
                    "data": [["Emne", "Tid"], ["Velkomst", "9.30"]],
                    "first_row_is_table_header": True,
                },
            ),
        ],
    )
    html = client.get(page.url).content.decode()
    assert '<h2 id="program">Program</h2>' in html  # an anchor for links to a section
    assert "Velkommen." in html
    assert "<blockquote><p>Gode greb.</p></blockquote>" in html
    assert '<a class="button button-primary" href="https://example.org/">Tilmeld</a>' in html
    assert "Velkomst" in html and "<table" in html


def make_news(news_index, count, first_day=1):
    for day in range(first_day, first_day + count):
        NewsPageFactory(
            parent=news_index, title=f"Nyhed {day:02d}", date=datetime.date(2021, 11, day)
        )


def test_news_index_lists_newest_first_ten_per_page(client, news_index):
    make_news(news_index, 12)
    first = client.get(news_index.url).content.decode()
    titles = re.findall(r"<h2><a href=\"[^\"]+\">(Nyhed \d+)</a></h2>", first)
    assert titles == [f"Nyhed {day:02d}" for day in range(12, 2, -1)]
    assert "Side 1 af 2" in first
    assert 'rel="next" href="?page=2"' in first

    second = client.get(news_index.url + "?page=2").content.decode()
    assert re.findall(r"<h2><a href=\"[^\"]+\">(Nyhed \d+)</a></h2>", second) == [
        "Nyhed 02",
        "Nyhed 01",
    ]
    assert "Side 2 af 2" in second


@pytest.mark.parametrize(("page", "shown"), [("abc", "Side 1 af 2"), ("999", "Side 2 af 2")])
def test_news_index_survives_bad_page_numbers(client, news_index, page, shown):
    make_news(news_index, 12)
    response = client.get(news_index.url + f"?page={page}")
    assert response.status_code == 200
    assert shown in response.content.decode()


def test_news_index_leaves_out_drafts(client, news_index):
    NewsPageFactory(parent=news_index, title="Offentlig nyhed")
    NewsPageFactory(parent=news_index, title="Kladde", live=False)
    html = client.get(news_index.url).content.decode()
    assert "Offentlig nyhed" in html
    assert "Kladde" not in html


def test_news_index_query_count_does_not_grow_with_items(
    client, news_index, django_assert_max_num_queries
):
    make_news(news_index, 10)
    client.get(news_index.url)  # warm Wagtail's per-process caches, as a running site has
    with django_assert_max_num_queries(12):
        assert client.get(news_index.url).status_code == 200


def build_home(home_page, menu_pages: int, news_items: int):
    for n in range(menu_pages):
        StandardPageFactory(parent=home_page, title=f"Menupunkt {n}", show_in_menus=True)
    index = home_page.add_child(instance=NewsIndexPage(title="Nyheder", slug="nyheder"))
    make_news(index, news_items)


def count_home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return len(queries)


def test_home_page_query_count_is_pinned(
    client, home_page, site_settings, django_assert_max_num_queries
):
    build_home(home_page, menu_pages=6, news_items=5)
    client.get("/")  # first request warms Wagtail's per-process caches
    # The portal's 6 (site, page route, privacy checks, latest news; the site settings
    # and the menu come from the cache, portal.chrome) plus 2 each from the network and
    # meetings HOME_CONTEXT hooks (a view-restriction lookup and the listing), on SQLite
    # and PostgreSQL alike. A new query here is a deliberate change of this number.
    with django_assert_max_num_queries(10):
        response = client.get("/")
    html = response.content.decode()
    assert html.count('class="main-menu"') == 1
    assert len(re.findall(r"Menupunkt \d", html)) == 12  # the menu and its phone copy
    assert len(re.findall(r"Nyhed \d\d", html)) == 3  # the latest three


def test_menu_and_news_do_not_add_a_query_per_item(client, home_page, site_settings):
    build_home(home_page, menu_pages=1, news_items=1)
    client.get("/")
    few = count_home_queries(client)
    for n in range(7):
        StandardPageFactory(parent=home_page, title=f"Ekstra {n}", show_in_menus=True)
    make_news(NewsIndexPage.objects.get(), 6, first_day=2)
    client.get("/")  # the new pages made the cached menu obsolete: rebuilt once
    many = count_home_queries(client)
    assert many == few


def test_menu_shows_live_public_pages_marked_for_menus_and_marks_the_current_one(client, home_page):
    shown = StandardPageFactory(parent=home_page, title="I menuen", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Ikke i menuen", show_in_menus=False)
    StandardPageFactory(parent=home_page, title="Kladde i menuen", show_in_menus=True, live=False)
    child = StandardPageFactory(parent=shown, title="Underside")

    html = client.get("/").content.decode()
    menu = html[html.index('class="main-menu"') : html.index("</nav>", html.index("main-menu"))]
    assert "I menuen" in menu
    assert "Ikke i menuen" not in menu
    assert "Kladde i menuen" not in menu

    on_child = client.get(child.url).content.decode()
    assert (
        f'<a class="nav-link" href="{shown.url}" aria-current="page"><span>I menuen</span></a>'
        in on_child
    )


def test_home_page_shows_hero_featured_links_and_latest_news(client, home_page, news_index):
    home_page.hero_title = "Erfa-netværk for kommuner"
    home_page.hero_text = "<p>Del erfaringer.</p>"
    home_page.featured_links = [
        ("link", {"label": "Om netværket", "page": None, "url": "https://example.org/om"})
    ]
    home_page.save_revision().publish()
    NewsPageFactory(parent=news_index, title="Seneste nyt", date=datetime.date(2021, 11, 19))

    html = client.get("/").content.decode()
    assert "<h1>Erfa-netværk for kommuner</h1>" in html
    assert "Del erfaringer." in html
    assert '<a class="button button-primary" href="https://example.org/om">Om netværket</a>' in html
    assert "Seneste nyheder" in html and "Seneste nyt" in html


def test_home_page_without_news_says_so(client, home_page):
    assert "Der er ingen nyheder endnu." in client.get("/").content.decode()


def test_header_link_comes_from_site_settings(client, site_settings, about_page):
    """The header's one link from the site settings is an ordinary link (issue 13: no
    advert-like button), among the account links and again in the phone menu."""
    assert 'class="header-link"' not in client.get("/").content.decode()
    site_settings.header_cta = [
        ("link", {"label": "Boliger", "page": None, "url": "https://example.org/bolig"})
    ]
    site_settings.save()
    html = client.get("/").content.decode()
    link = '<a class="header-link" href="https://example.org/bolig">Boliger</a>'
    assert link in html

    site_settings.header_cta = [("link", {"label": "", "page": about_page, "url": ""})]
    site_settings.save()
    html = client.get("/").content.decode()
    assert f'<a class="header-link" href="{about_page.url}">Om netværket</a>' in html


def test_footer_shows_contact_details_and_links(client, site_settings, about_page):
    site_settings.footer_links = [
        ("link", {"label": "", "page": about_page, "url": ""}),
        ("link", {"label": "Tilgængelighed", "page": None, "url": "https://example.org/a11y"}),
    ]
    site_settings.save()
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "<address>Weidekampsgade 10<br>2300 København S</address>" in footer
    assert '<a href="mailto:netvaerk@erfa.example">netvaerk@erfa.example</a>' in footer
    assert 'Telefon: <a href="tel:33703000">33 70 30 00</a>' in footer
    assert f'<a href="{about_page.url}">Om netværket</a>' in footer
    assert '<a href="https://example.org/a11y">Tilgængelighed</a>' in footer


def test_header_has_log_in_and_create_account_for_visitors(client, home_page):
    html = client.get("/").content.decode()
    assert '<a href="/konto/login/">Log ind</a>' in html
    assert '<a href="/konto/signup/">Opret konto</a>' in html


def test_a_link_block_needs_exactly_one_target():
    from wagtail.blocks import StructBlockValidationError

    from portal.blocks import LinkBlock

    block = LinkBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "Tom", "page": None, "url": ""}))
    assert block.clean(block.to_python({"label": "", "page": None, "url": "https://example.org"}))


def test_the_site_name_comes_from_site_settings(client, site_settings):
    site_settings.organisation_name = "Netværket for udsatte boligområder"
    site_settings.save()
    html = client.get("/").content.decode()
    assert "· Netværket for udsatte boligområder</title>" in html
    assert Site.objects.get(is_default_site=True).root_page_id


def test_image_and_document_blocks_render(client, home_page):
    from wagtail.models import Collection
    from wagtail_factories import DocumentFactory, ImageFactory

    root = Collection.get_first_root_node()
    image = ImageFactory(
        collection=root, title="KL-huset", file__width=1200, file__height=800, file__color="blue"
    )
    document = DocumentFactory(
        collection=root, title="Program", file__filename="program.pdf", file__data=b"%PDF-1.4"
    )
    # Raw StreamField JSON, as the editor's form would save it.
    body = [
        {
            "type": "image",
            "value": {"image": image.pk, "alt_text": "Facaden på KL-huset", "decorative": False},
        },
        {
            "type": "documents",
            "value": {"heading": "Materialer", "documents": [{"document": document.pk}]},
        },
    ]
    page = StandardPageFactory(parent=home_page, body=json.dumps(body))
    html = client.get(page.url).content.decode()
    assert 'alt="Facaden på KL-huset"' in html
    assert "<picture>" in html and 'type="image/webp"' in html
    assert "<h2>Materialer</h2>" in html
    assert f'<a href="/documents/{document.pk}/program.pdf">Program</a>' in html
    assert "(PDF, 1\xa0kB)" in html  # "kB" as readers expect, number and unit kept together
    assert client.get(f"/documents/{document.pk}/program.pdf").status_code == 200
