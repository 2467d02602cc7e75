"""Background work of the portal (django-tasks), for a scheduled worker that prefers a
task to the management command."""

from django_tasks import task


@task()
def apply_retention() -> dict:
    from . import gdpr

    return gdpr.apply_retention()


@task()
def retry_emails() -> int:
    """Every minute: e-mail a lost job or a dead worker left behind, and retries that are
    due when the backend cannot defer jobs (portal/emails.py)."""
    from . import emails

    return emails.retry_due_emails()
