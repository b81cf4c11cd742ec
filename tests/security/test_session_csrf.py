"""Issue 12, item 2: a browser session without a valid CSRF token never writes. The simple APIs answer a page
showing what would be recorded, with a same-origin "Record it" form carrying the token; other writes are 403.
Basic, OAuth and token credentials are unaffected."""

import re

import pytest
from django.test import Client

from expenses.models import Expense, Timer
from reports.models import Report
from tests.conftest import basic_auth
from tests.factories import ExpenseFactory, ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(user):
    """A logged-in browser whose requests Django checks for CSRF like a real one's."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    return browser


def form_fields(page: str) -> tuple[str, dict]:
    """The action and fields of the page's form."""
    action = re.search(r'<form id="record-it" method="post" action="([^"]*)"', page).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    fields["q"] = re.search(r'<input id="q" name="q" value="([^"]*)"', page).group(1)
    return action.replace("&amp;", "&"), fields


@pytest.mark.parametrize("path", ["/api/simple/", "/api/oauth/simple/", "/api/v1.0/expense/"])
@pytest.mark.parametrize("extra", ["", "&format=json"])
def test_a_cross_site_get_shows_what_would_be_recorded_and_records_nothing(browser, path, extra):
    response = browser.get(f"{path}?q=lunch+45+with+jack+%23cash{extra}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    page = response.content.decode()
    assert "Record this?" in page and "Record it" in page
    assert "<dd>lunch</dd>" in page and "45.00 USD" in page and "with jack" in page and "#cash" in page
    assert not Expense.objects.exists()
    action, fields = form_fields(page)
    assert action == "/api/simple/"
    assert fields["q"] == "lunch 45 with jack #cash" and fields["csrfmiddlewaretoken"]
    recorded = browser.post(action, fields)
    assert recorded.status_code == 200 and "Recorded" in recorded.content.decode()
    expense = Expense.objects.get()
    assert (expense.type, expense.rawamount, expense.notes) == ("lunch", 45, "with jack")


def test_a_cross_site_form_post_to_the_simple_api_gets_the_confirmation_with_its_report(browser, user):
    trip = ReportFactory(owner=user, name="Trip to Oslo")
    response = browser.post("/api/simple/", {"q": "taxi 20", "report": str(trip.pk)})
    page = response.content.decode()
    assert response.status_code == 200 and "Record this?" in page and "Trip to Oslo" in page
    assert not Expense.objects.exists()
    action, fields = form_fields(page)
    assert action == f"/api/simple/?report={trip.pk}" and fields["report"] == str(trip.pk)
    assert browser.post(action, fields).status_code == 200
    assert Expense.objects.get().report == trip


def test_a_cross_site_timer_start_is_only_shown(browser):
    page = browser.get("/api/simple/?q=Time+start+clientx").content.decode()
    assert "start the timer" in page
    assert not Timer.objects.exists()


def test_the_confirmation_of_unreadable_text_is_the_error_page(browser):
    response = browser.get("/api/simple/?q=lunch+with+jack")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Not recorded" in page and "no amount found" in page and 'value="lunch with jack"' in page
    assert not Expense.objects.exists()


def test_a_same_origin_post_with_the_token_records_at_once(browser):
    browser.get("/api/simple/")
    token = browser.cookies["csrftoken"].value
    response = browser.post("/api/simple/?format=json", {"q": "coffee 3"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["data"]["amount"] == "3.00"
    response = browser.post("/api/v1.0/expense/", {"q": "tea 2"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["amount"] == "2.00"
    assert Expense.objects.count() == 2


def test_other_session_writes_without_the_token_are_refused(browser, user):
    expense = ExpenseFactory(owner=user, notes="kept")
    report = ReportFactory(owner=user)
    refused = [
        browser.post("/api/v1.0/expense/", {"type": "lunch", "amount": "5"}),
        browser.post("/api/expense/", {"type": "lunch", "amount": "5"}),
        browser.post(f"/api/expense/{expense.pk}", {"notes": "changed"}),
        browser.post(f"/api/v1.0/expense/{expense.pk}/", {"notes": "changed"}),
        browser.delete(f"/api/v1.0/expense/{expense.pk}/"),
        browser.post(f"/api/v1.0/report/{report.pk}/", {"name": "renamed"}),
        browser.post("/api/v1.0/tags/", {"name": "new"}),
        browser.post("/api/v2/expenses/", {"type": "lunch", "amount": "5"}, content_type="application/json"),
    ]
    for response in refused:
        assert response.status_code == 403, (response.status_code, response.content)
        body = response.json()
        assert "CSRF Failed" in str(body.get("error") or body.get("message"))
    expense.refresh_from_db()
    assert expense.notes == "kept" and not expense.deleted
    assert Expense.objects.count() == 1 and Report.objects.get(pk=report.pk).name == report.name


def test_session_reads_need_no_token(browser, user):
    ExpenseFactory(owner=user)
    assert browser.get("/api/v1.0/expenses/").status_code == 200
    assert browser.get("/api/expenses/?format=json").status_code == 200
    assert browser.get("/api/v2/expenses/").status_code == 200
    assert browser.get("/api/simple/").status_code == 200


def test_basic_credentials_still_record_on_a_get(client, user):
    response = client.get("/api/simple/?q=lunch+45&format=json", **basic_auth(user.email))
    assert response.status_code == 200 and response.json()["data"]["amount"] == "45.00"
    response = client.get("/api/v1.0/expense/?q=taxi+12", **basic_auth(user.email))
    assert response.status_code == 200 and response.json()["amount"] == "12.00"
    assert Expense.objects.count() == 2
