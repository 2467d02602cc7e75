"""Real-browser journeys: Playwright drives Debian's Chromium against a live server.

Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
make around it (fixtures, assertions) are synchronous, so Django's async guard is relaxed
for this folder only.
"""

import os
import shutil

import pytest

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


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # A live-server test flushes the database when it ends; serialized_rollback
            # restores what migrations loaded (Wagtail's root page, the municipalities)
            # so the next journey starts from the same state.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


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
def _serialized_rollback_in_playwrights_context(django_db_setup):
    """Once Playwright's sync API runs, Django hands this thread a fresh connection object
    (connections are context-local) that lacks the serialized test data, and
    serialized_rollback silently restores nothing. Keep the data on the class instead."""
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is not None:
        type(connection)._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-deps (never skipped).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}


@pytest.fixture
def coordinator(db):
    """A coordinator: an editor (Wagtail's Editors group), not a superuser, who logs in
    with `STAFF_PASSWORD` and sets up a second factor on the way in."""
    from django.contrib.auth.models import Group

    from portal.factories import UserFactory
    from tests.e2e.login import STAFF_PASSWORD

    user = UserFactory(
        verified=True,
        email="koordinator@erfa.example",
        first_name="Karen",
        last_name="Koordinator",
        password=STAFF_PASSWORD,
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def autumn():
    """For membership journeys: a moment on or after 1 October, when next year is offered
    and renewals are open; never in the past, so the browser keeps the cookies the
    server sets."""
    import time_machine
    from django.utils import timezone

    now = timezone.localtime()
    if now.month >= 10:
        yield now.date()
        return
    moment = now.replace(month=11, day=1, hour=10)
    with time_machine.travel(moment, tick=True):
        yield moment.date()
