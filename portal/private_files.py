"""Private files: storage, upload checks and downloads, shared by every app.

Agreement documents, members-only material and meeting materials live under
`settings.PRIVATE_MEDIA_ROOT`, outside MEDIA_ROOT, so neither Django's `static()` helper
nor a web server serving /media/ can reach them. The storage has no URL at all: every
download goes through a view that checks who is asking and then answers with
`private_file_response()`.

With object storage (S3_BUCKET and S3_PRIVATE_BUCKET, see the settings), `STORAGES["private"]`
is a `PrivateS3Storage` on a bucket of its own whose objects are written with a private
ACL; `private_storage(folder)` then returns it (keys `<folder>/<stored name>`, as on disk)
instead of the local folder. The object store is never linked: a download still goes
through the checking view.

Downloads: behind nginx (PRIVATE_FILES_ACCEL), `private_file_response()` answers with an
empty response carrying `X-Accel-Redirect` to one of nginx's internal locations, and nginx
sends the bytes: `/_private/files/<path>` for a file on disk (an alias of
PRIVATE_MEDIA_ROOT), `/_private/s3/<bucket>/<key>?<signature>` for an object (a signed
URL valid for PRIVATE_FILES_URL_SECONDS, which nginx fetches from the object store). No
client can request those locations. Without nginx (`make run`, the tests) the view
streams the file itself.

Uploads are judged by their content, not by their name or what the browser claims:
`validate_upload(upload, rule)` accepts only the kinds the rule allows, at most 20 MB,
and only when the name's extension matches the content.

`PrivateFileField` ties these together for every private attachment (meeting materials,
agreement documents, inspiration material): a random stored name, the uploader's file
name, type and size kept next to it (`<field>_name`, `<field>_type`, `<field>_size`), the
upload checked once by its form field, an access rule passed in, and an admin widget that
links to the file through the app's checking view. `serve()` answers that view.
"""

import mimetypes
import posixpath
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

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


@deconstructible(path="portal.private_files.PrivateS3Storage")
class PrivateS3Storage(S3Storage):
    """Private files in an S3 bucket (STORAGES["private"]): objects written with the
    configured canned ACL (private), never a public URL (`url()` refuses, as on disk),
    keys under `folder` like the local layout."""

    querystring_auth = True

    def __init__(self, *, folder: str = "", **settings_):
        super().__init__(**settings_)
        self.folder = folder
        if folder:
            self.location = posixpath.join(self.location or "", folder)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL; link to the permission-checking view.")


def private_storage(folder: str = ""):
    """The storage for private files. Apps pass it to FileField through a module-level
    callable of their own, so migrations do not bake in this machine's path or bucket.
    A configured `STORAGES["private"]` (an object store) wins over the local folder; its
    backend takes `folder` too, so keys keep the local layout (`meetings/materials/...`)."""
    config = settings.STORAGES.get("private")
    if config is None:
        return PrivateFileSystemStorage(folder=folder)
    backend = import_string(config["BACKEND"])
    return backend(**{**config.get("OPTIONS", {}), "folder": folder})


# --- Downloads -------------------------------------------------------------------------


ACCEL_FILES_LOCATION = "/_private/files/"
ACCEL_S3_LOCATION = "/_private/s3"


def private_file_response(
    file, *, filename: str, as_attachment: bool = True, content_type: str = ""
) -> HttpResponse:
    """Answer with a private file for a viewer the caller has already checked.

    Behind nginx (PRIVATE_FILES_ACCEL) the answer is empty and names the file in
    `X-Accel-Redirect`; otherwise the file is streamed. A missing file is a 404. The
    response is never cached by shared caches and the browser may not second-guess its
    type."""
    filename = filename or posixpath.basename(file.name or "") or "dokument"
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    if settings.PRIVATE_FILES_ACCEL:
        try:
            exists = bool(file.name) and _storage_of(file).exists(file.name)
        except (OSError, ValueError) as error:
            raise Http404 from error
        if not exists:
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        response["X-Accel-Redirect"] = accel_redirect(
            file, filename=filename, content_type=content_type, as_attachment=as_attachment
        )
    else:
        try:
            handle = file.open("rb")
        except (FileNotFoundError, OSError, ValueError) as error:
            raise Http404 from error
        response = FileResponse(
            handle, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = PRIVATE_CACHE
    return response


def signed_get_url(
    storage: S3Storage, name: str, *, filename: str, content_type: str, as_attachment: bool
) -> str:
    """A GET URL for the object, valid for PRIVATE_FILES_URL_SECONDS, that makes the store
    answer with the download's own type and file name. For nginx only: never shown."""
    params = {
        "Bucket": storage.bucket_name,
        "Key": storage._normalize_name(clean_name(name)),
        "ResponseContentType": content_type,
        "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
    }
    return storage.connection.meta.client.generate_presigned_url(
        "get_object", Params=params, ExpiresIn=settings.PRIVATE_FILES_URL_SECONDS
    )


def _storage_of(file):
    """The storage a model's file (FieldFile) or an opened object (S3File) lives in."""
    storage = getattr(file, "storage", None) or getattr(file, "_storage", None)
    if storage is None:
        raise ValueError("nginx can send only a stored file (a model's file field).")
    return storage


def accel_redirect(file, *, filename: str, content_type: str, as_attachment: bool) -> str:
    """nginx's internal location for the stored file (see the module's docstring)."""
    storage = _storage_of(file)
    if isinstance(storage, S3Storage):
        signed = urlsplit(
            signed_get_url(
                storage,
                file.name,
                filename=filename,
                content_type=content_type,
                as_attachment=as_attachment,
            )
        )
        return f"{ACCEL_S3_LOCATION}{signed.path}?{signed.query}"
    if isinstance(storage, FileSystemStorage):
        path = Path(storage.path(file.name)).resolve()
        root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
        if not path.is_relative_to(root):
            raise ValueError("A private file outside PRIVATE_MEDIA_ROOT cannot be sent by nginx.")
        return ACCEL_FILES_LOCATION + quote(path.relative_to(root).as_posix())
    raise ValueError(f"nginx cannot send files of {type(storage).__name__}.")


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

    @property
    def accept(self) -> str:
        """The file input's `accept` attribute: extensions and content types."""
        return ",".join(
            [f".{kind.extension}" for kind in self.kinds]
            + [kind.content_type for kind in self.kinds]
        )


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


def checked_kind(upload, rule: UploadRule = DOCUMENTS) -> FileKind:
    """The kind `PrivateFileFormField` found when the form checked the upload; callers
    that bypass a form (the demo, scripts) get the check here instead."""
    kind = getattr(upload, "private_kind", None)
    if kind is None:
        kind = upload.private_kind = validate_upload(upload, rule)
    return kind


# --- Stored names ----------------------------------------------------------------------


@deconstructible(path="portal.private_files.RandomName")
class RandomName:
    """`upload_to` for private files: a random name in `folder`, keeping only the
    extension, so stored paths are neither guessable nor carry the uploader's file name
    (which may hold personal data); the field keeps that name for the download."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        extension = posixpath.splitext(filename or "")[1].lower()
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self):
        return hash(("RandomName", self.folder))


# --- Forms -----------------------------------------------------------------------------


def is_new_upload(value) -> bool:
    """A file just uploaded through a form (not the stored one, not "clear")."""
    return isinstance(value, UploadedFile)


class PrivateFileInput(forms.ClearableFileInput):
    """A file input for a private file. Names the current file by the uploader's file
    name and links it through the app's permission-checking view (a private file has no
    URL of its own, which Django's ClearableFileInput asks for)."""

    # Under portal/templates: form widgets render with the app template loaders only.
    template_name = "portal/widgets/private_file_input.html"
    clear_checkbox_label = _("Remove the file")
    input_text = _("Choose another file instead")

    def is_initial(self, value):
        return bool(value and getattr(value, "name", None))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value):
            instance = getattr(value, "instance", None)
            field = getattr(value, "field", None)
            display_name = ""
            download_url = ""
            size = None
            if isinstance(field, PrivateFileField) and instance is not None:
                display_name = field.original_name(instance)
                download_url = field.download_url(instance)
                size = field.size(instance)
            context["widget"]["display_name"] = display_name or posixpath.basename(value.name)
            context["widget"]["download_url"] = download_url
            context["widget"]["size"] = size
        return context


class PrivateFileFormField(forms.FileField):
    """Checks a new upload against `rule` (content, size, extension): the one place an
    upload is validated. The kind found rides on the upload (`private_kind`), so the
    model field and services do not check it again."""

    widget = PrivateFileInput

    def __init__(self, *, rule: UploadRule = DOCUMENTS, **kwargs):
        super().__init__(**kwargs)
        self.rule = rule
        self.widget.attrs.setdefault("accept", rule.accept)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if is_new_upload(value):
            value.private_kind = validate_upload(value, self.rule)
        return value


# --- Models ----------------------------------------------------------------------------

AccessRule = Callable[[object, models.Model], bool]


class PrivateFileField(models.FileField):
    """A file no plain URL reaches.

    - stored in the private storage under a random name (`RandomName(folder)`);
    - the uploader's file name, the checked content type and the size are kept on the
      model in `<name>_name`, `<name>_type` and `<name>_size` when the model has them;
    - `rule` says which kinds an upload may be; the form field checks it;
    - `access(user, instance) -> bool` says who may open the file (the rule passed in);
    - `url_name` is the checking view (reversed with the instance's pk) that the admin
      widget links to.

    Migrations see a plain FileField: the rule, the access and the view are not schema.
    """

    def __init__(
        self,
        verbose_name=None,
        name=None,
        *,
        rule: UploadRule = DOCUMENTS,
        access: AccessRule | None = None,
        url_name: str = "",
        folder: str = "files",
        **kwargs,
    ):
        kwargs.setdefault("storage", private_storage)
        kwargs.setdefault("upload_to", RandomName(folder))
        kwargs.setdefault("max_length", 255)
        self.rule = rule
        self.access = access
        self.url_name = url_name
        super().__init__(verbose_name, name, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.FileField", args, kwargs

    # The companions kept next to the file.

    def _companion(self, suffix: str) -> str:
        return f"{self.name}_{suffix}"

    def original_name(self, instance) -> str:
        stored = getattr(instance, self.name)
        return getattr(instance, self._companion("name"), "") or (
            posixpath.basename(stored.name) if stored else ""
        )

    def content_type(self, instance) -> str:
        return getattr(instance, self._companion("type"), "")

    def size(self, instance) -> int | None:
        return getattr(instance, self._companion("size"), None)

    def _set_companions(self, instance, *, name="", content_type="", size=None):
        for suffix, value in (("name", name), ("type", content_type), ("size", size)):
            if hasattr(instance, self._companion(suffix)):
                setattr(instance, self._companion(suffix), value)

    def attach(self, instance, upload) -> None:
        """Store `upload` on `instance` under a random name (not saving the instance) and
        keep its name, kind and size. Checked already by the form, or here."""
        kind = checked_kind(upload, self.rule)
        getattr(instance, self.name).save(upload.name, upload, save=False)
        self._set_companions(
            instance,
            name=posixpath.basename(upload.name or "")[:255],
            content_type=kind.content_type,
            size=upload.size,
        )

    def detach(self, instance) -> None:
        """Forget the file (the stored object is left for cleanup, as Django does)."""
        setattr(instance, self.name, "")
        self._set_companions(instance)

    def save_form_data(self, instance, data):
        if is_new_upload(data):
            kind = checked_kind(data, self.rule)
            super().save_form_data(instance, data)
            self._set_companions(
                instance,
                name=posixpath.basename(data.name or "")[:255],
                content_type=kind.content_type,
                size=data.size,
            )
        elif data is False:
            self.detach(instance)
        else:
            super().save_form_data(instance, data)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": PrivateFileFormField, "rule": self.rule, **kwargs}
        )

    # Access and links.

    def may_open(self, user, instance) -> bool:
        return bool(self.access is not None and self.access(user, instance))

    def download_url(self, instance) -> str:
        if not (self.url_name and instance.pk and getattr(instance, self.name)):
            return ""
        return reverse(self.url_name, args=[instance.pk])


def serve(request, instance, field_name: str = "file", *, denied=None):
    """The checking view's answer: the file when the field's access rule lets the user
    open it; otherwise `denied(request)` if given, else 404 (which does not tell whether
    the file exists)."""
    field = instance._meta.get_field(field_name)
    file = getattr(instance, field_name)
    if not file:
        raise Http404
    if not field.may_open(request.user, instance):
        if denied is not None:
            return denied(request)
        raise Http404
    return private_file_response(
        file, filename=field.original_name(instance), content_type=field.content_type(instance)
    )
