"""Logging in through the real pages, second factor included.

Everyone who can enter the admin must sign in with a second factor. A journey's staff
member has none when the test starts, so `pass_second_factor` sets one up the way a
person does: the setup page asks for the password again, shows the secret, and takes a
code computed from it (tests/mfa.py computes codes as an authenticator app does). A
person who already has one types the code at the login's second step.
"""

from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from portal.access import must_use_mfa
from portal.models import User
from tests.mfa import secret_of, totp_code

LOGIN = "/konto/login/"
AUTHENTICATE = "/konto/2fa/authenticate/"
ACTIVATE = "/konto/2fa/totp/activate/"
RECOVERY_CODES = "/konto/2fa/recovery-codes/"

# The journeys' staff password (the `coordinator` fixture in tests/e2e/conftest.py).
STAFF_PASSWORD = "Et-langt-kodeord-2026"


def _base(page) -> str:
    scheme, rest = page.url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}"


def type_code(page, email: str) -> None:
    """The login's second step: a code from the person's authenticator. A code is
    accepted once; the next 30-second step's code is valid too, so a second login within
    the same step types that one."""
    secret = secret_of(User.objects.get(email=email))
    for step in (0, 1):
        page.locator("input[name=code]").fill(totp_code(secret, step=step))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        if AUTHENTICATE not in page.url:
            return
    raise AssertionError("The authenticator code was refused twice")


def set_up_totp(page, password: str) -> str:
    """Set up an authenticator app from the setup page, as a person does; returns the
    secret read from the page."""
    page.goto(_base(page) + ACTIVATE)
    if "/reauthenticate/" in page.url:
        page.locator("input[name=password]").fill(password)
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("#authenticator_secret")).to_be_visible()
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: RECOVERY_CODES in url)
    return secret


def pass_second_factor(page, email: str, password: str, next_path: str | None = None) -> None:
    """Call right after the password form was submitted."""
    page.wait_for_url(lambda url: LOGIN not in url)
    if AUTHENTICATE in page.url:
        type_code(page, email)
        return
    person = User.objects.get(email=email)
    has_factor = Authenticator.objects.filter(user=person, type="totp").exists()
    if must_use_mfa(person) and not has_factor:
        set_up_totp(page, password)
        if next_path:
            page.goto(_base(page) + next_path)


def log_in(page, base: str, email: str, password: str, next_path: str | None = None) -> None:
    page.goto(f"{base}{LOGIN}" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").first.click()
    pass_second_factor(page, email, password, next_path)
