"""Names that the library's first migration references; nothing else uses them.

Private attachments (storage, random names, upload checks, the admin widget, downloads)
live in `portal.private_files` (`PrivateFileField`), shared with the meetings app.
"""

from portal import private_files


def private_storage():
    return private_files.private_storage()


def agreement_upload_to(instance, filename):
    return private_files.RandomName("agreements")(instance, filename)


def resource_upload_to(instance, filename):
    return private_files.RandomName("resources")(instance, filename)
