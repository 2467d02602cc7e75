"""The shared private-file helpers: content checks for uploads, the storage and the
download response."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from portal import private_files
from portal.private_files import (
    DOCUMENTS,
    MATERIALS,
    private_file_response,
    private_storage,
    validate_upload,
)


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


PDF = b"%PDF-1.4 en lille pdf"
DOCX = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
PPTX = zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"})
XLSX = zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"})
ODT = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"}
)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("slides.pdf", PDF, "pdf"),
        ("referat.docx", DOCX, "docx"),
        ("referat.odt", ODT, "odt"),
        ("slides.pptx", PPTX, "pptx"),
        ("tal.xlsx", XLSX, "xlsx"),
    ],
)
def test_materials_accept_the_five_kinds_by_content(name, content, extension):
    assert validate_upload(upload(name, content), MATERIALS).extension == extension


def test_documents_refuse_presentations_and_spreadsheets_in_danish():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("slides.pptx", PPTX), DOCUMENTS)
    assert error.value.messages == [
        "Filen skal være et PDF-, Word- (DOCX) eller OpenDocument-dokument (ODT)."
    ]


def test_a_renamed_file_is_judged_by_its_content():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("slides.pdf", b"MZ\x90\x00 not a pdf"), MATERIALS)
    assert error.value.messages == [
        "Filen skal være en PDF-, Word- (DOCX), OpenDocument- (ODT), PowerPoint- (PPTX) "
        "eller Excel-fil (XLSX)."
    ]
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("tal.pdf", XLSX), MATERIALS)
    assert error.value.messages == [
        "Filen er et Excel (XLSX)-dokument, men navnet ender på ».pdf«."
    ]


def test_a_zip_without_an_office_part_is_refused():
    plain_zip = zip_bytes({"[Content_Types].xml": b"<Types/>", "other/x.xml": b"<x/>"})
    with pytest.raises(ValidationError):
        validate_upload(upload("slides.pptx", plain_zip), MATERIALS)


def test_empty_and_too_large_files_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("tom.pdf", b""), MATERIALS)
    assert error.value.messages == ["Filen er tom."]
    just_allowed = PDF + b" " * (20 * 1024 * 1024 - len(PDF))
    assert validate_upload(upload("stor.pdf", just_allowed), MATERIALS).extension == "pdf"
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("stor.pdf", just_allowed + b" " * 200_000), MATERIALS)
    assert error.value.messages == ["Filen er for stor (20,2 MB). Den må højst fylde 20 MB."]


def test_the_storage_follows_the_setting_and_has_no_url(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storage = private_storage("meetings")
    name = storage.save("materials/referat.pdf", ContentFile(PDF))
    assert storage.path(name).startswith(str(tmp_path / "private" / "meetings"))
    with pytest.raises(ValueError):
        storage.url(name)


def test_the_download_response_is_private_and_not_sniffed(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storage = private_storage()
    name = storage.save("x/slides.pptx", ContentFile(PPTX))
    response = private_file_response(storage.open(name), filename="Slides æøå.pptx")
    assert response["Content-Type"] == private_files.PPTX.content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Slides%20%C3%A6%C3%B8%C3%A5.pptx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PPTX

    inline = private_file_response(storage.open(name), filename="a.pdf", as_attachment=False)
    assert inline["Content-Disposition"].startswith("inline;")
    assert inline["Content-Type"] == "application/pdf"


def test_a_missing_file_is_a_404(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    missing = private_storage()
    with pytest.raises(Http404):
        private_file_response(_Missing(missing), filename="væk.pdf")


class _Missing:
    name = "findes/ikke.pdf"

    def __init__(self, storage):
        self.storage = storage

    def open(self, mode):
        return self.storage.open(self.name, mode)


# --- The shared field, form field and widget ---------------------------------------------


def test_stored_names_are_random_and_keep_only_the_extension():
    name = private_files.RandomName("materials")
    first = name(None, "Referat - Jens Jensen, CPR 010101-1234.PDF")
    second = name(None, "Referat - Jens Jensen, CPR 010101-1234.PDF")
    assert first != second
    for stored in (first, second):
        assert stored.startswith("materials/") and stored.endswith(".pdf")
        assert "Jensen" not in stored and "010101" not in stored


def test_the_form_field_checks_once_and_remembers_the_kind():
    field = private_files.PrivateFileFormField(rule=DOCUMENTS, required=False)
    with pytest.raises(ValidationError) as error:
        field.clean(upload("slides.pptx", PPTX))
    assert error.value.code == "bad_type"
    checked = field.clean(upload("aftale.pdf", PDF))
    assert checked.private_kind == private_files.PDF
    # The service trusts what the form found instead of reading the file again.
    checked.file = io.BytesIO(b"not read again")
    assert private_files.checked_kind(checked, DOCUMENTS) == private_files.PDF
    assert 'accept=".pdf,.docx,.odt,' in field.widget.render("document", None)


@pytest.mark.django_db
def test_the_widget_names_the_file_and_links_only_through_a_checking_view(tmp_path, settings):
    from network.library.models import Agreement, ResourceDocument

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    widget = private_files.PrivateFileInput()
    agreement = Agreement(pk=7, document_name="Aftale med Aarhus.pdf")
    agreement.document.name = "agreements/0123abcd.pdf"
    # The agreement's document links to its checking view (a draft's opens for its author
    # only), named by the uploader's file name and size.
    agreement.document_size = 2048
    html = widget.render("document", agreement.document)
    assert (
        'Vedhæftet: <a href="/aftaler/dokument/7/" target="_blank" rel="noopener">'
        "Aftale med Aarhus.pdf</a> (2,0\xa0KB)" in html
    )
    assert "agreements/0123abcd.pdf" not in html
    html = private_files.PrivateFileInput().render("document", None)
    assert "Vedhæftet" not in html

    document = ResourceDocument(pk=3, file_name="Tjekliste.pdf")
    document.file.name = "resources/4567cdef.pdf"
    html = widget.render("file", document.file)
    assert '<a href="/aftaler/materiale/3/" target="_blank" rel="noopener">Tjekliste.pdf</a>' in (
        html
    )
