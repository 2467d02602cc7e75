from django.core.management.base import BaseCommand

from portal import demo
from portal import hooks as portal_hooks


class Command(BaseCommand):
    help = "Load the demo content (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-accounts",
            action="store_true",
            help="Print the demo accounts and their passwords; load nothing.",
        )
        parser.add_argument(
            "--totp-code",
            action="store_true",
            help="Print the demo editor's current two-factor code; load nothing.",
        )

    def handle(self, *args, print_accounts=False, totp_code=False, **options):
        if totp_code:
            self.stdout.write(demo.demo_totp_code())
            return
        if print_accounts:
            accounts = demo.all_demo_accounts()
            role_width = max(len(account["role"]) for account in accounts)
            email_width = max(len(account["email"]) for account in accounts)
            self.stdout.write("  Demo accounts (demo only, never in production):")
            for account in accounts:
                self.stdout.write(
                    f"    {account['role']:<{role_width}}  {account['email']:<{email_width}}  "
                    f"{account['password']}"
                )
            self.stdout.write(
                "  The admin asks the editor for a two-factor code: add the secret "
                f"{demo.DEMO_EDITOR_TOTP_SECRET} to an authenticator app, or run "
                "`.venv/bin/python manage.py load_demo --totp-code` for the current code."
            )
            return
        demo.load()
        # network and meetings add theirs through the DEMO_CONTENT hook, in app order.
        for load in portal_hooks.get(portal_hooks.DEMO_CONTENT):
            load()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
