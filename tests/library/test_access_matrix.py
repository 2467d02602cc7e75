"""The access matrix: consent by status by viewer, every surface, exactly the expected outcome.

An agreement is readable when it is published and its consent allows the viewer
(public: anyone; members: members of any network), and by reviewers (staff) in every
status except draft. Whoever may not read it gets a 404 everywhere (never a 200, never
a redirect that confirms it exists); the overview counts every published answer,
whatever the consent, and lists only readable ones; the sitemap lists only what an
anonymous visitor may read; no plain media URL ever serves the document.
"""

import pytest
from django.conf import settings

from network.library.factories import AgreementFactory
from network.library.models import Agreement

CONSENTS = ["public", "members", "internal"]
STATUSES = ["submitted", "published", "rejected", "withdrawn"]
VIEWERS = ["anonymous", "non_member", "member", "other_member", "staff"]
SURFACES = ["listing", "detail", "download", "media_url", "site_search", "sitemap", "overview"]
MEMBERS = {"member", "other_member"}

TITLE_WORD = "Solsikkeaftalen"
TITLE = f"{TITLE_WORD} om boligplacering"  # the search page echoes the query word itself


def readable(consent: str, status: str, viewer: str) -> bool:
    if viewer == "staff":
        return True
    if status != "published":
        return False
    return consent == "public" or (consent == "members" and viewer in MEMBERS)


def expected_outcome(consent: str, status: str, viewer: str) -> dict:
    can_read = readable(consent, status, viewer)
    return {
        "listing": "shown" if can_read else "absent",
        "detail": 200 if can_read else 404,
        "download": 200 if can_read else 404,
        "media_url": 404,
        "site_search": "shown" if can_read else "absent",
        "sitemap": "listed" if (status == "published" and consent == "public") else "absent",
        "overview": {
            "listed": can_read,
            "counted": status == "published",
        },
    }


def observe(client, agreement, library_page, overview_page) -> dict:
    listing = client.get(library_page.url)
    detail = client.get(library_page.agreement_url(agreement))
    download = client.get(f"/aftaler/dokument/{agreement.pk}/")
    media = client.get(settings.MEDIA_URL + agreement.document.name)
    search = client.get("/soeg/", {"q": TITLE_WORD})
    sitemap = client.get("/sitemap.xml")
    overview = client.get(overview_page.url)
    assert listing.status_code == search.status_code == sitemap.status_code == 200
    assert overview.status_code == 200
    detail_url = library_page.agreement_url(agreement)
    if download.status_code == 200:
        assert b"".join(download.streaming_content).startswith(b"%PDF-")
        assert download["Content-Disposition"].startswith("attachment")
        assert "no-store" in download["Cache-Control"]
    national = overview.context["overview"].national.cells[0]
    return {
        "listing": "shown" if TITLE_WORD in listing.content.decode() else "absent",
        "detail": detail.status_code,
        "download": download.status_code,
        "media_url": media.status_code,
        "site_search": "shown" if TITLE in search.content.decode() else "absent",
        "sitemap": "listed" if detail_url in sitemap.content.decode() else "absent",
        "overview": {
            # The per-municipality summary counts it (a row for its municipality).
            "listed": f'<th scope="row">{agreement.municipality.name}</th>'
            in overview.content.decode(),
            # One answer counts as 1, which the public table hides; 0 is shown as 0.
            "counted": national.suppressed and national.value == 1,
        },
    }


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("consent", CONSENTS)
def test_access_matrix(
    request, client, consent, status, viewer, library_page, overview_page, network_a, network_b
):
    agreement = AgreementFactory(
        title=TITLE,
        consent=consent,
        status=status,
        summary="Kommunen anviser boliger til flygtninge.",
    )
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))

    assert observe(client, agreement, library_page, overview_page) == expected_outcome(
        consent, status, viewer
    )


def test_document_is_stored_outside_media_root(library_page):
    agreement = AgreementFactory()
    path = agreement.document.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        agreement.document.url  # noqa: B018 - private files have no URL


def test_drafts_are_shown_nowhere_not_even_to_staff(client, staff, library_page):
    draft = AgreementFactory(title=f"{TITLE_WORD} kladde", status=Agreement.Status.DRAFT)
    client.force_login(staff)
    assert TITLE_WORD not in client.get(library_page.url).content.decode()
    assert client.get(library_page.agreement_url(draft)).status_code == 404
    assert client.get(f"/aftaler/dokument/{draft.pk}/").status_code == 404


def test_anonymous_visitor_is_invited_to_log_in(client, library_page):
    AgreementFactory(consent=Agreement.Consent.MEMBERS)
    body = client.get(library_page.url).content.decode()
    assert "log ind" in body
