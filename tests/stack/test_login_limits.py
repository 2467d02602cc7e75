"""allauth's login limit ("5/5m/key": five failures in five minutes for one account) is
counted in Redis, shared by both app servers: the sixth attempt is refused whichever
server answers it."""

from tests.stack.browser import Browser, text_of

PASSWORD = "Stak-kodeord-til-test-2026"
REFUSED = "For mange mislykkede forsøg på at logge ind"


def test_the_sixth_login_after_five_failures_is_refused_by_every_app_server(stack):
    email = stack.seed("member", password=PASSWORD)["email"]
    # App server A and B directly, and nginx (which passes it to either).
    servers = [stack.app_urls[0], stack.app_urls[1], stack.url]

    # The control: the right password logs in on each server (and clears nothing yet).
    for server in servers:
        browser = Browser(server)
        assert browser.login(email, PASSWORD).status_code == 302
        assert browser.is_logged_in()

    # Five wrong passwords, spread over the servers, each from a fresh browser: each is
    # an ordinary "wrong password", not yet the limit.
    for attempt in range(5):
        browser = Browser(servers[attempt % 3])
        response = browser.login(email, "forkert-kodeord")
        assert response.status_code == 200, f"attempt {attempt + 1}: {response.status_code}"
        assert REFUSED not in text_of(response.text), f"refused already at attempt {attempt + 1}"
        assert not browser.is_logged_in()

    # The sixth attempt, even with the right password, is refused on every server.
    for server in servers:
        browser = Browser(server)
        response = browser.login(email, PASSWORD)
        assert response.status_code == 200, f"{server} let the sixth attempt through"
        assert REFUSED in text_of(response.text), server
        assert not browser.is_logged_in(), server
