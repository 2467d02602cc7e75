"""What nginx may keep for everyone (portal.middleware.PublicPageCacheMiddleware).

nginx caches a response only when Django sends `X-Accel-Expires`; its key includes the
language cookie, and it never answers a request that carries the session cookie from
its cache. These tests show which answers Django offers for sharing: an anonymous
visitor's public page, and nothing that belongs to one person (a signed-in page, a form
with its token, a message, the admin, a preview).
"""

import pytest
from django.http import HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import path
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from portal.factories import StandardPageFactory
from portal.urls import urlpatterns as portal_urlpatterns
from tests.csrf import TOKEN_FIELD, form_token


def shared(response) -> bool:
    """nginx may keep this answer for everyone (and nothing says otherwise)."""
    return response.has_header("X-Accel-Expires") and "private" not in response.get(
        "Cache-Control", ""
    )


def private(response) -> bool:
    return not response.has_header("X-Accel-Expires") and "private" in response.get(
        "Cache-Control", ""
    )


def public_form(request):
    """A public page with a form, as a form page an editor might add would be."""
    template = engines["django"].from_string(
        '<form method="post" action="/">{% csrf_token %}<button>Send</button></form>'
    )
    return HttpResponse(template.render({}, request))


urlpatterns = [path("offentlig-formular/", public_form), *portal_urlpatterns]


def test_an_anonymous_visitors_public_pages_are_offered_to_nginx_for_5_seconds(
    client, site_settings, about_page, news_index
):
    for url in ("/", about_page.url, news_index.url, "/soeg/?q=netv%C3%A6rk", "/robots.txt"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Accel-Expires"] == "5", url
        assert "private" not in response.get("Cache-Control", ""), url
        assert not response.cookies, url  # nginx would not keep a Set-Cookie answer
    assert client.head("/")["X-Accel-Expires"] == "5"


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_zero_seconds_turns_sharing_off(client, home_page):
    assert private(client.get("/"))


def test_a_signed_in_member_never_gets_a_shareable_page(client, site_settings, about_page, member):
    client.force_login(member)
    for url in ("/", about_page.url, "/soeg/?q=netv%C3%A6rk", "/min-side/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert private(response), url
        assert "Log ud" in response.content.decode(), url


def test_a_page_with_a_form_token_is_never_shared(client, home_page):
    # The login form: its token is this visitor's (and it sets the CSRF cookie).
    login = client.get("/konto/login/")
    assert 'name="csrfmiddlewaretoken"' in login.content.decode()
    assert private(login)


@pytest.mark.urls(__name__)
def test_a_public_page_that_renders_a_form_token_is_never_shared(client, home_page):
    # Outside the account pages too: using a token is what decides, not the address.
    response = client.get("/offentlig-formular/")
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert private(response)
    # The same visitor's next plain page is shareable again: nginx ignores the CSRF cookie.
    assert shared(client.get("/"))


def test_the_language_switcher_keeps_pages_shareable_and_the_english_copy_english(
    client, site_settings
):
    danish = client.get("/")
    assert shared(danish)
    assert 'action="/i18n/setlang/"' in danish.content.decode()
    assert "csrfmiddlewaretoken" not in danish.content.decode()

    # Choosing English from that page works without a token (nginx served it to many).
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    assert private(switched)  # it sets the language cookie

    english = client.get("/")
    assert '<html lang="en">' in english.content.decode()
    assert english["Content-Language"] == "en"
    # Shareable among English readers: nginx's key includes the language cookie, and
    # Django says the page varies with the cookies.
    assert shared(english)
    assert "Cookie" in english["Vary"]
    assert '<html lang="da">' in danish.content.decode()


def test_a_message_for_the_visitor_is_never_shared(client, home_page, member):
    client.force_login(member)
    client.submit("/konto/logout/", page="/")
    home = client.get("/")
    assert "Du er logget ud." in home.content.decode()
    assert private(home)


def test_a_visitor_with_a_session_is_not_served_a_shareable_copy(client, home_page):
    # A password-protected page opened with its password lives in the session; nginx
    # answers such visitors itself never, and Django offers nothing from them either.
    page = StandardPageFactory(parent=home_page, title="Kun med kode", slug="kun-med-kode")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="hemmelig"
    )
    refused = client.get(page.url)
    assert refused.status_code == 200  # Wagtail's password form
    assert private(refused)
    form = refused.content.decode()
    action = form.split('action="', 1)[1].split('"', 1)[0]
    client.submit(action, {"password": "hemmelig", "return_url": page.url}, page=page.url)
    opened = client.get(page.url)
    assert opened.status_code == 200 and "Kun med kode" in opened.content.decode()
    assert private(opened)


def test_private_pages_and_missing_pages_are_not_shared(client, home_page):
    page = StandardPageFactory(parent=home_page, title="Kun for medlemmer", slug="medlemmer")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(page.url).status_code == 302
    assert private(client.get(page.url))
    assert private(client.get("/findes-ikke/"))


def test_the_admin_and_a_preview_are_never_shared(client, editor, about_page):
    client.force_login(editor)
    edit_url = f"/admin/pages/{about_page.pk}/edit/"
    preview_url = f"{edit_url}preview/"
    edit = client.get(edit_url)
    assert private(edit)
    data = nested_form_data(
        {
            "title": "Om netværket (udkast)",
            "slug": about_page.slug,
            "body": streamfield([("paragraph", rich_text("Et nyt afsnit."))]),
        }
    )
    data[TOKEN_FIELD] = form_token(edit.content.decode(), action=edit_url, page=edit_url)
    client.post(preview_url, data)
    preview = client.get(preview_url, {"in_preview_panel": "true"})
    assert "Om netværket (udkast)" in preview.content.decode()
    assert private(preview)
    # Logged out, the published page is shareable and shows no draft.
    client.logout()
    public = client.get(about_page.url)
    assert shared(public)
    assert "(udkast)" not in public.content.decode()
