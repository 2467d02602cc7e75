"""Run the scheduled jobs (portal/schedule.py): enqueue each task when it falls due.

    manage.py run_scheduler            # runs until SIGTERM/Ctrl-C
    manage.py run_scheduler --once     # one pass (for a cron line or a check)

Needs REDIS_URL (the schedule's state and lock live there) and a queueing TASKS_BACKEND
with worker processes to run what it enqueues. Several schedulers may run (e.g. one per
machine): one holds the lock and works, the others stand by; none enqueues a run twice.
"""

import contextlib
import signal
import threading

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.schedule import Scheduler


class Command(BaseCommand):
    help = "Enqueue the scheduled jobs (meeting reminders, retention, ...) when they fall due."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--interval", type=float, default=30, help="longest sleep between passes (s)"
        )

    def handle(self, *args, once=False, interval=30, **options):
        if not settings.REDIS_URL:
            raise CommandError("run_scheduler needs REDIS_URL (its state and lock live there).")
        connection = redis.Redis.from_url(settings.REDIS_URL)
        scheduler = Scheduler(connection)
        if once:
            self._report(scheduler.tick())
            scheduler.release_lock()
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        names = ", ".join(f"{e.task} every {e.every}" for e in scheduler.schedule)
        self.stdout.write(f"scheduler: started ({names})")
        self.stdout.flush()
        standing_by = False
        while not stop.is_set():
            try:
                self._report(scheduler.tick())
                leading = scheduler.hold_lock()
                if leading == standing_by:
                    standing_by = not leading
                    self.stdout.write(
                        "scheduler: standing by (another scheduler holds the lock)"
                        if standing_by
                        else "scheduler: holding the lock"
                    )
                wait = scheduler.seconds_to_sleep(at_most=interval)
            except redis.RedisError as error:
                self.stderr.write(f"scheduler: Redis unavailable ({error}); retrying")
                wait = 5
            self.stdout.flush()
            stop.wait(wait)
        with contextlib.suppress(redis.RedisError):
            scheduler.release_lock()
        self.stdout.write("scheduler: stopped")

    def _report(self, enqueued):
        for entry in enqueued:
            self.stdout.write(f"scheduler: enqueued {entry.task}")
