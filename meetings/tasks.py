"""Background work (django-tasks): registration e-mails and the reminder run.

With the default immediate backend they run inline after the transaction commits; with
the database backend a worker runs them (see docs/meetings.md).
"""

from django_tasks import task

from . import emails
from .models import Registration


@task()
def send_registration_email(registration_id: int, event: str) -> bool:
    try:
        return emails.send_registration_email(registration_id, event)
    except Exception:
        if event == "reminder":
            # Give the reminder back so the next run sends it (exactly once, not never).
            Registration.objects.filter(pk=registration_id).update(reminder_sent_at=None)
        raise


@task()
def send_due_reminders() -> int:
    from . import services

    return services.send_due_reminders()
