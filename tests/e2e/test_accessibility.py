"""axe-core over every public page and form state, at 1280, 390 and 320 px (issue 13).

Each (user, page state) below is one test, so a failure names the page and who saw it.
The test opens the page as that person (forms with errors are submitted as a person
would), then for each width resizes the viewport and runs axe-core (WCAG 2.0/2.1, A and
AA, and axe's best practices; tests/e2e/axe.py); at 320 px it also checks that nothing
scrolls sideways (element boxes, not only the page's width). A test
fails with every problem it found at every width, each with its rule, impact, selector
and help text.

The pages come from the demo content (`load_demo`) plus a few states the demo lacks
(tests/e2e/accessibility_seed.py), served by the matrix's own server: `runserver` with
the test settings on a copy of the migrated test database (SQLite), on a port in
8900-8929, started once for the module and stopped at its end. One Chromium, one page
per user, logged in once.

To add a page state: add a `State` to STATES (its path, who sees it, a text that proves
the page shows that state, and the action that brings it about, e.g. `submit_empty`).
docs/accessibility.md says what axe cannot see and which journeys cover that.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.axe import axe_script, axe_violations, describe_violations, sideways_overflow

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(8900, 8930)
WIDTHS = (1280, 390, 320)
HEIGHT = 800

ANONYMOUS, MEMBER, HOUSING, NON_MEMBER = "anonymous", "member", "housing", "non-member"
# The demo accounts (`manage.py load_demo --print-accounts`).
ACCOUNTS = {
    MEMBER: ("medlem@aarhus.dk", "Medlem-demo-2026"),
    HOUSING: ("udlejning@bf-oestjylland.example", "Bolig-demo-2026"),
    NON_MEMBER: ("boligchef@esbjerg.dk", "Esbjerg-demo-2026"),
}
# The same people reading the site in English (the footer's language switch sets
# Django's language cookie; these pages have it from the start).
ANONYMOUS_EN, MEMBER_EN = "anonymous-in-english", "member-in-english"
ACCOUNTS[MEMBER_EN] = ACCOUNTS[MEMBER]
EVERYONE = (ANONYMOUS, MEMBER, HOUSING, NON_MEMBER)
LOGGED_IN = (MEMBER, HOUSING, NON_MEMBER)

NETWORK = "/kommunernes-netvaerk-for-udsatte-boligomraader/"
REQUIRED = "Dette felt er påkrævet"


def submit(
    form: str, fill: dict[str, str] | None = None, button: str = "button[type=submit]"
) -> Callable[[Page], None]:
    """Fill some fields of `form` (a selector) and press its (first) submit button, as a
    person who gets something wrong would; the page that comes back shows the errors."""

    def act(page: Page) -> None:
        target = page.locator(form).first
        for name, value in (fill or {}).items():
            target.locator(f"[name={name}]").fill(value)
        with page.expect_navigation():
            target.locator(button).first.click()

    return act


def submit_empty(form: str, button: str = "button[type=submit]") -> Callable[[Page], None]:
    return submit(form, button=button)


def questionnaire_step(number: int, *, with_errors: bool = False) -> Callable[[Page], None]:
    """The questionnaire's steps: "Næste" from step 1 saves a draft and opens step 2 (or,
    pressed again with nothing chosen, shows its errors); steps 3 and 4 are opened by
    their address, and "Send svar" on step 4 lists every missing answer."""

    def act(page: Page) -> None:
        with page.expect_navigation():
            page.locator("main button[value=next]").click()
        if number == 2 and not with_errors:
            return
        if number == 2:
            with page.expect_navigation():
                page.locator("main button[value=next]").click()
            return
        page.goto(re.sub(r"\?.*", "", page.url) + f"?trin={number}")
        if with_errors:
            with page.expect_navigation():
                page.locator("main button[value=send]").click()

    return act


@dataclass(frozen=True)
class State:
    key: str
    path: str  # an address, or "{name}" for one accessibility_seed made
    users: tuple[str, ...]
    shows: str  # a text on the page that proves it is in this state
    act: Callable[[Page], None] | None = None
    status: int = 200
    widths: tuple[int, ...] = WIDTHS


def open_the_menu(page: Page) -> None:
    """On a phone the main menu is behind DKFDS's "Menu" button, in a drawer that is a
    modal dialog (DKFDS keeps the focus in it until it is closed)."""
    page.get_by_role("button", name="Menu").click()
    drawer = page.get_by_role("dialog", name="Menu")
    expect(drawer.get_by_role("navigation", name="Hovedmenu")).to_be_visible()
    # The drawer slides in from the right (a 0.3 s CSS animation): measure it once it is in.
    drawer.evaluate("el => Promise.all(el.getAnimations().map((a) => a.finished))")


STATES = [
    State("home", "/", EVERYONE, "Kommunernes Netværk"),
    State(
        "phone-menu-open",
        "/",
        (ANONYMOUS, MEMBER),
        "Kommunernes Netværk",
        open_the_menu,
        widths=(390, 320),
    ),
    State("news-list", "/nyheder/", (ANONYMOUS,), "Nyheder"),
    State("news-page", "/nyheder/aarets-sidste-netvaerksmoede-2021/", (ANONYMOUS,), "2021"),
    State("content-page", "/om-netvaerket/", (ANONYMOUS,), "Om netværket"),
    State("resource-index", "/inspiration/", (ANONYMOUS, MEMBER), "Inspiration"),
    State("resource-page", "/inspiration/saadan-indgaar-i-en-aftale/", (ANONYMOUS,), "aftale"),
    State("search-results", "/soeg/?q=aftale", (ANONYMOUS, MEMBER), "aftale"),
    State("search-no-results", "/soeg/?q=xylofonkvartet", (ANONYMOUS,), "xylofonkvartet"),
    # The network page with its list of meetings.
    State("network-page", NETWORK, (ANONYMOUS, MEMBER, NON_MEMBER), "Kommende møder"),
    # An upcoming meeting's registration box: open (member, non-member's trial, the
    # others), registered, full, on the waitlist, members only.
    State("meeting-open", "{upcoming_meeting}", EVERYONE, "Fleksibel udlejning"),
    State("meeting-registered", "{registered_meeting}", (MEMBER,), "Du er tilmeldt"),
    State("meeting-full", "{full_meeting}", (MEMBER,), "0 ledige pladser"),
    State("meeting-waitlisted", "{waitlisted_meeting}", (MEMBER,), "venteliste"),
    State("meeting-pending-approval", "{pending_meeting}", (MEMBER,), "afventer"),
    State("meeting-members-only", "{members_only_meeting}", (NON_MEMBER,), "medlemmer"),
    State(
        "meeting-2021-programme",
        NETWORK + "3-netvaerksmoede-2021/",
        (ANONYMOUS, MEMBER),
        "Boligsocial monitorering",
    ),
    State("registration-form", "{register}", (MEMBER,), "Tilmeld"),
    State("registration-form-trial", "{register}?proeve=1", (NON_MEMBER,), "Tilmeld"),
    State(
        "registration-form-errors",
        "{register}",
        (MEMBER,),
        REQUIRED,
        submit_empty("main form:has(button[type=submit])"),
    ),
    State("send-to-colleague", "{send_colleague}", (MEMBER,), "kollega"),
    State(
        "send-to-colleague-errors",
        "{send_colleague}",
        (MEMBER,),
        REQUIRED,
        submit_empty("main form:has([name=colleague])"),
    ),
    State("offer", "{offer}", (MEMBER,), "plads"),
    State("cancel", "{cancel}", (MEMBER,), "Afmeld"),
    State("cancel-by-link", "{cancel_by_token}", (ANONYMOUS,), "Afmeld"),
    State("evaluation-form", "{evaluation}", (ANONYMOUS,), "Evaluering"),
    State(
        "evaluation-form-errors",
        "{evaluation}",
        (ANONYMOUS,),
        "Fejl: Vælg en vurdering",
        submit_empty("main form:has([name=overall])"),
    ),
    State("library", "/aftalebibliotek/", (ANONYMOUS, MEMBER, NON_MEMBER), "Aftalebibliotek"),
    State("party-consent", "{party_consent}", (ANONYMOUS,), "Må aftalen deles?"),
    State(
        "party-consent-errors",
        "{party_consent}",
        (ANONYMOUS,),
        "Ret følgende",
        submit_empty("main form[method=post]"),
    ),
    State("agreement", "/aftalebibliotek/1/", (ANONYMOUS, MEMBER), "Aftale"),
    State("national-overview", "/landsoverblik/", (ANONYMOUS,), "Kort over Danmarks kommuner"),
    State("agreement-call", "/indberet-aftaler/", (ANONYMOUS, HOUSING), "aftale"),
    # The questionnaire in its steps (a draft is saved from step 2 on).
    State("questionnaire", "/indberet-aftaler/svar/", (HOUSING,), "Trin 1 af 4"),
    State(
        "questionnaire-step-2",
        "/indberet-aftaler/svar/",
        (HOUSING,),
        "Trin 2 af 4",
        questionnaire_step(2),
    ),
    State(
        "questionnaire-step-2-errors",
        "/indberet-aftaler/svar/",
        (HOUSING,),
        "Vælg kommunen",
        questionnaire_step(2, with_errors=True),
    ),
    State(
        "questionnaire-step-3",
        "/indberet-aftaler/svar/",
        (HOUSING,),
        "Trin 3 af 4",
        questionnaire_step(3),
    ),
    State(
        "questionnaire-check-and-send-errors",
        "/indberet-aftaler/svar/",
        (HOUSING,),
        "Vælg, hvad vi må dele",
        questionnaire_step(4, with_errors=True),
    ),
    State("membership-signup", "/netvaerk/tilmelding/", (NON_MEMBER,), "Tilmeld"),
    State(
        "membership-signup-errors",
        "/netvaerk/tilmelding/",
        (NON_MEMBER,),
        "Skriv det EAN-nummer",
        submit_empty("main form[method=post]"),
    ),
    State("signup-done", "{signup_done}", (MEMBER,), "Jeres tilmelding"),
    State("renew", "{renew}", (MEMBER,), "Forny"),
    State("renew-cancel", "{renew_cancel}", (MEMBER,), "Opsig"),
    State("members-directory", "{directory}", (MEMBER,), "Aarhus Kommune"),
    State("my-page", "/min-side/", LOGGED_IN, "Min side"),
    State(
        "my-page-errors",
        "/min-side/",
        (MEMBER,),
        REQUIRED,
        submit("main form:has([name=first_name])", {"first_name": "", "last_name": ""}),
    ),
    State("my-data", "/min-side/mine-data/", (MEMBER,), "Mine data"),
    State("delete-account", "/min-side/slet-konto/", (MEMBER,), "Slet"),
    State("login", "/konto/login/", (ANONYMOUS,), "Log ind"),
    State(
        "login-errors",
        "/konto/login/",
        (ANONYMOUS,),
        "forkert",
        submit("main form", {"login": "medlem@aarhus.dk", "password": "forkert-kodeord"}),
    ),
    State("signup", "/konto/signup/", (ANONYMOUS,), "Opret"),
    State("signup-errors", "/konto/signup/", (ANONYMOUS,), REQUIRED, submit_empty("main form")),
    State("password-reset", "/konto/password/reset/", (ANONYMOUS,), "adgangskode"),
    State(
        "password-reset-errors",
        "/konto/password/reset/",
        (ANONYMOUS,),
        REQUIRED,
        submit_empty("main form"),
    ),
    State(
        "accessibility-statement",
        "/tilgaengelighedserklaering/",
        (ANONYMOUS,),
        "Tilgængelighedserklæring",
    ),
    State("privacy", "/privatlivspolitik/", (ANONYMOUS,), "Privatlivspolitik"),
    State("not-found", "/findes-ikke/", (ANONYMOUS, MEMBER), "ikke fundet", status=404),
    # English mode: the interface in English around the Danish content.
    State("home-en", "/", (ANONYMOUS_EN,), "Kommunernes Netværk"),
    State("meeting-open-en", "{upcoming_meeting}", (ANONYMOUS_EN, MEMBER_EN), "Registration"),
    State("meeting-2021-en", NETWORK + "3-netvaerksmoede-2021/", (MEMBER_EN,), "Programme"),
    State(
        "registration-form-errors-en",
        "{register}",
        (MEMBER_EN,),
        "This field is required",
        submit_empty("main form:has(button[type=submit])"),
    ),
    State("library-en", "/aftalebibliotek/", (ANONYMOUS_EN, MEMBER_EN), "Aftalebibliotek"),
    State("national-overview-en", "/landsoverblik/", (ANONYMOUS_EN,), "Map"),
    State("my-page-en", "/min-side/", (MEMBER_EN,), "My page"),
    State(
        "login-errors-en",
        "/konto/login/",
        (ANONYMOUS_EN,),
        "not correct",
        submit("main form", {"login": "medlem@aarhus.dk", "password": "forkert-kodeord"}),
    ),
    State(
        "signup-errors-en",
        "/konto/signup/",
        (ANONYMOUS_EN,),
        "This field is required",
        submit_empty("main form"),
    ),
]

CASES = [(user, state) for state in STATES for user in state.users]

_checked: list[str] = []


# --- The matrix's own server -------------------------------------------------------------


def _free_port() -> int:
    for port in PORTS:
        with contextlib.closing(socket.socket()) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1}")


def _python(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _copy_test_database(folder: Path, django_db_blocker) -> Path | None:
    """The test database is migrated already: on SQLite, copy it (and what migrations put
    in it) for the server, which saves migrating a second database. None otherwise."""
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if connection.vendor != "sqlite" or contents is None:
        return None
    with django_db_blocker.unblock():
        source = sqlite3.connect(connection.settings_dict["NAME"])
        target = sqlite3.connect(folder / "site.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
    serialized = folder / "serialized.json"
    serialized.write_text(contents)
    return serialized


@pytest.fixture(scope="module")
def site(request, tmp_path_factory, django_db_setup, django_db_blocker):
    """(base URL, the seeded addresses) of a server with the demo content."""
    axe_script()  # fail at once, loudly, when axe-core is not installed
    folder = tmp_path_factory.mktemp("accessibility")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "TEST_TMP_DIR": str(folder),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    serialized = _copy_test_database(folder, django_db_blocker)
    prepared = _python(
        env, "-m", "tests.e2e.accessibility_seed", *([str(serialized)] if serialized else [])
    )
    addresses = json.loads(prepared.splitlines()[-1])
    port = _free_port()
    log = open(folder / "server.log", "wb")  # noqa: SIM115 (closed when the server stops)
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "server.log").read_text(errors="replace")[-2000:])
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                break
            time.sleep(0.2)
        yield base, addresses
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        log.close()
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(
                f"\nerfa accessibility: {len({key.split(' @ ')[0] for key in _checked})} "
                f"(user, page state) pairs of {len(CASES)} checked: {len(_checked)} axe-core "
                f"runs at {'/'.join(map(str, WIDTHS))} px and "
                f"{sum(key.endswith('@ 320') for key in _checked)} sideways checks at 320 px"
            )


@pytest.fixture(scope="module")
def pages(browser, site):
    """A page per user, logged in on first use; closed at the end of the module."""
    base, _ = site
    opened: dict[str, Page] = {}

    def page_for(user: str) -> Page:
        if user not in opened:
            context = browser.new_context(
                # axe-core is injected as a script tag; the site's CSP forbids inline scripts.
                bypass_csp=True,
                locale="da-DK",
                timezone_id="Europe/Copenhagen",
                viewport={"width": WIDTHS[0], "height": HEIGHT},
            )
            if user in (ANONYMOUS_EN, MEMBER_EN):
                context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
            page = context.new_page()
            if user not in (ANONYMOUS, ANONYMOUS_EN):
                email, password = ACCOUNTS[user]
                page.goto(f"{base}/konto/login/")
                page.fill("input[name=login]", email)
                page.fill("input[name=password]", password)
                page.locator("main form button[type=submit]").first.click()
                expect(
                    page.get_by_role("button", name=re.compile("^(Log ud|Log out)$"))
                ).to_be_visible()
            opened[user] = page
        return opened[user]

    yield page_for
    for page in opened.values():
        page.context.close()


# --- The matrix -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "state"), CASES, ids=[f"{state.key}-as-{user}" for user, state in CASES]
)
def test_no_axe_violations_and_nothing_scrolls_sideways(site, pages, user, state):
    base, addresses = site
    path = state.path.format(**addresses)
    page = pages(user)
    page.set_viewport_size({"width": state.widths[0], "height": HEIGHT})
    response = page.goto(base + path)
    assert response.status == state.status, f"{path} answered {response.status}"
    if state.act:
        state.act(page)
    expect(page.locator("main")).to_contain_text(re.compile(re.escape(state.shows), re.I))

    problems = []
    for width in state.widths:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        violations = axe_violations(page)
        _checked.append(f"{user} {state.key} @ {width}")
        if violations:
            problems.append(f"at {width} px, axe-core found:\n{describe_violations(violations)}")
        if width == 320:
            overflow = sideways_overflow(page)
            if overflow:
                problems.append("at 320 px, sticking out sideways:\n  " + "\n  ".join(overflow))
    assert not problems, f"{state.key} as {user} ({page.url}):\n" + "\n".join(problems)


def test_the_checks_find_what_they_look_for(browser):
    """The matrix's two checks, on a page made to fail them: axe-core reports an image
    without a text alternative and grey-on-white text; the 320 px check finds a box that
    DKFDS's body{overflow-x:hidden} cuts off (no scroll bar leads to it) and a wide
    table in a scroll box the keyboard cannot reach, but accepts one in a box it can."""
    page = browser.new_context(viewport={"width": 320, "height": HEIGHT}).new_page()
    page.set_content(
        """<!doctype html><html lang="da"><head><title>Prøve</title>
        <style>body { overflow-x: hidden; margin: 0 } .wide { width: 400px }
        .scroll { overflow-x: auto }</style></head>
        <body><main><h1>Prøve</h1>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">
        <p style="color: #bbb">Svag tekst</p>
        <p class="wide" id="for-wide">For bred</p>
        <div class="scroll" id="unreachable"><table class="wide"><tr><td>Tal</td></tr></table></div>
        <div class="scroll" tabindex="0" role="region" aria-label="Tabel">
          <table class="wide" id="reachable"><tr><td>Tal</td></tr></table></div>
        </main></body></html>"""
    )
    assert {violation["id"] for violation in axe_violations(page)} >= {
        "image-alt",
        "color-contrast",
    }
    problems = "\n".join(sideways_overflow(page))
    assert "the page is 400 px wide" in problems
    assert "main > p#for-wide.wide: right edge at 400 px" in problems
    assert "in a scroll box the keyboard cannot reach (main > div#unreachable.scroll)" in problems
    assert "table#reachable" not in problems
    page.context.close()
