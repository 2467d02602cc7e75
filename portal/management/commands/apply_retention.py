"""Apply the retention rules: anonymise registrations of meetings older than
REGISTRATION_RETENTION_MONTHS (24), delete accounts never confirmed within
UNCONFIRMED_ACCOUNT_DAYS (30), delete the record of e-mail sent or failed longer ago than
EMAIL_RETENTION_DAYS (30).

Run it daily, scheduled like `send_meeting_reminders` (cron or a systemd timer; see
docs/operations.md). Idempotent: a second run finds nothing left to do. Every
anonymisation and deletion is logged on Wagtail's log (the site history report).
"""

from django.core.management.base import BaseCommand

from portal import gdpr


class Command(BaseCommand):
    help = (
        "Anonymise old registrations, delete unconfirmed accounts and old e-mail records "
        "(retention rules)."
    )

    def handle(self, *args, **options):
        done = gdpr.apply_retention()
        self.stdout.write(
            f"Anonymised {done['registrations_anonymised']} registration(s); "
            f"deleted {done['accounts_deleted']} unconfirmed account(s) and "
            f"{done['emails_deleted']} old e-mail record(s)."
        )
