"""The Wagtail admin: reached through allauth's login, and its forms work for editors."""

import pytest
from allauth.account.models import EmailAddress

from portal.models import User
from tests.mfa import give_authenticator, secret_of, totp_code

from .conftest import PASSWORD


def test_admin_sends_anonymous_visitors_to_the_site_login(client, home_page):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/admin/"


def test_the_admins_own_login_form_is_not_used(client, home_page):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/admin/pages/"
    # Nor can it be posted to, past allauth's rate limits and verification.
    posted = client.post_with_token(
        "/admin/login/", {"username": "x@example.org", "password": "x"}, page="/konto/login/"
    )
    assert posted.status_code in (302, 405)
    assert "_auth_user_id" not in client.session


def test_editor_logs_in_through_allauth_and_reaches_the_admin(client, home_page, editor):
    give_authenticator(editor)  # the admin requires two-factor login (tests/portal/test_mfa.py)
    response = client.submit(
        "/konto/login/?next=/admin/",
        {"login": editor.email, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/authenticate/"
    response = client.submit(response["Location"], {"code": totp_code(secret_of(editor))})
    assert response["Location"] == "/admin/"
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert 'lang="da"' in dashboard.content.decode()


def test_staff_see_an_admin_link_in_the_header_members_do_not(client, home_page, editor, member):
    client.force_login(member)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    client.force_login(editor)
    assert 'href="/admin/"' in client.get("/").content.decode()


def test_a_member_cannot_open_the_admin(client, home_page, member):
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/pages/" not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/add/portal/standardpage/{home}/",
        "/admin/pages/add/portal/newsindexpage/{home}/",
        "/admin/pages/{home}/edit/",
        "/admin/snippets/portal/contact/add/",
        "/admin/settings/portal/sitesettings/{site}/",
        "/admin/users/",
        "/admin/users/new/",
    ],
)
def test_editor_forms_render(client, editor, home_page, url):
    from wagtail.models import Site

    client.force_login(editor)
    site = Site.objects.get(is_default_site=True)
    response = client.get(url.format(home=home_page.pk, site=site.pk))
    assert response.status_code == 200


def test_editor_creates_a_user_with_profile_fields_in_the_admin(client, editor, home_page):
    client.force_login(editor)
    form = client.get("/admin/users/new/").content.decode()
    assert 'name="job_title"' in form and 'name="phone"' in form
    assert 'name="username"' not in form  # e-mail is the login

    response = client.submit(
        "/admin/users/new/",
        {
            "email": "ny@koege.dk",
            "first_name": "Nina",
            "last_name": "Nielsen",
            "job_title": "Boligkonsulent",
            "phone": "56 67 67 67",
            "password1": "Et-godt-kodeord-2026",
            "password2": "Et-godt-kodeord-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="ny@koege.dk")
    assert (user.job_title, user.phone) == ("Boligkonsulent", "56 67 67 67")
    assert user.check_password("Et-godt-kodeord-2026")


def test_editor_edits_a_persons_profile_in_the_admin(client, editor, member):
    client.force_login(editor)
    assert 'value="Mads"' in client.get(f"/admin/users/edit/{member.pk}/").content.decode()
    response = client.submit(
        f"/admin/users/edit/{member.pk}/",
        {
            "email": member.email,
            "first_name": "Mads",
            "last_name": "Medlem",
            "job_title": "Områdeleder",
            "phone": "87 13 00 00",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.job_title == "Områdeleder"


def test_a_person_created_in_the_admin_confirms_their_address_at_first_login(
    client, editor, home_page, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.create_user(email="ny@koege.dk", password="Et-godt-kodeord-2026")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(
            "/konto/login/", {"login": "ny@koege.dk", "password": "Et-godt-kodeord-2026"}
        )
    assert response["Location"] == "/konto/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert EmailAddress.objects.get(email="ny@koege.dk").verified is False
    assert mailoutbox[0].subject == "[Erfa-netværk] Bekræft din e-mailadresse"


def test_account_settings_in_the_admin_leave_email_and_password_to_allauth(client, editor):
    client.force_login(editor)
    html = client.get("/admin/account/").content.decode()
    assert 'name="name_email-email"' not in html
    assert 'name="password-new_password1"' not in html


def test_wagtail_admin_texts_missing_from_wagtails_danish_catalogue_are_danish(
    client, home_page, editor, settings
):
    # Wagtail 8.0.1's own Danish leaves these in English; portal/wagtail_wording.py
    # puts them in the project catalogue.
    settings.LANGUAGE_CODE = "da"
    client.force_login(editor)
    empty = client.get("/admin/aftaler/").content.decode()
    assert "Der er ingen aftaler at vise." in empty
    assert "There are no" not in empty
    searched = client.get("/admin/aftaler/", {"q": "vindmøller"}).content.decode()
    assert "Ingen aftaler matcher din søgning." in searched
    assert "match your query" not in searched


def test_wagtail_admin_javascript_texts_missing_from_wagtails_danish_catalogue_are_danish(
    client, home_page, editor, settings
):
    # The minimap's "Collapse all" is a JavaScript text: locale/da/LC_MESSAGES/djangojs.po.
    settings.LANGUAGE_CODE = "da"
    client.force_login(editor)
    catalogue = client.get("/admin/jsi18n/").content.decode()
    assert '"Collapse all": "Fold alle sammen"' in catalogue
    assert '"Expand all": "Fold alle ud"' in catalogue
