"""Tests: fast hasher, in-memory e-mail and cache, tasks inline, plain static storage.

DATABASE_URL selects PostgreSQL (`make test` runs the suite a second time against a
throwaway cluster); otherwise SQLite in a file per test process, so tests that need
real concurrent transactions get them.
"""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES
from .env import env

SECRET_KEY = "test-only-insecure-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# E-mail is queued (portal/emails.py) and delivered to `mail.outbox`.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
STAFF_NOTIFICATION_EMAILS = ["koordinator@erfa.example"]

_tmp = Path(env("TEST_TMP_DIR", tempfile.mkdtemp(prefix="erfa-test-")))
MEDIA_ROOT = _tmp / "media"
PRIVATE_MEDIA_ROOT = _tmp / "private"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_tmp / f"test-{os.getpid()}.sqlite3")}
# WebAuthn over plain http on localhost (production is https).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
