"""Tilgængelighedserklæringen and Privatlivspolitik (with its cookie statement): made by
the demo content, editable in the admin, linked from every page's footer through the
`legal_links` tag."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from portal.models import AccessibilityStatementPage, SiteSettings, StandardPage, User


def footer_of(client, url="/") -> str:
    html = client.get(url).content.decode()
    return html[html.index('<footer class="site-footer">') :]


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_every_page_links_the_accessibility_statement_privacy_policy_and_cookies(client, demo):
    statement = AccessibilityStatementPage.objects.get()
    privacy = StandardPage.objects.get(slug="privatlivspolitik")
    for url in ("/", "/om-netvaerket/", statement.url, "/soeg/"):
        footer = footer_of(client, url)
        assert f'<a href="{statement.url}" class="legal-link">Tilgængelighedserklæring</a>' in (
            footer
        ), url
        assert f'<a href="{privacy.url}" class="legal-link">Privatlivspolitik</a>' in footer
        assert f'<a href="{privacy.url}#cookies" class="legal-link">Cookies</a>' in footer


def test_the_accessibility_statement_has_the_sections_the_law_asks_for(client, demo):
    statement = AccessibilityStatementPage.objects.get()
    html = client.get(statement.url).content.decode()
    for heading in (
        "<h1>Tilgængelighedserklæring</h1>",
        "<h2>Overholdelsesstatus</h2>",
        "<h2>Indhold, der ikke er tilgængeligt</h2>",
        "<h2>Sådan er erklæringen udarbejdet</h2>",
        "<h2>Feedback og kontaktoplysninger</h2>",
        "<h2>Håndhævelsesprocedure</h2>",
    ):
        assert heading in html
    assert "delvist i overensstemmelse med WCAG 2.1 niveau AA" in html
    assert "Nogle ældre mødedokumenter (PDF)" in html
    assert "udarbejdet den 1. november 2026 på grundlag af en selvevaluering" in html
    assert '<a href="mailto:netvaerk@erfa.example">netvaerk@erfa.example</a>' in html
    assert '<a href="tel:33703000">33 70 30 00</a>' in html
    assert (
        '<a href="https://digst.dk/digital-inklusion/webtilgaengelighed/'
        'oplever-du-ikke-tilgaengeligt-indhold/" class="complaint-link">'
    ) in html


def test_the_cookie_statement_names_the_only_cookies_the_site_sets(client, demo):
    html = client.get("/privatlivspolitik/").content.decode()
    cookies = html[html.index('<h2 id="cookies">Cookies</h2>') :]
    assert "kun de cookies, der er nødvendige" in cookies
    for name in ("sessionid", "csrftoken", "django_language", "messages"):
        assert f"<b>{name}</b>" in cookies


def test_the_cookies_named_are_the_cookies_django_uses(settings):
    # If a setting renames a cookie, the statement above must follow.
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"


def test_a_coordinator_edits_the_statement_and_the_footer_follows_at_once(client, demo):
    statement = AccessibilityStatementPage.objects.get()
    # The demo's coordinator: in Wagtail's Editors group, not a superuser.
    client.force_login(User.objects.get(email="koordinator@erfa.example"))
    edit = client.get(f"/admin/pages/{statement.pk}/edit/")
    assert edit.status_code == 200
    body = edit.content.decode()
    assert "Overholdelsesstatus" in body and "Telefon til feedback" in body
    client.logout()

    statement.unpublish()
    assert "Tilgængelighedserklæring" not in footer_of(client)
    statement.save_revision().publish()
    assert "Tilgængelighedserklæring" in footer_of(client)

    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.accessibility_page = None
    settings.save()
    assert "Tilgængelighedserklæring" not in footer_of(client)


def test_the_demo_keeps_an_editors_choice_of_pages(demo):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    other = StandardPage.objects.get(slug="om-netvaerket")
    settings.privacy_page = other
    settings.save()
    call_command("load_demo")
    settings.refresh_from_db()
    assert settings.privacy_page_id == other.pk
    assert settings.accessibility_page_id == AccessibilityStatementPage.objects.get().pk


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_legal_pages_cost_no_more_queries_than_any_content_page(
    client, demo, who, django_assert_max_num_queries
):
    if who == "member":
        client.force_login(User.objects.get(email="medlem@aarhus.dk"))
    statement = AccessibilityStatementPage.objects.get()
    for url in (statement.url, "/privatlivspolitik/", "/om-netvaerket/"):
        client.get(url)  # the chrome and routing caches fill, as on a running server
    with CaptureQueriesContext(connection) as about:
        client.get("/om-netvaerket/")
    # One query routes the page (the rest is cached); a member's session and user add two.
    assert len(about) == {"anonymous": 1, "member": 3}[who]
    for url in (statement.url, "/privatlivspolitik/"):
        with django_assert_max_num_queries(len(about)):
            assert client.get(url).status_code == 200
