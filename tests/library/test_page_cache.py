"""The library and the national overview differ between signed-in people, but are the
same for every anonymous visitor: nginx may keep the anonymous copy
(portal.middleware.PublicPageCacheMiddleware), never a member's."""

from network.library.factories import AgreementFactory


def test_anonymous_library_and_overview_are_shareable_and_a_members_are_private(
    client, library_page, overview_page, member
):
    agreement = AgreementFactory(title="Fælles aftale om tryghed")
    pages = [
        library_page.url,
        f"{library_page.url}?q=tryghed",
        library_page.agreement_url(agreement),
        overview_page.url,
    ]
    assert "Fælles aftale om tryghed" in client.get(library_page.url).content.decode()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Accel-Expires"] == "5", url
        assert "private" not in response.get("Cache-Control", ""), url

    client.force_login(member)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "X-Accel-Expires" not in response, url
        assert "private" in response["Cache-Control"], url
