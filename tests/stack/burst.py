"""The registration burst: `n` signed-in members POST at once for a meeting with `seats`
seats, through nginx, each from a browser of their own.

    from tests.stack.burst import run_burst
    figures = run_burst(stack_or_dir, n=100, seats=20)

Each member opens the registration form first (GET, as a person does before pressing the
button); all then wait at a barrier and post together. A 409 ("many are registering
right now", `RegistrationBusy`) is what a person would retry: the member opens the form
again and posts again, up to `max_attempts` times. After the redirect the member's page
is read for the outcome they are told. The database is then asked what it holds.

The figures (a dict) say what a reader of the bench or of a failing test needs: the
outcomes in the database and on the members' pages, every answer's status, how many
answers were retried busy answers, 5xx and unanswered requests, and the time taken
(wall clock for the burst, per-request p50/p99).
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urljoin

import requests

from tests.stack.browser import Browser, text_of
from tests.stack.harness import Stack

CONFIRMED_TEXT = "din plads er bekræftet"
WAITLISTED_TEXT = "Du er på venteliste"


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_burst(stack: Stack | str | Path, n: int = 100, seats: int = 20, *, max_attempts: int = 10):
    """Run the burst against a running stack (a `Stack`, or the directory of one) and
    return its figures."""
    if not isinstance(stack, Stack):
        stack = Stack.from_dir(stack)
    setup = stack.seed("burst", n=n, seats=seats)
    register_url = setup["register_url"]
    barrier = threading.Barrier(n)
    lock = threading.Lock()
    statuses: Counter = Counter()
    latencies: list[float] = []
    outcomes: dict[str, str] = {}
    problems: list[str] = []
    finished = [0]

    def member(info: dict) -> None:
        browser = Browser(stack.url)
        browser.session.cookies.set(setup["cookie"], info["session"], domain="127.0.0.1")
        try:
            form = browser.open_form(register_url)
        except Exception as error:  # reported in the figures, not raised in a thread
            with lock:
                problems.append(f"{info['email']}: opening the form: {error}")
            barrier.abort()
            return
        try:
            barrier.wait(timeout=300)
        except threading.BrokenBarrierError:
            with lock:
                problems.append(f"{info['email']}: the burst never started")
            return
        response = None
        for attempt in range(1, max_attempts + 1):
            started = time.perf_counter()
            try:
                response = browser.submit(form)
            except requests.RequestException as error:
                with lock:
                    statuses["no answer"] += 1
                    problems.append(f"{info['email']}: attempt {attempt}: {error}")
                return
            with lock:
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] += 1
            if response.status_code != 409:
                break
            # Busy: wait a moment, as a person would, and press the button again.
            time.sleep(random.uniform(0.1, 0.5) * attempt)
            form = browser.open_form(register_url)
        if response.status_code != 302:
            with lock:
                outcomes[info["email"]] = f"HTTP {response.status_code}"
                problems.append(
                    f"{info['email']}: {response.status_code}: {text_of(response.text)[:300]}"
                )
            return
        page = browser.get(urljoin(response.url, response.headers["Location"]))
        text = text_of(page.text)
        if CONFIRMED_TEXT in text:
            outcome = "confirmed"
        elif WAITLISTED_TEXT in text:
            outcome = "waitlisted"
        else:
            outcome = "no message"
        with lock:
            outcomes[info["email"]] = outcome
            finished[0] += 1

    threads = [threading.Thread(target=member, args=(info,)) for info in setup["members"]]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    wall = time.perf_counter() - started
    still_waiting = sum(thread.is_alive() for thread in threads)

    database = stack.seed("registrations", meeting=setup["meeting"])
    status_of = database["status_of"]
    return {
        "members": n,
        "seats": seats,
        "meeting": setup["meeting"],
        "confirmed": database["by_status"].get("confirmed", 0),
        "waitlisted": database["by_status"].get("waitlisted", 0),
        "registrations": database["people"],
        "distinct_people": database["distinct_people"],
        "pages": dict(Counter(outcomes.values())),
        "pages_agree_with_database": all(
            status_of.get(email) == outcome for email, outcome in outcomes.items()
        )
        and len(outcomes) == n,
        "statuses": {str(code): count for code, count in sorted(statuses.items(), key=str)},
        "retried_busy": statuses.get(409, 0),
        "server_errors": sum(
            c for code, c in statuses.items() if isinstance(code, int) and code >= 500
        ),
        "unanswered": statuses.get("no answer", 0) + still_waiting + (n - len(outcomes)),
        "answered": finished[0],
        "problems": problems[:20],
        "outcomes": dict(sorted(outcomes.items())),  # member's address: what they were told
        "seconds": round(wall, 2),
        "p50_ms": round(_percentile(latencies, 0.5) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0.0,
    }


def describe(figures: dict) -> str:
    """One paragraph for the bench's output."""
    return (
        f"Registration burst: {figures['members']} members, {figures['seats']} seats, "
        f"{figures['seconds']} s: {figures['confirmed']} confirmed, "
        f"{figures['waitlisted']} waitlisted (pages: {figures['pages']}); answers "
        f"{figures['statuses']}, {figures['retried_busy']} busy answers retried, "
        f"{figures['server_errors']} 5xx, {figures['unanswered']} unanswered; "
        f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms per request."
    )


if __name__ == "__main__":
    import json
    import sys

    arguments = sys.argv[1:]
    if not arguments:
        sys.exit("usage: python -m tests.stack.burst STACK_DIR [N] [SEATS]")
    result = run_burst(
        arguments[0],
        n=int(arguments[1]) if len(arguments) > 1 else 100,
        seats=int(arguments[2]) if len(arguments) > 2 else 20,
    )
    print(describe(result))
    print(json.dumps(result, indent=2))
