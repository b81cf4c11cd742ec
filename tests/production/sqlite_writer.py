"""A writer process for test_sqlite_concurrency: `python -m tests.production.sqlite_writer N LABEL|setup`.

Runs with DATABASE_URL pointing at a shared SQLite file. Each iteration creates an expense and
increments a shared counter (read, then write, inside one transaction: a lost update or a
"database is locked" would show). Prints a JSON summary.
"""

import json
import os
import sys
from decimal import Decimal

import django


def setup() -> None:
    """Create the writers' user and the shared counter row."""
    from accounts.models import User
    from expenses.models import Expense
    from tests.factories import default_report

    user = User.objects.create_user("writer@test.com", "password")
    report = default_report(user)
    Expense.objects.create(owner=user, report=report, type="counter", amount=0, rawamount=0)


def main(iterations: int, label: str) -> None:
    from django.db import connection, transaction

    from accounts.models import User
    from expenses.models import Expense
    from tests.factories import default_report

    user = User.objects.get(email="writer@test.com")
    report = default_report(user)
    errors = []
    for i in range(iterations):
        try:
            Expense.objects.create(owner=user, report=report, type=label, amount=1, rawamount=1, notes=str(i))
            with transaction.atomic():
                counter = Expense.objects.get(owner=user, type="counter")
                counter.amount += Decimal(1)
                counter.save(update_fields=["amount"])
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on any
            errors.append(f"{type(exc).__name__}: {exc}")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    print(json.dumps({"errors": errors, "journal_mode": journal_mode, "transaction_mode": connection.transaction_mode}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xpenser_server.settings")
    django.setup()
    if sys.argv[1] == "setup":
        setup()
    else:
        main(int(sys.argv[1]), sys.argv[2])
