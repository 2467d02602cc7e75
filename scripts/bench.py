"""`make bench`: the portal's busiest pages measured over HTTP, against the production stack.

    .venv/bin/python scripts/bench.py [--stack-json DIR/stack.json] [--strict] [--no-scale]

Without --stack-json (or BENCH_URL, the address of a running `make stack`), it starts its
own stack (`scripts/stack up --detach --demo`, base port BENCH_BASE_PORT, 8600) in a
temporary folder and stops it at the end. Then, for the demo data set and again after
`manage.py seed_scale` (the scaled data set the tests share):

- logs the demo member in over HTTP (the login form, its CSRF token, the session cookie);
- warms every page up, then runs wrk (`-c 8 -t 2 --latency`) on each page, each round
  in the same order, every page run followed by a run on a static file from the same
  server, so that machine noise hits both; the ratio of a page's rate to that static
  rate is taken per round and the median over rounds is reported;
- anonymous pages uncached and logged-in pages at app server A directly (gunicorn; the
  static file from the same server, through WhiteNoise); anonymous pages through nginx,
  which keeps them (the micro-cache, X-Accel-Expires), with nginx's static file;
- counts the queries of one request per page in-process: Django's test client with the
  stack's own environment (same settings, database and cache), so nothing in the
  production request path exists only for the bench.

Targets (ratios to the static file, same run): uncached anonymous >= 5 %, logged in >= 3
%, cached anonymous >= 50 %, and each page's rate with the scaled data at least half its
rate with the demo data. It prints PASS/FAIL per row and a summary, runs the registration
burst (tests/stack/burst.py) when it is there, and writes docs/benchmarks.md. It exits
0 (a measurement), or 1 with --strict when a target is missed.

Knobs (environment): BENCH_DURATION (seconds per page run, 3), BENCH_STATIC_DURATION
(2), BENCH_ROUNDS (2), BENCH_CONNECTIONS (8), BENCH_THREADS (2), BENCH_BASE_PORT (8600).
"""

from __future__ import annotations

import argparse
import datetime
import html.parser
import http.cookiejar
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
STACK = ROOT / "scripts" / "stack"
DOC = ROOT / "docs" / "benchmarks.md"

DURATION = int(os.environ.get("BENCH_DURATION", "3"))
STATIC_DURATION = int(os.environ.get("BENCH_STATIC_DURATION", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
BASE_PORT = int(os.environ.get("BENCH_BASE_PORT", "8600"))

TARGETS = {"anonymous": 0.05, "logged in": 0.03, "cached": 0.50}
SCALE_TARGET = 0.5
# The pages the issue names; "min side" only logged in.
PAGES = [
    "home",
    "network",
    "meeting",
    "library",
    "library ?q=",
    "overview",
    "inspiration",
    "search",
    "news",
    "min side",
]


def say(message: str) -> None:
    print(f"bench: {message}", flush=True)


# --- In-process part: run by the bench with the stack's environment ------------------


def inside(command: str, argv: list[str]) -> None:
    """`scripts/bench.py --inside urls|queries`: page addresses and query counts, with
    Django set up from the stack's environment. Prints JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if command == "urls":
        print(json.dumps(page_urls()))
        return
    urls = json.loads(argv[0])
    from portal.models import User

    member = User.objects.get(email=demo_member()["email"])
    counts = {}
    for mode in ("anonymous", "logged in"):
        client = Client(HTTP_HOST="127.0.0.1")
        if mode == "logged in":
            client.force_login(member)
        for name, url in urls.items():
            if name == "min side" and mode == "anonymous":
                continue
            client.get(url)  # warm, as the measured server is
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            counts[f"{mode}|{name}"] = [len(queries), response.status_code, len(response.content)]
    print(json.dumps(counts))


def demo_member() -> dict:
    from portal.demo import DEMO_ACCOUNTS

    return next(account for account in DEMO_ACCOUNTS if account["role"] == "member")


def page_urls() -> dict:
    from meetings.models import MeetingPage
    from network.library.models import (
        AgreementLibraryPage,
        NationalOverviewPage,
        ResourceIndexPage,
    )
    from network.models import NetworkPage
    from portal.models import NewsIndexPage

    def first(model) -> str:
        page = model.objects.live().public().order_by("path").first()
        return page.url if page else ""

    library = first(AgreementLibraryPage)
    return {
        "home": "/",
        "network": first(NetworkPage),
        "meeting": first(MeetingPage),
        "library": library,
        "library ?q=": f"{library}?q=aftale",
        "overview": first(NationalOverviewPage),
        "inspiration": first(ResourceIndexPage),
        "search": "/soeg/?q=netv%C3%A6rk",
        "news": first(NewsIndexPage),
        "min side": "/min-side/",
        "member": demo_member(),
    }


# --- The stack ----------------------------------------------------------------------


@dataclass
class Stack:
    info: dict
    directory: Path
    owned: bool = False  # started by the bench, which stops it

    @property
    def url(self) -> str:
        return self.info["url"]

    @property
    def app(self) -> str:
        return self.info["app_urls"][0]

    @property
    def static_path(self) -> str:
        return self.info["static_path"]

    @property
    def env(self) -> dict:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **self.info["env"]}

    def manage(self, *args: str, check=True) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 (the project's own tools, fixed arguments)
            [str(PYTHON), "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=check,
            capture_output=True,
            text=True,
        )

    def inside(self, command: str, *args: str) -> dict:
        result = subprocess.run(  # noqa: S603 (the project's own tools, fixed arguments)
            [str(PYTHON), str(Path(__file__)), "--inside", command, *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])


STACK_UP_OPTIONS = ["--base-port", str(BASE_PORT), "--demo", "--detach"]


def start_stack() -> Stack:
    directory = Path(tempfile.mkdtemp(prefix="erfa-bench-"))
    directory.chmod(0o755)  # PostgreSQL runs as its own user when the bench runs as root
    say(f"starting a stack in {directory} (base port {BASE_PORT}) ...")
    started = time.monotonic()
    up = subprocess.run(  # noqa: S603 (the project's own tools, fixed arguments)
        [str(PYTHON), str(STACK), "up", "--dir", str(directory), *STACK_UP_OPTIONS],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    if up.returncode != 0:
        stop_stack(Stack({}, directory, owned=True))  # whatever did start
        sys.exit(f"bench: the stack did not start (scripts/stack up: exit {up.returncode})")
    say(f"stack up in {time.monotonic() - started:.0f} s")
    return Stack(json.loads((directory / "stack.json").read_text()), directory, owned=True)


def stop_stack(stack: Stack) -> None:
    if not stack.owned:
        return
    subprocess.run(  # noqa: S603 (the project's own tools, fixed arguments)
        [str(PYTHON), str(STACK), "down", "--dir", str(stack.directory)],
        cwd=ROOT,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(stack.directory, ignore_errors=True)


def running_stack(stack_json: str | None) -> Stack | None:
    if stack_json:
        return Stack(json.loads(Path(stack_json).read_text()), Path(stack_json).parent)
    bench_url = os.environ.get("BENCH_URL")
    if not bench_url:
        return None
    candidate = ROOT / "var" / "stack" / "stack.json"  # where `make stack` keeps it
    if candidate.exists():
        info = json.loads(candidate.read_text())
        if info["url"].rstrip("/") == bench_url.rstrip("/"):
            return Stack(info, candidate.parent)
    sys.exit(f"bench: BENCH_URL={bench_url}: no stack.json for it; pass --stack-json")


# --- HTTP -----------------------------------------------------------------------------


class _TokenFinder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.token = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self.token = self.token or attributes.get("value")


def log_in(base: str, email: str, password: str) -> str:
    """Log in through the real login form; return the session cookie's value."""
    jar = http.cookiejar.CookieJar()

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    login_url = f"{base}/konto/login/"
    finder = _TokenFinder()
    finder.feed(opener.open(login_url, timeout=30).read().decode())
    data = urllib.parse.urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": finder.token}
    ).encode()
    request = urllib.request.Request(login_url, data=data, headers={"Referer": login_url})  # noqa: S310 (the stack's http addresses)
    try:
        opener.open(request, timeout=30)
    except urllib.error.HTTPError as answer:  # the 302 to Min side
        if answer.code != 302:
            raise
    session = next((cookie.value for cookie in jar if cookie.name == "sessionid"), None)
    if not session:
        raise RuntimeError(f"logging {email} in at {base} gave no session cookie")
    return session


def status_of(url: str, cookie: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310 (the stack's http addresses)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (the stack's http addresses)
            response.read()
            return response.status
    except urllib.error.HTTPError as answer:
        return answer.code


# --- wrk --------------------------------------------------------------------------------


@dataclass
class Run:
    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int, cookie: str | None = None) -> Run:
    command = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s"]
    command += ["--latency", "--timeout", "30s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 (wrk, on the stack's own addresses)
        [*command, url], check=True, capture_output=True, text=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(int(n) for n in found.groups())
    return Run(rate, p50, p99, errors)


# --- Measuring ----------------------------------------------------------------------------


@dataclass
class Row:
    data: str  # "demo" | "scale"
    mode: str  # "anonymous" | "logged in" | "cached"
    page: str
    url: str
    server: str
    cookie: str | None = None
    runs: list[Run] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    queries: int | None = None
    status: int | None = None
    size: int | None = None

    @property
    def rate(self) -> float:
        return statistics.median(run.rate for run in self.runs)

    @property
    def p50(self) -> float:
        return statistics.median(run.p50_ms for run in self.runs)

    @property
    def p99(self) -> float:
        return statistics.median(run.p99_ms for run in self.runs)

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)


def rows_for(data: str, stack: Stack, urls: dict, session: str, with_cached: bool) -> list[Row]:
    rows = []
    cookie = f"sessionid={session}"
    modes = [("anonymous", stack.app, None), ("logged in", stack.app, cookie)]
    if with_cached:
        modes.append(("cached", stack.url, None))
    for mode, server, row_cookie in modes:
        for page in PAGES:
            if page == "min side" and mode != "logged in":
                continue
            rows.append(Row(data, mode, page, urls[page], server, row_cookie))
    return rows


def measure(rows: list[Row], stack: Stack) -> None:
    for row in rows:  # warm up: templates, connections, renditions, caches
        for _ in range(3):
            row.status = status_of(row.server + row.url, row.cookie)
    for number in range(1, ROUNDS + 1):
        started = time.monotonic()
        for row in rows:
            page = wrk(row.server + row.url, DURATION, row.cookie)
            static = wrk(row.server + stack.static_path, STATIC_DURATION)
            row.runs.append(page)
            row.ratios.append(page.rate / static.rate if static.rate else 0.0)
        say(f"round {number}/{ROUNDS} of {len(rows)} rows: {time.monotonic() - started:.0f} s")


def count_queries(rows: list[Row], stack: Stack, urls: dict) -> None:
    plain = {name: url for name, url in urls.items() if name in PAGES}
    counts = stack.inside("queries", json.dumps(plain))
    for row in rows:
        mode = "anonymous" if row.mode == "cached" else row.mode
        found = counts.get(f"{mode}|{row.page}")
        if found:
            row.queries, _status, row.size = found


# --- Judging and reporting ------------------------------------------------------------------


def verdicts(rows: list[Row]) -> dict[int, list[str]]:
    """Per row (by index): the targets it misses (empty: PASS)."""
    demo = {(row.mode, row.page): row for row in rows if row.data == "demo"}
    missed = {}
    for index, row in enumerate(rows):
        problems = []
        if row.status != 200:
            problems.append(f"HTTP {row.status}")
        if row.errors:
            problems.append(f"{row.errors} errors")
        if row.ratio < TARGETS[row.mode]:
            problems.append(f"ratio < {TARGETS[row.mode]:.0%}")
        base = demo.get((row.mode, row.page)) if row.data == "scale" else None
        if base and row.rate < SCALE_TARGET * base.rate:
            problems.append(f"scale < {SCALE_TARGET:.0%} of demo")
        missed[index] = problems
    return missed


def scale_factor(row: Row, rows: list[Row]) -> str:
    if row.data != "scale":
        return ""
    for other in rows:
        if other.data == "demo" and (other.mode, other.page) == (row.mode, row.page):
            return f"{row.rate / other.rate:.2f}x" if other.rate else ""
    return ""


def table(rows: list[Row]) -> list[str]:
    missed = verdicts(rows)
    lines = [
        "| data | visitor | page | req/s | p50 ms | p99 ms | queries | KB | ratio to static "
        "| scale/demo | target |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for index, row in enumerate(rows):
        verdict = "PASS" if not missed[index] else "FAIL: " + ", ".join(missed[index])
        visitor = {"anonymous": "anonymous, app server", "logged in": "member, app server"}.get(
            row.mode, "anonymous, nginx cache"
        )
        lines.append(
            f"| {row.data} | {visitor} | {row.page} (`{row.url}`) | {row.rate:.1f} "
            f"| {row.p50:.1f} | {row.p99:.1f} | {'' if row.queries is None else row.queries} "
            f"| {'' if row.size is None else round(row.size / 1024)} | {row.ratio:.1%} "
            f"| {scale_factor(row, rows)} | {verdict} |"
        )
    return lines


def machine() -> str:
    model = "unknown CPU"
    memory = ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        if found := re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M):
            model = found.group(1).strip()
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}){memory}, {platform.system()} {platform.release()}"


def summary(rows: list[Row]) -> list[str]:
    missed = verdicts(rows)
    failed = [rows[index] for index, problems in missed.items() if problems]
    lines = [f"{len(rows) - len(failed)} of {len(rows)} rows meet their targets."]
    for mode, target in TARGETS.items():
        ratios = [row.ratio for row in rows if row.mode == mode]
        if ratios:
            lines.append(
                f"{mode}: ratio to static {min(ratios):.1%}-{max(ratios):.1%} (target ≥ {target:.0%})"
            )
    factors = []
    for row in rows:
        if row.data == "scale":
            text = scale_factor(row, rows)
            if text:
                factors.append(float(text.rstrip("x")))
    if factors:
        lines.append(
            f"scaled data: {min(factors):.2f}-{max(factors):.2f}x the demo rate (target ≥ 0.5x)"
        )
    for row in failed:
        lines.append(
            f"FAIL {row.data} {row.mode} {row.page}: " + ", ".join(missed[rows.index(row)])
        )
    return lines


def write_doc(rows: list[Row], burst: list[str], notes: list[str], started: datetime.datetime):
    text = [
        "# Benchmarks",
        "",
        "`make bench` (scripts/bench.py) measures the busiest pages over HTTP against the",
        "production stack (`scripts/stack`: nginx, two gunicorn app servers with 2 workers",
        "and 4 threads each, PostgreSQL, Redis), first with the demo content, then after",
        "`manage.py seed_scale` (the scaled data set: 10,000 agreements, 300 meetings,",
        "20,000 registrations, 1,000 news items). wrk (`-c "
        f"{CONNECTIONS} -t {THREADS} --latency`, {DURATION} s per page run) runs",
        f"{ROUNDS} interleaved rounds; every page run is followed by a {STATIC_DURATION} s run "
        "on a static file",
        "from the same server, and the ratio of the two rates is taken per round (the table",
        "shows medians over rounds). Anonymous pages uncached and the member's pages are",
        "measured at app server A directly (its static file through WhiteNoise); cached",
        "anonymous pages through nginx's micro-cache (its static file from disk). Queries",
        "are those of one request, counted in-process with Django's test client and the",
        "stack's own environment.",
        "",
        "Targets (same run): anonymous uncached ≥ 5 % of the static rate, logged in ≥ 3 %,",
        "cached ≥ 50 %, and with the scaled data each page at least half its demo rate.",
        "The lead's final run on the CI machine is the reference; figures move with the",
        "machine's load (two cores shared with wrk, PostgreSQL and Redis).",
        "",
        f"Run: {started:%Y-%m-%d %H:%M} UTC on {machine()}.",
        "",
        *table(rows),
        "",
        "Summary:",
        "",
        *[f"- {line}" for line in summary(rows)],
    ]
    if burst:
        text += ["", "Registration burst (tests/stack/burst.py, through nginx):", ""]
        text += [f"- {line}" for line in burst]
    if notes:
        text += ["", "Notes:", ""] + [f"- {note}" for note in notes]
    DOC.write_text("\n".join(text) + "\n")


def run_burst(stack: Stack) -> list[str]:
    """The registration burst of the stack tests (helper "stacktests"), through nginx."""
    sys.path.insert(0, str(ROOT))
    try:
        from tests.stack import burst
    except ImportError as error:
        return [f"not run: {error}"]
    try:
        figures = burst.run_burst(stack.directory)
    except Exception as error:  # a measurement: report it, keep the table
        return [f"failed: {error!r}"]
    describe = getattr(burst, "describe", None)
    if describe is not None:
        return [describe(figures)]
    return [f"{key}: {value}" for key, value in figures.items()]


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--inside":
        inside(sys.argv[2], sys.argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack-json", help="a running stack's stack.json (else BENCH_URL)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--no-scale", action="store_true", help="demo data only")
    parser.add_argument("--no-burst", action="store_true", help="skip the registration burst")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench: wrk is missing; run scripts/ensure-system-deps (make system-deps)")

    started_at = datetime.datetime.now(datetime.UTC)
    started = time.monotonic()
    stack = running_stack(args.stack_json) or start_stack()
    notes: list[str] = []
    rows: list[Row] = []
    burst: list[str] = []
    try:
        urls = stack.inside("urls")
        member = urls["member"]
        session = log_in(stack.app, member["email"], member["password"])
        say(f"{member['email']} logged in over HTTP at {stack.app}")

        demo_rows = rows_for("demo", stack, urls, session, with_cached=True)
        count_queries(demo_rows, stack, urls)
        measure(demo_rows, stack)
        rows += demo_rows

        if not args.no_scale:
            say("seeding the scaled data set (manage.py seed_scale) ...")
            seeded = time.monotonic()
            result = stack.manage("seed_scale", check=False)
            if result.returncode != 0:
                notes.append(
                    "seed_scale failed or is missing: no scaled rows. "
                    + result.stderr.strip()[-300:]
                )
                say(notes[-1])
            else:
                say(f"seeded in {time.monotonic() - seeded:.0f} s")
                urls = stack.inside("urls")
                scale_rows = rows_for("scale", stack, urls, session, with_cached=False)
                count_queries(scale_rows, stack, urls)
                measure(scale_rows, stack)
                rows += scale_rows
        if not args.no_burst:
            say("registration burst ...")
            burst = run_burst(stack)
    finally:
        stop_stack(stack)

    print()
    print("\n".join(table(rows)))
    print()
    for line in summary(rows):
        print(line)
    for line in burst:
        print(f"burst: {line}")
    write_doc(rows, burst, notes, started_at)
    say(f"wrote {DOC.relative_to(ROOT)}; {time.monotonic() - started:.0f} s in all")
    failed = any(verdicts(rows).values())
    return 1 if (failed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
