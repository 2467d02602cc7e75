"""`make bench`: response times and query counts of the portal's busiest pages.

Runs in-process against a throwaway SQLite database (demo content plus extra rows so
listings are realistic) and prints figures; it asserts nothing. Performance goals live
here, never in timed unit tests. Usage: `make bench` (BENCH_ROUNDS=50 to change rounds).
"""

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="erfa-bench-")
os.environ["SQLITE_PATH"] = os.path.join(_tmp, "bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ["DEBUG"] = "0"
warnings.filterwarnings("ignore", "No directory at")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
EXTRA_NEWS = int(os.environ.get("BENCH_NEWS", "200"))


def seed() -> None:
    from portal.models import NewsIndexPage, NewsPage

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    index = NewsIndexPage.objects.first()
    for n in range(EXTRA_NEWS):
        index.add_child(instance=NewsPage(title=f"Benchmark-nyhed {n}", lead="Tekst " * 20))


def measure(client: Client, url: str) -> tuple[float, float, int, int]:
    client.get(url)  # warm caches and renditions once
    timings = []
    settings.DEBUG = True  # record queries
    reset_queries()
    response = client.get(url)
    queries = len(connection.queries)
    settings.DEBUG = False
    for _ in range(ROUNDS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    return statistics.median(timings), p95, queries, response.status_code


def main() -> None:
    setup_test_environment()
    seed()
    client = Client()
    urls = [
        "/",
        "/nyheder/",
        "/nyheder/?page=5",
        "/om-netvaerket/",
        "/soeg/?q=netv%C3%A6rk",
        "/sitemap.xml",
        "/kommunernes-netvaerk-for-udsatte-boligomraader/",
        "/kommunernes-netvaerk-for-udsatte-boligomraader/3-netvaerksmoede-2021/",
        "/aftalebibliotek/",
        "/aftalebibliotek/?q=aftale",
        "/landsoverblik/",
        "/inspiration/",
    ]
    print(f"erfa bench: {ROUNDS} rounds per URL, {EXTRA_NEWS} extra news items, SQLite")
    width = max(len(url) for url in urls) + 2
    print(f"{'url':<{width}} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for url in urls:
        median, p95, queries, status = measure(client, url)
        print(f"{url:<{width}} {status:>6} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
