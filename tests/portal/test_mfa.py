"""Two-factor login: staff set it up from Min side and cannot open the admin without it;
members may turn it on. Codes are computed from the secret, as an authenticator app does."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from portal.factories import UserFactory
from tests.csrf import form_token
from tests.mfa import give_authenticator, secret_of, totp_code

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"
AUTHENTICATE = "/konto/2fa/authenticate/"
ACTIVATE = "/konto/2fa/totp/activate/"


@pytest.fixture
def editor(db):
    person = UserFactory(verified=True, email="redaktoer@erfa.example")
    person.groups.add(Group.objects.get(name="Editors"))
    return person


@pytest.fixture
def member(db):
    return UserFactory(verified=True, email="medlem@aarhus.dk")


def password_step(client, person, next_path="/admin/"):
    return client.submit(
        f"{LOGIN}?next={next_path}",
        {"login": person.email, "password": PASSWORD},
        page=f"{LOGIN}?next={next_path}",
    )


def text(response) -> str:
    return response.content.decode()


def test_admin_refuses_a_staff_session_without_a_second_factor(client, home_page, editor):
    client.force_login(editor, mfa=False)
    for path in ["/admin/", "/admin/pages/", "/admin/reports/site-history/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{ACTIVATE}?next={path.replace('/', '%2F')}"
    # allauth asks for the password again before an authenticator is added.
    page = client.get("/admin/", follow=True)
    assert page.redirect_chain[-1][0].startswith("/konto/reauthenticate/")
    assert "Redaktionen kræver to-trins-login" in text(page)


def test_admin_asks_for_a_code_when_the_session_did_not_use_the_second_factor(
    client, home_page, editor
):
    give_authenticator(editor)
    client.force_login(editor, mfa=False)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/2fa/reauthenticate/?next=")
    response = client.submit(
        response["Location"], {"code": totp_code(secret_of(editor))}, page=response["Location"]
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_force_login_in_tests_includes_the_second_factor_for_staff(client, home_page, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


# Transactional: allauth sends `authenticator_added` when the activation commits, as it
# does in production (a plain test never commits).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_staff_member_sets_up_totp_and_enters_the_admin(client, home_page, editor):
    assert password_step(client, editor)["Location"] == "/admin/"
    response = client.get("/admin/")
    assert response["Location"].startswith(ACTIVATE)

    # allauth asks for the password again before an authenticator is added.
    reauthenticate = client.get(response["Location"])
    assert reauthenticate.status_code == 302
    assert reauthenticate["Location"].startswith("/konto/reauthenticate/")
    again = client.submit(
        reauthenticate["Location"], {"password": PASSWORD}, page=reauthenticate["Location"]
    )
    assert again["Location"].startswith(ACTIVATE)
    setup = client.get(ACTIVATE)
    assert "Aktiver autentificeringsapp" in text(setup)  # allauth's page, in Danish
    assert "Slå to-trins-login til: scan QR-koden" in text(setup)
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', text(setup))
    secret = secret or re.search(r'value="([A-Z2-7]{32})"', text(setup))
    assert secret, "the setup page shows the secret to type into the app"
    secret = secret.group(1)

    # Post the form this page shows (opening the page again makes a new secret).
    token = form_token(text(setup), action=ACTIVATE, page=ACTIVATE)
    right = {totp_code(secret, step=step) for step in (-1, 0, 1)}
    wrong_code = next(code for code in ("000000", "123456", "654321") if code not in right)
    wrong = client.post(ACTIVATE, {"code": wrong_code, "csrfmiddlewaretoken": token})
    assert wrong.status_code == 200
    assert "Forkert kode" in text(wrong)
    assert not Authenticator.objects.filter(user=editor).exists()

    done = client.post(ACTIVATE, {"code": totp_code(secret), "csrfmiddlewaretoken": token})
    assert done.status_code == 302
    assert done["Location"] == "/konto/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=editor, type="totp").exists()
    codes_page = client.get(done["Location"])
    assert "Gå til redaktionen" in text(codes_page)
    # Setting it up proved the code: the admin opens in this session.
    assert client.get("/admin/").status_code == 200

    entries = ModelLogEntry.objects.filter(action="portal.mfa.added", object_id=str(editor.pk))
    assert {entry.data["type"] for entry in entries} == {"totp", "recovery_codes"}
    assert {entry.user_id for entry in entries} == {editor.pk}
    assert str(entries[0].message) == "Metode til to-trins-login tilføjet"


def test_login_with_password_and_code(client, home_page, editor):
    give_authenticator(editor)
    response = password_step(client, editor)
    assert response["Location"] == AUTHENTICATE
    assert "_auth_user_id" not in client.session  # not logged in before the code
    response = client.submit(AUTHENTICATE, {"code": totp_code(secret_of(editor))})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_code_does_not_log_in(client, home_page, editor):
    give_authenticator(editor)
    password_step(client, editor)
    right = {totp_code(secret_of(editor), step=step) for step in (-1, 0, 1)}
    wrong = next(code for code in ("123456", "654321", "111111") if code not in right)
    response = client.submit(AUTHENTICATE, {"code": wrong})
    assert response.status_code == 200
    assert "Forkert kode" in text(response)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith(LOGIN)


def test_login_with_a_recovery_code_uses_it_up(client, home_page, editor):
    give_authenticator(editor)
    codes = RecoveryCodes.activate(editor).generate_codes()
    password_step(client, editor)
    response = client.submit(AUTHENTICATE, {"code": codes[0]})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200

    client.logout()
    password_step(client, editor)
    again = client.submit(AUTHENTICATE, {"code": codes[0]})
    assert again.status_code == 200
    assert "_auth_user_id" not in client.session


def test_members_are_not_forced_but_may_turn_it_on(client, home_page, member):
    assert password_step(client, member, next_path="/min-side/")["Location"] == "/min-side/"
    my_page = text(client.get("/min-side/"))
    assert "To-trins-login" in my_page
    assert "Slå to-trins-login til" in my_page
    assert client.get("/konto/2fa/").status_code == 200
    # A member who turned it on is asked for the code at the next login.
    give_authenticator(member)
    client.logout()
    assert password_step(client, member, next_path="/min-side/")["Location"] == AUTHENTICATE


def test_removing_the_authenticator_is_logged_and_closes_the_admin(client, home_page, editor):
    client.force_login(editor)
    deactivate = "/konto/2fa/totp/deactivate/"
    # Removing it asks for the password again (allauth's reauthentication).
    asked = client.get(deactivate)
    assert asked["Location"].startswith("/konto/reauthenticate/")
    client.submit(asked["Location"], {"password": PASSWORD}, page=asked["Location"])
    assert "Er du sikker?" in text(client.get(deactivate))
    response = client.submit(deactivate, {})
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=editor, type="totp").exists()
    assert ModelLogEntry.objects.filter(
        action="portal.mfa.removed", object_id=str(editor.pk), data={"type": "totp"}
    ).exists()
    assert client.get("/admin/")["Location"].startswith(ACTIVATE)


def test_an_operator_resets_a_lost_second_factor(client, home_page, editor):
    from django.core.management import CommandError, call_command

    give_authenticator(editor)
    RecoveryCodes.activate(editor)
    with pytest.raises(CommandError):
        call_command("reset_mfa", "ingen@erfa.example", reason="ticket 7")
    call_command("reset_mfa", editor.email, reason="ticket 7: phone lost")
    assert not Authenticator.objects.filter(user=editor).exists()
    entries = ModelLogEntry.objects.filter(action="portal.mfa.removed", object_id=str(editor.pk))
    assert {entry.data["type"] for entry in entries} == {"totp", "recovery_codes"}
    assert {entry.data["reason"] for entry in entries} == {"ticket 7: phone lost"}
    # At the next login the admin sends them to set it up again.
    password_step(client, editor)
    assert client.get("/admin/")["Location"].startswith(ACTIVATE)
