"""System checks of the portal's own.

`check_shared_cache` runs with `manage.py check --deploy`: allauth keeps its login rate
limits ("5 failures per 5 minutes") in the default cache. A local-memory cache is one per
process, so with 4 gunicorn workers an attacker gets 4 times the attempts (measured: the
first block came at attempt 10); the dummy cache keeps nothing and never blocks. Production
must use a cache all processes share: set REDIS_URL.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Error(
            f"The default cache is {backend.rsplit('.', 1)[-1]}, which each server process "
            "keeps for itself (or not at all). allauth's login rate limits live in this "
            "cache, so with several workers they do not hold.",
            hint="Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) so every process shares "
            "one cache. See docs/operations.md.",
            id="portal.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_private_bucket(app_configs, **kwargs):
    """Media are readable by anyone (images through the web server); private files must
    not share their bucket, or one public policy exposes both."""
    private = settings.STORAGES.get("private", {}).get("OPTIONS", {}).get("bucket_name")
    media = settings.STORAGES.get("default", {}).get("OPTIONS", {}).get("bucket_name")
    if not private or private != media:
        return []
    return [
        Error(
            f"Private files and media share the bucket {private!r}.",
            hint="Set S3_PRIVATE_BUCKET to a bucket of its own with no public access. "
            "See docs/operations.md.",
            id="portal.E002",
        )
    ]
