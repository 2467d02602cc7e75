"""Every two-factor page a person meets is Danish, in the site's layout."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import Group

from portal.factories import UserFactory
from tests.mfa import give_authenticator

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db):
    person = UserFactory(verified=True)
    person.groups.add(Group.objects.get(name="Editors"))
    return person


def reauthenticated(client, person, *, mfa=True):
    """Logged in, and the password just typed again (allauth asks before changes)."""
    client.force_login(person, mfa=mfa)
    page = "/konto/reauthenticate/?next=/konto/2fa/"
    client.submit(page, {"password": PASSWORD}, page=page)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/konto/2fa/", "To-trins-login"),
        ("/konto/2fa/totp/deactivate/", "Deaktiver autentificeringsapp"),
        ("/konto/2fa/recovery-codes/", "Gendannelseskoder"),
        ("/konto/2fa/recovery-codes/generate/", "Gendannelseskoder"),
        ("/konto/2fa/reauthenticate/", "Indtast en autentificeringskode"),
        ("/konto/2fa/webauthn/add/", "Navn på nøglen"),
    ],
)
def test_the_pages_of_a_person_with_two_factor_login_are_danish(
    client, home_page, editor, path, heading
):
    give_authenticator(editor)
    RecoveryCodes.activate(editor)
    reauthenticated(client, editor)
    html = client.get(path).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert heading in main
    assert '<html lang="da">' in html
    assert "<footer" in html  # the site's layout, not allauth's bare one


def test_the_setup_and_login_pages_are_danish(client, home_page, editor):
    reauthenticated(client, editor, mfa=False)
    html = client.get("/konto/2fa/totp/activate/").content.decode()
    assert "Aktiver autentificeringsapp" in html
    assert "Autentificeringshemmelighed" in html
    client.logout()
    give_authenticator(editor)
    client.submit("/konto/login/", {"login": editor.email, "password": PASSWORD})
    html = client.get("/konto/2fa/authenticate/").content.decode()
    assert "Din konto er beskyttet af to-trins-login" in html
