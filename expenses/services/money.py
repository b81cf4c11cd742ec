"""An expense's money: the amount entered in its currency, converted into the base currency at the ECB rate of
the expense's date (the nearest earlier published day). The rate used is stored with the expense."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from currencies.codes import is_currency_code
from currencies.selectors import Rate, rate_between
from xpenser_server.errors import InvalidInput

from .. import parser
from ..models import Expense
from .cleaning import CENT

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Money:
    """`amount` in `amount_currency` at `rate` (None: no rate on file yet, amount 0.00) of `rate_date`."""

    amount: Decimal
    amount_currency: str
    rate: Decimal | None
    rate_date: dt.date | None


def clean_currency(value, *, field="currency") -> str:
    """An ISO 4217 code of a current or recent currency, in capitals."""
    code = str(value or "").strip().upper()
    if not is_currency_code(code):
        raise InvalidInput(f"{field}: {value!r} is not a currency code; use an ISO 4217 code such as USD, EUR or GBP")
    return code


def money_convert(*, amount: Decimal, currency: str, target: str, day: dt.date, rate: Rate | None = None) -> Money:
    """`amount` of `currency` in `target` on `day` (at `rate` when the caller looked it up); without a rate on
    file, a Money waiting for one. Raises InvalidInput when the result is too large for an amount."""
    rate = rate or rate_between(source=currency, target=target, day=day)
    if rate is None:
        return Money(ZERO, target, None, None)
    converted = (amount * rate.value).quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(converted) > parser.MAX_AMOUNT:
        raise InvalidInput(
            f"amount: {amount} {currency} is {converted} {target}, more than the largest amount ({parser.MAX_AMOUNT})"
        )
    return Money(converted or ZERO, target, rate.value, rate.day)


def expense_day(expense: Expense, tz) -> dt.date:
    """The expense's date in its owner's time zone: the day whose rate converts it."""
    return timezone.localtime(expense.date, tz).date()


def expense_money_set(expense: Expense, *, amount: Decimal, currency: str, target: str, tz) -> None:
    """Set the expense's money: `amount` of `currency` (the original), converted into `target` (nothing saved)."""
    expense.original_amount, expense.original_currency = amount, currency
    money = money_convert(amount=amount, currency=currency, target=target, day=expense_day(expense, tz))
    expense.amount, expense.amount_currency = money.amount, money.amount_currency
    expense.rate, expense.rate_date = money.rate, money.rate_date


def expense_money_in_base(expense: Expense, *, amount: Decimal, base: str) -> None:
    """Money entered in the base currency (every legacy and v1.0 write of `amount`): rate 1."""
    expense.amount = expense.original_amount = amount
    expense.original_currency = expense.amount_currency = base
    expense.rate, expense.rate_date = Decimal(1), None


def expense_money_reconvert(expense: Expense, *, target: str, tz) -> None:
    """Convert the expense's original money again: for a new date, or into another base currency."""
    expense_money_set(expense, amount=expense.original_amount, currency=expense.original_currency, target=target,
                      tz=tz)  # fmt: skip


EXPENSE_MONEY_FIELDS = ("amount", "rawamount", "original_amount", "original_currency", "amount_currency", "rate",
                        "rate_date")


def expense_money_change(expense: Expense, *, amount: Decimal | None, currency: str | None, rawamount_sent: bool,
                         date_changed: bool) -> set[str]:
    """Apply the money of a `/api/v2/` change to `expense` (nothing saved) and answer the fields it changed.

    `amount` is in `currency` (default: the base currency), converted at the rate of the expense's date;
    `currency` alone relabels the amount entered. An `amount` equal to the stored one without a currency
    changes nothing, so a client that PUTs back what it read keeps the expense's original money. A new date
    converts money entered in another currency again. `rawamount` follows the amount unless it was sent.
    """
    user = expense.owner
    base, tz = user.base_currency, user.tzinfo
    before = {name: getattr(expense, name) for name in EXPENSE_MONEY_FIELDS}
    if currency is not None or (amount is not None and amount != expense.amount):
        given = amount if amount is not None else expense.original_amount
        code = currency or base
        if code == base:
            expense_money_in_base(expense, amount=given, base=base)
        else:
            expense_money_set(expense, amount=given, currency=code, target=base, tz=tz)
        if not rawamount_sent:
            expense.rawamount = given
    elif date_changed and expense.converted:
        expense_money_reconvert(expense, target=expense.amount_currency, tz=tz)
    return {name for name, value in before.items() if getattr(expense, name) != value}


def expense_money_new(expense: Expense, *, amount: Decimal, currency: str | None, base: str, tz) -> None:
    """The money of a new expense: `amount` in `currency` (None: the base currency), converted (nothing saved)."""
    if currency in (None, base):
        expense_money_in_base(expense, amount=amount, base=base)
    else:
        expense_money_set(expense, amount=amount, currency=currency, target=base, tz=tz)
