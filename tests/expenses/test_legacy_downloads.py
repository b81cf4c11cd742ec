"""The legacy `/api/expenses/` downloads: formats, filters, delta sync, isolation and streaming."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse

from expenses import selectors
from expenses.models import Expense
from tests import factories
from tests.expenses.legacy_helpers import (
    T0,
    UTC,
    assert_error,
    clock_at,
    download,
    download_json,
    listed_ids,
    response_bytes,
    text_of,
)
from tests.expenses.test_renderers import PAGE_SAMPLE, qif_records
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(user, other_user, default_report):
    """Expenses in the default report, in a second report, a deleted one, and another user's."""
    trip = ReportFactory(owner=user, name="Trip")
    cash = TagFactory(owner=user, name="cash")
    lunch = ExpenseFactory(owner=user, type="lunch", amount=Decimal("45.00"), notes="with jack", tags=[cash],
                           date=dt.datetime(2009, 8, 27, 14, 28, tzinfo=UTC))
    coffee = ExpenseFactory(owner=user, type="Coffee", amount=Decimal("2.50"), notes="cash",
                            date=dt.datetime(2009, 7, 30, 8, 0, tzinfo=UTC))
    hotel = ExpenseFactory(owner=user, report=trip, type="hotel", amount=Decimal("120.00"), notes="",
                           date=dt.datetime(2009, 8, 2, 22, 0, tzinfo=UTC))
    gone = ExpenseFactory(owner=user, type="gone", status=Expense.DELETED)
    theirs = ExpenseFactory(owner=other_user, type="secret")
    return {"trip": trip, "cash": cash, "lunch": lunch, "coffee": coffee, "hotel": hotel, "gone": gone,
            "theirs": theirs}


def test_download_defaults_to_csv_of_the_current_report(client, auth, books):
    # curl -i -u testuser@test.com:testpass http://host/api/expenses/
    response = download(client, auth)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename=expenses.csv"
    rows = list(csv.DictReader(io.StringIO(text_of(response))))
    assert [row["type"] for row in rows] == ["lunch", "Coffee"]  # newest first; live, default report only
    lunch = rows[0]
    assert lunch == {"id": str(books["lunch"].pk), "date": "2009-08-27 14:28:00", "type": "lunch",
                     "amount": "45.00", "rawamount": "45.00", "notes": "with jack", "tags": "cash",
                     "report": str(books["lunch"].report_id), "created": lunch["created"],
                     "modified": lunch["modified"], "status": "1"}


def test_download_json_has_the_pages_shape(client, user, auth, books):
    # GET /api/expenses/?format=json
    response = download(client, auth, "format=json")
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == "attachment; filename=expenses.json"
    text = text_of(response)
    records = json.loads(text)
    sample = json.loads(PAGE_SAMPLE)
    assert [r["pk"] for r in records] == [books["lunch"].pk, books["coffee"].pk]
    for record in records:
        assert list(record) == list(sample)
        assert list(record["fields"]) == list(sample["fields"])
        for key, value in sample["fields"].items():
            assert type(record["fields"][key]) is type(value) or (value is None and record["fields"][key] is None)
    lunch = records[0]
    assert lunch["model"] == "xpense.expense"
    assert lunch["fields"] | {"created": None, "modified": None, "sourceid": None} == {
        "category": None, "status": 1, "rawamount": "45.00", "sourceid": None, "notes": "with jack",
        "created": None, "modified": None, "report": books["lunch"].report_id, "amount": "45.00", "user": user.pk,
        "date": "2009-08-27 14:28:00", "type": "lunch", "tags": [books["cash"].pk]}
    assert text.startswith('[{"pk": ') and '}}, {"pk": ' in text


def test_download_json_of_all_reports(client, auth, books):
    # GET /api/expenses/?format=json&report=*
    ids = listed_ids(client, auth, "report=*")
    assert ids == sorted([books["lunch"].pk, books["coffee"].pk, books["hotel"].pk])


def test_download_one_report(client, auth, books):
    # GET api/expenses/?report=54
    rows = list(csv.DictReader(io.StringIO(text_of(download(client, auth, f"report={books['trip'].pk}")))))
    assert [row["type"] for row in rows] == ["hotel"]


def test_download_qif(client, auth, books):
    response = download(client, auth, "format=qif")
    assert response["Content-Type"] == "application/qif; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename=expenses.qif"
    header, records = qif_records(text_of(response))
    assert header == "!Type:Cash"
    assert records == [
        {"D": ["08/27/2009"], "T": ["-45.00"], "P": ["lunch"], "M": ["with jack #cash"]},
        {"D": ["07/30/2009"], "T": ["-2.50"], "P": ["Coffee"], "M": ["cash"]},
    ]


def test_download_xml(client, auth, books):
    response = download(client, auth, "format=xml&report=*")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename=expenses.xml"
    root = ET.fromstring(response_bytes(response))
    resources = root.findall("resource")
    assert [r.findtext("type") for r in resources] == ["lunch", "hotel", "Coffee"]
    assert resources[0].findtext("amount") == "45.00"
    assert resources[0].findtext("tags") == str(books["cash"].pk)


@pytest.mark.parametrize(
    "accept, content_type",
    [
        ("application/json", "application/json"),
        ("text/xml", "text/xml; charset=utf-8"),
        ("application/qif", "application/qif; charset=utf-8"),
        ("*/*", "text/csv; charset=utf-8"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/csv; charset=utf-8"),
        ("application/xml;q=0.5, application/json", "application/json"),
    ],
)
def test_download_honours_accept_without_format(client, auth, books, accept, content_type):
    response = client.get("/api/expenses/", HTTP_ACCEPT=accept, **auth)
    assert response["Content-Type"] == content_type


def test_download_format_beats_accept(client, auth, books):
    response = client.get("/api/expenses/?format=csv", HTTP_ACCEPT="application/json", **auth)
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_download_date_filters_from_the_page(client, auth, books):
    trip = books["trip"].pk
    # GET /api/expenses/?report=54&date_op=gt&date=01+Aug+2009
    assert listed_ids(client, auth, f"report={trip}&date_op=gt&date=01+Aug+2009") == [books["hotel"].pk]
    assert listed_ids(client, auth, f"report={trip}&date_op=gt&date=02+Aug+2009") == []
    assert listed_ids(client, auth, "date_op=lt&date=01+Aug+2009") == [books["coffee"].pk]
    assert listed_ids(client, auth, "report=*&date=02+Aug+2009") == [books["hotel"].pk]
    assert listed_ids(client, auth, "report=*&date=2009-08-02&date_op=lte") == sorted([books["hotel"].pk,
                                                                                      books["coffee"].pk])


def test_download_type_notes_and_amount_filters_from_the_page(client, auth, books):
    # GET /api/expenses/?report=54&type=lunch, ...&notes=cash, ...&amount_op=gt&amount=3
    assert listed_ids(client, auth, "type=LUNCH") == [books["lunch"].pk]
    assert listed_ids(client, auth, "notes=cash") == [books["coffee"].pk]
    assert listed_ids(client, auth, "amount_op=gt&amount=3") == [books["lunch"].pk]
    assert listed_ids(client, auth, "amount_op=lt&amount=3") == [books["coffee"].pk]
    assert listed_ids(client, auth, "report=*&amount=120") == [books["hotel"].pk]
    assert listed_ids(client, auth, "report=*&tags=cash") == [books["lunch"].pk]


def test_download_created_and_modified_filters_from_the_page(client, auth, books):
    Expense.objects.filter(pk=books["coffee"].pk).update(created=dt.datetime(2009, 8, 20, tzinfo=UTC),
                                                         modified=dt.datetime(2009, 8, 20, tzinfo=UTC))
    Expense.objects.filter(pk=books["lunch"].pk).update(created=dt.datetime(2009, 8, 27, 14, 27, 5, tzinfo=UTC),
                                                        modified=dt.datetime(2009, 8, 28, tzinfo=UTC))
    Expense.objects.filter(pk=books["hotel"].pk).update(created=dt.datetime(2009, 8, 1, tzinfo=UTC),
                                                        modified=dt.datetime(2009, 8, 1, tzinfo=UTC))
    # GET /api/expenses/?report=*&created=2009-08-26+00:00:00&created_op=gt
    assert listed_ids(client, auth, "report=*&created=2009-08-26+00:00:00&created_op=gt") == [books["lunch"].pk]
    assert listed_ids(client, auth, "report=*&created=2009-08-26+00:00:00&created_op=lt") == sorted(
        [books["coffee"].pk, books["hotel"].pk])
    # GET /api/expenses/?report=*&modified=2009-08-26+00:00:00&modified_op=gt
    assert listed_ids(client, auth, "report=*&modified=2009-08-26+00:00:00&modified_op=gt") == [books["lunch"].pk]
    assert listed_ids(client, auth, "report=*&modified=2009-08-27+23:59:59&modified_op=gt") == [books["lunch"].pk]
    assert listed_ids(client, auth, "report=*&modified=2009-08-28+00:00:00&modified_op=gt") == []


def test_delta_sync_sees_changes_and_each_deletion_exactly_once(client, user, auth):
    with clock_at(T0):
        kept = client.post("/api/expense/", {"type": "kept", "amount": "1"}, **auth).json()["id"]
        changed = client.post("/api/expense/", {"type": "changed", "amount": "2"}, **auth).json()["id"]
        removed = client.post("/api/expense/", {"type": "removed", "amount": "3"}, **auth).json()["id"]
    first_sync = "2009-08-27+14:30:00"
    with clock_at(T0 + dt.timedelta(hours=1)):
        client.post(f"/api/expense/{changed}", {"amount": "20"}, **auth)
        assert client.post(f"/api/expense/{removed}?action=delete", **auth).status_code == 204
    query = f"report=*&modified={first_sync}&modified_op=gt"
    assert listed_ids(client, auth, query) == [changed]
    records = download_json(client, auth, query + "&status=all")
    assert sorted(r["pk"] for r in records) == sorted([changed, removed])
    assert {r["pk"]: r["fields"]["status"] for r in records} == {changed: 1, removed: -1}
    assert [r["pk"] for r in records].count(removed) == 1
    # The next sync starts after the last change and sees nothing again.
    next_sync = "2009-08-27+15:27:05"
    assert download_json(client, auth, f"report=*&modified={next_sync}&modified_op=gt&status=all") == []
    assert kept not in listed_ids(client, auth, query + "&status=all")


def test_download_never_lists_another_users_expenses(client, auth, books):
    everything = download_json(client, auth, "report=*&status=all")
    assert books["theirs"].pk not in [r["pk"] for r in everything]
    assert all(r["fields"]["user"] != books["theirs"].owner_id for r in everything)
    assert listed_ids(client, auth, "report=*&type=secret") == []


def test_download_of_another_users_report_is_404(client, auth, books, other_user):
    theirs = books["theirs"].report_id
    assert_error(client.get(f"/api/expenses/?report={theirs}", **auth), 404, f"report {theirs} not found")


@pytest.mark.parametrize(
    "query, message",
    [
        ("format=pdf", "format 'pdf' is not supported here; use one of csv, json, qif, xml"),
        ("report=abc", "report: 'abc' is not a report id"),
        ("report=999999", "report 999999 not found"),
        ("date=yesterday", "date: 'yesterday' is not a date"),
        ("date=01+Aug+2009&date_op=before", "date_op:"),
        ("amount=three", "amount: 'three' is not a number"),
        ("amount=3&amount_op=bigger", "amount_op:"),
        ("created=2009-08-26+25:00:00&created_op=gt", "created:"),
        ("modified=last+week&modified_op=gt", "modified:"),
        ("status=bogus", "status: 'bogus' is not valid"),
        ("type=lunch%00", "type: contains a NUL character"),
        ("date=31+Dec+9999&date_op=gt", "date:"),
        ("amount=1e999999999", "too large"),
    ],
)
def test_download_bad_input_is_400_or_404_with_the_message(client, auth, books, query, message):
    response = client.get(f"/api/expenses/?{query}", **auth)
    assert_error(response, 404 if "not found" in message else 400, message)


def test_download_is_streamed_lazily(client, user, auth, monkeypatch):
    total = 800
    report = factories.default_report(user)
    Expense.objects.bulk_create(
        Expense(owner=user, report=report, type=f"t{i}", amount=Decimal(i), rawamount=Decimal(i),
                original_amount=Decimal(i), original_currency="USD", amount_currency="USD", rate=1,
                notes="n" * 60, date=T0) for i in range(total)
    )
    pulled = []
    real_rows = selectors.expense_rows

    def counting_rows(queryset, **kwargs):
        # Small database chunks stand in for a 100k-row export; the pipeline is the same.
        for row in real_rows(queryset, chunk_size=100):
            pulled.append(row["id"])
            yield row

    monkeypatch.setattr(selectors, "expense_rows", counting_rows)
    response = client.get("/api/expenses/", **auth)
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    assert pulled == []  # nothing read before the body is iterated
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.startswith(b"id,date,type")
    assert 0 < len(pulled) < total  # the first chunk left before the rows were exhausted
    rest = b"".join(chunks)
    assert len(pulled) == total
    assert (first + rest).count(b"\n") == total + 1
