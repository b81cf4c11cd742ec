"""GET /api/v2/expenses/export through HTTP: every format streamed as an attachment with the list's filters, the
money columns of v2's files, errors answered before any byte of a file, and round trips: an export imported
through POST /api/v2/imports/ into an empty account gives the same expenses."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.db.models.query import QuerySet
from django.test import Client
from ofxtools.Parser import OFXTree
from openpyxl import load_workbook

from expenses.exports import EXPORT_FORMATS, MEDIA_TYPES
from expenses.models import Expense
from reports.services import report_create
from tests.conftest import basic_auth
from tests.expenses.v2.conftest import V2Client, error
from tests.factories import ExpenseFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db
D = Decimal
LEGACY_CSV_HEADER = "id,date,type,amount,rawamount,notes,tags,report,created,modified,status"
MONEY_COLUMNS = ["original_amount", "original_currency", "amount_currency", "rate", "rate_date"]
# What each format carries besides type, amount and the day: (the time of day, notes, tags, report by name, the
# original money with its currency and rate; OFX has no place for the rate's day).
CARRIES = {"csv": (True, True, True, False, True), "json": (True, True, True, True, True),
           "xml": (True, True, True, True, True), "qif": (False, True, True, False, False),
           "ofx": (True, True, True, False, "no day"), "xlsx": (True, True, True, True, True)}


def download(api, fmt, **params) -> tuple[object, bytes]:
    response = api.get("expenses/export", data={"format": fmt, **params})
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content)


@pytest.fixture
def expenses(user, rates_today):
    """Three live expenses (one entered in EUR, one with formula-like notes, a refund) and a deleted one."""
    trip = report_create(user=user, name="Trip to Lyon")
    cash = TagFactory(owner=user, name="cash")
    when = dt.datetime.now(dt.UTC).replace(microsecond=0)
    api = V2Client(Client(), basic_auth(user.email))
    made = api.post("expenses/", {"type": "lunch", "amount": "45", "currency": "EUR", "notes": "with jack",
                                  "tags": ["cash"], "date": when.isoformat()}).json()
    ExpenseFactory(owner=user, type="Café & <Bar>", amount=D("1234.56"), notes="=SUM(A1) 5 € tip",
                   date=when - dt.timedelta(days=3), report=trip, tags=[cash])
    ExpenseFactory(owner=user, type="refund", amount=D("-12.00"), notes="", date=when - dt.timedelta(days=1),
                   report=trip)
    ExpenseFactory(owner=user, type="gone", amount=D("1.00"), status=Expense.DELETED)
    return made


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_format_is_a_streamed_attachment_of_the_live_expenses(api, expenses, fmt):
    response, data = download(api, fmt)
    assert response["Content-Type"] == MEDIA_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="expenses.{fmt}"'
    assert data
    if fmt in ("csv", "json", "xml"):
        text = data.decode()
        assert "lunch" in text and "refund" in text and "gone" not in text


def test_the_csv_keeps_the_legacy_columns_first_and_adds_the_money(api, client, auth, expenses, rates_today):
    _, data = download(api, "csv")
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert rows[0] == [*LEGACY_CSV_HEADER.split(","), *MONEY_COLUMNS]
    lunch = next(dict(zip(rows[0], row, strict=True)) for row in rows[1:] if row[2] == "lunch")
    assert (lunch["amount"], lunch["rawamount"], lunch["tags"]) == ("49.50", "45.00", "cash")
    assert [lunch[name] for name in MONEY_COLUMNS] == ["45.00", "EUR", "USD", "1.1", rates_today.isoformat()]
    assert [row[2] for row in rows[1:]] == ["Café & <Bar>", "refund", "lunch"]  # by date
    assert next(row for row in rows[1:] if row[2] == "Café & <Bar>")[5] == "'=SUM(A1) 5 € tip"
    legacy = b"".join(client.get("/api/expenses/", **auth).streaming_content).decode().splitlines()
    assert legacy[0] == LEGACY_CSV_HEADER  # the frozen family keeps its columns


def test_the_json_export_carries_each_expenses_money(api, expenses, rates_today):
    _, data = download(api, "json")
    items = json.loads(data)
    lunch = next(item for item in items if item["type"] == "lunch")
    assert {name: lunch[name] for name in MONEY_COLUMNS} == {
        "original_amount": "45.00", "original_currency": "EUR", "amount_currency": "USD", "rate": "1.1",
        "rate_date": rates_today.isoformat()}
    refund = next(item for item in items if item["type"] == "refund")
    assert (refund["original_currency"], refund["rate"], refund["rate_date"]) == ("USD", "1", None)


def test_the_xlsx_export_has_the_money_columns_as_typed_cells(api, expenses, rates_today):
    _, data = download(api, "xlsx")
    sheet = load_workbook(io.BytesIO(data), read_only=True)["Expenses"]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[-5:] == MONEY_COLUMNS and header[:3] == ["date", "type", "amount"]
    lunch = dict(zip(header, next(row for row in rows[1:] if row[1] == "lunch"), strict=True))
    assert (lunch["original_amount"], lunch["original_currency"], lunch["amount_currency"]) == (45, "EUR", "USD")
    assert lunch["rate"] == pytest.approx(1.1) and lunch["rate_date"].date() == rates_today


def test_the_ofx_export_is_valid_ofx_in_the_base_currency_with_the_original_currency(api, user, expenses):
    _, data = download(api, "ofx")
    tree = OFXTree()
    tree.parse(io.BytesIO(data))
    statement = tree.convert().statements[0]
    assert statement.curdef == "USD"
    lunch = next(trn for trn in statement.transactions if trn.name == "lunch")
    assert lunch.trnamt == D("-49.50") and lunch.origcurrency.cursym == "EUR"
    assert lunch.origcurrency.currate == D("1.1")
    refund = next(trn for trn in statement.transactions if trn.name == "refund")
    assert refund.origcurrency is None and refund.trnamt == D("12.00")
    user.base_currency = "EUR"
    user.save()
    _, data = download(api, "ofx")
    assert b"<CURDEF>EUR</CURDEF>" in data


def test_the_list_filters_choose_what_is_exported(api, expenses):
    _, data = download(api, "json", type="refund")
    assert [item["type"] for item in json.loads(data)] == ["refund"]
    _, data = download(api, "json", deleted="true")
    assert [item["type"] for item in json.loads(data)] == ["gone"]
    _, data = download(api, "csv", search="nothing like it")
    assert data.decode().splitlines() == [f"{LEGACY_CSV_HEADER},{','.join(MONEY_COLUMNS)}"]


def test_only_the_users_own_expenses_are_exported(api, other_api, expenses):
    _, data = download(other_api, "json")
    assert json.loads(data) == []


def test_the_format_defaults_to_csv_whatever_accept_says(api, expenses):
    response = api.get("expenses/export", headers={"Accept": "application/xml"})
    assert response.status_code == 200 and response["Content-Type"] == MEDIA_TYPES["csv"]


def test_an_unknown_format_or_bad_filter_is_a_400_in_the_envelope(api, expenses):
    problem = error(api.get("expenses/export", data={"format": "pdf"}), 400, "invalid")
    assert list(problem["fields"]) == ["format"] and "'pdf' is not supported" in problem["message"]
    assert error(api.get("expenses/export", data={"report": "99999"}), 400, "invalid")["fields"] == {
        "report": ["Select a valid choice. That choice is not one of the available choices."]}


def test_a_failing_query_is_an_error_answer_not_a_200_with_a_truncated_file(api, expenses):
    def failing_export_query(execute, sql, params, many, context):
        if "FROM \"expenses_expense\"" in sql and "ORDER BY" in sql:
            raise DatabaseError("the database went away")
        return execute(sql, params, many, context)

    client = Client(raise_request_exception=False)
    for fmt in EXPORT_FORMATS:
        with connection.execute_wrapper(failing_export_query):
            response = client.get("/api/v2/expenses/export", {"format": fmt}, **api.headers)
        assert response.status_code == 500 and not response.streaming, fmt
        assert response.json()["error"]["code"] == "server_error"


def test_an_export_needs_credentials(client, expenses):
    assert error(client.get("/api/v2/expenses/export"), 401, "not_authenticated")


def snapshot(user, *, times, notes, tags, report, money) -> list:
    rows = []
    expenses: QuerySet = Expense.objects.owned_by(user).live().prefetch_related("tags").select_related("report")
    for expense in expenses:
        local = expense.date.astimezone(user.tzinfo).replace(microsecond=0)
        rows.append((expense.type, expense.amount, local if times else local.date(),
                     expense.notes if notes else None, sorted(t.name for t in expense.tags.all()) if tags else None,
                     expense.report.name if report else None,
                     (expense.original_amount, expense.original_currency, expense.amount_currency, expense.rate,
                      expense.rate_date if money is True else None, expense.rawamount) if money else None))
    return sorted(rows, key=repr)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_an_export_imports_back_into_an_empty_account_as_the_same_expenses(api, user, expenses, fmt):
    _, data = download(api, fmt)
    target = UserFactory(email="target@test.com", time_zone=user.time_zone)
    target_api = V2Client(Client(), basic_auth(target.email))
    response = target_api.post("imports/", data={"file": SimpleUploadedFile(f"expenses.{fmt}", data)})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["format"] == fmt and body["stored"] is True
    assert body["counts"] == {"rows": 3, "new": 3, "duplicate": 0, "skipped": 0, "error": 0}, body
    times, notes, tags, report, money = CARRIES[fmt]
    kwargs = {"times": times, "notes": notes, "tags": tags, "report": report, "money": money}
    assert snapshot(target, **kwargs) == snapshot(user, **kwargs)
    if money:
        assert Expense.objects.owned_by(target).get(type="lunch").original_currency == "EUR"
    again = target_api.post("imports/", data={"file": SimpleUploadedFile(f"expenses.{fmt}", data)}).json()
    assert again["counts"]["duplicate"] == 3 and Expense.objects.owned_by(target).count() == 3
