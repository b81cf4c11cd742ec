"""A file this server exports, in every format, imports back into an empty account as the same expenses."""

import datetime as dt
from decimal import Decimal
from functools import partial

import pytest
from django.http import QueryDict

from expenses import selectors, services
from expenses.api.responses import expense_export_chunks
from expenses.exports import EXPORT_FORMATS
from expenses.models import Expense
from expenses.serializers import legacy_expense_data, legacy_expense_record, v1_expense
from reports.services import report_create
from tests.factories import ExpenseFactory, TagFactory, UserFactory, default_report

# What each format carries besides type, amount and notes: (whole timestamp or the day only, tags, report
# by name, category).
CARRIES = {
    "csv": ("second", True, False, False),
    "json": ("second", True, True, True),
    "xml": ("second", True, True, True),
    "qif": ("day", True, False, True),
    "ofx": ("second", True, False, False),
    "xlsx": ("second", True, True, True),
    "legacy-json": ("second", False, False, True),
    "legacy-xml": ("second", False, False, True),
    "v1-json": ("second", True, False, False),
    "v1-xml": ("second", True, False, False),
}


@pytest.fixture(params=["UTC", "America/New_York"])
def source(request, db):
    """An account with expenses that test every escape: tags, two reports, formulas, markup, non-ASCII, refunds."""
    owner = UserFactory(email="source@test.com", time_zone=request.param)
    trip = report_create(user=owner, name="Trip to Lyon")
    cash, client = TagFactory(owner=owner, name="cash"), TagFactory(owner=owner, name="clientx")
    when = dt.datetime(2024, 3, 9, 18, 45, 12, tzinfo=dt.UTC)
    ExpenseFactory(owner=owner, type="lunch", amount=Decimal("45.10"), notes="with jack", date=when,
                   tags=[cash, client], category="Meals")
    ExpenseFactory(owner=owner, type="Café & <Bar>", amount=Decimal("1234.56"), notes="=SUM(A1) 5 € tip",
                   date=when - dt.timedelta(days=40), report=trip, tags=[client])
    ExpenseFactory(owner=owner, type="refund", amount=Decimal("-12.00"), notes="", date=when - dt.timedelta(days=1),
                   report=trip)
    ExpenseFactory(owner=owner, type="taxi", amount=Decimal("0.50"), rawamount=Decimal("0.50"), notes="-5 off",
                   date=dt.datetime(1999, 12, 31, 23, 30, tzinfo=dt.UTC))
    return owner


def _export(owner, fmt: str) -> bytes:
    queryset = selectors.expense_list(user=owner, params=QueryDict("report=*"))
    tz = owner.tzinfo
    if fmt in EXPORT_FORMATS:
        return b"".join(selectors.expense_export(user=owner, queryset=queryset, fmt=fmt).chunks)
    family, text_format = fmt.split("-")
    shape = {"legacy-json": legacy_expense_record, "legacy-xml": legacy_expense_data,
             "v1-json": partial(v1_expense, base_url=""), "v1-xml": partial(v1_expense, base_url="")}[fmt]
    chunks = expense_export_chunks(text_format, selectors.expense_rows(queryset, tz=tz), tz, shape)
    return "".join(chunks).encode()


def _snapshot(user, *, precision, tags, report, category):
    tz = user.tzinfo
    rows = []
    for expense in Expense.objects.owned_by(user).live().prefetch_related("tags").select_related("report"):
        local = expense.date.astimezone(tz)
        rows.append((
            expense.type, expense.amount, expense.notes,
            local.date() if precision == "day" else local.replace(microsecond=0),
            sorted(tag.name for tag in expense.tags.all()) if tags else None,
            expense.report.name if report else None,
            expense.category if category else None,
        ))
    return sorted(rows, key=repr)


@pytest.mark.parametrize("fmt", list(CARRIES))
def test_an_export_imports_back_into_an_empty_account_as_the_same_expenses(source, fmt):
    target = UserFactory(email="target@test.com", time_zone=source.time_zone)
    data = _export(source, fmt)
    extension = fmt.split("-")[-1]
    result = services.expense_import(user=target, upload=data, fields={"format": extension})
    assert result.stored and result.counts == {"rows": 4, "new": 4, "duplicate": 0, "skipped": 0, "error": 0}
    precision, tags, report, category = CARRIES[fmt]
    kwargs = {"precision": precision, "tags": tags, "report": report, "category": category}
    assert _snapshot(target, **kwargs) == _snapshot(source, **kwargs)
    if not report:  # the file names reports by id: the source account's ids are not the target's
        reports = {e.report_id for e in Expense.objects.owned_by(target)}
        assert reports == {default_report(target).pk}


@pytest.mark.parametrize("fmt", ["csv", "json", "xml", "qif", "ofx", "xlsx"])
def test_importing_an_export_into_its_own_account_finds_every_expense_already_there(source, fmt):
    data = _export(source, fmt)
    result = services.expense_import(user=source, upload=data, fields={"format": fmt})
    assert result.counts["duplicate"] == 4 and result.counts["new"] == 0
    assert Expense.objects.owned_by(source).count() == 4
    ids = set(Expense.objects.owned_by(source).values_list("pk", flat=True))
    assert {row.duplicate_of for row in result.rows} == ids


def test_the_same_report_keeps_its_expenses_when_the_file_names_it(source):
    target = UserFactory(email="target@test.com", time_zone=source.time_zone)
    services.expense_import(user=target, upload=_export(source, "xlsx"), fields={})
    names = sorted(Expense.objects.owned_by(target).values_list("report__name", flat=True))
    assert names == ["My Expenses", "My Expenses", "Trip to Lyon", "Trip to Lyon"]


def test_a_legacy_export_reimported_into_its_own_account_keeps_tags_and_reports_by_id(source):
    data = _export(source, "legacy-json")
    kwargs = {"precision": "second", "tags": True, "report": True, "category": True}
    before = _snapshot(source, **kwargs)
    Expense.objects.owned_by(source).update(status=Expense.DELETED)  # deleted ones are no duplicates
    result = services.expense_import(user=source, upload=data, fields={})
    assert result.counts["new"] == 4 and not any(row.warnings for row in result.rows)
    assert _snapshot(source, **kwargs) == before


def test_deleted_expenses_in_an_export_are_skipped(source):
    Expense.objects.owned_by(source).filter(type="taxi").update(status=Expense.DELETED)
    data = b"".join(selectors.expense_export(
        user=source, queryset=selectors.expense_list(user=source, params=QueryDict("report=*&status=all")), fmt="json").chunks)
    target = UserFactory(email="target@test.com")
    result = services.expense_import(user=target, upload=data, fields={})
    assert result.counts == {"rows": 4, "new": 3, "duplicate": 0, "skipped": 1, "error": 0}
    assert not Expense.objects.owned_by(target).filter(type="taxi").exists()

