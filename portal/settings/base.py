"""Settings shared by every environment.

Safe for production as it stands: DEBUG is off, and everything that differs between
machines comes from the environment through `portal.settings.env`. Fake secrets live only
in `dev` and `test`; `production` refuses to start without the real ones.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "portal",
    "network",
    "network.library",
    "meetings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.apps.PortalUsersAppConfig",  # wagtail.users with the portal's user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_rq",  # the queue of the RQ task backend (TASKS_BACKEND, the stack)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.PublicPageCacheMiddleware",  # X-Accel-Expires for nginx, or private
    "portal.middleware.CachedSiteMiddleware",  # Wagtail's site for the host, from the cache
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.AdminAccessMiddleware",  # a 403, not a redirect loop, for members
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.AdminPreviewFrameOptionsMiddleware",
    "portal.middleware.PortalCSPMiddleware",  # django-csp, previews framed by the admin
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.AdminRequiresMFAMiddleware",  # staff: second factor before /admin/
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Every form renders in Det Fælles Designsystem's markup (portal/forms_rendering.py).
FORM_RENDERER = "portal.forms_rendering.FormRenderer"


def database_config() -> dict:
    """PostgreSQL when DATABASE_URL is set, else SQLite in WAL mode.

    SQLite runs every transaction as BEGIN IMMEDIATE with a busy timeout, so concurrent
    writers queue instead of failing with "database is locked" (see CONVENTIONS.md).
    """
    url = env("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
        if config["ENGINE"] == "django.db.backends.postgresql":
            config.setdefault("OPTIONS", {})
            # A registration waiting on another's row lock gives up after this long and
            # the user is asked to try again, instead of the request hanging.
            config["OPTIONS"].setdefault(
                "options", f"-c lock_timeout={env_int('DATABASE_LOCK_TIMEOUT_MS', 5000)}"
            )
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env("SQLITE_PATH", str(VAR_DIR / "db.sqlite3")),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    # ModelBackend with people's permissions kept in the cache (portal/auth_backends.py).
    "portal.auth_backends.CachedPermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_page"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: e-mail is the login, and must be verified before it is used.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupForm"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = env("EMAIL_SUBJECT_PREFIX", "[Erfa-netværk] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", "https")
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, spelled out so operators see them; they live in the cache,
    # which must be shared (REDIS_URL) once more than one process serves the site.
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}

# Behind a reverse proxy (nginx, a load balancer) every request comes from the proxy's
# address: allauth's per-IP limits ("10/m/ip" failed logins, "30/m/ip" logins) would then
# count all visitors together. TRUSTED_PROXY_COUNT is how many proxies append to
# X-Forwarded-For in front of the app servers (nginx alone: 1); the client's address is
# taken from there. 0 (the default): REMOTE_ADDR, for app servers nobody proxies.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Multi-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery
# codes, or a security key / passkey (WebAuthn, as a second factor after the password).
# Everyone who can enter the admin must use it (portal.middleware.
# AdminRequiresMFAMiddleware); members may turn it on from "Min side".
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Erfa-netværk"  # the account's name in the authenticator app
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for a phone's clock drift
MFA_RECOVERY_CODE_COUNT = 10
MFA_FORMS = {
    "add_webauthn": "portal.mfa_forms.PortalAddWebAuthnForm",
    "edit_webauthn": "portal.mfa_forms.PortalEditWebAuthnForm",
}

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
# Our own date formats over Django's (portal/formats): English "8 December 2021".
FORMAT_MODULE_PATH = ["portal.formats"]
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
# Page addresses are ASCII, made the Danish way (æ→ae, ø→oe, å→aa): portal/slugs.py.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
# Private documents (agreements, member-only material) live outside MEDIA_ROOT, where no
# plain URL reaches them; they are served only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Object storage (S3, e.g. SeaweedFS in the stack) when S3_BUCKET is set: media (images,
# renditions, Wagtail documents) in S3_BUCKET, private files in S3_PRIVATE_BUCKET, whose
# objects are written with a private ACL and which needs no public policy at all. Media URLs
# stay on the site (/media/...): the web server proxies /media/images/ and
# /media/original_images/ to the bucket (deploy/nginx.conf.template).
S3_BUCKET = env("S3_BUCKET")
if S3_BUCKET:
    _S3_OPTIONS = {
        "endpoint_url": env("S3_ENDPOINT_URL"),
        "access_key": env("S3_ACCESS_KEY_ID", required=True),
        "secret_key": env("S3_SECRET_ACCESS_KEY", required=True),
        "region_name": env("S3_REGION", "us-east-1"),
        "signature_version": "s3v4",
        "addressing_style": env("S3_ADDRESSING_STYLE", "path"),
        "file_overwrite": False,
    }
    STORAGES["default"] = {
        "BACKEND": "portal.storage.MediaS3Storage",
        "OPTIONS": {**_S3_OPTIONS, "bucket_name": S3_BUCKET},
    }
    STORAGES["private"] = {
        "BACKEND": "portal.private_files.PrivateS3Storage",
        "OPTIONS": {
            **_S3_OPTIONS,
            "bucket_name": env("S3_PRIVATE_BUCKET", f"{S3_BUCKET}-private"),
            # A canned ACL on every private object; empty for stores that refuse ACLs
            # (e.g. AWS buckets with "bucket owner enforced"), where the bucket decides.
            "default_acl": env("S3_PRIVATE_ACL", "private") or None,
        },
    }
# Behind nginx, private downloads (after the permission check) are answered with
# X-Accel-Redirect to nginx's internal locations /_private/files/ (disk) and /_private/s3/
# (the object store, by a short-lived signed URL) instead of streaming through Python.
PRIVATE_FILES_ACCEL = env_bool("PRIVATE_FILES_ACCEL", False)
# How long the signed object-store URL of one private download stays valid (seconds).
PRIVATE_FILES_URL_SECONDS = env_int("PRIVATE_FILES_URL_SECONDS", 60)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = env("REDIS_URL")
# Redis away (a restart) counts as a cache miss, not an error page (portal/cache.py); a
# Redis that hangs gives up after two seconds.
CACHES = {
    "default": (
        {
            "BACKEND": "portal.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# With a shared cache, sessions are read from it and written through to the database, so
# a Redis restart (or flush) logs nobody out.
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Anonymous, cookie-less public pages may be kept this many seconds by nginx (the
# X-Accel-Expires header, portal.middleware.PublicPageCacheMiddleware); 0 turns it off.
# Short, so a published change shows within seconds without purging anything.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 5)

# Background work (django-tasks). The default runs each task inside the request; the
# stack and production use RQ on Redis (TASKS_BACKEND=portal.tasks_backend.RQBackend) with
# worker processes (`manage.py rqworker --job-class django_tasks_rq.Job`) and the
# scheduler (`manage.py run_scheduler`, portal/schedule.py).
TASKS_BACKEND = env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        # A job running longer than this is stopped and counts as failed.
        "DEFAULT_TIMEOUT": env_int("TASKS_JOB_TIMEOUT", 300),
    }
}
# Notices jobs of dead workers within ~2 minutes (portal/rq_worker.py).
RQ = {"WORKER_CLASS": "portal.rq_worker.Worker"}

# Every e-mail goes through one pipeline (portal/emails.py): Django's EMAIL_BACKEND only
# queues; the task sends with EMAIL_DELIVERY_BACKEND, which the variable EMAIL_BACKEND names.
EMAIL_BACKEND = "portal.emails.QueueingBackend"
EMAIL_DELIVERY_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Seconds the SMTP connection waits for the server; a message still "sending" after
# EMAIL_STALE_AFTER seconds (its worker died) is sent again. Keep it well above the timeout.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_STALE_AFTER = env_int("EMAIL_STALE_AFTER", 180)
# Sent and failed messages are kept this long for staff and operators, then deleted.
EMAIL_RETENTION_DAYS = env_int("EMAIL_RETENTION_DAYS", 30)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Erfa-netværk <noreply@erfa.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS")

# Retention (portal.gdpr.apply_retention, run by `manage.py apply_retention`; see
# docs/operations.md): registrations of meetings that ended longer ago than this are
# anonymised, and sign-ups never confirmed within this many days are deleted.
REGISTRATION_RETENTION_MONTHS = env_int("REGISTRATION_RETENTION_MONTHS", 24)
UNCONFIRMED_ACCOUNT_DAYS = env_int("UNCONFIRMED_ACCOUNT_DAYS", 30)

WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", "Erfa-netværk")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
# Private pages and documents send anonymous visitors to allauth's login too, not to
# Wagtail's plain Django login form (which would skip the rate limits and verification).
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# allauth owns the account: password reset and change, and e-mail changes (which must be
# verified again) happen on its pages, linked from "Min side", not in the admin.
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "portal.search_backend"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "pptx", "txt", "csv"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Editors' avatars: no e-mail hashes sent to gravatar.com (and no broken image offline).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy for the public site (django-csp; Django 5.2 has none built in).
# The Wagtail admin ships inline scripts and styles of its own, so it is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Every inline task and page action logs at INFO; keep the console readable.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}
