"""Issue 8 polish: a row's "Godkend" comes back to the listing as it was filtered."""

from urllib.parse import quote

from network.factories import AffiliationFactory
from network.models import Affiliation
from tests.roles import make_person


def test_approving_a_row_returns_to_the_filtered_listing(
    client, municipality, django_capture_on_commit_callbacks
):
    editor = make_person("editor")
    first, second = (
        AffiliationFactory(organisation=municipality, status="requested", verified_via="")
        for _ in range(2)
    )
    client.force_login(editor)
    listing = "/admin/snippets/network/affiliation/?status=requested"

    page = client.get(listing).content.decode()
    row_button = (
        f"/admin/bulk/network/affiliation/approve/?next={quote(listing, safe='')}&amp;id={first.pk}"
    )
    assert row_button in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.submit(row_button.replace("&amp;", "&"), follow=True)

    assert response.redirect_chain[-1][0] == listing
    first.refresh_from_db()
    assert first.status == Affiliation.Status.VERIFIED
    # Back on the filtered listing: the other request still waits there, with its button.
    assert f"&amp;id={second.pk}" in response.content.decode()
