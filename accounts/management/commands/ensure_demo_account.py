"""Create a demo account when the database has no users, and say how to log in."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"


class Command(BaseCommand):
    help = "Create the demo account (demo@example.com) if there are no users yet; print its credentials."

    def handle(self, *args, **options):
        User = get_user_model()
        if not User.objects.exists():
            User.objects.create_user(email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Demo User")
            self.stdout.write(self.style.SUCCESS("Created the demo account."))
            self.stdout.write(f"  email:    {DEMO_EMAIL}\n  password: {DEMO_PASSWORD}")
        elif User.objects.filter(email=DEMO_EMAIL).exists():
            self.stdout.write(f"Demo account: {DEMO_EMAIL} (password {DEMO_PASSWORD!r} unless changed)")
        else:
            self.stdout.write("Users exist; no demo account created.")
