"""Accounts as a visitor meets them: sign-up, verification e-mail, login, Min side."""

import datetime
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from portal import emails
from portal.models import OutgoingEmail, User
from tests.form_markup import check_form_page
from tests.mailserver import assert_retrying_and_logged

from .conftest import PASSWORD

SIGNUP = {
    "first_name": "Sofie",
    "last_name": "Sørensen",
    "job_title": "Boligsocial konsulent",
    "email": "sofie@odense.dk",
    "password1": "Et-godt-kodeord-2026",
    "password2": "Et-godt-kodeord-2026",
}


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sign_up_verify_log_in_and_edit_profile(
    client, home_page, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get("/konto/signup/")
    assert page.status_code == 200
    assert "Opret konto" in page.content.decode()

    # allauth's e-mail is queued on commit (portal/emails.py); the test transaction
    # never commits, so the callbacks are run here.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit("/konto/signup/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert not is_logged_in(client)
    sent = client.get(response["Location"]).content.decode()
    assert "Bekræft din e-mailadresse" in sent
    assert "Vi har sendt dig en e-mail" in sent

    user = User.objects.get(email="sofie@odense.dk")
    assert (user.first_name, user.last_name, user.job_title) == (
        "Sofie",
        "Sørensen",
        "Boligsocial konsulent",
    )
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["sofie@odense.dk"]
    assert message.subject == "[Erfa-netværk] Bekræft din e-mailadresse"
    assert "Bekræft adressen ved at åbne dette link:" in message.body
    assert "kontoen tilhørende Sofie Sørensen" in message.body
    assert "Venlig hilsen" in message.body

    link = confirmation_path(message)
    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "Bekræft e-mailadresse" in confirm_page.content.decode()
    confirmed = client.submit_form(link, action_prefix="/konto/confirm-email/")
    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/min-side/"
    assert EmailAddress.objects.get(user=user).verified
    assert is_logged_in(client)

    my_page = client.get("/min-side/").content.decode()
    assert "Min side" in my_page
    assert 'value="Sofie"' in my_page
    saved = client.submit(
        "/min-side/",
        {
            "first_name": "Sofie",
            "last_name": "Sørensen",
            "job_title": "Projektleder",
            "phone": "65 51 00 00",
        },
        follow=True,
    )
    assert "Din profil er gemt." in saved.content.decode()
    user.refresh_from_db()
    assert (user.job_title, user.phone) == ("Projektleder", "65 51 00 00")


def test_login_is_refused_until_the_address_is_confirmed(client, home_page, mailoutbox):
    client.submit("/konto/signup/", SIGNUP)
    client.logout()

    response = client.submit(
        "/konto/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/confirm-email/"
    assert not is_logged_in(client)
    assert client.get("/min-side/")["Location"].startswith("/konto/login/")


def test_confirmation_link_works_from_another_browser_then_login(
    client, home_page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.submit("/konto/signup/", SIGNUP)
    link = confirmation_path(mailoutbox[0])
    client.logout()  # e.g. the mail is opened on a phone

    client.submit_form(link, action_prefix="/konto/confirm-email/")
    response = client.submit(
        "/konto/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert response["Location"] == "/min-side/"
    assert is_logged_in(client)


def test_wrong_password_gives_a_clear_danish_error(client, home_page, member):
    response = client.submit("/konto/login/", {"login": member.email, "password": "forkert-kode"})
    assert response.status_code == 200
    assert "E-mailadressen og/eller adgangskoden er forkert." in response.content.decode()
    assert not is_logged_in(client)
    # A non-field error: in the summary, which links nothing (no field is wrong alone).
    soup = check_form_page(response, errors=True)
    summary = soup.select_one('[data-module="error-summary"]')
    assert "E-mailadressen og/eller adgangskoden er forkert." in summary.get_text()


def test_malformed_email_gives_clear_danish_errors(client, home_page):
    login = client.submit("/konto/login/", {"login": "ikke-en-adresse", "password": "x"})
    assert "Indtast en gyldig e-mail-adresse." in login.content.decode()
    soup = check_form_page(login, errors=True)
    assert [a["href"] for a in soup.select('[data-module="error-summary"] a')] == ["#id_login"]

    signup = client.submit("/konto/signup/", {**SIGNUP, "email": "sofie@", "first_name": ""})
    html = signup.content.decode()
    assert signup.status_code == 200
    assert "Indtast en gyldig e-mail-adresse." in html
    assert "Dette felt er påkrævet." in html
    assert not User.objects.filter(first_name="Sofie").exists()
    soup = check_form_page(signup, errors=True)
    hrefs = [a["href"] for a in soup.select('[data-module="error-summary"] a')]
    assert hrefs == ["#id_first_name", "#id_email"]
    assert soup.find("label", attrs={"for": "id_job_title"}).get_text(" ", strip=True) == (
        "Stilling (frivilligt)"
    )


def test_weak_or_mismatched_password_is_explained_in_danish(client, home_page):
    short = client.submit("/konto/signup/", {**SIGNUP, "password1": "kort", "password2": "kort"})
    assert "Den skal indeholde mindst 10 tegn" in short.content.decode()
    mismatch = client.submit("/konto/signup/", {**SIGNUP, "password2": "Et-andet-kodeord-99"})
    assert "Du skal skrive den samme adgangskode hver gang." in mismatch.content.decode()
    assert not User.objects.exists()


def test_repeated_wrong_passwords_are_rate_limited(client, home_page, member):
    for _attempt in range(5):
        client.submit("/konto/login/", {"login": member.email, "password": "forkert-kode"})
    blocked = client.submit("/konto/login/", {"login": member.email, "password": PASSWORD})
    assert "For mange mislykkede forsøg på at logge ind. Prøv igen senere." in (
        blocked.content.decode()
    )
    assert not is_logged_in(client)


def test_password_reset_mail_lets_the_person_choose_a_new_password(
    client, home_page, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit("/konto/password/reset/", {"email": member.email})
    assert response["Location"] == "/konto/password/reset/done/"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "[Erfa-netværk] Vælg en ny adgangskode"
    assert "Vælg en ny adgangskode ved at åbne dette link:" in message.body
    link = re.search(r"https?://[^/\s]+(/konto/password/reset/key/[^\s]+/)", message.body)[1]

    form = client.get(link, follow=True)
    assert re.search(r"<h1>\s*Skift adgangskode\s*</h1>", form.content.decode())
    changed = client.submit(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "Nyt-kodeord-2026!", "password2": "Nyt-kodeord-2026!"},
    )
    assert changed.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Nyt-kodeord-2026!")


def test_password_reset_for_an_unknown_address_says_so_by_mail_only(
    client, home_page, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit("/konto/password/reset/", {"email": "ukendt@example.org"})
    # The page does not reveal whether the address has an account; the mail does.
    assert response["Location"] == "/konto/password/reset/done/"
    assert mailoutbox[0].subject == "[Erfa-netværk] Ingen konto med denne e-mailadresse"


def test_change_password_from_min_side(client, home_page, member):
    client.force_login(member)
    assert "/konto/password/change/" in client.get("/min-side/").content.decode()
    wrong = client.submit(
        "/konto/password/change/",
        {
            "oldpassword": "forkert",
            "password1": "Nyt-kodeord-2026!",
            "password2": "Nyt-kodeord-2026!",
        },
    )
    assert "Indtast din nuværende adgangskode." in wrong.content.decode()
    right = client.submit(
        "/konto/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "Nyt-kodeord-2026!",
            "password2": "Nyt-kodeord-2026!",
        },
        follow=True,
    )
    assert "Din adgangskode er ændret." in right.content.decode()
    member.refresh_from_db()
    assert member.check_password("Nyt-kodeord-2026!")


def test_profile_requires_a_name(client, home_page, member):
    client.force_login(member)
    response = client.submit("/min-side/", {"first_name": "", "last_name": "Medlem"})
    assert response.status_code == 200
    assert "Dette felt er påkrævet." in response.content.decode()
    member.refresh_from_db()
    assert member.first_name == "Mads"


def test_min_side_asks_anonymous_visitors_to_log_in(client, home_page):
    response = client.get("/min-side/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/min-side/"


def test_logout_is_a_post_and_ends_the_session(client, home_page, member):
    client.force_login(member)
    page = client.get("/").content.decode()
    assert 'action="/konto/logout/"' in page
    assert "Log ud" in page
    response = client.submit("/konto/logout/")
    assert response.status_code == 302
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/konto/login/", "Log ind"),
        ("/konto/signup/", "Opret konto"),
        ("/konto/password/reset/", "Nulstil adgangskode"),
        ("/konto/password/reset/done/", "Nulstil adgangskode"),
        ("/konto/confirm-email/", "Bekræft din e-mailadresse"),
        ("/konto/confirm-email/ugyldig-noegle/", "Bekræft e-mailadresse"),
        ("/konto/password/reset/key/1-ugyldig/", "Ugyldigt link"),
    ],
)
def test_anonymous_account_pages_use_the_site_layout_in_danish(client, site_settings, url, heading):
    response = client.get(url, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="da">' in html
    assert 'class="skip-link"' in html and '<main id="main"' in html
    assert "Weidekampsgade 10" in html  # the site's footer
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", html), html


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/konto/email/", "E-mailadresser"),
        ("/konto/password/change/", "Skift adgangskode"),
        ("/konto/logout/", "Log ud"),
    ],
)
def test_logged_in_account_pages_use_the_site_layout_in_danish(
    client, site_settings, member, url, heading
):
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "Weidekampsgade 10" in html
    assert re.search(rf"<h1>\s*{re.escape(heading)}\s*</h1>", html), html


def test_every_account_form_field_has_a_visible_label(client, home_page):
    for url in ("/konto/login/", "/konto/signup/", "/konto/password/reset/"):
        html = client.get(url).content.decode()
        inputs = re.findall(r'<input[^>]*type="(?:text|email|password)"[^>]*id="([^"]+)"', html)
        assert inputs, url
        for input_id in inputs:
            assert re.search(f'<label[^>]*for="{input_id}"', html), (url, input_id)


def test_signing_up_with_a_taken_address_creates_nothing_and_mails_the_owner(
    client, home_page, member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit("/konto/signup/", {**SIGNUP, "email": member.email})
    # allauth does not reveal that the address is taken; it mails the owner instead.
    assert response["Location"] == "/konto/confirm-email/"
    assert User.objects.filter(email=member.email).count() == 1
    assert [m.subject for m in mail.outbox] == ["[Erfa-netværk] Du har allerede en konto"]


def test_a_mail_server_outage_does_not_turn_a_sign_up_into_an_error(
    client, home_page, failing_mail_server, caplog, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit("/konto/signup/", SIGNUP, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/konto/confirm-email/"
    assert "Vi har sendt dig en e-mail" in response.content.decode()
    assert User.objects.filter(email="sofie@odense.dk").exists()
    (row,) = assert_retrying_and_logged(caplog, {"sofie@odense.dk"})
    assert row.subject == "[Erfa-netværk] Bekræft din e-mailadresse"
    assert mail.outbox == []

    # The mail server is back: the retry, when due, delivers the same message once.
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=61)):
        assert emails.retry_due_emails() == 1
        assert emails.retry_due_emails() == 0
    (message,) = mail.outbox
    assert message.subject == "[Erfa-netværk] Bekræft din e-mailadresse"
    assert message.extra_headers["Message-ID"].startswith(f"<{row.pk}@")
    confirmed = client.submit_form(
        confirmation_path(message), action_prefix="/konto/confirm-email/"
    )
    assert confirmed["Location"] == "/min-side/"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.message) == (OutgoingEmail.Status.SENT, 2, {})
