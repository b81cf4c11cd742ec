"""Bulk writes of the web app's list: move to a report, tag, delete and undo. Each validates the whole
selection before it writes and runs in one transaction; every changed expense gets a new `modified`
(delta sync sees it)."""

from django.db import transaction

from reports.services import report_create
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id

from ..events import expenses_changed_on_commit
from ..models import Expense
from .expenses import resolve_report
from .tags import tags_resolve

MAX_SELECTION = 1000


def clean_selection(*, user, ids) -> list[Expense]:
    """The user's expenses named by `ids` (form values); every id must be one of theirs."""
    values = [str(value).strip() for value in ids or [] if str(value).strip()]
    if not values:
        raise InvalidInput("ids: select one or more expenses first")
    if len(values) > MAX_SELECTION:
        raise InvalidInput(f"ids: at most {MAX_SELECTION} expenses at a time")
    wanted = {}
    for value in values:
        pk = parse_id(value)
        if pk is None:
            raise InvalidInput(f"ids: {value!r} is not an expense id")
        wanted[pk] = value
    found = list(Expense.objects.owned_by(user).filter(pk__in=wanted).select_related("report").order_by("id"))
    missing = sorted(set(wanted) - {expense.pk for expense in found})
    if missing:
        raise InvalidInput(f"ids: expense {wanted[missing[0]]} not found")
    return found


@transaction.atomic
def expenses_move(*, user, ids, report=None, new_report_name=None):
    """File the selected expenses in `report` (an id or a Report) or in a new report named
    `new_report_name` (a name no other report of the user has); returns (the report, how many moved)."""
    expenses = clean_selection(user=user, ids=ids)
    if new_report_name is not None:
        target = report_create(user=user, name=new_report_name, unique_name=True)
    elif report in (None, ""):
        raise InvalidInput("report: choose the report to move the expenses to")
    else:
        target = resolve_report(user=user, report=report)
    moving = [expense.pk for expense in expenses if expense.report_id != target.pk]
    Expense.objects.owned_by(user).filter(pk__in=moving).mark_modified(user, report=target)
    expenses_changed_on_commit(user=user, expense_ids=moving, action="updated")
    return target, len(moving)


@transaction.atomic
def expenses_tag(*, user, ids, tags) -> int:
    """Add the tags (names, created when missing) to every selected expense; returns how many expenses."""
    expenses = clean_selection(user=user, ids=ids)
    tag_objects = tags_resolve(user=user, values=tags, ids_allowed=False)
    if not tag_objects:
        raise InvalidInput("tags: name one or more tags to add, e.g. clientx")
    for tag in tag_objects:
        tag.expenses.add(*expenses)  # one INSERT per tag; links that exist are kept
    Expense.objects.owned_by(user).filter(pk__in=[e.pk for e in expenses]).mark_modified(user)
    expenses_changed_on_commit(user=user, expense_ids=[e.pk for e in expenses], action="updated")
    return len(expenses)


@transaction.atomic
def expenses_delete(*, user, ids) -> list[int]:
    """Soft-delete the selected expenses; returns the ids that were live (what an undo restores)."""
    expenses = clean_selection(user=user, ids=ids)
    live = [expense.pk for expense in expenses if expense.status == Expense.LIVE]
    Expense.objects.owned_by(user).filter(pk__in=live).mark_modified(user, status=Expense.DELETED)
    expenses_changed_on_commit(user=user, expense_ids=live, action="deleted")
    return live


@transaction.atomic
def expenses_restore(*, user, ids) -> int:
    """Undo a delete: the selected expenses are live again; returns how many were deleted."""
    expenses = clean_selection(user=user, ids=ids)
    deleted = [expense.pk for expense in expenses if expense.status == Expense.DELETED]
    Expense.objects.owned_by(user).filter(pk__in=deleted).mark_modified(user, status=Expense.LIVE)
    expenses_changed_on_commit(user=user, expense_ids=deleted, action="updated")
    return len(deleted)
