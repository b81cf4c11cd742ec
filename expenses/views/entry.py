"""Home: quick entry (`lunch 45 with jack #cash`, `Time start`), the running timer, recent expenses."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from reports.selectors import report_default, report_get
from xpenser_server.errors import InvalidInput
from xpenser_server.ids import parse_id

from .. import selectors, services
from ..models import Expense
from ..serializers import expense_tags
from .common import confirm_page, confirmed, is_locked, money_text, report_choices

RECENT_COUNT = 10
EMPTY_TEXT = "Type the expense text first, e.g. lunch 45 with jack #cash"


def describe_expense(expense: Expense) -> str:
    parts = [f"Recorded {expense.type} {money_text(expense.amount)} {expense.amount_currency}"]
    if expense.awaiting_rate:
        parts[0] = f"Recorded {expense.type} {money_text(expense.original_amount)} {expense.original_currency}"
    elif expense.converted:
        entered = f"{money_text(expense.original_amount)} {expense.original_currency}"
        parts[0] += f" ({entered} at {expense.rate.normalize():f})"
    elif expense.rawamount != expense.original_amount:
        unit = "minutes" if expense.type.casefold() == "time" else "miles"
        parts[0] += f" ({expense.rawamount.normalize():f} {unit})"
    if expense.notes:
        parts.append(f"notes: {expense.notes}")
    tags = [t.name for t in expense_tags(expense)]
    if tags:
        parts.append("tags: " + " ".join(f"#{t}" for t in tags))
    parts.append(f"in {expense.report.name}")
    return " · ".join(parts)


def describe_result(result, user) -> str:
    if isinstance(result, Expense):
        return describe_expense(result)
    started = timezone.localtime(result.started, user.tzinfo).strftime("%H:%M")
    if result.action == "started":
        return f"Timer started at {started}" + (f" for {result.notes}" if result.notes else "")
    return f"Timer stopped (started at {started}). " + describe_expense(result.expense)


def _record(request, text, chosen_report):
    """Record the entry (with the receipts sent beside it); None when done, else (error, status)."""
    user, uploads = request.user, request.FILES.getlist("receipt")
    try:
        result = services.expense_create_from_text_with_receipts(user=user, text=text, report=chosen_report or None,
                                                                 uploads=uploads)
    except InvalidInput as err:
        return err.message, err.status_code
    described = describe_result(result, user)
    if uploads:
        described += f" · {len(uploads)} receipt{'s' if len(uploads) != 1 else ''} attached"
    messages.success(request, described)
    if isinstance(result, Expense) and (warning := selectors.rate_warning(result, user.tzinfo)):
        messages.warning(request, f"{warning[:1].upper()}{warning[1:]}.")
    return None


@login_required
def home(request):
    user = request.user
    text, chosen_report, error, status = "", "", None, 200
    if request.method == "POST":
        text = request.POST.get("q", "")
        chosen_report = request.POST.get("report", "").strip()
        chosen_id = parse_id(chosen_report)
        target = report_get(user=user, report_id=chosen_id) if chosen_id else report_default(user=user)
        if not text.strip():
            error, status = EMPTY_TEXT, 400
        elif is_locked(target) and not confirmed(request):
            action = f"Adding “{text.strip()}”"
            if request.FILES:
                action += " (choose the receipt again afterwards, on the expense's page: files are not sent twice)"
            return confirm_page(request, [target], action=action, back="/")
        else:
            failed = _record(request, text, chosen_report)
            if failed is None:
                return redirect("home")
            error, status = failed
    default = selectors.report_with_totals(user=user, report_id=report_default(user=user).pk)
    recent = (
        selectors.expense_queryset(user=user)
        .live()
        .filter(report=default)
        .select_related("report")
        .prefetch_related("tags", selectors.RECEIPTS_IN_ORDER)
        .order_by("-date", "-id")[:RECENT_COUNT]
    )
    timer = services.timer_get(user=user)
    context = {
        "text": text,
        "error": error,
        "chosen_report": chosen_report,
        "reports": report_choices(user),
        "default_report": default,
        "recent": recent,
        "timer": timer,
        "currencies": selectors.expense_currency_summary(user=user),
        "receipt_max_mb": services.receipt_max_bytes() / 1048576,
    }
    return render(request, "expenses/home.html", context, status=status)
