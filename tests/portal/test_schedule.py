"""The scheduled jobs (portal/schedule.py): when an entry is due, and that schedulers
sharing a real Redis enqueue each run once, survive a restart without running everything
again, and give a run back when it could not be enqueued."""

from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.core.management import call_command
from django_tasks import task

from portal.schedule import (
    LAST_RUN_KEY,
    LOCK_KEY,
    SCHEDULE,
    Scheduled,
    Scheduler,
    due,
    is_due,
    next_due,
)
from tests.servers import redis_server

RUNS: list[str] = []


@task()
def record_run() -> None:
    RUNS.append("ran")


@task()
def also_record_run() -> None:
    RUNS.append("also")


NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
HOURLY = Scheduled("tests.portal.test_schedule.record_run", timedelta(hours=1))
DAILY = Scheduled("tests.portal.test_schedule.also_record_run", timedelta(days=1))


# --- The decision ----------------------------------------------------------------------


def test_the_stack_schedules_reminders_hourly_and_retention_daily():
    every = {entry.task: entry.every for entry in SCHEDULE}
    assert every["meetings.tasks.send_due_reminders"] == timedelta(hours=1)
    assert every["portal.tasks.apply_retention"] == timedelta(days=1)


def test_a_job_that_never_ran_is_due_at_once():
    assert is_due(HOURLY, None, NOW)


def test_a_job_is_due_again_when_its_interval_has_passed():
    assert not is_due(HOURLY, NOW - timedelta(minutes=59, seconds=59), NOW)
    assert is_due(HOURLY, NOW - timedelta(hours=1), NOW)
    assert is_due(HOURLY, NOW - timedelta(days=3), NOW)  # missed runs: one run, not three


def test_a_last_run_in_the_future_waits_for_its_interval():
    """A clock set back does not make every job run at once."""
    assert not is_due(HOURLY, NOW + timedelta(minutes=10), NOW)


def test_due_picks_only_the_due_entries_and_next_due_says_when():
    last = {HOURLY.name: NOW - timedelta(minutes=30), DAILY.name: NOW - timedelta(days=2)}
    assert due([HOURLY, DAILY], last, NOW) == [DAILY]
    assert next_due([HOURLY, DAILY], last, NOW) == NOW  # DAILY is overdue
    last[DAILY.name] = NOW
    assert due([HOURLY, DAILY], last, NOW) == []
    assert next_due([HOURLY, DAILY], last, NOW) == NOW + timedelta(minutes=30)


# --- Schedulers on a real Redis --------------------------------------------------------


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url


@pytest.fixture
def connection(redis_url):
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    RUNS.clear()
    yield client
    client.close()


def test_two_schedulers_enqueue_a_due_run_once(connection):
    first = Scheduler(connection, [HOURLY, DAILY])
    second = Scheduler(redis.Redis(connection_pool=connection.connection_pool), [HOURLY, DAILY])

    assert first.tick(NOW) == [HOURLY, DAILY]
    assert second.tick(NOW) == []  # stand-by: the first holds the lock
    assert RUNS == ["ran", "also"]

    # The holder goes away (its lock expires); the other takes over and runs only what
    # has fallen due since.
    connection.delete(LOCK_KEY)
    assert second.tick(NOW + timedelta(minutes=30)) == []
    assert second.tick(NOW + timedelta(hours=1)) == [HOURLY]
    assert RUNS == ["ran", "also", "ran"]


def test_a_run_is_claimed_once_even_if_two_schedulers_both_hold_a_lock(connection):
    """The compare-and-set on the last run is what makes double runs impossible (e.g.
    a scheduler paused past its lock's expiry wakes up while another works)."""
    first = Scheduler(connection, [HOURLY])
    second = Scheduler(connection, [HOURLY])
    second.hold_lock = lambda: True  # as if its lock had not expired yet

    stale_view = first.last_runs()  # both read "never ran"
    assert first.tick(NOW) == [HOURLY]
    second.last_runs = lambda: stale_view
    assert second.tick(NOW) == []
    assert RUNS == ["ran"]


def test_a_restarted_scheduler_does_not_run_everything_again(connection):
    Scheduler(connection, [HOURLY, DAILY]).tick(NOW)
    connection.delete(LOCK_KEY)  # the process died without releasing it
    restarted = Scheduler(connection, [HOURLY, DAILY])
    assert restarted.tick(NOW + timedelta(minutes=5)) == []
    assert RUNS == ["ran", "also"]
    assert restarted.seconds_to_sleep(NOW + timedelta(minutes=5), at_most=3600) == 55 * 60


def test_a_run_that_cannot_be_enqueued_is_given_back(connection):
    broken = Scheduled("tests.portal.test_schedule.no_such_task", timedelta(hours=1))
    scheduler = Scheduler(connection, [broken, HOURLY])
    assert scheduler.tick(NOW) == [HOURLY]
    assert connection.hget(LAST_RUN_KEY, broken.name) is None  # tried again next tick
    assert scheduler.last_runs()[HOURLY.name] == NOW


def test_run_scheduler_once_enqueues_the_due_jobs(connection, redis_url, settings, capsys):
    settings.REDIS_URL = redis_url
    import portal.schedule

    original = list(portal.schedule.SCHEDULE)
    portal.schedule.SCHEDULE[:] = [HOURLY]
    try:
        call_command("run_scheduler", "--once")
        call_command("run_scheduler", "--once")
    finally:
        portal.schedule.SCHEDULE[:] = original
    assert RUNS == ["ran"]
    assert capsys.readouterr().out.count("scheduler: enqueued tests.portal.test_schedule") == 1
