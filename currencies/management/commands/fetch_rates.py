"""`manage.py fetch_rates [--feed daily|90d|history]`: load the ECB's reference rates (run it daily)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from currencies import selectors, services
from currencies.ecb import FEEDS, FeedError
from currencies.fetch import FetchError, feed_needed, fetch_feed


class Command(BaseCommand):
    help = (
        "Download the European Central Bank's euro reference rates and store them. Without --feed, the smallest "
        "feed that fills the gap since the newest day on file: the whole history the first time, then the daily one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--feed", choices=sorted(FEEDS), help="which ECB feed to load")
        parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for the ECB (default 30)")

    def handle(self, *args, **options):
        name = options["feed"] or feed_needed(selectors.rates_span()["last"], timezone.localdate())
        try:
            days = fetch_feed(name, timeout=options["timeout"])
        except (FetchError, FeedError) as err:
            raise CommandError(str(err)) from None
        result = services.rates_import(days=days)
        self.stdout.write(
            f"Stored {result.rates} rates of {result.days} days ({result.first_day} to {result.last_day}) "
            f"from the ECB's {name} feed."
        )
