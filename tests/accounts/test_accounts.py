import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reports.models import Report

pytestmark = pytest.mark.django_db


def test_new_user_gets_settings_defaults_and_one_default_report():
    user = get_user_model().objects.create_user(email="New@Test.com", password="pw")
    assert user.email == "new@test.com"
    assert (user.base_currency, user.mileage_rate, user.hourly_rate, user.time_zone) == (
        "USD", Decimal("0.55"), Decimal("0.00"), "UTC"
    )
    reports = list(Report.objects.filter(owner=user))
    assert [(r.name, r.is_default, r.status) for r in reports] == [("My Expenses", True, "U")]


def test_createsuperuser_noinput_with_email(tmp_path):
    db = tmp_path / "t.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DJANGO_DEBUG": "1", "DJANGO_SUPERUSER_PASSWORD": "pw"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert run("migrate", "--noinput").returncode == 0
    result = run("createsuperuser", "--noinput", "--email", "user@test.com")
    assert result.returncode == 0, result.stderr
    check = run("shell", "-c", "from accounts.models import User; u=User.objects.get(email='user@test.com');"
                "from reports.models import Report; "
                "print(u.is_superuser, u.check_password('pw'), Report.objects.owned_by(u).default().get().name)")
    assert check.stdout.strip().endswith("True True My Expenses")


def test_ensure_demo_account_only_when_no_users(capsys):
    call_command("ensure_demo_account")
    out = capsys.readouterr().out
    assert "demo@example.com" in out and "demo-password" in out
    assert get_user_model().objects.get(email="demo@example.com").check_password("demo-password")
    call_command("ensure_demo_account")
    assert get_user_model().objects.count() == 1
