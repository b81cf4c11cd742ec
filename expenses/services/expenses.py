"""Writes of expenses from form-like values: create, update, soft delete and restore."""

from django.db import transaction
from django.utils import timezone

from reports.models import Report
from reports.selectors import report_default
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id

from ..events import expenses_changed_on_commit
from ..models import Expense
from .cleaning import (
    clean_amount,
    clean_date,
    clean_notes,
    clean_short_text,
    clean_status,
    clean_type,
)
from .locking import expense_locked
from .money import (
    clean_currency,
    expense_money_change,
    expense_money_in_base,
    expense_money_new,
    expense_money_reconvert,
    expense_money_set,
)
from .receipts import clean_receipt, expense_receipt_attach, expense_receipt_remove
from .tags import tags_get_or_create, tags_resolve

UPDATABLE_FIELDS = ("type", "amount", "currency", "rawamount", "notes", "date", "report", "tags", "category",
                    "status")  # fmt: skip


def is_blank(value) -> bool:
    return value is None or (not isinstance(value, Report) and str(value).strip() == "")


def resolve_report(*, user, report) -> Report:
    """The user's report given as an instance, an id, or None/'' for the default report."""
    if isinstance(report, Report):
        if report.owner_id != user.pk:
            raise InvalidInput(f"report {report.pk} does not exist")
        return report
    if is_blank(report):
        return report_default(user=user)
    text = str(report).strip()
    report_id = parse_id(text)
    if report_id is None:
        raise InvalidInput(f"report: {text!r} is not a report id")
    found = Report.objects.owned_by(user).filter(pk=report_id).first()
    if found is None:
        raise InvalidInput(f"report {text} does not exist")
    return found


def _category(value) -> str | None:
    return clean_short_text(value) or None if value else None


@transaction.atomic
def expense_create(
    *, user, type=None, amount=None, rawamount=None, notes="", date=None, report=None, tags=(), sourceid="",
    category=None, tag_ids_allowed=True, receipt=None, currency=None, tag_names=None,
) -> Expense:  # fmt: skip
    """Create an expense from form-like values (strings are cleaned and validated), with its tags and an
    optional receipt upload; nothing is stored when any value is refused.

    `amount` is in `currency` (default: the base currency), converted at the rate of the expense's date (the
    legacy and v1.0 families never send a currency). `tags` are form values: names, several to a value, or,
    when `tag_ids_allowed` (the legacy family), tag ids. `tag_names` (instead) is a list of whole names, each
    one tag.
    """
    expense = Expense(
        owner=user,
        report=resolve_report(user=user, report=report),
        type=clean_type(type),
        notes=clean_notes(notes),
        date=clean_date(date, user=user) if date not in (None, "") else timezone.now(),
        sourceid=clean_short_text(sourceid),
        category=_category(category),
    )
    given = clean_amount(amount)
    currency = clean_currency(currency) if currency not in (None, "") else None
    expense_money_new(expense, amount=given, currency=currency, base=user.base_currency, tz=user.tzinfo)
    expense.rawamount = clean_amount(rawamount, field="rawamount") if rawamount not in (None, "") else given
    if receipt is not None:
        clean_receipt(receipt)
    if tag_names is not None:
        tag_objects = tags_get_or_create(user=user, names=tag_names)
    else:
        tag_objects = tags_resolve(user=user, values=tags, ids_allowed=tag_ids_allowed) if tags else []
    expense.save()
    if tag_objects:
        expense.tags.add(*tag_objects)  # a new expense has no links yet: one INSERT
    expense.tag_list = tag_objects
    if receipt is not None:
        expense_receipt_attach(expense=expense, upload=receipt, announce=False)
    expenses_changed_on_commit(user=user, expense_ids=[expense.pk], action="created")
    return expense


@transaction.atomic
def expense_update(*, expense: Expense, data, tag_ids_allowed=True, receipt=None, remove_receipt=False) -> Expense:
    """Update the fields present in `data` (others are ignored) and, optionally, attach a receipt upload or
    remove the receipt; bad values raise InvalidInput and change nothing.

    `tags` are names or, when `tag_ids_allowed` (the legacy family), tag ids.
    """
    user = expense.owner
    if "type" in data:
        expense.type = clean_type(data["type"])
    if "notes" in data:
        expense.notes = clean_notes(data["notes"])
    if "date" in data:
        expense.date = clean_date(data["date"], user=user)
    entered = (expense.original_amount, expense.original_currency)
    _money_update(expense, data, user)
    if "amount" in data and (expense.original_amount, expense.original_currency) != entered:
        expense.review = ""  # a new amount from the user settles what receipt reading asked them to review
    if "report" in data or "report_id" in data:
        expense.report = resolve_report(user=user, report=data.get("report", data.get("report_id")))
    if "category" in data:
        expense.category = _category(data["category"])
    if "status" in data:
        expense.status = clean_status(data["status"])
    if receipt is not None:
        clean_receipt(receipt)
    tag_objects = None
    if "tags" in data:
        values = data.getlist("tags") if hasattr(data, "getlist") else data["tags"]
        tag_objects = tags_resolve(user=user, values=values, ids_allowed=tag_ids_allowed)
    expense.save()
    if tag_objects is not None:
        expense.tags.set(tag_objects)
        expense.tag_list = tag_objects
    if receipt is not None:
        expense_receipt_attach(expense=expense, upload=receipt, announce=False)
    elif remove_receipt:
        expense_receipt_remove(expense=expense, announce=False)
    expenses_changed_on_commit(user=user, expense_ids=[expense.pk], action="updated")
    return expense


def _money_update(expense: Expense, data, user) -> None:
    """`amount` alone is in the base currency (legacy and v1.0); with `currency`, in that one; `currency` alone
    re-labels the amount entered. A new date, or a new rawamount of money entered in another currency,
    converts again."""
    base = user.base_currency
    entered_money = expense.rawamount == expense.original_amount  # not miles or minutes
    currency = clean_currency(data["currency"]) if data.get("currency") not in (None, "") else None
    if "amount" in data or currency:
        given = clean_amount(data["amount"]) if "amount" in data else expense.original_amount
        currency = currency or (base if "amount" in data else expense.original_currency)
        if currency == base:
            expense_money_in_base(expense, amount=given, base=base)
        else:
            expense_money_set(expense, amount=given, currency=currency, target=base, tz=user.tzinfo)
        if "rawamount" not in data and ("amount" in data or entered_money):
            expense.rawamount = given
    if "rawamount" in data:
        expense.rawamount = clean_amount(data["rawamount"], field="rawamount")
        if "amount" not in data and expense.converted and entered_money:
            expense.original_amount = expense.rawamount
            expense_money_reconvert(expense, target=expense.amount_currency, tz=user.tzinfo)
    if "date" in data and "amount" not in data and not currency and expense.converted:
        expense_money_reconvert(expense, target=expense.amount_currency, tz=user.tzinfo)


def expense_delete(*, expense: Expense) -> Expense:
    """Soft delete: the row stays with status -1 and a new `modified` (delta sync sees it)."""
    if expense.status != Expense.DELETED:
        expense.status = Expense.DELETED
        expense.save(update_fields=["status"])
        expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="deleted")
    return expense


def expense_restore(*, expense: Expense) -> Expense:
    """Undo a soft delete (a new `modified`: delta sync sees it live again)."""
    if expense.status != Expense.LIVE:
        expense.status = Expense.LIVE
        expense.save(update_fields=["status"])
        expenses_changed_on_commit(user=expense.owner, expense_ids=[expense.pk], action="updated")
    return expense


# The fields expense_change sets from already cleaned values (see serializers of /api/v2/).
CHANGEABLE_FIELDS = ("type", "amount", "rawamount", "notes", "date", "report", "category", "sourceid")


@transaction.atomic
def expense_change(*, expense: Expense, fields: dict, tag_names=None, deleted=None, expected=None,
                   currency=None) -> Expense:
    """Apply cleaned values (keys of CHANGEABLE_FIELDS; `tag_names` replaces the tags; `deleted` soft-deletes
    or restores) to the expense as stored now, writing only what they change.

    `amount` is in `currency` (a cleaned ISO 4217 code; default the base currency) and goes through
    money.expense_money_change, so amount, rawamount, the original money and the rate stay consistent.
    `expected`: the `modified` stamps an `If-Match` allows; PreconditionFailed (412) when the expense has
    changed since. Nothing is written when nothing changes (a repeated DELETE keeps its `modified`).
    """
    unknown = set(fields) - set(CHANGEABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))}")
    tags = tags_get_or_create(user=expense.owner, names=tag_names) if tag_names is not None else None
    current = expense_locked(expense, expected)
    changed = set()
    for name, value in fields.items():
        if name != "amount":
            changed.add(name)
            setattr(current, name, value)
    changed |= expense_money_change(current, amount=fields.get("amount"), currency=currency,
                                    rawamount_sent="rawamount" in fields, date_changed="date" in fields)
    if current.review and "amount" in changed:
        current.review = ""  # a new amount from the user settles what receipt reading asked them to review
        changed.add("review")
    if deleted is not None and (current.status == Expense.DELETED) != deleted:
        current.status = Expense.DELETED if deleted else Expense.LIVE
        changed.add("status")
    if tags is not None and {t.pk for t in tags} != {t.pk for t in current.tag_list}:
        changed.add("tags")
    if not changed:
        return current
    current.save(update_fields=changed - {"tags"})
    if tags is not None:
        current.tags.set(tags)
        current.tag_list = tags
    action = "deleted" if "status" in changed and current.status == Expense.DELETED else "updated"
    expenses_changed_on_commit(user=current.owner, expense_ids=[current.pk], action=action)
    return current
