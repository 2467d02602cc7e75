"""Files in object storage (S3, a real SeaweedFS) and private downloads sent by nginx.

- `private_storage(folder)` is the private bucket when STORAGES["private"] is configured
  (as S3_BUCKET does), with keys laid out as on disk; its objects cannot be read without
  the keys, and it has no URL.
- With PRIVATE_FILES_ACCEL, `private_file_response()` answers with an empty response
  naming nginx's internal location in X-Accel-Redirect: for an object, a signed URL that
  works only briefly; for a file on disk, its path under PRIVATE_MEDIA_ROOT.
- Media (images, renditions, Wagtail documents) live in the media bucket with URLs on the
  site (/media/...), and Wagtail's document view serves them from there.
"""

import time
import urllib.error
import urllib.request
from urllib.parse import unquote, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.urls import reverse
from wagtail.documents.models import Document

from network.library.pdf import simple_pdf
from portal import private_files
from portal.private_files import (
    PrivateFileSystemStorage,
    PrivateS3Storage,
    private_file_response,
    private_storage,
)
from portal.storage import MediaS3Storage
from tests.servers import seaweedfs_s3

PDF = simple_pdf("Aftale", ["Privat indhold."])
MEDIA_BUCKET = "media-test"
PRIVATE_BUCKET = "private-test"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    with seaweedfs_s3(tmp_path_factory.mktemp("seaweedfs"), (MEDIA_BUCKET, PRIVATE_BUCKET)) as s3:
        yield s3


@pytest.fixture
def object_storage(settings, s3):
    """The STORAGES the settings build from S3_* variables, on the test server."""
    options = {
        "endpoint_url": s3.endpoint,
        "access_key": s3.access_key,
        "secret_key": s3.secret_key,
        "region_name": "us-east-1",
        "signature_version": "s3v4",
        "addressing_style": "path",
        "file_overwrite": False,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "portal.storage.MediaS3Storage",
            "OPTIONS": {**options, "bucket_name": MEDIA_BUCKET},
        },
        "private": {
            "BACKEND": "portal.private_files.PrivateS3Storage",
            "OPTIONS": {**options, "bucket_name": PRIVATE_BUCKET, "default_acl": "private"},
        },
    }
    return s3


def stored(storage, name: str) -> FieldFile:
    """The file as the checking views pass it: a model's file field value."""
    return FieldFile(None, models.FileField(storage=storage), name)


def anonymous_get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def fetch(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return response.status, dict(response.headers), response.read()


# --- Which storage ---------------------------------------------------------------------


def test_without_object_storage_private_files_stay_on_disk(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    assert "private" not in settings.STORAGES
    storage = private_storage("meetings")
    assert isinstance(storage, PrivateFileSystemStorage)
    assert storage.location == str(tmp_path / "private" / "meetings")


def test_private_files_go_to_the_private_bucket_and_no_one_reads_them_without_keys(
    object_storage,
):
    storage = private_storage("meetings")
    assert isinstance(storage, PrivateS3Storage)
    name = storage.save("materials/referat.pdf", ContentFile(PDF))

    keys = [
        item["Key"]
        for item in object_storage.client().list_objects_v2(Bucket=PRIVATE_BUCKET)["Contents"]
    ]
    assert f"meetings/{name}" in keys  # the same layout as PRIVATE_MEDIA_ROOT on disk
    assert storage.open(name).read() == PDF
    # Written with a private ACL and no public access: the plain address is refused.
    assert anonymous_get(f"{object_storage.endpoint}/{PRIVATE_BUCKET}/meetings/{name}") == 403
    grants = object_storage.client().get_object_acl(Bucket=PRIVATE_BUCKET, Key=f"meetings/{name}")
    assert not [g for g in grants["Grants"] if g["Grantee"].get("Type") == "Group"]
    with pytest.raises(ValueError):
        storage.url(name)
    # Another app's files share the bucket under their own prefix.
    other = private_storage().save("agreements/aftale.pdf", ContentFile(PDF))
    assert other.startswith("agreements/")
    assert not storage.exists(other)


def test_media_urls_stay_on_the_site_and_names_are_never_overwritten(object_storage):
    assert isinstance(default_storage, MediaS3Storage)
    first = default_storage.save("images/foto.png", ContentFile(b"one"))
    second = default_storage.save("images/foto.png", ContentFile(b"two"))
    assert first == "images/foto.png"
    assert second != first
    assert default_storage.url(first) == "/media/images/foto.png"
    assert default_storage.open(first).read() == b"one"


# --- Downloads sent by nginx ------------------------------------------------------------


def test_an_object_is_sent_by_nginx_through_a_short_lived_signed_url(object_storage, settings):
    settings.PRIVATE_FILES_ACCEL = True
    settings.PRIVATE_FILES_URL_SECONDS = 2
    storage = private_storage()
    name = storage.save("agreements/aftale.pdf", ContentFile(PDF))

    response = private_file_response(stored(storage, name), filename="Aftale Århus.pdf")

    assert response.content == b""  # nginx sends the bytes
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Aftale%20%C3%85rhus.pdf"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    location = response["X-Accel-Redirect"]
    assert location.startswith(f"/_private/s3/{PRIVATE_BUCKET}/{name}?")

    # What nginx's internal location fetches: the store answers with the file, its type
    # and its name...
    signed = object_storage.endpoint + location.removeprefix("/_private/s3")
    status, headers, body = fetch(signed)
    assert (status, body) == (200, PDF)
    assert headers["Content-Type"] == "application/pdf"
    assert "Aftale%20%C3%85rhus.pdf" in headers["Content-Disposition"]
    # ...without the signature nothing, and the signature soon expires.
    assert anonymous_get(signed.split("?")[0]) == 403
    time.sleep(3.5)
    assert anonymous_get(signed) == 403


def test_a_file_on_disk_is_sent_by_nginx_from_its_internal_folder(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_FILES_ACCEL = True
    storage = private_storage("meetings")
    name = storage.save("materials/slides æ.pdf", ContentFile(PDF))

    response = private_file_response(
        stored(storage, name), filename="Slides.pdf", as_attachment=False
    )

    assert response.content == b""
    location = response["X-Accel-Redirect"]
    assert location.startswith("/_private/files/meetings/materials/")
    on_disk = tmp_path / "private" / unquote(location.removeprefix("/_private/files/"))
    assert on_disk.read_bytes() == PDF
    assert response["Content-Disposition"] == 'inline; filename="Slides.pdf"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("where", ["disk", "object store"])
def test_a_missing_file_is_still_a_404_behind_nginx(where, settings, tmp_path, request):
    settings.PRIVATE_FILES_ACCEL = True
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    if where == "object store":
        request.getfixturevalue("object_storage")
    gone = stored(private_storage(), "agreements/findes-ikke.pdf")
    with pytest.raises(Http404):
        private_file_response(gone, filename="væk.pdf")


@pytest.mark.django_db
def test_a_checking_view_answers_with_x_accel_redirect_only_after_the_check(
    client, settings, tmp_path
):
    """The library's agreement download: anonymous visitors are refused before any file
    is named; a permitted download names nginx's location (the same function)."""
    from network.library.factories import AgreementFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PRIVATE_FILES_ACCEL = True
    agreement = AgreementFactory(consent="members")
    url = reverse("library:agreement_document", args=[agreement.pk])

    refused = client.get(url)
    assert refused.status_code in (302, 403, 404)
    assert "X-Accel-Redirect" not in refused

    from portal.factories import UserFactory

    staff = UserFactory(verified=True, is_staff=True, is_superuser=True)
    client.force_login(staff)
    allowed = client.get(url)
    assert allowed.status_code == 200
    assert allowed["X-Accel-Redirect"].startswith("/_private/files/agreements/")
    assert allowed.content == b""


# --- Wagtail's media on S3 --------------------------------------------------------------


@pytest.mark.django_db
def test_wagtail_documents_are_served_from_the_media_bucket(client, object_storage):
    document = Document(title="Dagsorden")
    document.file.save("dagsorden.pdf", ContentFile(PDF), save=True)
    assert urlsplit(document.url).path == f"/documents/{document.pk}/dagsorden.pdf"

    response = client.get(document.url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    # Not readable straight from the bucket: documents may be private to a collection.
    assert anonymous_get(f"{object_storage.endpoint}/{MEDIA_BUCKET}/{document.file.name}") == 403


@pytest.mark.django_db
def test_wagtail_image_renditions_are_made_from_and_kept_in_the_media_bucket(object_storage):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), (200, 30, 30)).save(buffer, "PNG")
    image = Image(title="Foto")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="foto.png")
    image.save()

    rendition = image.get_rendition("fill-100x100")

    assert rendition.url.startswith("/media/images/foto.")
    stored = object_storage.client().get_object(Bucket=MEDIA_BUCKET, Key=rendition.file.name)
    assert PILImage.open(io.BytesIO(stored["Body"].read())).size == (100, 100)


def test_private_files_module_names_the_nginx_locations():
    """The two internal locations the template defines are the ones Django names."""
    from pathlib import Path

    template = (Path(__file__).parents[2] / "deploy" / "nginx.conf.template").read_text()
    assert f"location {private_files.ACCEL_FILES_LOCATION} {{" in template
    assert f"location {private_files.ACCEL_S3_LOCATION}/ {{" in template
