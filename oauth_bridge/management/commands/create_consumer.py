"""Register an OAuth 1 consumer and print its key and secret."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from oauth_bridge.services import consumer_create
from xpenser_server.errors import InvalidInput


class Command(BaseCommand):
    help = "Register an OAuth 1 consumer (client application) and print its key and secret."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Name shown to users on the authorize page")
        parser.add_argument("--key", help="Consumer key (default: random)")
        parser.add_argument("--secret", help="Consumer secret (default: random)")
        parser.add_argument("--callback", default="", help="Registered callback URL; callbacks must start with it")
        parser.add_argument("--owner", help="Email of the user who owns the consumer")
        parser.add_argument(
            "--legacy-oauth10", action="store_true",
            help="Also allow the OAuth 1.0 flow (no verifier, callback on the authorize URL); "
            "weaker, see docs/oauth.md",
        )

    def handle(self, *args, name, key, secret, callback, owner, legacy_oauth10, **options):
        owner_user = None
        if owner:
            owner_user = get_user_model().objects.filter(email__iexact=owner).first()
            if owner_user is None:
                raise CommandError(f"no user with email {owner!r}")
        try:
            consumer = consumer_create(
                name=name, key=key, secret=secret, callback=callback, owner=owner_user, legacy_oauth10=legacy_oauth10
            )
        except InvalidInput as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(self.style.SUCCESS(f"Created consumer {consumer.name!r}."))
        self.stdout.write(f"  key:    {consumer.key}\n  secret: {consumer.secret}")
        if consumer.legacy_oauth10:
            self.stdout.write(self.style.WARNING(
                "  legacy OAuth 1.0 enabled: verifier-less exchange is open to session fixation (docs/oauth.md)."
            ))
