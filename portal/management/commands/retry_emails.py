"""Send again what the e-mail pipeline (portal/emails.py) has due: retries whose time has
come when the task backend cannot defer jobs, messages whose job was lost, and messages a
worker died sending. The stack's scheduler runs the task `portal.tasks.retry_emails` every
minute; without it, run this command every minute (cron or a systemd timer)."""

from django.core.management.base import BaseCommand

from portal import emails


class Command(BaseCommand):
    help = "Enqueue e-mail that is due for another attempt (the e-mail pipeline's sweep)."

    def handle(self, *args, **options):
        self.stdout.write(f"Enqueued {emails.retry_due_emails()} e-mail(s) again.")
