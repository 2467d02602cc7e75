"""Private document storage and upload checks.

Agreement documents and members-only material live under `settings.PRIVATE_MEDIA_ROOT`,
outside MEDIA_ROOT, so neither Django's `static()` helper nor a web server serving
/media/ can reach them. The storage has no URL at all: every download goes through a
view that checks `Agreement.objects.visible_to(user)` (or the resource's audience).

Operators who move to object storage configure `STORAGES["private"]` (e.g. a private
S3 bucket); `private_storage()` then uses it instead of the local folder.
"""

import posixpath
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.forms import ClearableFileInput
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024  # 20 MB, as the questionnaire promises


@deconstructible(path="network.library.files.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """Local files under PRIVATE_MEDIA_ROOT with no public URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no URL; link to the permission-checking view.")


def private_storage():
    """The storage for private documents (a callable, so migrations stay stable)."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return PrivateFileSystemStorage()


@dataclass(frozen=True)
class DocumentKind:
    extension: str
    content_type: str
    label: str


PDF = DocumentKind("pdf", "application/pdf", "PDF")
DOCX = DocumentKind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (DOCX)",
)
ODT = DocumentKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)")
DOCUMENT_KINDS = {kind.extension: kind for kind in (PDF, DOCX, ODT)}


def detect_kind(upload) -> DocumentKind | None:
    """What the file really is, judged by its content (not its name or the browser)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # ODF puts an uncompressed `mimetype` entry first; read at most a few bytes.
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                if mimetype == ODT.content_type and "content.xml" in names:
                    return ODT
                return None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
        return None
    finally:
        upload.seek(0)
    return None


def validate_document(upload) -> DocumentKind:
    """Raise a Danish-translated ValidationError unless `upload` is a PDF, DOCX or ODT of
    at most 20 MB whose name matches its content."""
    if upload.size > MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The maximum is 20 MB."),
            code="too_large",
            params={"size": f"{upload.size / (1024 * 1024):.1f}".replace(".", ",")},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = detect_kind(upload)
    if kind is None:
        raise ValidationError(
            _("The file must be a PDF, Word (DOCX) or OpenDocument (ODT) document."),
            code="bad_type",
        )
    extension = posixpath.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension != kind.extension:
        raise ValidationError(
            _("The file is a %(kind)s document but its name ends in “.%(extension)s”."),
            code="bad_extension",
            params={"kind": kind.label, "extension": extension or "?"},
        )
    return kind


def _random_name(folder: str, filename: str) -> str:
    # The stored name is random, so paths are neither guessable nor carry personal data;
    # the uploader's file name is kept on the model for the download.
    extension = posixpath.splitext(filename)[1].lower()
    return f"{folder}/{uuid.uuid4().hex}{extension}"


def agreement_upload_to(instance, filename):
    return _random_name("agreements", filename)


def resource_upload_to(instance, filename):
    return _random_name("resources", filename)


class PrivateFileInput(ClearableFileInput):
    """A file input that names the current file without linking to it (it has no URL)."""

    template_name = "library/widgets/private_file_input.html"

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            # Models keep the uploader's file name next to the file (`document_name`).
            instance = getattr(value, "instance", None)
            field = getattr(value, "field", None)
            original = getattr(instance, f"{field.name}_name", "") if field else ""
            context["widget"]["display_name"] = original or posixpath.basename(value.name)
        return context
