import datetime
import io

import time_machine
from django.core import mail
from django.core.management import call_command

from meetings import services
from meetings.factories import RegistrationFactory
from meetings.models import MeetingPage, Registration
from meetings.tasks import send_due_reminders
from portal import emails
from portal.models import OutgoingEmail

from .conftest import cph


def test_reminders_go_out_two_days_before_exactly_once(
    make_meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    meeting = make_meeting(
        title="Marts-mødet", start=cph(2030, 3, 10, 10), end=cph(2030, 3, 10, 15)
    )
    org = member_org(years=[2030])
    confirmed = RegistrationFactory(
        meeting=meeting, person=person_at(org, email="a@x.dk"), organisation=org
    )
    RegistrationFactory(
        meeting=meeting,
        person=person_at(org),
        organisation=org,
        status=Registration.Status.WAITLISTED,
        waitlist_reason=Registration.WaitlistReason.CAPACITY,
    )
    RegistrationFactory(
        meeting=meeting,
        person=person_at(org),
        organisation=org,
        status=Registration.Status.CANCELLED,
    )

    with time_machine.travel(cph(2030, 3, 8, 9, 59), tick=False):
        call_command("send_meeting_reminders", stdout=io.StringIO())
        assert mail.outbox == []

    # E-mail is queued on commit (portal/emails.py); the test's transaction never commits.
    with (
        time_machine.travel(cph(2030, 3, 8, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_meeting_reminders", stdout=io.StringIO())
        call_command("send_meeting_reminders", stdout=io.StringIO())
    with (
        time_machine.travel(cph(2030, 3, 9, 12, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.send_due_reminders() == 0

    (reminder,) = mail.outbox
    assert reminder.to == ["a@x.dk"]
    assert reminder.subject == "[Erfa-netværk] Påmindelse: Marts-mødet den 10. marts"
    assert "En påmindelse om, at du er tilmeldt mødet nedenfor" in reminder.body
    assert "Sådan kommer du frem: Metro til Islands Brygge" in reminder.body
    assert reminder.attachments[0][0].endswith(".ics")
    confirmed.refresh_from_db()
    assert confirmed.reminder_sent_at == cph(2030, 3, 8, 10, 0)


def test_the_reminder_task_and_a_cancelled_meeting(
    make_meeting, member_org, person_at, django_capture_on_commit_callbacks
):
    planned = make_meeting(start=cph(2030, 3, 10, 10), end=cph(2030, 3, 10, 15))
    cancelled = make_meeting(
        start=cph(2030, 3, 10, 10), end=cph(2030, 3, 10, 15), status=MeetingPage.Status.CANCELLED
    )
    org = member_org(years=[2030])
    RegistrationFactory(meeting=planned, person=person_at(org), organisation=org)
    RegistrationFactory(meeting=cancelled, person=person_at(org), organisation=org)

    with (
        time_machine.travel(cph(2030, 3, 9, 8, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = send_due_reminders.enqueue()

    assert result.return_value == 1
    assert len(mail.outbox) == 1


def test_a_reminder_the_mail_server_never_took_is_given_back_and_sent_by_a_later_run(
    make_meeting,
    member_org,
    person_at,
    failing_mail_server,
    settings,
    django_capture_on_commit_callbacks,
):
    meeting = make_meeting(start=cph(2030, 3, 10, 10), end=cph(2030, 3, 10, 15))
    org = member_org(years=[2030])
    registration = RegistrationFactory(
        meeting=meeting, person=person_at(org, email="a@x.dk"), organisation=org
    )
    now = cph(2030, 3, 8, 10, 0)
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 1
    registration.refresh_from_db()
    assert registration.reminder_sent_at == now  # claimed while the e-mail is retried
    for delay in emails.RETRY_DELAYS:
        now += datetime.timedelta(seconds=delay)
        with time_machine.travel(now, tick=False):
            assert services.send_due_reminders() == 0  # still claimed: no second reminder
            emails.retry_due_emails()
    (email,) = OutgoingEmail.objects.all()
    assert email.status == OutgoingEmail.Status.FAILED
    registration.refresh_from_db()
    assert registration.reminder_sent_at is None  # given back

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert services.send_due_reminders() == 1
    (reminder,) = mail.outbox
    assert reminder.to == ["a@x.dk"]
    assert reminder.subject.startswith("[Erfa-netværk] Påmindelse:")
