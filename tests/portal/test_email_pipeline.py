"""The one e-mail pipeline (portal/emails.py): queued on commit, sent once, retried,
recorded. The apps' own tests check that their Danish mails arrive through it; the
outage tests (library answer, registration, sign-up) that a mail server that is down
never turns a saved change into an error page."""

import datetime
import io
import logging

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.admin.mail import send_mail as wagtail_send_mail

from portal import emails
from portal.models import OutgoingEmail
from portal.tasks import retry_emails

Status = OutgoingEmail.Status


def notice(to="anna@aabo.dk", subject="Emne") -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(subject=subject, body="Hej Anna", to=[to])
    message.attach_alternative("<p>Hej Anna</p>", "text/html")
    message.attach("mode.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("bilag.bin", b"\x00\xffdata", "application/octet-stream")
    return message


def test_a_queued_message_is_sent_after_commit_with_its_html_and_attachments(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = emails.queue(notice())
        assert mail.outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    (message,) = mail.outbox
    assert (message.subject, message.body, message.to) == ("Emne", "Hej Anna", ["anna@aabo.dk"])
    assert message.alternatives[0] == ("<p>Hej Anna</p>", "text/html")
    assert [tuple(a) for a in message.attachments] == [
        ("mode.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ("bilag.bin", b"\x00\xffdata", "application/octet-stream"),
    ]
    assert message.extra_headers["Message-ID"] == f"<{email.pk}@erfa.example>"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.recipients) == (Status.SENT, 1, "anna@aabo.dk")
    assert email.sent_at is not None
    assert email.message == {}  # the text is not kept once sent


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(
    db, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        emails.queue(notice())
        emails.send_on_commit(
            subject="Ny ansøgning",
            template="network/email/membership_applied_staff.txt",
            context={},
            recipients=["koordinator@erfa.example"],
        )
        raise RuntimeError("the change failed")
    assert OutgoingEmail.objects.count() == 0
    assert mail.outbox == []


def test_a_message_whose_job_runs_twice_is_sent_once(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = emails.queue(notice())
    # The job again (a worker that ran it twice, a sweep that enqueued it again).
    assert emails.send_email.enqueue(str(email.pk)).return_value == "skipped"
    assert emails.deliver(str(email.pk)) == "skipped"
    assert emails.retry_due_emails(now=timezone.now() + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 1


def test_a_message_a_worker_died_sending_is_sent_again_once_its_claim_is_stale(
    db, settings, caplog
):
    settings.EMAIL_STALE_AFTER = 180
    start = timezone.now()
    email = emails.queue(notice())
    # A worker claimed it and was killed before it recorded anything.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, attempts=1, claimed_at=start
    )
    with time_machine.travel(start + datetime.timedelta(seconds=179), tick=False):
        assert emails.retry_due_emails() == 0
    assert mail.outbox == []
    with (
        time_machine.travel(start + datetime.timedelta(seconds=181), tick=False),
        caplog.at_level(logging.WARNING, logger="portal.emails"),
    ):
        assert emails.retry_due_emails() == 1
    assert "The worker stopped before it recorded the result" in caplog.text
    assert len(mail.outbox) == 1
    with time_machine.travel(start + datetime.timedelta(hours=2), tick=False):
        assert emails.retry_due_emails() == 0
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 2)


def test_a_message_whose_job_was_lost_is_enqueued_again(db, settings):
    settings.EMAIL_STALE_AFTER = 180
    email = emails.queue(notice())  # its on-commit job never ran (e.g. Redis was down)
    with time_machine.travel(email.created_at + datetime.timedelta(seconds=60), tick=False):
        out = io.StringIO()
        call_command("retry_emails", stdout=out)
        assert out.getvalue() == "Enqueued 0 e-mail(s) again.\n"
    with time_machine.travel(email.created_at + datetime.timedelta(seconds=181), tick=False):
        assert retry_emails.enqueue().return_value == 1  # the scheduled task
    assert len(mail.outbox) == 1


def test_failures_are_retried_with_growing_delays_then_recorded_as_failed(
    db, failing_mail_server, caplog, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with (
        caplog.at_level(logging.WARNING, logger="portal.emails"),
        time_machine.travel(start, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        email = emails.queue(notice(subject="Påmindelse"))
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.RETRYING, 1)
    assert email.next_attempt_at == start + datetime.timedelta(seconds=60)
    # Not due yet: the sweep leaves it alone.
    assert emails.retry_due_emails(now=start + datetime.timedelta(seconds=59)) == 0
    now = start
    for delay in emails.RETRY_DELAYS:
        now += datetime.timedelta(seconds=delay)
        with time_machine.travel(now, tick=False):
            assert emails.retry_due_emails() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, emails.MAX_ATTEMPTS)
    assert email.next_attempt_at is None
    assert "ConnectionRefusedError" in email.last_error
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors == [
        f"E-mail {email.pk} to anna@aabo.dk ('Påmindelse') failed for good after 6 attempts: "
        + email.last_error
    ]
    assert emails.retry_due_emails(now=now + datetime.timedelta(days=1)) == 0
    assert mail.outbox == []


def test_with_a_task_backend_that_defers_a_retry_is_a_job_of_its_own(
    db, settings, failing_mail_server, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = emails.send_email.get_backend()
    with django_capture_on_commit_callbacks(execute=True):
        email = emails.queue(notice())
    (job,) = backend.results
    assert (job.task.name, job.args, job.task.run_after) == ("send_email", [str(email.pk)], None)
    # The worker runs it; the mail server refuses.
    assert emails.deliver(*job.args) == Status.RETRYING
    email.refresh_from_db()
    retry = backend.results[-1]
    assert retry.args == [str(email.pk)]
    assert retry.task.run_after == email.next_attempt_at
    # The sweep does not add a second job for a retry that has one.
    assert emails.retry_due_emails(now=email.next_attempt_at) == 0


def test_wagtails_notices_and_djangos_mail_api_take_the_same_way(
    db, django_capture_on_commit_callbacks
):
    from django.core.mail import send_mail

    with django_capture_on_commit_callbacks(execute=True):
        wagtail_send_mail("Siden venter på godkendelse", "Tekst", ["redaktor@erfa.example"])
        send_mail("Fejlrapport", "Tekst", None, ["drift@erfa.example"])
    rows = OutgoingEmail.objects.order_by("created_at")
    assert [(r.subject, r.status) for r in rows] == [
        ("Siden venter på godkendelse", Status.SENT),
        ("Fejlrapport", Status.SENT),
    ]
    assert [m.to for m in mail.outbox] == [["redaktor@erfa.example"], ["drift@erfa.example"]]
    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"


def test_retention_deletes_old_sent_and_failed_records_only(db, settings):
    settings.EMAIL_RETENTION_DAYS = 30
    now = timezone.now()
    old = now - datetime.timedelta(days=31)
    for status in (Status.SENT, Status.FAILED, Status.RETRYING):
        OutgoingEmail.objects.create(subject=status, recipients="a@x.dk", status=status)
        OutgoingEmail.objects.create(
            subject=f"old {status}", recipients="a@x.dk", status=status, created_at=old
        )
    assert emails.delete_old(now=now) == 2
    assert sorted(OutgoingEmail.objects.values_list("subject", flat=True)) == [
        "failed",
        "old retrying",
        "retrying",
        "sent",
    ]


def test_staff_with_the_permission_see_outgoing_email_read_only_in_danish(
    client, editor, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group, Permission

    from tests.roles import make_person

    with django_capture_on_commit_callbacks(execute=True):
        emails.queue(notice(subject="Bekræft din e-mailadresse"))
    email = OutgoingEmail.objects.get()
    client.force_login(editor)  # a superuser
    listing = client.get("/admin/udgaaende-email/")
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "Udgående e-mail" in html
    assert "Bekræft din e-mailadresse" in html and "anna@aabo.dk" in html
    assert "sendt" in html
    assert client.get(f"/admin/udgaaende-email/inspect/{email.pk}/").status_code == 200
    # Nobody adds, edits or deletes: the pipeline alone writes these rows.
    assert "/admin/udgaaende-email/new/" not in html
    for path in ("new/", f"edit/{email.pk}/", f"delete/{email.pk}/"):
        refused = client.get(f"/admin/udgaaende-email/{path}")
        assert (refused.status_code, refused["Location"]) == (302, "/admin/"), path
    assert OutgoingEmail.objects.filter(pk=email.pk).exists()
    assert "/admin/udgaaende-email/" in client.get("/admin/").content.decode()  # the menu

    # An editor does not see who was e-mailed, until the group is given the permission.
    other = make_person("editor")
    client.force_login(other)
    assert "/admin/udgaaende-email/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/udgaaende-email/")["Location"] == "/admin/"
    Group.objects.get(name="Editors").permissions.add(
        Permission.objects.get(codename="view_outgoingemail")
    )
    other = type(other).objects.get(pk=other.pk)  # a fresh permission cache
    client.force_login(other)
    assert client.get("/admin/udgaaende-email/").status_code == 200


def test_a_deleted_account_takes_the_record_of_its_own_email_along(
    db, django_capture_on_commit_callbacks
):
    from portal import gdpr
    from portal.factories import UserFactory

    person = UserFactory(verified=True, email="sofie@odense.dk")
    with django_capture_on_commit_callbacks(execute=True):
        emails.queue(notice(to="sofie@odense.dk", subject="Bekræft din e-mailadresse"))
        emails.send_on_commit(
            subject="Ny ansøgning",
            template="network/email/membership_applied_staff.txt",
            context={},
            recipients=["sofie@odense.dk", "koordinator@erfa.example"],
        )
    emails.queue(notice(to="sofie@odense.dk", subject="Venter"))  # not sent yet
    gdpr.delete_account(person)
    # Only the notice to several people stays, until retention.
    assert list(OutgoingEmail.objects.values_list("recipients", flat=True)) == [
        "koordinator@erfa.example, sofie@odense.dk"
    ]


def test_the_checks_refuse_settings_that_would_skip_the_queue_or_send_twice(settings):
    from portal.checks import check_email_pipeline

    assert check_email_pipeline(None) == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "portal.emails.QueueingBackend"
    settings.EMAIL_TIMEOUT, settings.EMAIL_STALE_AFTER = 60, 120
    assert [e.id for e in check_email_pipeline(None)] == [
        "portal.E004",
        "portal.E002",
        "portal.E003",
    ]


def test_a_page_submitted_for_moderation_mails_the_moderators_through_the_queue(
    home_page, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from portal.factories import UserFactory

    moderator = UserFactory(verified=True, email="moderator@erfa.example")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    editor = UserFactory(verified=True, email="redaktoer@erfa.example")
    editor.groups.add(Group.objects.get(name="Editors"))
    workflow = home_page.get_workflow()
    assert workflow is not None
    with django_capture_on_commit_callbacks(execute=True):
        workflow.start(home_page, editor)
    rows = OutgoingEmail.objects.filter(recipients="moderator@erfa.example")
    assert [r.status for r in rows] == [Status.SENT]
    (message,) = [m for m in mail.outbox if m.to == ["moderator@erfa.example"]]
    assert home_page.title in message.subject
