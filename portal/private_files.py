"""Private files: storage, upload checks and downloads, shared by every app.

Agreement documents, members-only material and meeting materials live under
`settings.PRIVATE_MEDIA_ROOT`, outside MEDIA_ROOT, so neither Django's `static()` helper
nor a web server serving /media/ can reach them. The storage has no URL at all: every
download goes through a view that checks who is asking and then answers with
`private_file_response()`.

Operators who move to object storage configure `STORAGES["private"]` (e.g. a private
S3 bucket); `private_storage()` then uses it instead of the local folder.

Uploads are judged by their content, not by their name or what the browser claims:
`validate_upload(upload, rule)` accepts only the kinds the rule allows, at most 20 MB,
and only when the name's extension matches the content.
"""

import mimetypes
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

PRIVATE_CACHE = "private, no-store"
MAX_UPLOAD_SIZE = 20 * 1024 * 1024  # 20 MB; the error message names the same limit


# --- Storage ---------------------------------------------------------------------------


@deconstructible(path="portal.private_files.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """Local files under PRIVATE_MEDIA_ROOT (or a folder in it) with no public URL.

    The location follows the setting, also when tests override it."""

    def __init__(self, *args, folder: str = "", **kwargs):
        self.folder = folder
        super().__init__(*args, **kwargs)

    @cached_property
    def base_location(self):
        if self._location is not None:
            return self._location
        root = Path(settings.PRIVATE_MEDIA_ROOT)
        return str(root / self.folder if self.folder else root)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("Private files have no URL; link to the permission-checking view.")


def private_storage(folder: str = ""):
    """The storage for private files. Apps pass it to FileField through a module-level
    callable of their own, so migrations do not bake in this machine's path. A configured
    `STORAGES["private"]` wins; the apps' stored names differ by prefix, so they can
    share it."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return PrivateFileSystemStorage(folder=folder)


# --- Downloads -------------------------------------------------------------------------


def private_file_response(
    file, *, filename: str, as_attachment: bool = True, content_type: str = ""
) -> FileResponse:
    """Stream a private file to a viewer the caller has already checked.

    A missing file is a 404. The response is never cached by shared caches and the
    browser may not second-guess its type."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as error:
        raise Http404 from error
    filename = filename or posixpath.basename(file.name or "") or "dokument"
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE_CACHE
    return response


# --- Upload checks ---------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


PDF = FileKind("pdf", "application/pdf", "PDF")
DOCX = FileKind(
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word (DOCX)",
)
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text", "OpenDocument (ODT)")
PPTX = FileKind(
    "pptx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "PowerPoint (PPTX)",
)
XLSX = FileKind(
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Excel (XLSX)",
)

# Office Open XML: a zip with `[Content_Types].xml` and the part folder of its kind.
_OOXML_PARTS = (("word/document.xml", DOCX), ("ppt/", PPTX), ("xl/", XLSX))


@dataclass(frozen=True)
class UploadRule:
    """Which kinds an upload may be, and the error naming them."""

    kinds: tuple[FileKind, ...]
    bad_type_message: str


DOCUMENTS = UploadRule(
    (PDF, DOCX, ODT),
    _("The file must be a PDF, Word (DOCX) or OpenDocument (ODT) document."),
)
MATERIALS = UploadRule(
    (PDF, DOCX, ODT, PPTX, XLSX),
    _(
        "The file must be a PDF, Word (DOCX), OpenDocument (ODT), PowerPoint (PPTX) "
        "or Excel (XLSX) file."
    ),
)


def _detect_zip_kind(archive: zipfile.ZipFile) -> FileKind | None:
    names = archive.namelist()
    name_set = set(names)
    if "mimetype" in name_set:
        # ODF puts an uncompressed `mimetype` entry first; read at most a few bytes.
        with archive.open("mimetype") as entry:
            mimetype = entry.read(100).decode("ascii", "replace").strip()
        if mimetype == ODT.content_type and "content.xml" in name_set:
            return ODT
        return None
    if "[Content_Types].xml" not in name_set:
        return None
    for part, kind in _OOXML_PARTS:
        if part.endswith("/"):
            if any(name.startswith(part) for name in names):
                return kind
        elif part in name_set:
            return kind
    return None


def detect_kind(upload) -> FileKind | None:
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
            return _detect_zip_kind(archive)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
        return None
    finally:
        upload.seek(0)


def validate_upload(upload, rule: UploadRule = DOCUMENTS) -> FileKind:
    """Raise a Danish-translated ValidationError unless `upload` is one of the rule's
    kinds, at most 20 MB, and its name's extension matches its content."""
    if upload.size > MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s MB). The maximum is 20 MB."),
            code="too_large",
            params={"size": f"{upload.size / (1024 * 1024):.1f}".replace(".", ",")},
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    kind = detect_kind(upload)
    if kind not in rule.kinds:
        raise ValidationError(rule.bad_type_message, code="bad_type")
    extension = posixpath.splitext(upload.name or "")[1].lower().lstrip(".")
    if extension != kind.extension:
        raise ValidationError(
            _("The file is a %(kind)s document but its name ends in “.%(extension)s”."),
            code="bad_extension",
            params={"kind": kind.label, "extension": extension or "?"},
        )
    return kind
