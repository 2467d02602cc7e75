"""Fixtures shared by every test, and the guards that keep `make test` honest.

`--expect-e2e` fails the run unless browser journeys ran and passed; `--expect-postgres`
fails it unless the database really is PostgreSQL. The stack tests (tests/stack, marker
`stack`) run only with `--expect-stack`, which runs nothing else and fails the run unless
every one of them ran and passed. A skipped test always fails the run.
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
    group.addoption(
        "--expect-stack",
        action="store_true",
        help="Run the stack tests (tests/stack) only, and fail unless all of them passed.",
    )


def _is_stack_test(item) -> bool:
    return "tests/stack/" in item.nodeid.replace("\\", "/")


def pytest_collection_modifyitems(config, items):
    """The stack tests start the production stack (a minute or more); they run in their
    own pass (`make test-stack`), never inside the SQLite or PostgreSQL suite."""
    stack_run = config.getoption("--expect-stack")
    kept, left_out = [], []
    for item in items:
        if _is_stack_test(item):
            item.add_marker(pytest.mark.stack)
        (kept if _is_stack_test(item) == stack_run else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    config._erfa_stack_left_out = 0 if stack_run else len(left_out)


def pytest_collection_finish(session):
    # Counted after every selection (-k, -m): each stack test that is left must pass.
    session.config._erfa_stack_tests = sum(_is_stack_test(item) for item in session.items)


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"erfa: database engine {engine}"]


@pytest.fixture(scope="session", autouse=True)
def _database_is_what_was_asked_for(request, django_db_blocker):
    if request.config.getoption("--expect-stack"):
        return  # the stack tests use the stack's own database, over HTTP
    request.getfixturevalue("django_db_setup")
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
    if getattr(session.config, "_erfa_stack_left_out", 0):
        reporter.write_line(
            f"erfa: {session.config._erfa_stack_left_out} stack test(s) left out; "
            "`make test-stack` (pytest --expect-stack tests/stack) runs them."
        )
    if session.config.getoption("--expect-stack"):
        expected = getattr(session.config, "_erfa_stack_tests", 0)
        passed_stack = [
            r
            for r in reporter.stats.get("passed", [])
            if r.when == "call" and "tests/stack/" in r.nodeid.replace("\\", "/")
        ]
        reporter.write_line(
            f"erfa: {len(passed_stack)} of {expected} stack test(s) passed against the stack."
        )
        if not expected or len(passed_stack) != expected:
            reporter.write_line("erfa: --expect-stack given but not every stack test passed.")
            session.exitstatus = 1


@pytest.fixture(scope="session", autouse=True)
def _email_goes_through_the_pipeline(django_test_environment):
    """Django's test setup swaps EMAIL_BACKEND for the in-memory one; put the portal's
    queue back, so every test's e-mail (Wagtail's too) is queued and sent by the task as in
    production, then lands in `mail.outbox` (EMAIL_DELIVERY_BACKEND in test settings)."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "portal.emails.QueueingBackend"


@pytest.fixture
def failing_mail_server(settings):
    """The mail server is down: e-mail is delivered by SMTP to a port that refuses."""
    from tests.mailserver import refusing_port

    sock = refusing_port()
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = sock.getsockname()
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield sock.getsockname()[1]
    sock.close()


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
