"""The legacy `/api/` family end to end, through the test client with real `Authorization: Basic` headers.

Each curl line of the original developer page has a test here.
"""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from expenses import selectors
from expenses.models import Expense, Tag
from tests import factories
from tests.conftest import basic_auth
from tests.expenses.test_renderers import PAGE_SAMPLE, qif_records
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db
UTC = dt.UTC
T0 = dt.datetime(2009, 8, 27, 14, 27, 5, tzinfo=UTC)
PAGE_ITEM_KEYS = ["date", "report", "amount", "type", "notes"]


@contextmanager
def clock_at(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def text_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def download(client, auth, query="", path="/api/expenses/"):
    response = client.get(f"{path}{'?' + query if query else ''}", **auth)
    assert response.status_code == 200, text_of(response)
    return response


def download_json(client, auth, query=""):
    response = download(client, auth, f"format=json&{query}" if query else "format=json")
    return json.loads(text_of(response))


def listed_ids(client, auth, query=""):
    return sorted(record["pk"] for record in download_json(client, auth, query))


def assert_error(response, status, message):
    assert response.status_code == status, text_of(response)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    assert message in body["error"], body["error"]


@pytest.fixture(name="default_report")
def default_report_fixture(user):
    return factories.default_report(user)


# --- simple API ----------------------------------------------------------------------------------------


def test_simple_json_records_the_pages_example(client, user, auth, default_report):
    # curl -u user@test.com:password "http://host/api/simple/?q=lunch+45+with+jack&format=json"
    response = client.get("/api/simple/?q=lunch+45+with+jack&format=json", **auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["status", "data"]
    assert body["status"] == 200
    data = body["data"]
    assert list(data)[:5] == PAGE_ITEM_KEYS
    assert (data["type"], data["amount"], data["notes"], data["report"]) == ("lunch", "45.00", "with jack",
                                                                             default_report.pk)
    expense = Expense.objects.get()
    assert data["id"] == expense.pk and expense.owner == user and expense.report == default_report
    assert expense.amount == Decimal("45.00")


def test_simple_json_with_tags_and_report(client, user, auth):
    trip = ReportFactory(owner=user, name="Trip")
    response = client.post("/api/simple", {"q": "Taxi 34 office to airport #cash #clientx", "report": trip.pk,
                                           "format": "json"}, **auth)
    data = response.json()["data"]
    assert data["report"] == trip.pk and data["notes"] == "office to airport"
    assert sorted(Tag.objects.get(pk=pk).name for pk in data["tags"]) == ["cash", "clientx"]


def test_simple_create_reads_nothing_once_it_starts_writing(client, user, auth):
    """Lookups first, then only the inserts (the write lock is held that long); the answer comes from the
    values written, tags (one new, one known) listed by name order as in every other answer."""
    known = TagFactory(owner=user, name="zeta")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/simple/", {"q": "Taxi 34 #zeta #alpha", "format": "json"}, **auth)
    assert response.status_code == 200
    statements = [q["sql"].split(None, 1)[0].upper() for q in queries.captured_queries]
    first_write = statements.index("INSERT")
    assert "SELECT" not in statements[first_write:], statements
    alpha = Tag.objects.get(owner=user, name="alpha")
    assert response.json()["data"]["tags"] == [alpha.pk, known.pk]
    expense = Expense.objects.get(pk=response.json()["data"]["id"])
    assert sorted(expense.tags.values_list("name", flat=True)) == ["alpha", "zeta"]


def test_simple_reads_q_from_the_form_body_and_report_from_the_query(client, user, auth):
    trip = ReportFactory(owner=user)
    response = client.post(f"/api/simple/?format=json&report={trip.pk}", {"q": "Dinner with Jim 46.80 projectx"},
                           **auth)
    data = response.json()["data"]
    assert (data["type"], data["amount"], data["notes"], data["report"]) == ("Dinner with Jim", "46.80", "projectx",
                                                                             trip.pk)


def test_simple_mileage_uses_the_users_rate(client, user, auth):
    user.mileage_rate = Decimal("0.50")
    user.save()
    data = client.get("/api/simple/?q=mileage+100+client+visit&format=json", **auth).json()["data"]
    assert (data["amount"], data["rawamount"]) == ("50.00", "100.00")


def test_simple_accept_json_without_format(client, auth):
    response = client.get("/api/simple/?q=lunch+5", HTTP_ACCEPT="application/json", **auth)
    assert response.json()["data"]["amount"] == "5.00"


def test_simple_html_by_default(client, user, auth, default_report):
    response = client.get("/api/simple/?q=lunch+45+with+jack+%23cash", **auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = text_of(response)
    assert "<title>Recorded · Xpenser</title>" in page
    assert 'class="topbar"' in page  # extends base.html
    assert "<dd>lunch</dd>" in page and "45.00" in page and "with jack" in page and "#cash" in page
    assert default_report.name in page
    assert '<a href="/api/simple/">Enter another</a>' in page
    assert 'name="q"' in page
    assert Expense.objects.filter(owner=user, type="lunch").count() == 1


def test_simple_html_without_q_shows_the_entry_form(client, auth):
    response = client.get("/api/simple/", **auth)
    assert response.status_code == 200
    assert "Enter an expense" in text_of(response)
    assert not Expense.objects.exists()


def test_simple_html_error_page_is_400_with_the_message_and_the_text_kept(client, auth):
    response = client.get("/api/simple/?q=lunch+with+jack", **auth)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = text_of(response)
    assert "Not recorded" in page and "no amount found" in page
    assert 'value="lunch with jack"' in page
    assert not Expense.objects.exists()


def test_simple_html_keeps_the_report_for_the_next_entry(client, user, auth):
    trip = ReportFactory(owner=user)
    page = text_of(client.get(f"/api/simple/?q=lunch+4&report={trip.pk}", **auth))
    assert f'action="/api/simple/?report={trip.pk}"' in page
    assert f'name="report" value="{trip.pk}"' in page


def test_simple_browser_form_with_a_session_login_and_csrf(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    form_page = browser.get("/api/simple/")
    assert form_page.status_code == 200
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/simple/", {"q": "coffee 3.50", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert "coffee" in text_of(response)
    assert Expense.objects.get().amount == Decimal("3.50")
    # A cross-site form without the token records nothing: it gets the "Record it" confirmation
    # (tests/security/test_session_csrf.py).
    unconfirmed = browser.post("/api/simple/", {"q": "evil 999"})
    assert unconfirmed.status_code == 200
    assert "Record this?" in text_of(unconfirmed)
    assert Expense.objects.count() == 1


def test_simple_timer_start_and_stop_in_json(client, user, auth):
    user.hourly_rate = Decimal("90.00")
    user.save()
    with clock_at(T0):
        started = client.get("/api/simple/?q=Time+start+clientx&format=json", **auth)
    assert started.status_code == 200
    assert started.json() == {"status": 200, "data": {"timer": "started", "started": "2009-08-27 14:27:05",
                                                      "notes": "clientx"}}
    assert not Expense.objects.exists()
    with clock_at(T0 + dt.timedelta(minutes=37)):
        stopped = client.get("/api/simple/?q=Time+stop&format=json", **auth)
    body = stopped.json()
    assert body["status"] == 200
    assert body["timer"] == {"timer": "stopped", "started": "2009-08-27 14:27:05", "stopped": "2009-08-27 15:04:05",
                             "minutes": "37.00"}
    data = body["data"]
    assert (data["type"], data["rawamount"], data["amount"], data["notes"]) == ("Time", "37.00", "55.50", "clientx")
    assert data["date"] == "2009-08-27 14:27:05"
    assert Expense.objects.get().pk == data["id"]


def test_simple_timer_in_html(client, auth):
    with clock_at(T0):
        page = text_of(client.get("/api/simple/?q=Time+start+clientx", **auth))
    assert "Timer started" in page and "2009-08-27 14:27:05" in page
    with clock_at(T0 + dt.timedelta(minutes=10)):
        page = text_of(client.get("/api/simple/?q=Time+stop", **auth))
    assert "Timer stopped" in page and "10.00" in page


def test_simple_timer_stop_without_start(client, auth):
    assert_error(client.get("/api/simple/?q=Time+stop&format=json", **auth), 400, "no timer is running")


@pytest.mark.parametrize(
    "query, message",
    [
        ("format=json", "q is required"),
        ("q=&format=json", "q is required"),
        ("q=lunch+with+jack&format=json", "no amount found"),
        ("q=lunch+4.555&format=json", "more than two decimals"),
        ("q=45+lunch&format=json", "missing expense type"),
        ("q=lunch+4&format=pdf", "format 'pdf' is not supported"),
        ("q=lunch+4&format=json&report=999999", "report 999999 does not exist"),
        ("q=lunch+4&format=json&report=abc", "report: 'abc' is not a report id"),
        ("q=lunch+4&format=json&report=" + "9" * 30, "is not a report id"),
        ("q=lunch+4+" + "x" * 4100 + "&format=json", "too long"),
        ("q=lunch+4+%23" + "t" * 101 + "&format=json", "too long"),
    ],
)
def test_simple_bad_input_is_400_with_the_message_and_saves_nothing(client, auth, query, message):
    assert_error(client.get(f"/api/simple/?{query}", **auth), 400, message)
    assert not Expense.objects.exists() and not Tag.objects.exists()


def test_simple_in_another_users_report_is_refused(client, auth, other_user):
    theirs = ReportFactory(owner=other_user)
    response = client.get(f"/api/simple/?q=lunch+4&format=json&report={theirs.pk}", **auth)
    assert_error(response, 400, f"report {theirs.pk} does not exist")
    assert not Expense.objects.exists()


def test_simple_json_body_array_is_refused(client, auth):
    response = client.post("/api/simple/?format=json", "[1, 2]", content_type="application/json", **auth)
    assert_error(response, 400, "JSON object")


# --- one expense ---------------------------------------------------------------------------------------


def test_view_an_expense(client, user, auth, default_report):
    tag = TagFactory(owner=user, name="cash")
    expense = ExpenseFactory(owner=user, type="dinner", amount=Decimal("15.32"), notes="some note",
                             date=dt.datetime(2008, 8, 18, 12, 35, tzinfo=UTC), tags=[tag])
    response = client.get(f"/api/expense/{expense.pk}", **auth)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["status", "data"]
    assert list(body["data"])[:5] == PAGE_ITEM_KEYS
    assert {k: body["data"][k] for k in PAGE_ITEM_KEYS} == {"date": "2008-08-18 12:35:00",
                                                            "report": default_report.pk, "amount": "15.32",
                                                            "type": "dinner", "notes": "some note"}
    assert body["data"]["id"] == expense.pk and body["data"]["tags"] == [tag.pk]


def test_view_shows_dates_in_the_users_time_zone(client, user, auth):
    user.time_zone = "Europe/Paris"
    user.save()
    expense = ExpenseFactory(owner=user, date=dt.datetime(2008, 8, 18, 12, 35, tzinfo=UTC))
    assert client.get(f"/api/expense/{expense.pk}/", **auth).json()["data"]["date"] == "2008-08-18 14:35:00"


def test_create_an_expense(client, user, auth):
    trip = ReportFactory(owner=user)
    response = client.post("/api/expense/", {"type": "dinner", "amount": "15.32", "notes": "some note here",
                                             "date": "2008-08-18 12:35:00", "report": trip.pk,
                                             "tags": ["cash", "clientx"], "rawamount": "20"}, **auth)
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["status", "data", "id"]
    expense = Expense.objects.get()
    assert body["status"] == 200 and body["id"] == expense.pk and isinstance(body["id"], int)
    assert {k: body["data"][k] for k in PAGE_ITEM_KEYS} == {"date": "2008-08-18 12:35:00", "report": trip.pk,
                                                            "amount": "15.32", "type": "dinner",
                                                            "notes": "some note here"}
    assert body["data"]["rawamount"] == "20.00"
    assert (expense.owner, expense.report, expense.amount, expense.rawamount) == (user, trip, Decimal("15.32"),
                                                                                  Decimal("20.00"))
    assert sorted(t.name for t in expense.tags.all()) == ["cash", "clientx"]


def test_create_with_only_type_and_amount_uses_the_default_report_and_now(client, user, auth, default_report):
    with clock_at(T0):
        body = client.post("/api/expense", {"type": "lunch", "amount": "4"}, **auth).json()
    assert body["data"]["report"] == default_report.pk
    assert body["data"]["date"] == "2009-08-27 14:27:05"
    assert body["data"]["notes"] == "" and body["data"]["tags"] == []


def test_create_accepts_a_json_body(client, auth):
    response = client.post("/api/expense/", json.dumps({"type": "lunch", "amount": 12.5, "tags": ["x"]}),
                           content_type="application/json", **auth)
    assert response.json()["data"]["amount"] == "12.50"


def test_create_accepts_fields_in_the_query_string_of_old_scripts(client, auth):
    response = client.post("/api/expense/?type=lunch&amount=7", **auth)
    assert response.json()["data"]["amount"] == "7.00"


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"type": "lunch"}, "amount is required"),
        ({"type": "lunch", "amount": ""}, "amount is required"),
        ({"type": "lunch", "amount": "abc"}, "amount: 'abc' is not a number"),
        ({"type": "lunch", "amount": "1.234"}, "more than two decimal places"),
        ({"type": "lunch", "amount": "1e99999999"}, "too large"),
        ({"type": "lunch", "amount": "99999999999"}, "too large"),
        ({"amount": "4"}, "type is required"),
        ({"type": "t" * 101, "amount": "4"}, "type is longer than 100 characters"),
        ({"type": "lunch", "amount": "4", "notes": "n" * 2001}, "notes are longer than 2000 characters"),
        ({"type": "lunch", "amount": "4", "date": "32 Aug 2009"}, "date: '32 Aug 2009' is not a date"),
        ({"type": "lunch", "amount": "4", "date": "01 Jan 0001"}, "out of range; use a year from 1900 to 2999"),
        ({"type": "lunch", "amount": "4", "date": "01 Jan 12345"}, "is not a date"),
        ({"type": "lunch", "amount": "4", "report": "999999"}, "report 999999 does not exist"),
        ({"type": "lunch", "amount": "4", "report": "abc"}, "report: 'abc' is not a report id"),
        ({"type": "lunch", "amount": "4", "rawamount": "x"}, "rawamount: 'x' is not a number"),
        ({"type": "lunch", "amount": "4", "tags": ["fine", "t" * 101]}, "tag name is longer than 100"),
    ],
)
def test_create_bad_input_is_400_and_saves_nothing(client, auth, fields, message):
    assert_error(client.post("/api/expense/", fields, **auth), 400, message)
    assert not Expense.objects.exists() and not Tag.objects.exists()


def test_create_in_another_users_report_is_refused(client, auth, other_user):
    theirs = ReportFactory(owner=other_user)
    response = client.post("/api/expense/", {"type": "lunch", "amount": "4", "report": theirs.pk}, **auth)
    assert_error(response, 400, f"report {theirs.pk} does not exist")
    assert not Expense.objects.exists()


def test_create_with_an_action_is_refused(client, auth):
    assert_error(client.post("/api/expense/?action=delete", {"type": "x", "amount": "1"}, **auth), 400, "action")
    assert not Expense.objects.exists()


def test_update_only_the_given_fields(client, user, auth, default_report):
    with clock_at(T0):
        expense = ExpenseFactory(owner=user, type="dinner", amount=Decimal("15.32"), notes="some note",
                                 date=dt.datetime(2008, 8, 18, 12, 35, tzinfo=UTC))
    later = T0 + dt.timedelta(days=1)
    with clock_at(later):
        response = client.post(f"/api/expense/{expense.pk}", {"amount": "14", "notes": "targets"}, **auth)
    assert response.status_code == 200
    # The page's answer: {"status": 200, "data": {"date": ..., "report": 36, "amount": "14", ...}, "id": 676}
    body = response.json()
    assert list(body) == ["status", "data", "id"] and body["id"] == expense.pk
    assert {k: body["data"][k] for k in PAGE_ITEM_KEYS} == {"date": "2008-08-18 12:35:00",
                                                            "report": default_report.pk, "amount": "14.00",
                                                            "type": "dinner", "notes": "targets"}
    expense.refresh_from_db()
    assert (expense.type, expense.amount, expense.notes, expense.modified) == ("dinner", Decimal("14.00"),
                                                                               "targets", later)


def test_update_moves_to_another_report_and_replaces_tags(client, user, auth):
    expense = ExpenseFactory(owner=user, tags=[TagFactory(owner=user, name="old")])
    trip = ReportFactory(owner=user)
    body = client.post(f"/api/expense/{expense.pk}/", {"report": trip.pk, "tags": "new"}, **auth).json()
    assert body["data"]["report"] == trip.pk
    assert [t.name for t in Expense.objects.get().tags.all()] == ["new"]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"type": "changed", "amount": "abc"}, "amount: 'abc' is not a number"),
        ({"type": "changed", "date": "whenever"}, "date: 'whenever' is not a date"),
        ({"type": "changed", "report": "999999"}, "report 999999 does not exist"),
        ({"type": "changed", "notes": "n" * 2001}, "notes are longer than 2000"),
        ({"type": ""}, "type is required"),
        ({"unknown": "x"}, "nothing to update"),
        ({}, "nothing to update"),
    ],
)
def test_update_bad_input_is_400_and_changes_nothing(client, user, auth, fields, message):
    expense = ExpenseFactory(owner=user, type="dinner", notes="kept")
    before = Expense.objects.values().get(pk=expense.pk)
    assert_error(client.post(f"/api/expense/{expense.pk}", fields, **auth), 400, message)
    assert Expense.objects.values().get(pk=expense.pk) == before


def test_unknown_action_is_400(client, user, auth):
    expense = ExpenseFactory(owner=user)
    assert_error(client.post(f"/api/expense/{expense.pk}?action=archive", **auth), 400, "'archive' is not supported")
    assert Expense.objects.get().status == Expense.LIVE


def test_delete_an_expense(client, user, auth):
    with clock_at(T0):
        expense = ExpenseFactory(owner=user)
    later = T0 + dt.timedelta(hours=3)
    with clock_at(later):
        response = client.post(f"/api/expense/{expense.pk}?action=delete", **auth)
    assert response.status_code == 204
    assert response.content == b""
    expense.refresh_from_db()
    assert expense.status == Expense.DELETED and expense.modified == later
    assert_error(client.get(f"/api/expense/{expense.pk}", **auth), 404, f"expense {expense.pk} not found")
    assert_error(client.post(f"/api/expense/{expense.pk}?action=delete", **auth), 404, "not found")


def test_delete_with_action_in_the_form_body_and_http_delete(client, user, auth):
    first, second = ExpenseFactory(owner=user), ExpenseFactory(owner=user)
    assert client.post(f"/api/expense/{first.pk}/", {"action": "delete"}, **auth).status_code == 204
    assert client.delete(f"/api/expense/{second.pk}", **auth).status_code == 204
    assert set(Expense.objects.values_list("status", flat=True)) == {Expense.DELETED}


def test_delete_by_get_is_refused(client, user, auth):
    expense = ExpenseFactory(owner=user)
    assert_error(client.get(f"/api/expense/{expense.pk}?action=delete", **auth), 405, "needs a POST")
    assert Expense.objects.get(pk=expense.pk).status == Expense.LIVE


@pytest.mark.parametrize("expense_id", ["999999", "abc", "12abc", "-1", "0", "9" * 30, "%C2%B2"])
def test_unknown_or_malformed_ids_are_404(client, auth, expense_id):
    assert_error(client.get(f"/api/expense/{expense_id}", **auth), 404, "not found")
    assert_error(client.post(f"/api/expense/{expense_id}", {"amount": "1"}, **auth), 404, "not found")
    assert_error(client.post(f"/api/expense/{expense_id}?action=delete", **auth), 404, "not found")


def test_another_users_expense_is_404_for_every_operation(client, auth, other_user):
    theirs = ExpenseFactory(owner=other_user, type="secret", amount=Decimal("9.00"))
    before = Expense.objects.values().get(pk=theirs.pk)
    assert_error(client.get(f"/api/expense/{theirs.pk}", **auth), 404, f"expense {theirs.pk} not found")
    assert_error(client.post(f"/api/expense/{theirs.pk}", {"amount": "1"}, **auth), 404, "not found")
    assert_error(client.post(f"/api/expense/{theirs.pk}?action=delete", **auth), 404, "not found")
    assert_error(client.delete(f"/api/expense/{theirs.pk}", **auth), 404, "not found")
    assert Expense.objects.values().get(pk=theirs.pk) == before


# --- downloads -----------------------------------------------------------------------------------------


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


def response_bytes(response):
    return b"".join(response.streaming_content)


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


# --- authentication, paths, mirrors --------------------------------------------------------------------

ENDPOINTS = [("get", "/api/simple/?q=lunch+4&format=json"), ("post", "/api/simple/"), ("get", "/api/expense/1"),
             ("post", "/api/expense/"), ("post", "/api/expense/1"), ("post", "/api/expense/1?action=delete"),
             ("get", "/api/expenses/"), ("get", "/api/oauth/expenses/")]


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_missing_credentials_get_the_basic_challenge(client, user, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
    assert response.json()["status"] == 401
    assert not Expense.objects.exists()


@pytest.mark.parametrize("credentials", [("user@test.com", "wrong"), ("nobody@test.com", "password")])
@pytest.mark.parametrize("method, path", ENDPOINTS[:4])
def test_wrong_credentials_are_401(client, user, method, path, credentials):
    response = getattr(client, method)(path, **basic_auth(*credentials))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
    assert "Invalid email or password" in response.json()["error"]


def test_email_login_is_case_insensitive(client, user):
    response = client.get("/api/expenses/", **basic_auth("USER@test.com"))
    assert response.status_code == 200


@pytest.mark.parametrize("prefix", ["/api", "/api/oauth"])
@pytest.mark.parametrize("slash", ["", "/"])
def test_every_path_answers_with_and_without_the_slash_directly(client, user, auth, prefix, slash):
    simple = client.post(f"{prefix}/simple{slash}?format=json", {"q": "lunch 4"}, **auth)
    assert simple.status_code == 200
    created = client.post(f"{prefix}/expense{slash}", {"type": "x", "amount": "1"}, **auth)
    assert created.status_code == 200
    expense_id = created.json()["id"]
    assert client.get(f"{prefix}/expense/{expense_id}{slash}", **auth).status_code == 200
    updated = client.post(f"{prefix}/expense/{expense_id}{slash}", {"notes": "kept body"}, **auth)
    assert updated.json()["data"]["notes"] == "kept body"
    assert client.get(f"{prefix}/expenses{slash}", **auth).status_code == 200
    assert client.post(f"{prefix}/expense/{expense_id}{slash}?action=delete", **auth).status_code == 204


def test_absolute_form_request_uri_through_the_test_client(client, user, auth):
    ExpenseFactory(owner=user)
    response = client.get("http://testserver/api/expenses/?format=json", **auth)
    assert response.status_code == 200 and len(json.loads(text_of(response))) == 1


def test_control_characters_in_form_fields_are_dropped_not_stored(client, auth):
    body = client.post("/api/expense/", {"type": "lun\x00ch", "amount": "4", "notes": "a\x00b\x07c"}, **auth).json()
    assert (body["data"]["type"], body["data"]["notes"]) == ("lunch", "abc")


@pytest.mark.parametrize("payload", ['{"type": ["x"], "amount": {"a": 1}}', '{"type": "x", "amount": null}',
                                     '{"type": "x", "amount": true}', '"just a string"', "{not json"])
def test_odd_json_bodies_are_400_not_500(client, auth, payload):
    response = client.post("/api/expense/", payload, content_type="application/json", **auth)
    assert response.status_code == 400, text_of(response)
    assert response.json()["status"] == 400
    assert not Expense.objects.exists()


def test_unsupported_body_type_is_415(client, auth):
    response = client.post("/api/expense/", "type=x", content_type="text/plain", **auth)
    assert_error(response, 415, "Unsupported media type")


@pytest.mark.parametrize("method, path", [("put", "/api/expense/1"), ("patch", "/api/expense/1"),
                                          ("delete", "/api/expenses/"), ("put", "/api/simple/?format=json"),
                                          ("get", "/api/expense/")])
def test_unsupported_methods_are_405_in_the_envelope(client, user, auth, method, path):
    ExpenseFactory(owner=user)
    response = getattr(client, method)(path, **auth)
    assert_error(response, 405, "not allowed")
    assert Expense.objects.get().status == Expense.LIVE


def test_unknown_api_paths_are_404_in_the_envelope(client, auth):
    assert_error(client.get("/api/expense/1/extra", **auth), 404, "no API endpoint")


def test_head_of_a_download_has_the_headers(client, auth):
    response = client.head("/api/expenses/?format=json", **auth)
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment; filename=expenses.json"


def test_simple_errors_without_format_are_html_pages_with_the_status(client, auth):
    response = client.put("/api/simple/", **auth)
    assert response.status_code == 405
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "not allowed" in text_of(response)
