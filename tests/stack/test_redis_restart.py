"""Redis (cache, sessions' cache, rate limits, the task queue) restarted while people use
the site: pages keep answering (cache misses only) and nobody is logged out, since
sessions are kept in the database behind the cache (cached_db)."""

import threading
import time

import requests

from tests.stack.browser import Browser

PASSWORD = "Stak-redis-kodeord-2026"
PUBLIC_PAGES = ["/", "/nyheder/", "/om-netvaerket/", "/aftalebibliotek/", "/soeg/?q=netv%C3%A6rk"]
MEMBER_PAGES = ["/min-side/", "/", "/aftalebibliotek/"]


def test_pages_keep_answering_and_nobody_is_logged_out_when_redis_restarts(stack):
    email = stack.seed("member", password=PASSWORD)["email"]
    member = Browser(stack.url)
    assert member.login(email, PASSWORD).status_code == 302
    assert member.is_logged_in()

    answers: list[tuple[str, str, str, object]] = []  # (phase, who, path, status)
    phase = ["before"]
    stop = threading.Event()
    lock = threading.Lock()

    def browse(who: str, browser: Browser, pages: list[str]) -> None:
        number = 0
        while not stop.is_set():
            path = pages[number % len(pages)]
            number += 1
            try:
                status = browser.get(path, allow_redirects=False, timeout=30).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            with lock:
                answers.append((phase[0], who, path, status))
            time.sleep(0.05)

    # Visitors through nginx (its cache may answer) and on each app server directly
    # (Django answers every time), and the member through nginx.
    visitors = [Browser(base) for base in (stack.url, *stack.app_urls)]
    threads = [
        threading.Thread(target=browse, args=(f"visitor {v.base}", v, PUBLIC_PAGES))
        for v in visitors
    ]
    threads.append(threading.Thread(target=browse, args=("member", member, MEMBER_PAGES)))
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        phase[0] = "during"
        stack.control("restart", "redis")
        phase[0] = "after"
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

    print(
        f"redis restart: {len(answers)} requests, by phase: ",
        {p: sum(1 for a in answers if a[0] == p) for p in ("before", "during", "after")},
    )
    not_ok = [answer for answer in answers if answer[3] != 200]
    assert not_ok == [], not_ok[:20]
    assert {a[0] for a in answers} == {"before", "during", "after"}
    # Still signed in, on both app servers too.
    assert member.is_logged_in()
    for app in stack.app_urls:
        assert member.is_logged_in(base=app), app
