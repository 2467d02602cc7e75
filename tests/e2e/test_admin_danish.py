"""The admin's JavaScript-drawn parts are Danish, and a page abandoned while typing its
title does not block its own address (issue 8, items 9 and 10), in Chromium.

The test client checks the server's HTML (tests/portal/test_admin_crawler.py); these
journeys check what Wagtail's JavaScript draws: the page editor's side panels, comment
buttons, autosave indicator, minimap and the slug made from a Danish title.
"""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from portal.models import StandardPage
from tests.e2e.login import pass_second_factor
from tests.portal.english_in_admin import english_in

EDITOR = ("redaktoer@erfa.example", "Redaktoer-demo-2026")


def log_in(page, base: str, next_url: str):
    page.goto(f"{base}/konto/login/?next={next_url}")
    page.fill("input[name=login]", EDITOR[0])
    page.fill("input[name=password]", EDITOR[1])
    page.locator("main form button[type=submit]").click()
    pass_second_factor(page, EDITOR[0], EDITOR[1], next_url)  # the demo editor has TOTP
    page.wait_for_url(re.compile(re.escape(next_url)))


def test_the_page_editor_speaks_danish_once_its_javascript_has_run(page, live_server):
    call_command("load_demo", verbosity=0)
    about = StandardPage.objects.get(slug="om-netvaerket")
    base = live_server.url
    edit_url = f"/admin/pages/{about.pk}/edit/"
    log_in(page, base, edit_url)

    # Drawn by JavaScript: the side panel toggles, the comment buttons, the minimap.
    expect(page.get_by_role("button", name="Vis/skjul forhåndsvisning")).to_be_visible()
    expect(page.get_by_role("button", name="Tilføj kommentar").first).to_be_attached()
    page.get_by_role("button", name="Vis/skjul forhåndsvisning").click()
    expect(page.locator("iframe#w-preview-iframe")).to_be_attached()
    page.wait_for_timeout(1500)  # the preview panel and minimap settle
    problems = english_in(page.content())
    assert not problems, "\n".join(problems)

    # The side panels (status, comments, checks) and the "add" view of a page.
    for name in ("Tjek", "Status"):
        toggle = page.locator(f"button.w-side-panel-toggle[aria-label*='{name}']")
        if toggle.count():
            toggle.first.click()
            page.wait_for_timeout(300)
            problems = english_in(page.content())
            assert not problems, "\n".join(problems)
    page.goto(f"{base}/admin/pages/add/portal/standardpage/{about.pk}/")
    page.locator("#id_title").fill("Kladde")
    page.wait_for_timeout(1500)
    problems = english_in(page.content())
    assert not problems, "\n".join(problems)


def test_an_abandoned_new_page_points_to_its_draft_and_gets_a_danish_address(page, live_server):
    call_command("load_demo", verbosity=0)
    about = StandardPage.objects.get(slug="om-netvaerket")
    base = live_server.url
    add_url = f"/admin/pages/add/portal/standardpage/{about.pk}/"
    log_in(page, base, add_url)

    # Typing a Danish title fills a readable address; Wagtail autosaves a draft (it
    # watches for changes once the editor's scripts have started).
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(2000)
    page.locator("#id_title").press_sequentially("Årsmøde på Ærø", delay=20)
    page.locator("#id_title").press("Tab")
    expect(page.locator("#id_slug")).to_have_value("aarsmoede-paa-aeroe")
    page.locator("textarea[name=intro]").press_sequentially("Vi mødes på Ærø.", delay=20)
    drafts = StandardPage.objects.filter(title="Årsmøde på Ærø")
    for _ in range(60):  # Wagtail notices the change within seconds and saves a draft
        if drafts.exists():
            break
        page.wait_for_timeout(500)
    expect(page.locator("#w-autosave-indicator")).to_have_attribute(
        "data-w-tooltip-content-value", re.compile("gemt")
    )
    assert drafts.count() == 1 and not drafts.get().live

    # The editor leaves, comes back to "add" and tries again.
    page.goto(f"{base}/admin/pages/{about.pk}/")
    page.goto(f"{base}{add_url}")
    page.locator("#id_title").fill("Årsmøde på Ærø")
    page.locator("#id_title").press("Tab")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-publish']").click()
    message = page.locator(".w-field--slug_field .error-message")
    expect(message.first).to_contain_text("tilhører en kladde, der aldrig er udgivet")
    assert "already in use" not in page.content()

    # The link leads to the draft; publishing it gives the page its readable address.
    page.get_by_role("tab", name=re.compile("Synlighed og søgning")).click()
    page.get_by_role("link", name="Åbn »Årsmøde på Ærø«").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    expect(page.get_by_text(re.compile("Årsmøde på Ærø' er blevet udgivet"))).to_be_visible()
    problems = english_in(page.content())  # the explorer with Wagtail's success message
    assert not problems, "\n".join(problems)
    published = StandardPage.objects.get(title="Årsmøde på Ærø")
    assert published.live
    assert published.slug == "aarsmoede-paa-aeroe"
    assert published.url.endswith("/om-netvaerket/aarsmoede-paa-aeroe/")
    page.goto(f"{base}{published.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Årsmøde på Ærø")
