"""Private document storage and upload checks for the agreements library.

Storage, content checks and downloads are shared with the meetings app and live in
`portal.private_files`; this module keeps the library's names for them (migrations
reference `private_storage` and the `upload_to` callables here), the random stored
names and the admin widget.
"""

import posixpath
import uuid

from django.forms import ClearableFileInput

from portal import private_files
from portal.private_files import DOCUMENTS, FileKind


def private_storage():
    """The storage for agreement and resource documents (referenced by migrations)."""
    return private_files.private_storage()


def validate_document(upload) -> FileKind:
    """A PDF, DOCX or ODT of at most 20 MB whose name matches its content, or a
    Danish-translated ValidationError."""
    return private_files.validate_upload(upload, DOCUMENTS)


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
