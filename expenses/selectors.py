"""Reads of expenses and tags. Every query starts from the requesting user's rows."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connections
from django.db.models import Count, F, Func, Min, Sum, TextField, Value
from django.db.models.functions import Cast, Coalesce, Lower, Substr, TruncMonth

from reports.selectors import report_default
from xpenser_server import sql
from xpenser_server.ids import parse_id

from .dates import is_utc
from .filters import apply_expense_filters
from .models import Expense, Tag


def expense_queryset(*, user):
    """All of the user's expenses, deleted ones included: the single place expense reads are scoped."""
    return Expense.objects.filter(owner=user)


def expense_get(*, user, expense_id, include_deleted=True) -> Expense | None:
    """The user's expense with that id, its tags prefetched, or None.

    Every item request of both API families starts here, so the two statements go through
    xpenser_server/sql.py (the ORM's select_related + prefetch_related compile to the same two queries
    in four times the time); scoped to the owner like expense_queryset.
    """
    expense_id = parse_id(expense_id)
    if expense_id is None:  # not an id, or beyond the database's range
        return None
    where, params = "owner_id = %s AND id = %s", [user.pk, expense_id]
    if not include_deleted:
        where, params = f"{where} AND status = %s", [*params, Expense.LIVE]
    expense = sql.select_one(Expense, where, params)
    if expense is not None:
        links = Expense.tags.through._meta.db_table
        tags = sql.select(Tag, f"id IN (SELECT tag_id FROM {links} WHERE expense_id = %s)", [expense.pk])  # noqa: S608
        expense_tags_prefetched(expense, tags)
    return expense


def expense_tags_prefetched(expense: Expense, tags) -> None:
    """Keep `tags` as the expense's prefetched tags, as `prefetch_related("tags")` would, so that
    `expense.tags.all()` answers without a query."""
    cached = expense.tags.get_queryset()
    cached._result_cache = sorted(tags, key=lambda tag: (tag.name, tag.pk))
    cached._prefetch_done = True
    expense._prefetched_objects_cache = {"tags": cached}


def expense_list(*, user, params):
    """The user's expenses matching the query parameters of API-CONTRACT section 5, newest first."""
    queryset = apply_expense_filters(
        expense_queryset(user=user), user=user, params=params, default_report=report_default(user=user)
    )
    if params.get("modified") or params.get("created"):
        # Delta sync: the (owner, modified) index finds the few changed rows. Ordering by an expression
        # (same order) stops SQLite's planner from walking all the user's rows in (owner, date) index order
        # to skip the sort: 750 ms against 5 ms with 100k expenses (bench/RESULTS.md).
        return queryset.order_by(Coalesce("date", "date").desc(), "id")
    return queryset.order_by("-date", "id")


EXPORT_FIELDS = (
    "id", "owner_id", "report_id", "type", "amount", "rawamount", "notes", "date", "status",
    "sourceid", "category", "receipt", "created", "modified",
)  # fmt: skip
_DATETIME_FIELDS = ("date", "created", "modified")
_AMOUNT_FIELDS = ("amount", "rawamount")


def expense_rows(queryset, *, chunk_size=2000, tz=None):
    """Stream plain dicts (no model instances) for exports, each with `tags` as [(id, name), ...].

    Rows come from the database cursor `chunk_size` at a time (a server-side cursor on PostgreSQL,
    SQLite's lazy cursor otherwise) and tags are fetched once per chunk, so memory stays flat however
    many expenses there are. The values equal the model's (aware datetimes, two-decimal Decimals);
    they are converted here in bulk because Django's per-value converters cost more than the whole
    rendering of a row (see bench/RESULTS.md).

    Given `tz` UTC (the default zone), the database writes the timestamps and amounts as the text the wire
    carries ("2009-08-26 00:00:00", "45.00"), which serializers.money, dates.format_timestamp and the
    renderers pass through unchanged: SQLite already stores UTC text, and PostgreSQL formats in C.
    """
    connection = connections[queryset.db]
    columns = list(EXPORT_FIELDS)
    wire_text = connection.vendor in _WIRE_TEXT and is_utc(tz)
    if wire_text:
        queryset = queryset.annotate(**_WIRE_TEXT[connection.vendor]())
        columns = [f"{name}_text" if name in _DATETIME_FIELDS + _AMOUNT_FIELDS else name for name in columns]
    elif connection.vendor == "sqlite":
        # Timestamps as text, parsed by datetime.fromisoformat (C) rather than a regex per value.
        queryset = queryset.annotate(**{f"{name}_text": Cast(name, TextField()) for name in _DATETIME_FIELDS})
        columns = [f"{name}_text" if name in _DATETIME_FIELDS else name for name in columns]
    sql, params = queryset.values_list(*columns).query.sql_with_params()
    export_row = _wire_text_row if wire_text else _export_row_factory(connection.vendor)
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk_size):
            yield from _with_tags(connection, [export_row(values) for values in batch])
    finally:
        cursor.close()


def _sqlite_wire_text() -> dict:
    return {
        **{f"{name}_text": Substr(name, 1, 19) for name in _DATETIME_FIELDS},
        **{f"{name}_text": Func(Value("%.2f"), name, function="printf", output_field=TextField())
           for name in _AMOUNT_FIELDS},
    }


def _postgresql_wire_text() -> dict:
    return {
        **{f"{name}_text": Func(name, template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')",
                                output_field=TextField()) for name in _DATETIME_FIELDS},
        **{f"{name}_text": Cast(name, TextField()) for name in _AMOUNT_FIELDS},  # numeric(12, 2): "45.00"
    }


_WIRE_TEXT = {"sqlite": _sqlite_wire_text, "postgresql": _postgresql_wire_text}


def _wire_text_row(values) -> dict:
    (pk, owner_id, report_id, type_, amount, rawamount, notes, date, status, sourceid, category, receipt,
     created, modified) = values  # fmt: skip
    return {
        "id": pk, "owner_id": owner_id, "report_id": report_id, "type": type_, "amount": amount,
        "rawamount": rawamount, "notes": notes, "date": date, "status": status, "sourceid": sourceid,
        "category": category, "receipt": receipt or "", "created": created, "modified": modified,
    }  # fmt: skip


def _sqlite_datetime(text):
    # Stored as naive UTC text (USE_TZ); one C call instead of Django's regex parse + make_aware.
    return dt.datetime.fromisoformat(text + "+00:00") if text is not None else None


def _aware_datetime(value):
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


_DECIMALS: dict = {}


def _decimal(value):
    # SQLite hands back floats/ints; two-decimal text round-trips exactly for values of a 2-place column.
    # Amounts repeat a lot, so conversions are memoised (Decimals are immutable); zero is not, to keep -0.00.
    if value is None or isinstance(value, Decimal):
        return value
    found = _DECIMALS.get(value) if value else None
    if found is None:
        found = Decimal(f"{value:.2f}")
        if value:
            if len(_DECIMALS) > 50_000:
                _DECIMALS.clear()
            _DECIMALS[value] = found
    return found


def _export_row_factory(vendor):
    when = _sqlite_datetime if vendor == "sqlite" else _aware_datetime

    def export_row(values) -> dict:
        (pk, owner_id, report_id, type_, amount, rawamount, notes, date, status, sourceid, category, receipt,
         created, modified) = values  # fmt: skip
        return {
            "id": pk, "owner_id": owner_id, "report_id": report_id, "type": type_, "amount": _decimal(amount),
            "rawamount": _decimal(rawamount), "notes": notes, "date": when(date), "status": status,
            "sourceid": sourceid, "category": category, "receipt": receipt or "", "created": when(created),
            "modified": when(modified),
        }  # fmt: skip

    return export_row


def _tag_order(tag):
    return tag[1], tag[0]  # by name, then id: the same on every database


def _with_tags(connection, chunk):
    links = Expense.tags.through._meta.db_table
    tag_table = Tag._meta.db_table
    ids = [row["id"] for row in chunk]
    tags = defaultdict(list)
    if connection.vendor == "postgresql":
        # One array parameter: 2,000 separate ones made planning cost more than the query (bench/RESULTS.md).
        where, params = "l.expense_id = ANY(%s)", [ids]
    else:
        where, params = f"l.expense_id IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT l.expense_id, t.id, t.name FROM {links} l JOIN {tag_table} t ON t.id = l.tag_id "  # noqa: S608
            f"WHERE {where}",
            params,
        )
        for expense_id, tag_id, name in cursor.fetchall():
            tags[expense_id].append((tag_id, name))
    for row in chunk:
        found = tags.get(row["id"])
        if found and len(found) > 1:
            found.sort(key=_tag_order)
        row["tags"] = found or []
        yield row


def tag_list(*, user):
    return Tag.objects.filter(owner=user).order_by("name", "id")


def tag_get(*, user, tag_id) -> Tag | None:
    return Tag.objects.filter(owner=user, pk=tag_id).first()


def _live_since(*, user, since, report=None):
    qs = expense_queryset(user=user).filter(status=Expense.LIVE, date__gte=since)
    return qs.filter(report=report) if report is not None else qs


def expense_totals_by_month(*, user, since, report=None) -> list[dict]:
    """[{month (aware datetime, first of the month in the user's tz), count, total}] of live expenses."""
    return list(
        _live_since(user=user, since=since, report=report)
        .annotate(month=TruncMonth("date", tzinfo=user.tzinfo))
        .values("month")
        .annotate(count=Count("id"), total=Sum("amount"))
        .order_by("month")
    )


def expense_totals_by_type(*, user, since, report=None) -> list[dict]:
    """[{type, count, total}] of live expenses, types compared case-insensitively, largest total first."""
    return list(
        _live_since(user=user, since=since, report=report)
        .values(key=Lower("type"))
        .annotate(type=Min("type"), count=Count("id"), total=Sum("amount"))
        .order_by("-total", "key")
    )


def expense_totals_by_tag(*, user, since, report=None) -> list[dict]:
    """[{name, count, total}] of live expenses per tag (an expense counts under each of its tags)."""
    expenses = _live_since(user=user, since=since, report=report)
    return list(
        Expense.tags.through.objects.filter(expense__in=expenses)
        .values(name=F("tag__name"))
        .annotate(count=Count("expense_id"), total=Sum("expense__amount"))
        .order_by("-total", "name")
    )


def expense_totals_untagged(*, user, since, report=None) -> dict:
    return _live_since(user=user, since=since, report=report).filter(tags=None).aggregate(
        count=Count("id"), total=Sum("amount")
    )


def expense_totals(queryset) -> dict:
    """{count, total} of the live expenses in the queryset (deleted ones never add up)."""
    return queryset.filter(status=Expense.LIVE).aggregate(count=Count("id"), total=Sum("amount"))


def expense_type_names(*, user, limit=200) -> list[str]:
    """The user's most used expense types (for the filter form's suggestions)."""
    rows = (
        expense_queryset(user=user)
        .values(key=Lower("type"))
        .annotate(name=Min("type"), uses=Count("id"))
        .order_by("-uses", "key")[:limit]
    )
    return [row["name"] for row in rows]
