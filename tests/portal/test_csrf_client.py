"""The test client of tests/csrf.py, and what a person sees when the CSRF check refuses
a form.

The client enforces CSRF as a browser session meets it, so these tests show it catches a
form rendered without `{% csrf_token %}`, refuses a token-less request, and posts a real
site form the way a person does.
"""

import pytest

from .conftest import PASSWORD

LOGIN = "/konto/login/"


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.urls("tests.portal.csrf_urls")
def test_submit_fails_clearly_on_a_form_without_a_token(client, home_page, member):
    with pytest.raises(AssertionError) as refused:
        client.submit(
            LOGIN,
            {"login": member.email, "password": PASSWORD},
            page="/formular-uden-token/",
        )
    assert str(refused.value) == (
        "The form on /formular-uden-token/ that sends to /konto/login/ has no CSRF token"
    )
    assert not logged_in(client)


def test_submit_fails_clearly_when_the_page_has_no_form_for_the_action(client, home_page):
    with pytest.raises(AssertionError) as refused:
        client.submit(LOGIN, {"login": "x@example.org", "password": "x"}, page="/soeg/")
    assert str(refused.value) == (
        "No POST form on /soeg/ sends to /konto/login/ (POST forms: ['/i18n/setlang/'])"
    )


def test_submit_fails_clearly_when_the_page_does_not_open(client, home_page):
    with pytest.raises(AssertionError, match=r"Opening /findes-ikke/ answered 404, not 200"):
        client.submit(LOGIN, {}, page="/findes-ikke/")


def test_a_raw_post_without_a_token_is_refused(client, home_page, member):
    response = client.post(LOGIN, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 403
    assert not logged_in(client)


def test_a_made_up_token_is_refused(client, home_page, member):
    client.get(LOGIN)  # the session has a CSRF cookie; the token below is not its own
    response = client.post(
        LOGIN,
        {"login": member.email, "password": PASSWORD, "csrfmiddlewaretoken": "x" * 64},
    )
    assert response.status_code == 403
    assert not logged_in(client)


def test_submit_logs_in_through_the_real_login_form(client, home_page, member):
    response = client.submit(LOGIN, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/min-side/"
    assert logged_in(client)


def test_the_session_token_from_another_page_is_valid_for_any_form(client, home_page, member):
    # Why client.post_with_token is honest: Django's token belongs to the session, so
    # the sign-up form's token is good for the login form too.
    response = client.post_with_token(
        LOGIN, {"login": member.email, "password": PASSWORD}, page="/konto/signup/"
    )
    assert response.status_code == 302
    assert logged_in(client)


def test_a_refused_form_shows_the_danish_page_in_the_site_layout(
    client, home_page, site_settings, member
):
    response = client.post(LOGIN, {"login": member.email, "password": PASSWORD})
    html = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="da">' in html
    assert "<title>Formularen kunne ikke sendes · Erfa-netværket</title>" in html
    assert "<h1>Formularen kunne ikke sendes</h1>" in html
    assert "Gå tilbage, genindlæs siden, og prøv igen." in html
    assert '<a class="brand" href="/">Erfa-netværket</a>' in html  # the site's header
    assert "Weidekampsgade 10" in html  # and footer
    assert "CSRF" not in html and "Forbidden" not in html
    # The way on works as the page says: reload the form (a fresh token) and send again.
    response = client.submit(LOGIN, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302
    assert logged_in(client)
