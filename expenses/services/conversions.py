"""Conversions of stored expenses: those that waited for a rate once it arrives, and the whole history when the
user changes the base currency (in the background, through Django's Tasks API, for large histories)."""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from currencies.selectors import rate_between
from xpenser_server.errors import InvalidInput

from ..models import CurrencyChange, Expense, SyncClock
from .money import clean_currency, expense_day, money_convert

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
# A change queued or running without progress for this long was lost (its worker killed): it no longer blocks.
STALE_AFTER = dt.timedelta(minutes=30)
MONEY_FIELDS = ["amount", "amount_currency", "rate", "rate_date", "modified"]


def expenses_convert_awaiting() -> int:
    """Convert every expense that waited for a rate now on file (any user's, user by user); how many."""
    owner_ids = list(Expense.objects.awaiting_rate().values_list("owner_id", flat=True).distinct())
    converted = 0
    for user in get_user_model().objects.filter(pk__in=owner_ids):
        with transaction.atomic():
            waiting = Expense.objects.owned_by(user).awaiting_rate().select_for_update().order_by("id")
            converted += _convert(list(waiting), user=user, target=None)[0]
    if converted:
        logger.info("converted %s expenses that were waiting for an exchange rate", converted)
    return converted


def _convert(expenses, *, user, target: str | None) -> tuple[int, int]:
    """Convert `expenses` into `target` and save them: (converted, kept). Rates are looked up once per
    currency and day.

    target None (rates arrived): each into its own amount_currency; one still without a rate goes on waiting.
    Into a new base currency, one without a rate (or too large once converted) keeps its amount in its old
    currency, labelled so; one that was waiting goes on waiting in the new currency."""
    tz, rates, changed, kept, stamp = user.tzinfo, {}, [], 0, None
    for expense in expenses:
        to = target or expense.amount_currency
        key = (expense.original_currency, to, expense_day(expense, tz))
        if key not in rates:
            rates[key] = rate_between(source=key[0], target=to, day=key[2])
        try:
            money = money_convert(amount=expense.original_amount, currency=key[0], target=to, day=key[2],
                                  rate=rates[key])  # fmt: skip
        except InvalidInput:
            money = None
        if money is None or (money.rate is None and (target is None or not expense.awaiting_rate)):
            kept += 1
            continue
        expense.amount, expense.amount_currency = money.amount, money.amount_currency
        stamp = stamp or SyncClock.next_stamp(user.pk)  # delta sync sees the new amounts
        expense.rate, expense.rate_date, expense.modified = money.rate, money.rate_date, stamp
        changed.append(expense)
    Expense.objects.owned_by(user).bulk_update(changed, MONEY_FIELDS)  # UPDATE ... WHERE owner and id IN
    return len(changed), kept


@transaction.atomic
def base_currency_change(*, user, currency, history: str) -> CurrencyChange | None:
    """Make `currency` the user's base currency. `history`: `convert` every amount at its own date's rate
    (within the request up to XPENSER_CURRENCY_CHANGE_INLINE_LIMIT expenses, else in the background) or `keep`
    the amounts labelled with their currency. Also converts what an earlier `keep` left, for the same
    currency. None when there is nothing to do."""
    currency = clean_currency(currency, field="base_currency")
    if history not in (CurrencyChange.CONVERT, CurrencyChange.KEEP):
        raise InvalidInput(f"currency_history: {history!r} is not valid; use convert or keep")
    running = CurrencyChange.objects.owned_by(user).filter(status__in=(CurrencyChange.QUEUED, CurrencyChange.RUNNING))
    running.filter(updated__lt=timezone.now() - STALE_AFTER).update(status=CurrencyChange.FAILED,
                                                                    finished=timezone.now())  # fmt: skip
    if (current := running.first()) is not None:
        raise InvalidInput(
            f"base_currency: your history is still being converted into {current.to_currency} "
            f"({current.done} of {current.total}); change it again once that is done"
        )
    previous = user.base_currency
    others = Expense.objects.owned_by(user).exclude(amount_currency=currency)
    total = others.count() if history == CurrencyChange.CONVERT else 0
    if currency == previous and not total:
        return None
    if currency != previous:
        user.base_currency = currency
        user.save(update_fields=["base_currency"])
    change = CurrencyChange.objects.create(
        owner=user, from_currency=previous, to_currency=currency, history=history, total=total,
        status=CurrencyChange.QUEUED if total else CurrencyChange.DONE, finished=None if total else timezone.now(),
    )  # fmt: skip
    if total and total <= settings.XPENSER_CURRENCY_CHANGE_INLINE_LIMIT:
        currency_change_run(change=change)
    elif total:
        transaction.on_commit(lambda: convert_history.enqueue(user_id=user.pk, change_id=change.pk))
    return change


def currency_change_run(*, change: CurrencyChange) -> CurrencyChange:
    """Convert the history of a base-currency change, a batch per transaction (progress in `done`)."""
    user = change.owner
    change.status = CurrencyChange.RUNNING
    change.save(update_fields=["status", "updated"])
    others = Expense.objects.owned_by(user).exclude(amount_currency=change.to_currency).order_by("id")
    last_id = 0
    try:
        while True:
            with transaction.atomic():
                batch = list(others.filter(pk__gt=last_id).select_for_update()[:BATCH_SIZE])
                if not batch:
                    break
                converted, kept = _convert(batch, user=user, target=change.to_currency)
                last_id = batch[-1].pk
                change.done, change.kept = change.done + len(batch), change.kept + kept
                change.save(update_fields=["done", "kept", "updated"])
    except Exception:
        change.status, change.finished = CurrencyChange.FAILED, timezone.now()
        change.save(update_fields=["status", "finished"])
        raise
    change.status, change.finished = CurrencyChange.DONE, timezone.now()
    change.save(update_fields=["status", "finished"])
    return change


@task()
def convert_history(*, user_id: int, change_id: int) -> int:
    """The background task of a base-currency change: how many expenses it looked at."""
    user = get_user_model().objects.get(pk=user_id)
    change = CurrencyChange.objects.owned_by(user).select_related("owner").get(pk=change_id)
    return currency_change_run(change=change).done
