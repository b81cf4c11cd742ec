"""The list's bulk actions on the ticked expenses: move to a report (a new one too), add tags, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from reports.selectors import report_get
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id

from .. import services
from .common import confirm_page, confirmed, locked_reports, safe_next
from .undo import offer_undo

NEW_REPORT = "new"


def _plural(count: int, word: str = "expense") -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _target_report(request):
    """The report chosen for a move (None when a new one is to be created, or nothing valid was chosen)."""
    value = request.POST.get("report", "").strip()
    report_id = parse_id(value)
    return report_get(user=request.user, report_id=report_id) if report_id else None


@login_required
@require_POST
def expense_bulk(request):
    user, action = request.user, request.POST.get("action", "")
    back = safe_next(request, "/expenses/")
    ids = request.POST.getlist("ids")
    try:
        selection = services.clean_selection(user=user, ids=ids)
        target = _target_report(request) if action == "move" else None
        locks = locked_reports([expense.report for expense in selection] + ([target] if target else []))
        if locks and not confirmed(request):
            return confirm_page(request, locks, action=f"This bulk change of {_plural(len(selection))}", back=back)
        text = _run(request, action, ids, target)
    except InvalidInput as err:
        messages.error(request, f"Nothing was changed: {err.message}")
        return redirect(back)
    if action != "delete":
        messages.success(request, text)
    return redirect(back)


def _run(request, action, ids, target) -> str:
    user = request.user
    if action == "move":
        new_name = request.POST.get("new_report", "") if request.POST.get("report") == NEW_REPORT else None
        target, count = services.expenses_move(user=user, ids=ids, report=target, new_report_name=new_name)
        return f"Moved {_plural(count)} to {target.name}."
    if action == "tag":
        count = services.expenses_tag(user=user, ids=ids, tags=request.POST.get("tags", ""))
        return f"Tagged {_plural(count)}."
    if action == "delete":
        deleted = services.expenses_delete(user=user, ids=ids)
        if deleted:
            offer_undo(request, deleted, f"Deleted {_plural(len(deleted))}.")
        else:
            messages.info(request, "The selected expenses were deleted already.")
        return ""
    raise InvalidInput("action: choose move, tag or delete")
