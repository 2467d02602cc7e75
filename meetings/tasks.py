"""Background work (django-tasks): the reminder run, and giving a reminder back.

Registration e-mails themselves go through the portal's e-mail pipeline (portal/emails.py).
With the default immediate backend tasks run inline; in the stack a worker runs them (see
docs/operations.md).
"""

from django_tasks import task

from .models import Registration


@task()
def give_back_reminder(registration_id: int) -> None:
    """The reminder e-mail finally failed: clear the claim so the next run sends it
    (exactly once, not never)."""
    Registration.objects.filter(pk=registration_id).update(reminder_sent_at=None)


@task()
def send_due_reminders() -> int:
    from . import services

    return services.send_due_reminders()


@task()
def send_message(message_id: int) -> int:
    """Queue a staff message's e-mails in batches (meetings.messages.send_batches)."""
    from . import messages

    return messages.send_batches(message_id)


@task()
def finish_messages() -> int:
    """Scheduled: finish messages whose sending job was lost or stopped half-way."""
    from . import messages

    return messages.finish_unsent()


@task()
def expire_waitlist_offers() -> int:
    """Timed waitlist offers whose time ran out move on to the next person."""
    from . import services

    return services.expire_offers()
