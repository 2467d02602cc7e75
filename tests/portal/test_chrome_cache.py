"""The header, menu and footer come from the cache (portal.chrome), and an editor's
change shows on the very next request: publishing, unpublishing, moving or deleting a
page, restricting it, or saving the site settings."""

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from portal import tree_cache
from portal.factories import NewsPageFactory, StandardPageFactory
from portal.models import StandardPage


def menu_of(client, url="/") -> str:
    html = client.get(url).content.decode()
    if 'class="main-menu"' not in html:
        return ""
    start = html.index('class="main-menu"')
    return html[start : html.index("</nav>", start)]


def footer_of(client, url="/") -> str:
    html = client.get(url).content.decode()
    return html[html.index('<footer class="site-footer">') :]


def publish_new_page(parent, title, **fields) -> StandardPage:
    page = parent.add_child(instance=StandardPage(title=title, live=False, **fields))
    page.save_revision().publish()
    return StandardPage.objects.get(pk=page.pk)


def test_once_cached_the_header_menu_and_footer_cost_no_query(client, site_settings, about_page):
    site_settings.privacy_page = about_page
    site_settings.save()
    client.get("/")
    with CaptureQueriesContext(connection) as warm:
        html = client.get(about_page.url).content.decode()
    assert "<title>Om netværket · Erfa-netværket</title>" in html
    assert (
        f'<a class="nav-link" href="{about_page.url}" aria-current="page"><span>Om netværket</span></a>'
        in html
    )
    assert "Weidekampsgade 10" in html
    assert "portal_sitesettings" not in " ".join(query["sql"] for query in warm)

    tree_cache.forget()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(about_page.url).content.decode() == html
    # At least the site settings, the menu, the footer's pages and the privacy page.
    assert len(warm) <= len(cold) - 4


def test_a_published_page_joins_the_menu_at_once_and_leaves_it_when_unpublished(
    client, home_page, about_page
):
    assert "Om netværket" in menu_of(client)  # the menu is now in the cache
    news = publish_new_page(home_page, "Nyt i menuen", slug="nyt", show_in_menus=True)
    assert "Nyt i menuen" in menu_of(client)

    news.unpublish()
    assert "Nyt i menuen" not in menu_of(client)
    assert "Om netværket" in menu_of(client)


def test_a_renamed_page_shows_its_new_title_in_the_menu_at_once(client, home_page, about_page):
    assert "Om netværket" in menu_of(client)
    revision = about_page.save_revision()
    assert "Om netværket" in menu_of(client)  # a draft is not shown
    about_page.title = "Om os"
    revision = about_page.save_revision()
    revision.publish()
    menu = menu_of(client)
    assert "Om os" in menu and "Om netværket" not in menu


def test_moved_and_deleted_pages_leave_the_menu_at_once(client, home_page, about_page):
    other = publish_new_page(home_page, "Kontakt", slug="kontakt", show_in_menus=True)
    menu = menu_of(client)
    assert "Om netværket" in menu and "Kontakt" in menu

    other.move(about_page, pos="last-child")  # no longer a top-level page
    assert "Kontakt" not in menu_of(client)

    StandardPage.objects.get(pk=about_page.pk).delete()
    assert menu_of(client) == ""


def test_a_page_made_private_leaves_the_visitors_menu_at_once(client, home_page, about_page):
    assert "Om netværket" in menu_of(client)
    restriction = PageViewRestriction.objects.create(
        page=about_page, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Om netværket" not in menu_of(client)
    restriction.delete()
    assert "Om netværket" in menu_of(client)


def test_a_page_made_private_is_refused_and_left_out_of_listings_at_once(
    client, home_page, news_index
):
    news = NewsPageFactory(parent=news_index, title="Nyhed om tilskud")
    assert client.get(news.url).status_code == 200
    assert "Nyhed om tilskud" in client.get(news_index.url).content.decode()
    assert "Nyhed om tilskud" in client.get("/").content.decode()  # the latest news

    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(news.url).status_code == 302  # to the login
    assert "Nyhed om tilskud" not in client.get(news_index.url).content.decode()
    assert "Nyhed om tilskud" not in client.get("/").content.decode()

    # Moved out of a restricted section, a page is public again at once.
    section = StandardPageFactory(parent=home_page, title="Kun for medlemmer")
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    inside = StandardPageFactory(parent=section, title="Indenfor")
    assert client.get(inside.url).status_code == 302
    inside.move(home_page, pos="last-child")
    inside = StandardPage.objects.get(pk=inside.pk)
    assert client.get(inside.url).status_code == 200


def test_saved_site_settings_show_at_once(client, site_settings, about_page):
    html = client.get("/").content.decode()
    assert '<a class="brand" href="/">Erfa-netværket</a>' in html
    site_settings.organisation_name = "Boligsocialt netværk"
    site_settings.phone = "70 20 30 40"
    site_settings.footer_links = [("link", {"label": "", "page": about_page, "url": ""})]
    site_settings.save()

    html = client.get(about_page.url).content.decode()
    assert "<title>Om netværket · Boligsocialt netværk</title>" in html
    assert '<a class="brand" href="/">Boligsocialt netværk</a>' in html
    footer = footer_of(client)
    assert '<h2 id="footer-contact">Boligsocialt netværk</h2>' in footer
    assert 'Telefon: <a href="tel:70203040">70 20 30 40</a>' in footer
    assert f'<a href="{about_page.url}">Om netværket</a>' in footer


def test_the_privacy_link_follows_the_privacy_page(client, site_settings, home_page):
    policy = publish_new_page(home_page, "Privatlivspolitik", slug="privatliv")
    site_settings.privacy_page = policy
    site_settings.save()
    footer = footer_of(client)
    assert f'<a href="{policy.url}" class="legal-link">Privatlivspolitik</a>' in footer
    assert f'<a href="{policy.url}#cookies" class="legal-link">Cookies</a>' in footer
    signup = client.get("/konto/signup/").content.decode()
    assert f'<p class="privacy-notice"><a href="{policy.url}">' in signup

    policy.unpublish()
    assert f'href="{policy.url}' not in footer_of(client)
    assert "privacy-notice" not in client.get("/konto/signup/").content.decode()


def test_a_page_made_by_code_rather_than_published_also_shows(client, home_page):
    # The demo loader and the scale seeder add live pages without publishing a revision.
    assert menu_of(client) == ""
    StandardPageFactory(parent=home_page, title="Fra koden", show_in_menus=True)
    assert "Fra koden" in menu_of(client)


def test_the_site_for_a_host_comes_from_the_cache_and_follows_a_new_site(
    client, home_page, site_settings
):
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert "wagtailcore_site" not in " ".join(query["sql"] for query in queries)

    # A second site on its own host name serves its own root page at once.
    other_root = StandardPageFactory(parent=home_page, title="Andet websted", slug="andet")
    Site.objects.create(hostname="andet.example", port=80, root_page=other_root)
    html = client.get("/", HTTP_HOST="andet.example").content.decode()
    assert "<title>Andet websted" in html
    assert "<title>Andet websted" not in client.get("/").content.decode()


DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
    }
}


def test_without_a_reachable_cache_the_data_comes_from_the_database(site_settings):
    # Redis restarting: what the tree cache holds is built from the database each time,
    # and an editor's save still goes through (Wagtail's own page URLs need the cache
    # too; that is the stack's Redis-restart test).
    with override_settings(CACHES=DEAD_REDIS):
        assert tree_cache.cached("portal:test", lambda: "built") == "built"
        site_settings.phone = "70 20 30 40"
        site_settings.save()  # makes the cache obsolete: must not fail
    assert tree_cache.cached("portal:test", lambda: "kept") == "kept"
    assert tree_cache.cached("portal:test", lambda: "again") == "kept"


def test_pages_answer_at_their_new_address_at_once_and_drafts_stay_hidden(
    client, site_settings, home_page, about_page
):
    child = publish_new_page(about_page, "Historie", slug="historie")
    assert client.get("/om-netvaerket/historie/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/om-netvaerket/historie/").status_code == 200
    # The home page comes with the cached site; one query per level below it.
    routing = [q for q in queries if '"portal_standardpage"' in q["sql"]]
    assert len(routing) == 2

    child.slug = "vores-historie"
    child.save_revision().publish()
    assert client.get("/om-netvaerket/historie/").status_code == 404
    assert client.get("/om-netvaerket/vores-historie/").status_code == 200

    StandardPage.objects.get(pk=child.pk).move(home_page, pos="last-child")
    old = client.get("/om-netvaerket/vores-historie/")  # Wagtail's automatic redirect
    assert (old.status_code, old["Location"]) == (301, "/vores-historie/")
    assert client.get("/vores-historie/").status_code == 200

    draft = home_page.add_child(instance=StandardPage(title="Kladde", slug="kladde", live=False))
    assert client.get("/kladde/").status_code == 404
    draft.save_revision().publish()
    assert client.get("/kladde/").status_code == 200
    assert client.get("/findes-ikke/").status_code == 404
