"""Inspiration material: audience, private documents, district consultants, site search."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from network.factories import AffiliationFactory
from network.library.factories import (
    ResourceDocumentFactory,
    ResourceIndexPageFactory,
    ResourcePageFactory,
    municipality,
)
from network.library.models import Audience, ResourceDocument, ResourcePage, Topic
from network.library.pdf import simple_pdf
from portal.factories import ContactFactory, UserFactory
from portal.regions import Region


@pytest.fixture
def index_page(home_page):
    return ResourceIndexPageFactory(parent=home_page)


@pytest.fixture
def public_guide(index_page):
    page = ResourcePageFactory(
        parent=index_page,
        title="Guide: Sådan indgår I en aftale med kommunen",
        intro="Trin for trin mod en boligplaceringsaftale.",
    )
    page.topics.set([Topic.objects.get(code="placement")])
    page.save_revision().publish()
    return page


@pytest.fixture
def members_template(index_page):
    return ResourcePageFactory(
        parent=index_page,
        title="Skabelon: Aftale om modtagelse (Rosenkvarteret)",
        intro="En redigerbar skabelon.",
        audience=Audience.MEMBERS,
    )


def test_public_material_for_everyone_member_material_for_members(
    client, index_page, public_guide, members_template, member, non_member
):
    listing = client.get(index_page.url).content.decode()
    assert "Guide: Sådan indgår I en aftale med kommunen" in listing
    assert "Rosenkvarteret" not in listing
    assert client.get(public_guide.url).status_code == 200
    # Anonymous: asked to log in; signed-in non-member: refused with an explanation.
    response = client.get(members_template.url)
    assert response.status_code == 302 and response["Location"].startswith("/konto/login/")
    client.force_login(non_member)
    response = client.get(members_template.url)
    assert response.status_code == 403
    assert "Rosenkvarteret" not in response.content.decode()
    client.force_login(member)
    assert "Rosenkvarteret" in client.get(index_page.url).content.decode()
    assert client.get(members_template.url).status_code == 200


def test_site_search_shows_member_material_only_to_members(
    client, public_guide, members_template, member, non_member, other_member
):
    def found(query):
        return client.get("/soeg/", {"q": query}).content.decode()

    assert "Guide: Sådan indgår" in found("aftale")
    assert "Skabelon: Aftale om modtagelse" not in found("Skabelon")
    client.force_login(non_member)
    assert "Skabelon: Aftale om modtagelse" not in found("Skabelon")
    client.force_login(other_member)
    assert "Skabelon: Aftale om modtagelse" in found("Skabelon")
    client.force_login(member)
    assert "Skabelon: Aftale om modtagelse" in found("Skabelon")


def test_sitemap_leaves_out_member_material(client, public_guide, members_template):
    body = client.get("/sitemap.xml").content.decode()
    assert public_guide.url in body
    assert members_template.url not in body


def test_documents_are_private_and_served_by_audience(
    client, public_guide, members_template, member
):
    public_doc = ResourceDocumentFactory(page=public_guide, title="Tjekliste")
    member_doc_on_public_page = ResourceDocumentFactory(
        page=public_guide, title="Medlemsskabelon", audience=Audience.MEMBERS
    )
    doc_on_member_page = ResourceDocumentFactory(page=members_template, title="Skabelon")
    for doc in (public_doc, member_doc_on_public_page, doc_on_member_page):
        assert doc.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
        assert client.get(settings.MEDIA_URL + doc.file.name).status_code == 404

    def status(doc):
        return client.get(f"/aftaler/materiale/{doc.pk}/").status_code

    page = client.get(public_guide.url).content.decode()
    assert "Tjekliste" in page and "Medlemsskabelon" not in page
    assert "1 dokument mere er kun for netværkenes medlemmer." in page
    assert [status(d) for d in (public_doc, member_doc_on_public_page, doc_on_member_page)] == [
        200,
        404,
        404,
    ]
    client.force_login(member)
    assert [status(d) for d in (public_doc, member_doc_on_public_page, doc_on_member_page)] == [
        200,
        200,
        200,
    ]
    # Unpublishing the page closes its documents too.
    public_guide.unpublish()
    assert status(public_doc) == 404


def test_resource_documents_are_checked_by_content_in_the_form(members_template):
    """The page editor's form for a document (built from the model field, as Wagtail
    does) refuses a disguised file and records the uploader's name and the real type."""
    form_class = modelform_factory(ResourceDocument, fields=["title", "file", "audience"])
    disguised = form_class(
        data={"title": "Forklædt fil", "audience": "public"},
        files={"file": SimpleUploadedFile("skabelon.pdf", b"not a pdf at all")},
        instance=ResourceDocument(page=members_template),
    )
    assert not disguised.is_valid()
    assert disguised.errors["file"] == [
        "Filen skal være et PDF-, Word- (DOCX) eller OpenDocument-dokument (ODT)."
    ]
    good = form_class(
        data={"title": "Skabelon", "audience": "public"},
        files={"file": SimpleUploadedFile("Skabelon.pdf", simple_pdf("Skabelon"))},
        instance=ResourceDocument(page=members_template),
    )
    assert good.is_valid(), good.errors
    document = good.save()
    assert (document.file_name, document.file_type) == ("Skabelon.pdf", "application/pdf")
    assert document.file_size == len(simple_pdf("Skabelon"))
    # Stored under a random name, not the uploader's.
    assert "Skabelon" not in document.file.name
    assert document.file.name.startswith("resources/") and document.file.name.endswith(".pdf")


def test_the_readers_district_consultant_is_shown(client, public_guide):
    ContactFactory(name="Kirsten Kredskonsulent", region=Region.MIDTJYLLAND)
    ContactFactory(name="Henrik Hovedstad", region=Region.HOVEDSTADEN)
    anonymous = client.get(public_guide.url).content.decode()
    assert "Vælg din region for at se, hvem du kan spørge." in anonymous
    chosen = client.get(public_guide.url, {"region": Region.HOVEDSTADEN}).content.decode()
    assert "Henrik Hovedstad" in chosen and "Kirsten" not in chosen
    # A person from Aarhus Kommune sees the Central Region's consultant without choosing.
    person = UserFactory(verified=True)
    AffiliationFactory(person=person, organisation=municipality("751"))
    client.force_login(person)
    own = client.get(public_guide.url).content.decode()
    assert "Kirsten Kredskonsulent" in own and "Henrik" not in own


def test_editors_attach_a_checked_document_in_the_page_editor(client, staff, index_page):
    client.force_login(staff)
    add_url = f"/admin/pages/add/library/resourcepage/{index_page.pk}/"

    def post(upload):
        return client.submit(
            add_url,
            nested_form_data(
                {
                    "title": "Eksempel på en aftale",
                    "slug": "eksempel",
                    "intro": "Et eksempel.",
                    "body": streamfield([]),
                    "documents": inline_formset(
                        [{"title": "Eksemplet", "file": upload, "audience": "members"}]
                    ),
                    "topics": [Topic.objects.get(code="placement").pk],
                    "audience": "public",
                    "show_district_consultant": "on",
                    "action-publish": "publish",
                }
            ),
        )

    bad = post(SimpleUploadedFile("eksempel.pdf", b"no pdf here"))
    assert bad.status_code == 200
    assert "Filen skal være et PDF-, Word- (DOCX) eller OpenDocument-dokument (ODT)." in (
        bad.content.decode()
    )
    assert not ResourcePage.objects.filter(slug="eksempel").exists()

    good = post(SimpleUploadedFile("Eksempel.pdf", simple_pdf("Eksempel")))
    assert good.status_code == 302
    page = ResourcePage.objects.get(slug="eksempel")
    document = page.documents.get()
    assert (document.file_name, document.audience) == ("Eksempel.pdf", "members")
    assert document.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert client.get(f"/aftaler/materiale/{document.pk}/").status_code == 200  # staff
    client.logout()
    assert client.get(f"/aftaler/materiale/{document.pk}/").status_code == 404
    # Editing the page again shows the file by its name, linked through the checking view.
    client.force_login(staff)
    edit = client.get(f"/admin/pages/{page.pk}/edit/")
    assert edit.status_code == 200
    assert (
        f'<a href="/aftaler/materiale/{document.pk}/" target="_blank" rel="noopener">'
        "Eksempel.pdf</a>" in edit.content.decode()
    )
