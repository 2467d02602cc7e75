"""Development: the embedded setup that `make run` serves on http://127.0.0.1:8000."""

from .base import *  # noqa: F403
from .env import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = ["*"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# An unknown address shows the site's own 404 page, not Django's debug 404.
MIDDLEWARE = ["portal.middleware.SiteNotFoundPageMiddleware", *MIDDLEWARE]  # noqa: F405
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The embedded setup keeps its database and uploads in ./var (git-ignored).
VAR_DIR.mkdir(exist_ok=True)  # noqa: F405
# WebAuthn over plain http on localhost (production is https).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
