"""Reads about the currencies of the user's expenses: what waits for a rate, what is kept in another currency,
the last base-currency change, and the warning an expense waiting for a rate carries."""

from django.db.models import Count, F, Sum
from django.utils import timezone

from currencies.selectors import rates_known, rates_on_file

from ..models import CurrencyChange, Expense


def rate_warning(expense: Expense, tz) -> str:
    """What to tell the user about an expense whose rate was not on file ('' when it was converted)."""
    if not expense.awaiting_rate:
        return ""
    source, target = expense.original_currency, expense.amount_currency
    day = timezone.localtime(expense.date, tz).date()
    unknown = [code for code in (source, target) if not rates_known(code)]
    if unknown and not rates_on_file():
        reason = "no exchange rates are on file yet"
    elif unknown:
        reason = f"the exchange rates on file have no {' or '.join(unknown)} rate"
    else:
        reason = f"no {source} to {target} rate is on file for {day:%Y-%m-%d} yet"
    return (f"{reason}: the expense is saved at 0.00 {target} (entered: {expense.original_amount} {source}) and "
            "converted as soon as the rate arrives")


def currency_change_latest(*, user) -> CurrencyChange | None:
    return CurrencyChange.objects.owned_by(user).first()


def expense_currency_summary(*, user) -> dict:
    """{awaiting: count, kept: [{currency, count, total}]}: live expenses waiting for a rate, and those whose
    amount is in another currency than the base one (kept when it changed)."""
    live = Expense.objects.owned_by(user).live()
    kept = list(live.exclude(amount_currency=user.base_currency).values(currency=F("amount_currency"))
                .annotate(count=Count("id"), total=Sum("amount")).order_by("currency"))
    return {"awaiting": live.awaiting_rate().count(), "kept": kept}
