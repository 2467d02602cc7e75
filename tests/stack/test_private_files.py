"""A members-only document uploaded in the admin through app server A is in the object
store and downloads through app server B for a member; an anonymous visitor gets it from
no address: not the download view on either server or through nginx, not nginx's
internal location, not the object store's own S3 URL."""

import secrets

import requests

from portal.demo import DEMO_ACCOUNTS, DEMO_EDITOR_TOTP_SECRET
from tests.stack.browser import Browser, text_of

EDITOR = next(account for account in DEMO_ACCOUNTS if account["role"] == "editor")
MEMBER_PASSWORD = "Stak-medlem-kodeord-2026"


def _pdf() -> bytes:
    marker = secrets.token_hex(16).encode()
    return b"%PDF-1.4\n% stak " + marker + b"\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_document_uploaded_through_one_app_server_downloads_through_the_other(stack):
    app_a, app_b = stack.app_urls
    page = stack.seed("resource_page")
    content = _pdf()

    # The editor, with the second factor, adds the document on app server A and publishes.
    editor = Browser(app_a)
    login = editor.login(EDITOR["email"], EDITOR["password"], totp_secret=DEMO_EDITOR_TOTP_SECRET)
    assert login.status_code == 302 and "/2fa/" not in login.headers["Location"]
    form = editor.open_form(page["edit"])
    form.set("body-count", 0)  # what Wagtail's StreamField script posts for an empty body
    form.add_inline("documents", {"title": "Stak-aftale", "audience": "members"})
    response = editor.submit(
        form,
        button="action-publish",
        files={"documents-0-file": ("stak-aftale.pdf", content, "application/pdf")},
    )
    assert response.status_code == 302, text_of(response.text)[:3000]

    [document] = stack.seed("resource_documents", page=page["id"])["documents"]
    assert document["exists"], document
    assert "S3" in document["storage"], document  # in the object store, not one server's disk
    download = document["download"]

    # A member downloads it through app server B, and through nginx (either server).
    member_email = stack.seed("member", password=MEMBER_PASSWORD)["email"]
    member = Browser(app_b)
    assert member.login(member_email, MEMBER_PASSWORD).status_code == 302
    direct = member.get(download, base=app_b, allow_redirects=False)
    assert direct.status_code == 200, direct.status_code
    internal = direct.headers.get("X-Accel-Redirect")
    if internal:
        # Behind nginx the app server checks and hands over; nginx fetches the object.
        assert direct.content == b""
    else:
        assert direct.content == content
    for _round_robin in range(2):
        through_nginx = member.get(download, base=stack.url, allow_redirects=False)
        assert through_nginx.status_code == 200
        assert through_nginx.content == content
        assert "X-Accel-Redirect" not in through_nginx.headers
        assert "stak-aftale.pdf" in through_nginx.headers.get("Content-Disposition", "")
        assert "private" in through_nginx.headers.get("Cache-Control", "")

    # An anonymous visitor gets it nowhere.
    visitor = Browser(stack.url)
    for base in (stack.url, app_a, app_b):
        refused = visitor.get(download, base=base, allow_redirects=False)
        assert refused.status_code in (302, 403, 404), (base, refused.status_code)
        assert content not in refused.content
        assert "X-Accel-Redirect" not in refused.headers
    if internal:
        refused = visitor.get(internal, base=stack.url, allow_redirects=False)
        assert refused.status_code == 404, (internal, refused.status_code)
        assert content not in refused.content
    # Not from the object store without its keys: neither the object nor the listing.
    s3_object = requests.get(f"{stack.s3_url}/{document['bucket']}/{document['key']}", timeout=30)
    assert s3_object.status_code in (401, 403), s3_object.status_code
    assert content not in s3_object.content
    listing = requests.get(f"{stack.s3_url}/{document['bucket']}", timeout=30)
    assert listing.status_code in (401, 403), listing.status_code
    assert document["key"] not in listing.text
