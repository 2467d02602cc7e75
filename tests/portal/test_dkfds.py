"""Det Fælles Designsystem (issue 13): installed by `make setup` from the npm registry,
served from /static/ (nothing from a CDN, no inline script), and the header showing
the organisation's name and logo from the site settings."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from wagtail.models import Collection
from wagtail_factories import ImageFactory

ROOT = Path(settings.BASE_DIR)


def test_make_setup_installs_the_pinned_dkfds_and_is_idempotent():
    # The lockfile pins the exact version; `make setup` has put the built files in place.
    lock = (ROOT / "package-lock.json").read_text()
    assert re.search(r'"node_modules/dkfds": \{\s*"version": "11\.2\.0"', lock)
    assert (ROOT / "portal/static/vendor/dkfds/css/dkfds.min.css").is_file()
    assert (ROOT / "portal/static/vendor/dkfds/js/dkfds.min.js").is_file()
    # Run again it does nothing (the venv, npm and copy stamps are all up to date).
    done = subprocess.run(
        ["/usr/bin/make", "--no-print-directory", "setup"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "Nothing to be done for 'setup'" in done.stdout
    assert "npm" not in done.stdout and "vendor-dkfds" not in done.stdout


def test_every_font_and_icon_the_dkfds_css_refers_to_is_in_the_static_folder():
    # ManifestStaticFilesStorage (collectstatic in production) fails on a missing one.
    folder = ROOT / "portal/static/vendor/dkfds"
    css = (folder / "css/dkfds.min.css").read_text()
    urls = set(re.findall(r"url\(\s*['\"]?(\.\./[^'\")]+)", css))
    assert any("IBMPlexSans" in url for url in urls) and any("svg-icons" in url for url in urls)
    missing = [url for url in urls if not (folder / "css" / url).resolve().is_file()]
    assert missing == []


def test_collectstatic_with_the_production_manifest_storage_takes_the_dkfds_files(tmp_path):
    # Production settings (CompressedManifestStaticFilesStorage) fail on any url() or
    # source map the CSS names but the folder lacks; the hashed names must resolve.
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "collectstatic-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "erfa.example",
        "DATABASE_URL": "postgres://u:p@localhost/erfa",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    }
    done = subprocess.run(  # noqa: S603 (the project's own manage.py, no shell)
        [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    manifest = json.loads((tmp_path / "static/staticfiles.json").read_text())["paths"]
    css = manifest["vendor/dkfds/css/dkfds.min.css"]
    assert re.fullmatch(r"vendor/dkfds/css/dkfds\.min\.[0-9a-f]{12}\.css", css)
    assert "portal/dkfds-init.js" in manifest and "vendor/dkfds/js/dkfds.min.js" in manifest
    hashed = (tmp_path / "static" / css).read_text()
    font = manifest["vendor/dkfds/fonts/IBMPlexSans/complete/woff2/IBMPlexSans-Regular.woff2"]
    assert f"url(../../../{font})" in hashed or Path(font).name in hashed


@pytest.mark.django_db
def test_every_page_links_the_dkfds_css_and_scripts_from_static_without_inline_script(
    client, home_page
):
    html = client.get("/").content.decode()
    css_links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert css_links[0].startswith("/static/vendor/dkfds/css/dkfds.min")  # before site.css
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attrs for attrs in scripts)  # nothing inline
    assert "http://" not in "".join(css_links + scripts)
    assert "https://" not in "".join(css_links + scripts)

    # Found where whitenoise serves from (tests/e2e/test_dkfds_layout.py fetches it over HTTP).
    assert finders.find("vendor/dkfds/css/dkfds.min.css")
    assert finders.find("portal/dkfds-init.js")


@pytest.mark.django_db
def test_the_header_has_a_menu_button_and_the_phone_menu(client, site_settings):
    html = client.get("/").content.decode()
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert (
        '<button type="button" class="button button-secondary button-menu-open js-menu-open"'
        ' aria-haspopup="dialog" aria-controls="mobile-menu">Menu</button>'
    ) in header
    # DKFDS's drawer traps focus like a modal dialog, and says so (issue 13, axe matrix).
    assert (
        '<div class="mobile-drawer" id="mobile-menu" role="dialog" aria-modal="true"'
        ' aria-label="Menu">'
    ) in header
    assert ">Luk</button>" in header
    assert (
        '<form class="header-search search-form" role="search" aria-label="Søg på webstedet"'
        in (header)
    )


@pytest.mark.django_db
def test_the_logo_from_the_site_settings_shows_in_the_header_at_once(client, site_settings):
    assert 'class="brand-logo"' not in client.get("/").content.decode()
    site_settings.logo = ImageFactory(
        collection=Collection.get_first_root_node(),
        title="Logo",
        file__width=400,
        file__height=200,
        file__color="blue",
    )
    site_settings.save()
    html = client.get("/").content.decode()
    logo = re.search(r'<a class="brand" href="/"><img class="brand-logo" src="([^"]+)"[^>]*>', html)
    assert logo, html[:3000]
    # A rendition 96 px tall, shown at 48 (sharp on high-density screens); the name follows.
    assert 'width="96" height="48"' in logo.group(0)
    assert 'alt=""' in logo.group(0)  # the name next to it says who it is
    assert html[logo.end() :].startswith("Erfa-netværket</a>")

    site_settings.logo = None
    site_settings.save()
    assert 'class="brand-logo"' not in client.get("/").content.decode()
