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

    def handle(self, *args, print_accounts=False, **options):
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
            return
        demo.load()
        # network and meetings add theirs through the DEMO_CONTENT hook, in app order.
        for load in portal_hooks.get(portal_hooks.DEMO_CONTENT):
            load()
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
