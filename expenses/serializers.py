"""The wire shapes of an expense in each API family, built from plain rows (see selectors.expense_rows)."""

from .dates import format_timestamp

LEGACY_MODEL_LABEL = "xpense.expense"


_MONEY: dict = {}


def money(value) -> str:
    """Money on the wire: a string with two decimals ("45.00")."""
    # Memoised by value (exports format two amounts per row and amounts repeat); the text depends only on
    # the value, except for the sign of zero, so zero is always formatted. Text is already the wire form
    # (selectors.expense_rows).
    if type(value) is str:
        return value
    if not value:
        return f"{value:.2f}"
    text = _MONEY.get(value)
    if text is None:
        if len(_MONEY) > 50_000:
            _MONEY.clear()
        text = _MONEY[value] = f"{value:.2f}"
    return text


def expense_row(expense) -> dict:
    """The export row of one model instance: the same dict selectors.expense_rows yields."""
    return {
        "id": expense.pk,
        "owner_id": expense.owner_id,
        "report_id": expense.report_id,
        "type": expense.type,
        "amount": expense.amount,
        "rawamount": expense.rawamount,
        "notes": expense.notes,
        "date": expense.date,
        "status": expense.status,
        "sourceid": expense.sourceid,
        "category": expense.category,
        "receipt": expense.receipt.name if expense.receipt else "",
        "created": expense.created,
        "modified": expense.modified,
        "original_amount": expense.original_amount,
        "original_currency": expense.original_currency,
        "amount_currency": expense.amount_currency,
        "rate": expense.rate_text,
        "rate_date": "" if expense.rate_date is None else expense.rate_date.isoformat(),
        "tags": [(tag.pk, tag.name) for tag in expense_tags(expense)],
    }


def expense_tags(expense) -> list:
    """The expense's tags by name (then id): from `tag_list` where a read (selectors.TAGS_BY_NAME) or a write
    (services) left them, else from a query."""
    tags = getattr(expense, "tag_list", None)
    return sorted(expense.tags.all() if tags is None else tags, key=lambda tag: (tag.name, tag.pk))


def legacy_expense_record(row, tz) -> dict:
    """One element of `/api/expenses/?format=json`: the Django-serializer shape, keys in the sample's order."""
    return {
        "pk": row["id"],
        "model": LEGACY_MODEL_LABEL,
        "fields": {
            "category": row["category"],
            "status": row["status"],
            "rawamount": money(row["rawamount"]),
            "sourceid": row["sourceid"],
            "notes": row["notes"] or "",
            "created": format_timestamp(row["created"], tz),
            "modified": format_timestamp(row["modified"], tz),
            "report": row["report_id"],
            "amount": money(row["amount"]),
            "user": row["owner_id"],
            "date": format_timestamp(row["date"], tz),
            "type": row["type"],
            "tags": [tag_id for tag_id, _ in row["tags"]],
        },
    }


def legacy_expense_data(row, tz) -> dict:
    """The `data` of `/api/expense/ID` and of the simple API: the page's keys first, then the rest."""
    return {
        "date": format_timestamp(row["date"], tz),
        "report": row["report_id"],
        "amount": money(row["amount"]),
        "type": row["type"],
        "notes": row["notes"] or "",
        "id": row["id"],
        "rawamount": money(row["rawamount"]),
        "tags": [tag_id for tag_id, _ in row["tags"]],
        "status": row["status"],
        "category": row["category"],
        "sourceid": row["sourceid"],
        "created": format_timestamp(row["created"], tz),
        "modified": format_timestamp(row["modified"], tz),
    }


RECEIPT_URL_PREFIX = "/static/xpenser/media/"


def v1_expense(row, tz, *, base_url: str = "") -> dict:
    """A flat `/api/v1.0/` expense object: exactly these keys, in this order (the Qt exporter reads XML
    columns by position)."""
    return {
        "id": row["id"],
        "type": row["type"],
        "amount": money(row["amount"]),
        "rawamount": money(row["rawamount"]),
        "notes": row["notes"] or "",
        "date": format_timestamp(row["date"], tz),
        "created": format_timestamp(row["created"], tz),
        "modified": format_timestamp(row["modified"], tz),
        "status": row["status"],
        "report_id": row["report_id"],
        "tags": [name for _, name in row["tags"]],
        "receipt": f"{base_url}{RECEIPT_URL_PREFIX}{row['receipt']}" if row["receipt"] else None,
    }


def v1_tag(tag) -> dict:
    """A `/api/v1.0/` tag: exactly `name` and `id`."""
    return {"name": tag.name, "id": tag.pk}


def v1_report(report, tz) -> dict:
    """A `/api/v1.0/` report: `id`, `name`, `status`, `is_default`, `created`, `modified`, `count`, `total`.

    `report` must carry the `count` and `total` annotations of selectors.reports_with_totals.
    """
    return {
        "id": report.pk,
        "name": report.name,
        "status": report.status,
        "is_default": report.is_default,
        "created": format_timestamp(report.created, tz),
        "modified": format_timestamp(report.modified, tz),
        "count": report.count,
        "total": money(report.total),
    }
