"""Many expenses at once (a client that recorded offline): one transaction, one INSERT for the expenses and one
for their tag links."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from reports.selectors import report_default
from xpenser_server.errors import InvalidInput

from ..events import expenses_changed_on_commit
from ..models import Expense
from .money import expense_money_new
from .tags import tag_create_or_get, tags_named

BULK_MAX = 500


def expense_bulk_create(*, user, items: list[dict]) -> list[Expense]:
    """Create one expense per item of cleaned values (type, amount, currency, rawamount, notes, date, report,
    category, sourceid, tag names in `tags`), all or none; each comes back with its tags in `tag_list`.
    `amount` is in the item's `currency` (default: the base currency), converted at the rate of its date."""
    if len(items) > BULK_MAX:
        raise InvalidInput(f"at most {BULK_MAX} expenses per request ({len(items)} sent)")
    if not items:
        return []
    try:
        return _bulk_create(user, items)
    except IntegrityError:
        # A report named by an item was deleted after it was checked (its foreign key refused the rows).
        raise InvalidInput("a report named in this request was deleted meanwhile; nothing was stored") from None


@transaction.atomic
def _bulk_create(user, items):
    names = list(dict.fromkeys(name for item in items for name in item.get("tags", ())))
    known = tags_named(user=user, names=names)
    tags = {name: known.get(name) or tag_create_or_get(user=user, name=name) for name in names}
    now = timezone.now()
    default = None
    expenses = []
    for item in items:
        report = item.get("report")
        if report is None:
            default = default or report_default(user=user)
            report = default
        amount = item["amount"]
        expense = Expense(
            owner=user, report=report, type=item["type"], rawamount=item.get("rawamount", amount),
            notes=item.get("notes", ""), date=item.get("date") or now, category=item.get("category"),
            sourceid=item.get("sourceid", ""), created=now,  # modified: stamped by bulk_create
        )  # fmt: skip
        expense_money_new(expense, amount=amount, currency=item.get("currency"), base=user.base_currency,
                          tz=user.tzinfo)
        expenses.append(expense)
    Expense.objects.bulk_create(expenses)
    links = []
    for expense, item in zip(expenses, items, strict=True):
        expense.tag_list = list({tags[name].pk: tags[name] for name in item.get("tags", ())}.values())
        expense.receipt_list = []
        links.extend((expense.pk, tag.pk) for tag in expense.tag_list)
    Expense.objects.owned_by(user).link_tags(links)
    expenses_changed_on_commit(user=user, expense_ids=[e.pk for e in expenses], action="created")
    return expenses
