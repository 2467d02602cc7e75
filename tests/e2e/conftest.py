"""Real-browser journeys: Playwright drives Debian's Chromium against a live server.

Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
make around it (fixtures, assertions) are synchronous, so Django's async guard is relaxed
for this folder only.
"""

import os
import shutil

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _run_order(item) -> int:
    """pytest-django's order: plain database tests, then transactional ones, then the rest."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    transactional = bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )
    if transactional:
        return 1
    return 0 if marker or "db" in fixtures else 2


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # The live server needs committed data, so each journey runs in a real
            # transaction and the tables are emptied afterwards: that would also wipe
            # the rows Wagtail's migrations create (root page, locale, default site,
            # collections). Serialized rollback puts them back before every journey.
            if item.get_closest_marker("django_db") is None:
                item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


class _TransactionalTestsLast:
    """pytest-playwright parametrizes tests with a session-scoped `browser_name`, and pytest
    then regroups those tests after pytest-django has put transactional tests last: the
    journeys (which empty the tables) would run before ordinary database tests. Restore
    pytest-django's order after everyone else (`-m` selection included); the sort is stable.
    """

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        items.sort(key=_run_order)


def pytest_configure(config):
    config.pluginmanager.register(_TransactionalTestsLast(), "erfa-transactional-tests-last")


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_survives_playwright(request, django_db_setup):
    """Hand the migration rows saved at database creation to the connection the journeys use.

    Once Playwright's sync API runs its event loop in this thread, asgiref sees a running
    loop and Django hands the test code a different connection object, one without the
    `_test_serialized_contents` that serialized rollback restores from: the second journey
    would find no root page. Start Playwright first, then copy the contents across.
    """
    saved = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    request.getfixturevalue("playwright")
    for alias, contents in saved.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-deps (never skipped).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}
