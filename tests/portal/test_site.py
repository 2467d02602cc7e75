"""Site furniture: error pages, robots.txt, sitemap.xml, security headers, language."""

import pytest
from django.test import override_settings
from django.views.defaults import server_error
from wagtail.models import PageViewRestriction

from portal.factories import StandardPageFactory


def test_missing_page_is_a_danish_404_in_the_site_layout(client, site_settings):
    response = client.get("/findes-ikke/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Siden blev ikke fundet</h1>" in html
    assert "Den kan være flyttet eller slettet." in html
    assert 'href="/soeg/">Søg på webstedet</a>' in html
    assert "Weidekampsgade 10" in html  # the footer: it is the real layout


@pytest.mark.urls("tests.portal.error_urls")
def test_server_error_shows_the_danish_500_page_without_details(client, home_page):
    client.raise_request_exception = False
    response = client.get("/fejl/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Der opstod en fejl</h1>" in html
    assert "Prøv igen om lidt." in html
    assert "RuntimeError" not in html and "A bug" not in html


def test_500_template_renders_without_a_database(rf, settings):
    # Django's handler renders 500.html with no request context; if the database is
    # what broke, the page must still come out.
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Der opstod en fejl" in response.content.decode()


def test_robots_txt_keeps_crawlers_out_of_accounts_and_admin(client, home_page):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/\n" in body
    assert "Disallow: /konto/\n" in body
    assert "Disallow: /min-side/\n" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@override_settings(DEBUG=True)
def test_robots_txt_keeps_crawlers_out_of_a_development_site(client, home_page):
    assert "Disallow: /\n" in client.get("/robots.txt").content.decode()


def test_sitemap_lists_public_pages_only(client, home_page, about_page):
    private = StandardPageFactory(parent=home_page, title="Kun for medlemmer", slug="medlemmer")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    StandardPageFactory(parent=home_page, title="Kladde", slug="kladde", live=False)

    response = client.get("/sitemap.xml")
    body = response.content.decode()
    assert response.status_code == 200
    assert "/om-netvaerket/</loc>" in body
    assert "/medlemmer/" not in body
    assert "/kladde/" not in body


def test_public_pages_send_a_content_security_policy_and_deny_framing(client, home_page):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_public_pages_have_no_inline_scripts_or_styles(client, site_settings, about_page, member):
    client.force_login(member)
    for url in ("/", about_page.url, "/min-side/", "/soeg/?q=x", "/findes-ikke/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html, url
        assert "<style" not in html, url
        assert 'style="' not in html, url


def test_the_admin_may_frame_its_own_previews(client, editor):
    client.force_login(editor)
    response = client.get("/admin/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "Content-Security-Policy" not in response  # Wagtail's admin has inline scripts


def test_danish_is_the_default_whatever_the_browser_asks_for(client, home_page):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert ">Log ind</a>" in html
    assert response["Content-Language"] == "da"


def test_the_language_switcher_shows_the_site_in_english_and_back(client, home_page):
    html = client.get("/").content.decode()
    assert '<form action="/i18n/setlang/" method="post" class="language-form">' in html
    assert '<label class="form-label" for="language-select">Sprog</label>' in html

    # No CSRF token: nginx keeps this page for every anonymous visitor, so the switcher
    # works without one (portal.views.set_language).
    assert "csrfmiddlewaretoken" not in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get("/")
    html = english.content.decode()
    assert '<html lang="en">' in html
    assert ">Log in</a>" in html and ">Create account</a>" in html
    assert "Skip to content" in html
    assert client.get("/konto/login/").content.decode().count("Sign In") >= 1

    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    assert ">Log ind</a>" in client.get("/").content.decode()


def test_an_unknown_language_cookie_falls_back_to_danish(client, home_page):
    client.cookies["django_language"] = "xx"
    assert '<html lang="da">' in client.get("/").content.decode()


def test_pages_have_landmarks_a_skip_link_and_one_h1(client, site_settings, about_page):
    for url in ("/", about_page.url, "/konto/login/", "/soeg/"):
        html = client.get(url).content.decode()
        assert html.index('class="skip-link" href="#main"') < html.index("<header")
        assert '<main id="main"' in html
        assert '<nav class="main-menu" aria-label="Hovedmenu">' in html
        assert "<footer" in html
        assert html.count("<h1") == 1, url
