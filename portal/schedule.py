"""Scheduled jobs: which tasks run how often, and the scheduler that enqueues them.

`SCHEDULE` is the registry. Add an entry for a new periodic job (a django-tasks task,
by dotted path) and the stack's scheduler process (`manage.py run_scheduler`) enqueues it
every `every`; a task worker runs it. The tasks must be safe to run again (each sends or
deletes only what is still due), because "at most once per interval" is what the
scheduler promises, not "exactly at this time".

Why a small loop of our own and not RQ's cron (`rq cron`/`manage.py rqcron`): RQ's cron
enqueues a plain function, not a django-tasks Task (so the task backend, its results and
its job class are bypassed), keeps the last run only in the scheduler's memory (every
restart runs every interval job again at once) and does nothing to stop two schedulers
from both enqueueing. Here the last run of each job is kept in Redis and claimed with an
atomic compare-and-set, so two schedulers (or a restarted one) never enqueue the same run
twice, and a lock lets one scheduler work while any other waits as a stand-by.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    """Enqueue the django-tasks task at `task` (dotted path) every `every`."""

    task: str
    every: timedelta

    @property
    def name(self) -> str:
        return self.task


SCHEDULE: list[Scheduled] = [
    # Reminders two days before each meeting; each is sent once (meetings.services).
    Scheduled("meetings.tasks.send_due_reminders", timedelta(hours=1)),
    # The membership year (network.renewals): renewal invitations and reminders on the
    # networks' dates, each sent once; the rollover at New Year (safe to repeat).
    Scheduled("network.tasks.send_renewal_notices", timedelta(hours=1)),
    Scheduled("network.tasks.roll_over_memberships", timedelta(hours=1)),
    # Timed waitlist offers that ran out move on to the next person (meetings.services).
    Scheduled("meetings.tasks.expire_waitlist_offers", timedelta(minutes=5)),
    # After a meeting, its attendees are asked to evaluate it; each once (meetings.evaluation).
    Scheduled("meetings.evaluation_tasks.send_evaluation_invitations", timedelta(hours=1)),
    # Retention rules (portal.gdpr): anonymise old registrations, drop unconfirmed sign-ups.
    Scheduled("portal.tasks.apply_retention", timedelta(days=1)),
    # The e-mail pipeline's sweep (portal/emails.py): mail a dead worker or a lost job left
    # behind, and retries that are due.
    Scheduled("portal.tasks.retry_emails", timedelta(minutes=1)),
    # Staff's messages (meetings.messages) whose sending job was lost or stopped half-way.
    Scheduled("meetings.tasks.finish_messages", timedelta(minutes=5)),
]


def is_due(entry: Scheduled, last_run: datetime | None, now: datetime) -> bool:
    """Due when it never ran, or its interval has passed since the last run. A last run
    in the future (a clock set back) waits until the interval has passed since then."""
    return last_run is None or now >= last_run + entry.every


def due(
    schedule: list[Scheduled], last_runs: dict[str, datetime | None], now: datetime
) -> list[Scheduled]:
    return [entry for entry in schedule if is_due(entry, last_runs.get(entry.name), now)]


def next_due(
    schedule: list[Scheduled], last_runs: dict[str, datetime | None], now: datetime
) -> datetime:
    """When the next entry falls due (now, if one is due already)."""
    times = [
        now if last_runs.get(entry.name) is None else last_runs[entry.name] + entry.every
        for entry in schedule
    ]
    return max(now, min(times)) if times else now + timedelta(hours=1)


# --- The scheduler (state in Redis) ----------------------------------------------------

LAST_RUN_KEY = "erfa:schedule:last-run"
LOCK_KEY = "erfa:schedule:lock"

# Set the job's last run to `now` only if it is still what this scheduler read.
_CLAIM = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if (current == false and ARGV[2] == '') or current == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
"""
# Keep the lock only if this scheduler holds it.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def _parse(value) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode()
    return datetime.fromisoformat(value)


class Scheduler:
    """One scheduler process's view: `tick(now)` enqueues what is due if it holds the
    lock, and returns the entries it enqueued."""

    def __init__(self, redis, schedule: list[Scheduled] | None = None, *, lock_seconds=120):
        self.redis = redis
        self.schedule = SCHEDULE if schedule is None else schedule
        self.lock_ms = int(lock_seconds * 1000)
        self.identity = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._claim = redis.register_script(_CLAIM)
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    def hold_lock(self) -> bool:
        if self.redis.set(LOCK_KEY, self.identity, nx=True, px=self.lock_ms):
            return True
        return bool(self._renew(keys=[LOCK_KEY], args=[self.identity, self.lock_ms]))

    def release_lock(self) -> None:
        self._release(keys=[LOCK_KEY], args=[self.identity])

    def last_runs(self) -> dict[str, datetime | None]:
        raw = self.redis.hgetall(LAST_RUN_KEY)
        return {
            (key.decode() if isinstance(key, bytes) else key): _parse(value)
            for key, value in raw.items()
        }

    def tick(self, now: datetime | None = None) -> list[Scheduled]:
        now = now or datetime.now(UTC)
        if not self.hold_lock():
            return []
        last_runs = self.last_runs()
        enqueued = []
        for entry in due(self.schedule, last_runs, now):
            previous = last_runs.get(entry.name)
            claimed = self._claim(
                keys=[LAST_RUN_KEY],
                args=[entry.name, previous.isoformat() if previous else "", now.isoformat()],
            )
            if not claimed:
                continue  # another scheduler enqueued this run
            try:
                import_string(entry.task).enqueue()
            except Exception:
                # Give the run back, so the next tick tries again.
                if previous is None:
                    self.redis.hdel(LAST_RUN_KEY, entry.name)
                else:
                    self._claim(
                        keys=[LAST_RUN_KEY],
                        args=[entry.name, now.isoformat(), previous.isoformat()],
                    )
                logger.exception("scheduler: could not enqueue %s", entry.task)
                continue
            logger.info("scheduler: enqueued %s", entry.task)
            enqueued.append(entry)
        return enqueued

    def seconds_to_sleep(self, now: datetime | None = None, *, at_most: float = 30) -> float:
        now = now or datetime.now(UTC)
        wait = (next_due(self.schedule, self.last_runs(), now) - now).total_seconds()
        return max(1.0, min(at_most, wait))
