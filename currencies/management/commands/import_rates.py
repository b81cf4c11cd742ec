"""`manage.py import_rates FILE`: load rates from an ECB feed file (for servers without internet access)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from currencies import services
from currencies.ecb import FeedError, parse_feed


class Command(BaseCommand):
    help = (
        "Store the rates of an ECB euro reference rates file (eurofxref-daily.xml, eurofxref-hist-90d.xml or "
        "eurofxref-hist.xml, downloaded on another machine)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the XML file")

    def handle(self, *args, **options):
        path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            with path.open("rb") as source:
                days = parse_feed(source)
        except FeedError as err:
            raise CommandError(f"{path}: {err}") from None
        result = services.rates_import(days=days)
        span = f"{result.first_day} to {result.last_day}"
        self.stdout.write(f"Stored {result.rates} rates of {result.days} days ({span}).")
