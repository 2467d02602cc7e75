"""Page addresses from Danish titles, and a second try after an abandoned draft (issue 8,
item 10). The browser side (the slug field's JavaScript) is in
tests/e2e/test_admin_danish.py."""

import pytest
from wagtail.models import Page

from portal.models import StandardPage
from portal.slugs import danish_slugify


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Årsmøde for æresmedlemmer", "aarsmoede-for-aeresmedlemmer"),
        ("ÆBLER, ØL OG ÅL", "aebler-oel-og-aal"),
        ("Netværksmøde 2026: Café", "netvaerksmoede-2026-cafe"),
    ],
)
def test_danish_titles_give_readable_ascii_slugs(title, slug):
    assert danish_slugify(title) == slug


def add_page(client, parent, *, title, slug="", action="action-publish", follow=False):
    url = f"/admin/pages/add/portal/standardpage/{parent.pk}/"
    data = {"title": title, "slug": slug, "intro": "", "body-count": "0"}
    data[action] = "1" if action else None
    return client.submit(url, {k: v for k, v in data.items() if v is not None}, follow=follow)


def test_a_page_added_without_javascript_gets_its_slug_from_the_title(client, editor, home_page):
    client.force_login(editor)
    response = add_page(client, home_page, title="Årsmøde i Ærøskøbing")
    assert response.status_code == 302, response.content.decode()[:2000]
    page = StandardPage.objects.get(title="Årsmøde i Ærøskøbing")
    assert page.slug == "aarsmoede-i-aeroeskoebing"
    assert page.url.endswith("/aarsmoede-i-aeroeskoebing/")


def test_a_typed_danish_slug_becomes_ascii(client, editor, home_page):
    client.force_login(editor)
    response = add_page(client, home_page, title="Møde", slug="mødested-på-fyn")
    assert response.status_code == 302
    assert StandardPage.objects.get(title="Møde").slug == "moedested-paa-fyn"


def test_saving_an_old_page_keeps_its_address(client, editor, home_page):
    old = StandardPage(title="Gammel side", slug="gammel_Side")
    home_page.add_child(instance=old)
    client.force_login(editor)
    response = client.submit(
        f"/admin/pages/{old.pk}/edit/",
        {"title": "Gammel side", "slug": "gammel_Side", "intro": "", "body-count": "0"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.slug == "gammel_Side"


def test_an_abandoned_draft_is_pointed_to_in_danish_and_a_free_address_offered(
    client, editor, home_page
):
    client.force_login(editor)
    # What the autosave leaves behind: a draft that was never published.
    draft = StandardPage(title="Årsmøde", slug="aarsmoede", live=False)
    home_page.add_child(instance=draft)
    draft.save_revision(user=editor)

    response = add_page(client, home_page, title="Årsmøde", slug="aarsmoede")

    assert response.status_code == 200  # the form again, with the message
    html = response.content.decode()
    assert "already in use" not in html
    assert "Adressen »aarsmoede« tilhører en kladde, der aldrig er udgivet" in html
    assert f'href="/admin/pages/{draft.pk}/edit/"' in html
    assert "»aarsmoede-2«" in html
    assert StandardPage.objects.filter(title="Årsmøde").count() == 1

    # Taking the offered address publishes the new page there.
    response = add_page(client, home_page, title="Årsmøde", slug="aarsmoede-2")
    assert response.status_code == 302
    assert StandardPage.objects.get(slug="aarsmoede-2").live


def test_a_published_page_with_the_address_is_named_too(client, editor, home_page):
    client.force_login(editor)
    live = StandardPage(title="Om os", slug="om-os")
    home_page.add_child(instance=live)
    live.save_revision().publish()

    html = add_page(client, home_page, title="Om os", slug="om-os").content.decode()

    assert "Adressen »om-os« bruges allerede af siden »Om os«" in html
    assert f'href="/admin/pages/{live.pk}/edit/"' in html
    assert Page.objects.filter(slug="om-os").count() == 1
