"""Under `make run` (portal.settings.dev, DEBUG on) an unknown address shows the site's
own 404 page in Danish, not Django's English debug page."""

import importlib

import pytest


@pytest.fixture
def dev_settings(settings):
    dev = importlib.import_module("portal.settings.dev")
    settings.DEBUG = dev.DEBUG
    settings.MIDDLEWARE = dev.MIDDLEWARE
    assert settings.DEBUG, "make run serves with DEBUG on"
    return settings


@pytest.mark.parametrize("url", ["/findes-ikke/", "/om-netvaerket/findes-ikke/", "/nope.txt"])
def test_an_unknown_address_shows_the_sites_404_page_in_danish(
    client, home_page, dev_settings, url
):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Siden blev ikke fundet</h1>" in html
    assert '<footer class="site-footer">' in html
    assert "DEBUG = True" not in html and "Page not found" not in html


def test_in_english_the_404_page_is_english_too(client, home_page, dev_settings):
    client.cookies["django_language"] = "en"
    html = client.get("/findes-ikke/").content.decode()
    assert "<h1>Page not found</h1>" in html and "DEBUG = True" not in html


def test_without_the_middleware_django_would_show_its_debug_page(client, home_page, settings):
    # What `make run` showed before: proves the test above looks at the right thing.
    settings.DEBUG = True
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "DEBUG = True" in response.content.decode()
