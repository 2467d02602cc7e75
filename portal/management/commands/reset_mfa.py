from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import audit
from portal.mfa import MFA_REMOVED
from portal.models import User


class Command(BaseCommand):
    help = (
        "Remove a person's two-factor login (authenticator app and recovery codes) when "
        "they have lost both; they set it up again at their next login. Logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the person's login e-mail address")
        parser.add_argument(
            "--reason", required=True, help="why (kept in the audit log, e.g. a ticket number)"
        )

    @transaction.atomic
    def handle(self, *args, email, reason, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account with the e-mail address {email}.")
        authenticators = list(Authenticator.objects.filter(user=user))
        if not authenticators:
            raise CommandError(f"{email} has no two-factor login to remove.")
        for authenticator in authenticators:
            audit.record(
                user,
                MFA_REMOVED,
                data={"type": authenticator.type, "reason": reason, "by": "reset_mfa"},
            )
            authenticator.delete()
        self.stdout.write(
            f"Removed two-factor login for {email}; they set it up again at their next login."
        )
