import time

from django.core.management.base import BaseCommand

from portal import scale


class Command(BaseCommand):
    help = (
        "Add the scaled data set (10,000 agreements, 300 meetings, 20,000 registrations, "
        "1,000 news items by default) to the demo content. Idempotent: a second run adds "
        "only what is missing. Run load_demo first."
    )

    def add_arguments(self, parser):
        for name, default in scale.DEFAULTS.items():
            parser.add_argument(
                f"--{name}", type=int, default=None, help=f"How many (default {default})."
            )
        parser.add_argument(
            "--factor",
            type=float,
            default=1.0,
            help="Multiply every count (the defaults or the ones given), e.g. 0.1.",
        )

    def handle(self, *args, factor=1.0, **options):
        targets = scale.counts(factor=factor, **{k: options.get(k) for k in scale.DEFAULTS})
        started = time.monotonic()
        done = scale.seed(**targets)
        scale.analyze()
        self.stdout.write(
            self.style.SUCCESS(
                f"Scaled data set in place ({', '.join(f'{v} {k}' for k, v in targets.items())}): "
                f"{done} in {time.monotonic() - started:.1f} s."
            )
        )
