"""Report writes that touch the expenses filed in the report (reports never import expenses)."""

from django.db import transaction

from reports.models import Report
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id

from ..events import expenses_changed_on_commit
from ..models import Expense


@transaction.atomic
def report_delete(*, report: Report, move_to=None, delete_expenses=False) -> None:
    """Delete a report. Its live expenses must be moved first (`move_to` = a report id does it here), or
    deleted with it (`delete_expenses`: they are soft-deleted, and kept in the default report for delta sync).

    The default report cannot be deleted. Soft-deleted expenses of a report deleted without `move_to`
    go to the default report (their rows must survive for delta sync).
    """
    user = report.owner
    if report.is_default:
        raise InvalidInput(
            f"report {report.pk} is the default report and cannot be deleted; make another report the default first"
        )
    reports = Report.objects.owned_by(user)
    target = None
    if move_to not in (None, ""):
        text = str(move_to).strip()
        if parse_id(text) is None:
            raise InvalidInput(f"move_to: {text!r} is not a report id")
        target = reports.filter(pk=parse_id(text)).first()
        if target is None:
            raise InvalidInput(f"move_to: report {text} does not exist")
        if target.pk == report.pk:
            raise InvalidInput("move_to: cannot move the expenses into the report being deleted")
    expenses = Expense.objects.owned_by(user).filter(report=report)
    live = expenses.live()
    if delete_expenses and target is not None:
        raise InvalidInput("move_to: either move the expenses or delete them, not both")
    if delete_expenses:
        expenses_changed_on_commit(user=user, expense_ids=live.values_list("pk", flat=True), action="deleted")
        live.mark_modified(user, status=Expense.DELETED)
    if target is None:
        count = live.count()
        if count:
            raise InvalidInput(
                f"report {report.pk} still has {count} expense{'s' if count != 1 else ''}; "
                "delete them first or pass move_to=<report id> to move them into another report"
            )
        target = reports.default().get()
    # Moved live expenses count as modified (delta sync sees their new report); deleted ones were synced already.
    expenses_changed_on_commit(user=user, expense_ids=live.values_list("pk", flat=True), action="updated")
    live.mark_modified(user, report=target)
    expenses.update(report=target)
    report.delete()
