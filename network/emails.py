"""E-mail for the network app: rendered now (in the current language), sent by a task
after the transaction commits, so a rolled-back sign-up never sends anything."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_email_task(*, subject: str, body: str, recipients: list[str]) -> None:
    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        message=body,
        from_email=None,
        recipient_list=recipients,
    )


def send_on_commit(*, subject: str, template: str, context: dict, recipients) -> None:
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    subject = " ".join(str(subject).split())
    transaction.on_commit(
        lambda: send_email_task.enqueue(subject=subject, body=body, recipients=recipients)
    )


def staff_recipients(permission: str) -> list[str]:
    """`STAFF_NOTIFICATION_EMAILS` plus every active user who may act on the notice: the
    holders of `permission` (e.g. `access.APPROVE_MEMBERSHIPS`), not whoever is_staff."""
    from .access import users_with_permission

    people = users_with_permission(permission).exclude(email="")
    return [*settings.STAFF_NOTIFICATION_EMAILS, *people.values_list("email", flat=True)]
