"""`manage.py load_demo`, as `make run` uses it: idempotent, and the accounts work."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from wagtail.models import Page, Revision, Site

from portal.demo import DEMO_ACCOUNTS, all_demo_accounts, demo_totp_code
from portal.models import Contact, HomePage, NewsPage, SiteSettings, StandardPage, User


def snapshot() -> dict:
    site = Site.objects.get(is_default_site=True)
    settings = SiteSettings.for_site(site)
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "live")),
        "revisions": Revision.objects.count(),
        "users": list(User.objects.order_by("email").values_list("email", "is_staff")),
        "addresses": list(EmailAddress.objects.values_list("email", "verified", "primary")),
        "contacts": Contact.objects.count(),
        "authenticators": list(Authenticator.objects.values_list("user__email", "type")),
        "site": (site.hostname, site.port, site.root_page_id),
        "settings": (settings.organisation_name, settings.address, len(settings.header_cta)),
    }


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing_the_second_time(capsys):
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert "Demo content is in place." in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_has_the_pages_the_readme_promises(client):
    call_command("load_demo")
    home = HomePage.objects.get()
    assert Site.objects.get(is_default_site=True).root_page_id == home.pk
    assert StandardPage.objects.get(slug="om-netvaerket").live
    news = NewsPage.objects.get()
    assert news.date.isoformat() == "2021-11-19"
    assert "KL-huset" in news.lead

    html = client.get("/").content.decode()
    assert "Erfa-netværk for kommuner og boligorganisationer" in html
    # Issue 13: the demo's red "Søger du bolig? Klik her" advert-like button is gone.
    assert "Søger du bolig" not in html
    assert news.title in html
    about = client.get("/om-netvaerket/").content.decode()
    assert "Karen Koordinator" in about


@pytest.mark.django_db
@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a["role"])
def test_every_printed_demo_account_can_log_in(client, account):
    call_command("load_demo")
    response = client.submit(
        "/konto/login/", {"login": account["email"], "password": account["password"]}
    )
    assert response.status_code == 302
    if account["role"] == "editor":
        # The editor has two-factor login, with the demo secret `load_demo` prints.
        assert response["Location"] == "/konto/2fa/authenticate/"
        response = client.submit(response["Location"], {"code": demo_totp_code()})
    assert response["Location"] == "/min-side/"


@pytest.mark.django_db
def test_the_demo_editor_reaches_the_admin(client):
    call_command("load_demo")
    editor = next(a for a in DEMO_ACCOUNTS if a["role"] == "editor")
    client.submit(
        "/konto/login/?next=/admin/",
        {"login": editor["email"], "password": editor["password"], "next": "/admin/"},
    )
    response = client.submit("/konto/2fa/authenticate/", {"code": demo_totp_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/pages/").status_code == 200


@pytest.mark.django_db
def test_print_accounts_prints_every_account_and_loads_nothing(capsys):
    call_command("load_demo", "--print-accounts")
    out = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account["email"] in out and account["password"] in out
    # The apps' demo logins too (network, library), declared through the DEMO_ACCOUNTS hook.
    for email, password in [
        ("boligchef@esbjerg.dk", "Esbjerg-demo-2026"),
        ("netvaerk@randers.dk", "Randers-demo-2026"),
        ("udlejning@bf-oestjylland.example", "Bolig-demo-2026"),
    ]:
        assert re.search(rf"{re.escape(email)}\s+{re.escape(password)}", out)
    # The demo editor's two-factor secret, and how to get a code.
    assert "ERFADEMOREDAKTOERERFADEMOREDAKTO" in out
    assert "load_demo --totp-code" in out
    assert not User.objects.exists()


@pytest.mark.django_db
def test_every_app_demo_account_can_log_in_and_only_the_editor_is_staff(client):
    call_command("load_demo")
    accounts = all_demo_accounts()
    assert len({account["email"] for account in accounts}) == len(accounts) > len(DEMO_ACCOUNTS)
    for account in accounts:
        client.logout()
        response = client.submit(
            "/konto/login/", {"login": account["email"], "password": account["password"]}
        )
        assert response.status_code == 302, account["email"]
        user = User.objects.get(email=account["email"])
        assert user.is_staff == (account["role"] == "editor")
