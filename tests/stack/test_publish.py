"""An editor publishes a change in the admin (password and second factor, through
nginx); the editor sees it at once, anonymous visitors within 10 seconds, although
nginx caches anonymous pages."""

import secrets
import time

from portal.demo import DEMO_ACCOUNTS, DEMO_EDITOR_TOTP_SECRET
from tests.stack.browser import Browser, text_of

EDITOR = next(account for account in DEMO_ACCOUNTS if account["role"] == "editor")
OLD = "Før ændringen."


def test_a_published_change_shows_to_the_editor_at_once_and_to_visitors_within_10_s(stack):
    page = stack.seed("standard_page")
    url = page["url"]

    # Visitors read the page (and so fill nginx's cache with the old version).
    visitor = Browser(stack.url)
    for _ in range(3):
        response = visitor.get(url)
        assert response.status_code == 200
        assert OLD in text_of(response.text)
    cache_status = response.headers.get("X-Cache-Status", "(not shown)")

    editor = Browser(stack.url)
    login = editor.login(EDITOR["email"], EDITOR["password"], totp_secret=DEMO_EDITOR_TOTP_SECRET)
    assert login.status_code == 302 and "/2fa/" not in login.headers["Location"]
    assert OLD in text_of(editor.get(url).text)
    form = editor.open_form(page["edit"])
    form.set("body-count", 0)  # what Wagtail's StreamField script posts for an empty body
    new = f"Efter ændringen {secrets.token_hex(4)}."
    response = editor.submit(form, {"intro": new}, button="action-publish")
    assert response.status_code == 302, text_of(response.text)[:3000]
    published = time.monotonic()

    # The editor (signed in, never served from the cache) sees it on the next request.
    assert new in text_of(editor.get(url).text)

    # Anonymous visitors, the one who read it before and new ones, within 10 seconds.
    seen_after = {}
    while time.monotonic() - published < 15 and len(seen_after) < 2:
        for name, browser in (("returning", visitor), ("new", Browser(stack.url))):
            if name not in seen_after:
                response = browser.get(url)
                assert response.status_code == 200
                if new in text_of(response.text):
                    seen_after[name] = round(time.monotonic() - published, 1)
        time.sleep(0.25)
    print(f"publish: cache status before {cache_status}; seen by visitors after {seen_after} s")
    assert set(seen_after) == {"returning", "new"}, seen_after
    assert max(seen_after.values()) <= 10, seen_after
