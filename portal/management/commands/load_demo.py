from importlib import import_module

from django.core.management.base import BaseCommand

from portal.demo import DEMO_ACCOUNTS

# Each app contributes its own demo content, in dependency order.
DEMO_MODULES = ["portal.demo"]


class Command(BaseCommand):
    help = "Load the demo content (idempotent: safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-accounts", action="store_true", help="Only print the demo accounts."
        )

    def handle(self, *args, print_accounts=False, **options):
        if not print_accounts:
            for module in DEMO_MODULES:
                import_module(module).load()
            self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        self.stdout.write("  Demo accounts (demo only):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"    {account['role']:<8} {account['email']:<26} {account['password']}"
            )
