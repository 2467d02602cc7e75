"""Fixtures shared by every test, and the guards that keep `make test` honest.

`--expect-e2e` fails the run unless browser journeys ran and passed; `--expect-postgres`
fails it unless the database really is PostgreSQL. A skipped test always fails the run.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from wagtail.models import Page, Site

from portal.models import HomePage


def pytest_addoption(parser):
    group = parser.getgroup("erfa")
    group.addoption("--expect-e2e", action="store_true", help="Fail unless browser tests ran.")
    group.addoption(
        "--expect-postgres", action="store_true", help="Fail unless the database is PostgreSQL."
    )


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"erfa: database engine {engine}"]


@pytest.fixture(scope="session", autouse=True)
def _database_is_what_was_asked_for(request, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        vendor = connection.vendor
        version = (
            connection.cursor().connection.info.server_version
            if vendor == "postgresql"
            else connection.Database.sqlite_version
        )
    print(f"\nerfa: tests run on {vendor} {version}")
    if request.config.getoption("--expect-postgres") and vendor != "postgresql":
        pytest.exit(f"--expect-postgres given but the database is {vendor}", returncode=3)


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = len(reporter.stats.get("skipped", []))
    if skipped:
        reporter.write_line(f"erfa: {skipped} test(s) skipped; a skipped test fails the run.")
        session.exitstatus = 1
    if session.config.getoption("--expect-e2e"):
        passed_e2e = [
            r
            for r in reporter.stats.get("passed", [])
            if "tests/e2e/" in r.nodeid.replace("\\", "/")
        ]
        reporter.write_line(f"erfa: {len(passed_e2e)} browser test(s) passed in Chromium.")
        if not passed_e2e:
            reporter.write_line("erfa: --expect-e2e given but no browser test passed.")
            session.exitstatus = 1


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: the site chrome (portal.chrome) and
    allauth's rate limits live there, and another test's pages must not show."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_page(db) -> HomePage:
    """A published home page at the root of the default site."""
    root = Page.get_first_root_node()
    home = HomePage(title="Forside", slug="forside", hero_title="Erfa-netværk")
    root.add_child(instance=home)
    home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    placeholder = site.root_page
    site.root_page = home
    site.save()
    if placeholder.pk != home.pk:
        placeholder.delete()
    return HomePage.objects.get(pk=home.pk)


@pytest.fixture
def client():
    """The test client with CSRF enforced (see tests/csrf.py): post forms with
    `client.submit(action, data, page=...)`, as a browser would. `force_login` includes
    the second factor for people who must use one (see tests/mfa.py)."""
    from tests.mfa import PortalTestClient

    return PortalTestClient()
