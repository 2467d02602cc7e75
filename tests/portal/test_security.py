"""Holes found by trying the portal as an attacker would (issue 9): every password check
goes through allauth, members are told they have no admin access (no redirect loop),
rate limits need a shared cache in production, and out-of-range ids are a 404."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.test import override_settings
from django.urls import resolve
from wagtail.models import PageViewRestriction

from portal.checks import check_shared_cache
from portal.factories import StandardPageFactory, UserFactory

from .conftest import PASSWORD

# Every URL that has ever served a password form: allauth's, Wagtail's page-privacy
# login, Django's admin and Wagtail's admin.
LOGIN_PATHS = ["/konto/login/", "/_util/login/", "/django-admin/login/", "/admin/login/"]


def _log_in(client, path, email, password):
    # allauth names the field "login", Django's forms "username": send both, with the
    # session's CSRF token, so the only thing that can refuse is the form's own rule.
    return client.post_with_token(
        path,
        {"login": email, "username": email, "password": password, "next": "/admin/"},
        page="/konto/login/",
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def staff_person(db):
    # Staff, so that Django's admin login would have let them in too.
    return UserFactory(email="karen@erfa.example", is_staff=True, is_superuser=True, verified=True)


@pytest.fixture
def unconfirmed(db):
    user = UserFactory(email="ny@erfa.example", is_staff=True, is_superuser=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


def test_allauth_login_works_for_a_confirmed_account(client, home_page, staff_person):
    """The control: the right password on the one login form does log in."""
    _log_in(client, "/konto/login/", staff_person.email, PASSWORD)
    assert _logged_in(client)


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_no_login_path_lets_in_an_unconfirmed_account(client, home_page, unconfirmed, path):
    _log_in(client, path, unconfirmed.email, PASSWORD)
    assert not _logged_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to log in


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_no_login_path_lets_anyone_in_past_the_rate_limit(client, home_page, staff_person, path):
    # allauth's "login_failed" limit: 5 failures per 5 minutes for one account. Guess on
    # this path and on allauth's form, so the limit is reached whichever counts.
    for _attempt in range(5):
        _log_in(client, path, staff_person.email, "forkert-kodeord")
        _log_in(client, "/konto/login/", staff_person.email, "forkert-kodeord")
        assert not _logged_in(client)
    # The right password now: refused on every path.
    _log_in(client, path, staff_person.email, PASSWORD)
    assert not _logged_in(client)
    assert client.get("/admin/").status_code == 302
    refused = _log_in(client, "/konto/login/", staff_person.email, PASSWORD)
    assert not _logged_in(client)
    assert "For mange mislykkede forsøg på at logge ind" in refused.content.decode()


def test_the_login_limit_holds_whatever_host_and_port_the_request_names(
    client, home_page, staff_person
):
    # The Host header is the client's to choose (ALLOWED_HOSTS ignores the port), and app
    # servers behind a proxy may each be reached under an address of their own: the
    # limit counts failures per account, whatever the host.
    for port in range(8001, 8006):
        failed = client.post_with_token(
            "/konto/login/",
            {"login": staff_person.email, "password": "forkert-kodeord"},
            page="/konto/login/",
            HTTP_HOST=f"testserver:{port}",
        )
        assert "For mange mislykkede forsøg" not in failed.content.decode()
    refused = client.post_with_token(
        "/konto/login/",
        {"login": staff_person.email, "password": PASSWORD},
        page="/konto/login/",
        HTTP_HOST="testserver:8006",
    )
    assert not _logged_in(client)
    assert "For mange mislykkede forsøg på at logge ind" in refused.content.decode()


def test_private_pages_send_visitors_to_allauths_login(client, home_page):
    private = StandardPageFactory(parent=home_page, title="Kun for medlemmer", slug="intern")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(private.url)
    assert response.status_code == 302
    assert response["Location"] == f"/konto/login/?next={private.url}"


def test_old_links_to_the_page_privacy_login_go_to_allauth(client, home_page):
    response = client.get("/_util/login/?next=/intern/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/login/?next=/intern/"


def test_django_admin_is_gone(client, home_page):
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/login/").status_code == 404


# --- The admin for people who may not enter it -------------------------------------------


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/login/?next=/admin/"])
def test_a_member_opening_the_admin_is_told_no_access(client, home_page, member, url):
    client.force_login(member)
    response = client.get(url, follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == []  # no redirect, let alone a loop
    html = response.content.decode()
    assert "Ingen adgang til administrationen" in html
    assert 'href="/min-side/"' in html
    assert 'class="site-header' in html or "<header" in html  # the site's own layout


def test_the_admin_still_opens_for_someone_with_access_but_no_staff_flag(client, home_page):
    moderator = UserFactory(email="moderator@erfa.example", verified=True)
    group = Group.objects.create(name="Adgang")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    moderator.groups.add(group)
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 200


def test_anonymous_visitors_are_still_sent_to_log_in(client, home_page):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


# --- A shared cache in production --------------------------------------------------------


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_deploy_check_fails_on_a_per_process_cache():
    errors = check_shared_cache(app_configs=None)
    assert [error.id for error in errors] == ["portal.E001"]
    assert "rate limits" in errors[0].msg
    assert "REDIS_URL" in errors[0].hint


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_deploy_check_fails_on_the_dummy_cache():
    assert [error.id for error in check_shared_cache(app_configs=None)] == ["portal.E001"]


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
)
def test_deploy_check_passes_with_redis():
    assert check_shared_cache(app_configs=None) == []


def test_deploy_check_is_registered_for_deploy_only():
    from django.core.checks import registry

    assert check_shared_cache in registry.registry.get_checks(include_deployment_checks=True)
    assert check_shared_cache not in registry.registry.get_checks(include_deployment_checks=False)


# --- Out-of-range ids --------------------------------------------------------------------

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/netvaerk/{HUGE}/medlemmer/",
        f"/netvaerk/{2**63}/medlemmer/",
        f"/moeder/{HUGE}/kalender.ics",
        f"/moeder/kalender/netvaerk-{HUGE}.ics",
        f"/moeder/materiale/{HUGE}/",
        f"/aftaler/dokument/{HUGE}/",
    ],
)
def test_out_of_range_ids_are_not_found(client, home_page, member, url):
    client.force_login(member)
    client.raise_request_exception = False
    assert client.get(url).status_code == 404


def test_ids_up_to_the_databases_largest_still_reach_the_view():
    assert resolve(f"/netvaerk/{2**63 - 1}/medlemmer/").url_name == "directory"
    assert resolve(f"/netvaerk/{2**63}/medlemmer/").url_name != "directory"
