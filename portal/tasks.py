"""Background work of the portal (django-tasks), for a scheduled worker that prefers a
task to the management command."""

from django_tasks import task


@task()
def apply_retention() -> dict:
    from . import gdpr

    return gdpr.apply_retention()
