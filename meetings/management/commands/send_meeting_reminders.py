"""Send the reminder e-mail to confirmed participants of meetings starting within two days.

Run it every hour or so (cron, systemd timer, or a scheduled django-tasks worker). Each
participant gets the reminder exactly once: it is claimed by setting `reminder_sent_at`
before the e-mail is queued, and a failed send gives it back for the next run.
"""

from django.core.management.base import BaseCommand

from meetings import services


class Command(BaseCommand):
    help = "Send due meeting reminders (two days before), each exactly once."

    def handle(self, *args, **options):
        sent = services.send_due_reminders()
        self.stdout.write(f"Queued {sent} reminder(s).")
