"""Reads of reports, always scoped to the requesting user."""

from decimal import Decimal

from django.db import connection
from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from xpenser_server import sql

from .models import Report

LIVE_EXPENSES = Q(expenses__status=1)


def report_list(*, user, status: str | None = None):
    """The user's reports annotated with `count` and `total` of their live expenses."""
    qs = Report.objects.filter(owner=user).annotate(
        count=Count("expenses", filter=LIVE_EXPENSES),
        total=Coalesce(
            Sum("expenses__amount", filter=LIVE_EXPENSES),
            Value(Decimal("0.00")),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def report_get(*, user, report_id) -> Report | None:
    """The user's report with that id (annotated like report_list), or None."""
    return report_list(user=user).filter(pk=report_id).first()


def report_default(*, user) -> Report:
    """The user's default report (every user has one, see apps.py); the simple API asks on every create."""
    report = sql.select_one(Report, "owner_id = %s AND is_default = %s", [user.pk, True])
    if report is None:
        raise Report.DoesNotExist(f"user {user.pk} has no default report")
    return report


def report_default_id_expression(*, user) -> tuple[str, list]:
    """The user's default report id as an SQL expression with its parameters, for a statement that stores it
    itself (sql.insert's `computed`): the simple API's create saves a lookup this way."""
    table = connection.ops.quote_name(Report._meta.db_table)
    return f"(SELECT id FROM {table} WHERE owner_id = %s AND is_default = %s)", [user.pk, True]  # noqa: S608
