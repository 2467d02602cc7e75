"""Media (images, renditions, Wagtail documents) in an S3 bucket, when S3_BUCKET is set.

The objects' URLs stay on the site, `MEDIA_URL` + name (/media/images/...): the web server
proxies the public folders (images/, original_images/) to the bucket, so pages need no
object-store address, the Content-Security-Policy stays `img-src 'self'` and nothing links
to a URL that expires. Wagtail documents are never linked directly: they are served by
Wagtail's checking view (WAGTAILDOCS_SERVE_METHOD = "serve_view"). Private files use
`portal.private_files.PrivateS3Storage` instead.
"""

from django.conf import settings
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


@deconstructible(path="portal.storage.MediaS3Storage")
class MediaS3Storage(S3Storage):
    querystring_auth = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        return f"{settings.MEDIA_URL}{filepath_to_uri(clean_name(name))}"
