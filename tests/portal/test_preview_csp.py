"""The admin's live preview renders in its iframe: preview responses allow framing by the
site itself (`frame-ancestors 'self'`), the public site keeps `'none'`."""

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.csrf import TOKEN_FIELD, form_token


def test_a_preview_may_be_framed_by_the_admin_and_the_public_page_may_not(
    client, editor, about_page
):
    client.force_login(editor)
    edit_url = f"/admin/pages/{about_page.pk}/edit/"
    preview_url = f"{edit_url}preview/"
    edit = client.get(edit_url)
    assert edit.status_code == 200
    data = nested_form_data(
        {
            "title": "Om netværket (udkast)",
            "slug": about_page.slug,
            "body": streamfield([("paragraph", rich_text("Et nyt afsnit."))]),
        }
    )
    data[TOKEN_FIELD] = form_token(edit.content.decode(), action=edit_url, page=edit_url)
    # The editor types; Wagtail posts the form to the preview view, then the panel's
    # iframe loads the preview.
    posted = client.post(preview_url, data)
    assert posted.status_code == 200, posted.content[:500]
    preview = client.get(preview_url, {"in_preview_panel": "true"})
    assert preview.status_code == 200
    assert "Om netværket (udkast)" in preview.content.decode()
    directives = dict(
        part.strip().split(" ", 1) for part in preview["Content-Security-Policy"].split(";")
    )
    assert directives["frame-ancestors"] == "'self'"
    assert directives["script-src"] == "'self'"  # the rest of the public policy stays
    assert preview["X-Frame-Options"] == "SAMEORIGIN"

    public = client.get(about_page.url)
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
    assert public["X-Frame-Options"] == "DENY"
