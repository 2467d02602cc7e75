"""The crawler: every demo role walks the site the way a person clicks through it.

With the demo content loaded (`manage.py load_demo`), each demo account logs in and
follows links breadth-first (bounded; see tests/portal/crawler.py):

- the editor: every link reachable from the admin's menu and dashboard, every page's
  edit view and its live preview (the form posted to the preview URL, as the preview
  panel does, then rendered) and its draft view. Any 5xx or 403 fails, and so does any
  English from tests/portal/english_in_admin.py in what the admin shows.
- the member: every public page reachable from the home page, and "Min side". A 5xx or
  a 403 fails.
- everyone else (visitor, non-member, pending member, housing organisation): the same
  walk; a 5xx fails, and "Min side" must open.

Each test reports every problem it found at once, with the page that linked there.
"""

import pytest
from django.core.management import call_command
from wagtail.models import Page

from portal.demo import all_demo_accounts
from portal.models import User

from .crawler import crawl
from .english_in_admin import english_in

EDITOR = "redaktoer@erfa.example"
MEMBER = "medlem@aarhus.dk"
# Admin screens for whoever sets the site up (a superuser), where English remains that
# cannot come from a catalogue: Django's permission names are database rows
# ("Wagtail core | side | Publish any page"), and Wagtail's workflow form declares its
# "Page" field without a label. Editors running meetings and reviews never open these.
ENGLISH_KEPT = {
    "/admin/groups/": ("Delete pages with children", "Publish any page", "Wagtail (", "Page"),
    "/admin/workflows/": ("Page",),
}


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def log_in(client, email: str):
    client.force_login(User.objects.get(email=email))
    return client


def english_problems(url: str, html: str) -> list[str]:
    kept = next((texts for prefix, texts in ENGLISH_KEPT.items() if url.startswith(prefix)), ())
    ignore = tuple(kept)
    return [f"English on {url}: {found}" for found in english_in(html, ignore=ignore)]


def report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_the_editor_reaches_every_admin_screen_without_error_refusal_or_english(demo, client):
    log_in(client, EDITOR)
    # Searches are forms, not links: the crawl starts with one in pages and in listings.
    searches = [
        "/admin/pages/search/?q=netv%C3%A6rksm%C3%B8de",
        "/admin/pages/search/?q=ingenting-her",
        "/admin/snippets/network/organisation/?q=Aarhus",
        "/admin/meetings/registrations/?q=Mads",
        "/admin/images/?q=x",
        "/admin/documents/?q=x",
        "/admin/users/?q=medlem",
    ]
    visits = crawl(client, ["/admin/", *searches], inside="/admin/", limit=700)

    problems = []
    for visit in visits:
        if visit.status >= 500 or visit.status in (403, 404):
            problems.append(f"{visit.status} {visit.url} (linked from {visit.found_on})")
        if visit.html:
            problems += english_problems(visit.url, visit.html)
    reached = {visit.url.split("?")[0] for visit in visits if visit.status == 200}
    # The menu's screens were all reached, not only the dashboard.
    for screen in (
        "/admin/pages/",
        "/admin/images/",
        "/admin/documents/",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/reports/site-history/",
        "/admin/pages/search/",
        "/admin/aftaler/",
        "/admin/meetings/registrations/",
        "/admin/snippets/network/membership/",
    ):
        assert screen in reached, f"the crawl never reached {screen}"
    assert len(visits) > 150
    assert not problems, report(problems)


def test_every_page_opens_in_the_editor_and_previews(demo, client):
    """Edit view, draft view and the preview URL of every page. (The preview panel posts
    the editor's form first; its StreamFields are built by the browser, so the live
    panel is checked in Chromium: tests/e2e/test_admin_danish.py.)"""
    log_in(client, EDITOR)
    client.raise_request_exception = False
    problems = []
    pages = Page.objects.filter(depth__gt=1).specific()
    assert len(pages) >= 14
    for page in pages:
        edit_url = f"/admin/pages/{page.pk}/edit/"
        response = client.get(edit_url)
        if response.status_code != 200:
            problems.append(f"{response.status_code} {edit_url} ({page.title})")
        else:
            problems += english_problems(edit_url, response.content.decode())
        draft_url = f"/admin/pages/{page.pk}/view_draft/"
        draft = client.get(draft_url)
        if draft.status_code != 200 or page.title not in draft.content.decode():
            problems.append(f"{draft.status_code} {draft_url} does not show {page.title}")
        preview_url = f"/admin/pages/{page.pk}/edit/preview/"
        preview = client.get(preview_url)
        if preview.status_code != 200:
            problems.append(f"{preview.status_code} {preview_url} ({page.title})")
        else:
            problems += english_problems(preview_url, preview.content.decode())

    # The "add" form of every page type, under the first demo page that may hold it.
    added = set()
    for parent in pages:
        for model in parent.specific_class.creatable_subpage_models():
            if model in added or not model.can_create_at(parent):
                continue
            added.add(model)
            meta = model._meta
            add_url = f"/admin/pages/add/{meta.app_label}/{meta.model_name}/{parent.pk}/"
            response = client.get(add_url)
            if response.status_code != 200:
                problems.append(f"{response.status_code} {add_url}")
            else:
                problems += english_problems(add_url, response.content.decode())
    assert len(added) >= 6, added  # the others are one-per-site and exist already
    assert not problems, report(problems)


@pytest.mark.parametrize(
    "email", [a["email"] for a in all_demo_accounts() if a.get("role") != "editor"]
)
def test_each_demo_role_walks_the_public_site_and_min_side(demo, client, email):
    log_in(client, email)
    visits = crawl(client, ["/", "/min-side/"], inside="/", limit=250, per_pattern=4)

    problems = []
    for visit in visits:
        if visit.url.startswith(("/admin/", "/django-admin/")):
            continue  # the admin is not theirs; it sends them away
        if visit.status >= 500:
            problems.append(f"{visit.status} {visit.url} (linked from {visit.found_on})")
        if visit.status == 403 and email == MEMBER:
            problems.append(f"403 for the member: {visit.url} (linked from {visit.found_on})")
    min_side = next(visit for visit in visits if visit.url == "/min-side/")
    assert min_side.status == 200
    public = [visit for visit in visits if visit.status == 200 and visit.html]
    assert len(public) > 12, [visit.url for visit in visits]
    assert not problems, report(problems)
