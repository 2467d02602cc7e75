"""The portal's one e-mail pipeline: every e-mail the portal sends goes this way.

1. The message is rendered when it is queued, in the current language, from the Danish
   templates (`send_on_commit` for plain notices, `meetings.emails.build_email`, allauth's
   and Wagtail's own rendering), into a Django `EmailMessage`.
2. `queue(message)` stores it as an `OutgoingEmail` row in the caller's transaction (a
   rolled-back change sends nothing) and enqueues the task `send_email` once that
   transaction commits.
3. `send_email(id)` (the worker in the stack; inline with the immediate backend of
   `make run` and the tests) claims the row, sends the message through the real backend
   (`EMAIL_DELIVERY_BACKEND`) and records it as sent. Only the run that claimed a queued
   row sends it, so a message is never sent twice, however often its job runs.
4. A failure is logged (recipient and subject) and never reaches the request: the row is
   marked "retrying" and tried again after `RETRY_DELAYS`, and marked "failed" after
   `MAX_ATTEMPTS`. `retry_due_emails` (the task `portal.tasks.retry_emails`, scheduled
   every minute) re-enqueues what a lost job or a worker that died mid-send left behind
   (after `EMAIL_STALE_AFTER` seconds), and sends due retries when the task backend cannot
   defer a job (the immediate backend).

Django's `EMAIL_BACKEND` is `QueueingBackend`, so everything that sends with Django's mail
API (Wagtail's moderation notices, `mail_admins`) is queued the same way. The one window
left: a worker killed after the mail server accepted a message and before the "sent" row
was written sends that message again after `EMAIL_STALE_AFTER` (see docs/architecture.md).
"""

import base64
import datetime
import logging
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from .models import OutgoingEmail

logger = logging.getLogger("portal.emails")

Status = OutgoingEmail.Status

# Seconds to wait before the 2nd, 3rd, ... attempt; after the last, the message has failed.
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A deferred retry may start a little before its time on another machine's clock.
CLOCK_TOLERANCE = datetime.timedelta(seconds=5)
QUEUEING_BACKEND = "portal.emails.QueueingBackend"


# --- Queueing ----------------------------------------------------------------------------


def send_on_commit(*, subject: str, template: str, context: dict, recipients) -> None:
    """A plain-text notice from `template`, rendered now in the current language, to
    `recipients` (one message, blanks and duplicates dropped), queued on commit."""
    recipients = sorted({r for r in recipients if r})
    if not recipients:
        return
    body = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    subject = " ".join(str(subject).split())
    queue(
        EmailMessage(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=body, to=recipients
        )
    )


def queue(message: EmailMessage, *, on_failure: Task | None = None, on_failure_args=()):
    """Store `message` for sending and send it after the current transaction commits.
    `on_failure` (a task) is called with `on_failure_args` if it finally fails."""
    recipients = [*message.to, *message.cc, *message.bcc]
    email = OutgoingEmail.objects.create(
        subject=str(message.subject)[:998],
        recipients=", ".join(recipients),
        message=serialise(message),
        next_attempt_at=timezone.now(),
        on_failure=on_failure.module_path if on_failure else "",
        on_failure_args=list(on_failure_args),
    )
    pk = str(email.pk)
    transaction.on_commit(lambda: _enqueue(pk))
    return email


def _enqueue(pk: str, *, run_after: datetime.datetime | None = None) -> None:
    try:
        job = send_email.using(run_after=run_after) if run_after else send_email
        job.enqueue(pk)
    except Exception:
        # Left "queued"/"retrying": retry_due_emails enqueues it again later.
        logger.exception("E-mail %s could not be handed to the task queue", pk)


class QueueingBackend(BaseEmailBackend):
    """Django's `EMAIL_BACKEND`: queues instead of sending, so that Wagtail's notices and
    anything else using Django's mail API take the same way as the portal's own e-mail."""

    def send_messages(self, email_messages) -> int:
        queued = 0
        for message in email_messages:
            try:
                queue(message)
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("E-mail %r could not be queued", message.subject)
                continue
            queued += 1
        return queued


# --- Serialising --------------------------------------------------------------------------


def serialise(message: EmailMessage) -> dict:
    """The message as JSON: text, HTML alternative and attachments (bytes in base64)."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise TypeError("MIME attachments cannot be queued; attach (name, content, type).")
        filename, content, mimetype = attachment
        item = {"filename": filename, "mimetype": mimetype}
        if isinstance(content, bytes):
            item["base64"] = base64.b64encode(content).decode("ascii")
        else:
            item["content"] = content
        attachments.append(item)
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {name: str(value) for name, value in message.extra_headers.items()},
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def deserialise(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The message of `email`, with a Message-ID made from its id (the same on every
    attempt, so a mail program can tell a repeat)."""
    data = email.message
    domain = parseaddr(data["from_email"])[1].rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers={**data["headers"], "Message-ID": f"<{email.pk}@{domain}>"},
    )
    message.content_subtype = data.get("content_subtype", "plain")
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for item in data["attachments"]:
        content = base64.b64decode(item["base64"]) if "base64" in item else item["content"]
        message.attach(item["filename"], content, item["mimetype"])
    return message


# --- Sending ------------------------------------------------------------------------------


@task()
def send_email(email_id: str) -> str:
    return deliver(email_id)


def deliver(email_id: str, *, now: datetime.datetime | None = None) -> str:
    """Send the queued message `email_id` once. Returns its status afterwards, or
    "skipped" when there was nothing to do (sent, being sent, or not due yet)."""
    now = now or timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(
            Q(status=Status.QUEUED)
            | Q(status=Status.RETRYING, next_attempt_at__lte=now + CLOCK_TOLERANCE)
        )
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    email = OutgoingEmail.objects.get(pk=email_id)
    try:
        message = deserialise(email)
        connection = get_connection(_delivery_backend(), fail_silently=False)
        connection.send_messages([message])
    except Exception as error:
        return _attempt_failed(email, f"{type(error).__name__}: {error}", now=now)
    # The window: a worker killed here, after the server accepted the message, sends it
    # again once the claim is stale (EMAIL_STALE_AFTER).
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        claimed_at=None,
        next_attempt_at=None,
        last_error="",
        message={},  # the text is not kept once it has gone
    )
    return Status.SENT


def _delivery_backend() -> str:
    backend = settings.EMAIL_DELIVERY_BACKEND
    if backend == QUEUEING_BACKEND:
        raise ImproperlyConfigured("EMAIL_DELIVERY_BACKEND must be a backend that sends.")
    return backend


def _attempt_failed(
    email: OutgoingEmail,
    error: str,
    *,
    now: datetime.datetime,
    retry_at: datetime.datetime | None = None,
) -> str:
    error = error[:2000]
    if email.attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = Status.FAILED, None
        logger.error(
            "E-mail %s to %s (%r) failed for good after %s attempts: %s",
            email.pk,
            email.recipients,
            email.subject,
            email.attempts,
            error,
        )
    else:
        status = Status.RETRYING
        next_attempt_at = retry_at or now + datetime.timedelta(
            seconds=RETRY_DELAYS[email.attempts - 1]
        )
        logger.warning(
            "E-mail %s to %s (%r) failed (attempt %s of %s), retrying at %s: %s",
            email.pk,
            email.recipients,
            email.subject,
            email.attempts,
            MAX_ATTEMPTS,
            next_attempt_at.isoformat(timespec="seconds"),
            error,
        )
    updated = OutgoingEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=status, next_attempt_at=next_attempt_at, claimed_at=None, last_error=error
    )
    if not updated:  # someone else has taken over the row meanwhile
        return "skipped"
    if status == Status.FAILED:
        _give_up(email)
    elif send_email.get_backend().supports_defer:
        _enqueue(str(email.pk), run_after=next_attempt_at)
    # Without deferred jobs (the immediate backend), retry_due_emails sends it when due.
    return status


def _give_up(email: OutgoingEmail) -> None:
    if not email.on_failure:
        return
    try:
        handler = import_string(email.on_failure)
        if not isinstance(handler, Task):
            raise TypeError(f"{email.on_failure} is not a task")
        handler.call(*email.on_failure_args)
    except Exception:
        logger.exception("The failure handler of e-mail %s failed", email.pk)


def retry_due_emails(*, now: datetime.datetime | None = None) -> int:
    """Enqueue again what is due and has no job: claims left by a worker that died while
    sending, queued messages whose job was lost, and retries when the task backend cannot
    defer a job. Returns how many were enqueued; safe to run as often as wanted."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.EMAIL_STALE_AFTER)
    for email in OutgoingEmail.objects.filter(status=Status.SENDING, claimed_at__lt=stale):
        # Not the mail server's fault: try again at once (a job of its own if deferred
        # jobs are supported, otherwise the lines below).
        error = "The worker stopped before it recorded the result"
        _attempt_failed(email, error, now=now, retry_at=now)
    # With deferred jobs a retry has a job of its own; look only at overdue ones.
    lost_before = stale if send_email.get_backend().supports_defer else now
    due = [
        str(pk)
        for pk in OutgoingEmail.objects.filter(
            Q(status=Status.QUEUED, next_attempt_at__lt=stale)
            | Q(status=Status.RETRYING, next_attempt_at__lte=lost_before)
        ).values_list("pk", flat=True)
    ]
    for pk in due:
        _enqueue(pk)
    return len(due)


def delete_old(*, now: datetime.datetime | None = None) -> int:
    """Retention: sent and failed messages older than `EMAIL_RETENTION_DAYS`."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.EMAIL_RETENTION_DAYS)
    deleted, _ = OutgoingEmail.objects.filter(
        status__in=[Status.SENT, Status.FAILED], created_at__lt=before
    ).delete()
    return deleted


def forget_recipient(address: str) -> int:
    """A deleted account: drop the record of e-mail to `address` alone, sent or not (a
    message still waiting would go to a person who is gone). Messages to several people
    stay until retention."""
    deleted, _ = OutgoingEmail.objects.filter(recipients=address).delete()
    return deleted
