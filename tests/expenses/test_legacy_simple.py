"""The legacy simple API (`/api/simple/`) end to end, with real `Authorization: Basic` headers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from expenses.models import Expense, Tag
from tests.expenses.legacy_helpers import PAGE_ITEM_KEYS, T0, assert_error, clock_at, text_of
from tests.factories import ReportFactory, TagFactory

pytestmark = pytest.mark.django_db


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


def test_simple_errors_without_format_are_html_pages_with_the_status(client, auth):
    response = client.put("/api/simple/", **auth)
    assert response.status_code == 405
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "not allowed" in text_of(response)
