"""Production settings refuse to start without their secrets and pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "erfa.example",
    "DATABASE_URL": "postgresql://erfa:secret@localhost/erfa",
}
# Every variable the settings read, so the developer's own environment cannot leak in.
SETTINGS_VARIABLES = {
    *REQUIRED,
    "DEBUG",
    "REDIS_URL",
    "EMAIL_BACKEND",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "CSRF_TRUSTED_ORIGINS",
    "TASKS_BACKEND",
    "SECURE_COOKIES",
    "PRIVATE_FILES_ACCEL",
    "S3_BUCKET",
    "S3_PRIVATE_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_PRIVATE_ACL",
}
STACK = {
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "TASKS_BACKEND": "django_tasks_rq.RQBackend",
    "S3_BUCKET": "erfa-media",
    "S3_PRIVATE_BUCKET": "erfa-private",
    "S3_ENDPOINT_URL": "http://127.0.0.1:8004",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "secret",
}


def manage(*args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_VARIABLES and not k.startswith("DJANGO_")
    }
    env.update(DJANGO_SETTINGS_MODULE="portal.settings.production", **variables)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_refuses_to_start_without(missing):
    variables = {name: value for name, value in REQUIRED.items() if name != missing}
    result = manage("check", **variables)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set." in result.stderr


def test_production_passes_check_deploy_with_no_warnings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        REDIS_URL="redis://127.0.0.1:6379/0",
        **REQUIRED,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_check_deploy_fails_without_a_shared_cache():
    """allauth's rate limits live in the cache: one per process is not enough."""
    result = manage("check", "--deploy", **REQUIRED)
    assert result.returncode != 0
    assert "portal.E001" in result.stderr
    assert "Set REDIS_URL" in result.stderr


def test_production_is_never_in_debug_mode_even_if_asked():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        DEBUG="1",
        **REQUIRED,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def settings_of(*names: str, **variables: str) -> list[str]:
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr({name}))" for name in names
    )
    result = manage("shell", "-c", code, **REQUIRED, **variables)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-len(names) :]


def test_the_stack_settings_put_sessions_tasks_and_files_in_shared_services():
    session, backend, queue_url, media, private, acl = settings_of(
        "s.SESSION_ENGINE",
        's.TASKS["default"]["BACKEND"]',
        's.RQ_QUEUES["default"]["URL"]',
        's.STORAGES["default"]["BACKEND"]',
        's.STORAGES["private"]["OPTIONS"]["bucket_name"]',
        's.STORAGES["private"]["OPTIONS"]["default_acl"]',
        **STACK,
    )
    # Sessions in the database behind the cache: a Redis restart logs nobody out.
    assert session == "'django.contrib.sessions.backends.cached_db'"
    assert backend == "'django_tasks_rq.RQBackend'"
    assert queue_url == "'redis://127.0.0.1:6379/0'"
    assert media == "'portal.storage.MediaS3Storage'"
    assert (private, acl) == ("'erfa-private'", "'private'")


def test_cookies_are_secure_unless_the_loopback_stack_says_otherwise():
    assert settings_of("s.SESSION_COOKIE_SECURE", "s.CSRF_COOKIE_SECURE") == ["True", "True"]
    assert settings_of(
        "s.SESSION_COOKIE_SECURE",
        "s.CSRF_COOKIE_SECURE",
        "s.SECURE_SSL_REDIRECT",
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
    ) == ["False", "False", "False"]


def test_check_deploy_refuses_private_files_in_the_media_bucket():
    result = manage("check", "--deploy", **REQUIRED, **{**STACK, "S3_PRIVATE_BUCKET": "erfa-media"})
    assert result.returncode != 0
    assert "portal.E002" in result.stderr
    passing = manage("check", "--deploy", "--fail-level", "WARNING", **REQUIRED, **STACK)
    assert passing.returncode == 0, passing.stderr
