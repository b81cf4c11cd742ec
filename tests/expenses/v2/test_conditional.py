"""ETag, Last-Modified and 304 on items and lists; If-Match on writes answered 412 when the item changed."""

import datetime as dt
from unittest import mock

import pytest
from django.utils.http import http_date

from expenses.models import Expense
from tests.expenses.v2.conftest import error
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db
PAST = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)


def made_in_the_past(**kwargs):
    with mock.patch("django.utils.timezone.now", return_value=PAST):
        return ExpenseFactory(**kwargs)


def test_item_etag_and_304(api, user):
    expense = made_in_the_past(owner=user)
    first = api.get(f"expenses/{expense.pk}")
    etag = first["ETag"]
    assert first["Last-Modified"] == http_date(int(expense.modified.timestamp()))
    assert first["Cache-Control"] == "private, no-cache"
    again = api.get(f"expenses/{expense.pk}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert api.get(f"expenses/{expense.pk}", headers={"If-None-Match": f"W/{etag}"}).status_code == 304
    assert api.get(f"expenses/{expense.pk}", headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    api.patch(f"expenses/{expense.pk}", {"notes": "changed"})
    changed = api.get(f"expenses/{expense.pk}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    # If-None-Match wins over If-Modified-Since (RFC 9110).
    assert api.get(f"expenses/{expense.pk}", headers={"If-None-Match": etag, "If-Modified-Since":
                                                     http_date(int(dt.datetime.now(dt.UTC).timestamp()) + 60)}
                   ).status_code == 200


def test_a_change_within_the_same_second_is_not_hidden_by_if_modified_since(api, user):
    changed = dt.datetime(2025, 3, 1, 12, 0, 0, 100_000, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=changed):
        expense = ExpenseFactory(owner=user)
    # Read within the same second: Last-Modified waits for the second to end, the ETag is there.
    with mock.patch("django.utils.timezone.now", return_value=changed + dt.timedelta(milliseconds=500)):
        response = api.get(f"expenses/{expense.pk}")
    assert "Last-Modified" not in response and response["ETag"]
    with mock.patch("django.utils.timezone.now", return_value=changed + dt.timedelta(seconds=1)):
        assert api.get(f"expenses/{expense.pk}")["Last-Modified"] == "Sat, 01 Mar 2025 12:00:00 GMT"


def test_list_etag_and_304_and_last_modified(api, user):
    made_in_the_past(owner=user)
    first = api.get("expenses/")
    assert api.get("expenses/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert api.get("expenses/", headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    api.post("expenses/", {"type": "taxi", "amount": "3"})
    assert api.get("expenses/", headers={"If-None-Match": first["ETag"]}).status_code == 200
    assert api.get("expenses/", headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 200


def test_lost_update_is_412_and_changes_nothing(api, other_api, user):
    expense = ExpenseFactory(owner=user, notes="first")
    phone = api.get(f"expenses/{expense.pk}")
    laptop_etag = phone["ETag"]
    ok = api.patch(f"expenses/{expense.pk}", {"notes": "from the phone"}, headers={"If-Match": phone["ETag"]})
    assert ok.status_code == 200 and ok["ETag"] != phone["ETag"]
    refused = api.patch(f"expenses/{expense.pk}", {"notes": "from the laptop"}, headers={"If-Match": laptop_etag})
    assert "changed since you read it" in error(refused, 412, "precondition_failed")["message"]
    assert error(api.put(f"expenses/{expense.pk}", {"type": "x", "amount": "1"}, headers={"If-Match": laptop_etag}),
                 412)
    assert error(api.delete(f"expenses/{expense.pk}", headers={"If-Match": laptop_etag}), 412)
    expense.refresh_from_db()
    assert (expense.notes, expense.status) == ("from the phone", Expense.LIVE)
    assert api.patch(f"expenses/{expense.pk}", {"notes": "laptop, after reading"},
                     headers={"If-Match": ok["ETag"]}).status_code == 200
    assert api.patch(f"expenses/{expense.pk}", {"notes": "any"}, headers={"If-Match": "*"}).status_code == 200
    assert error(api.patch(f"expenses/{expense.pk}", {"notes": "x"}, headers={"If-Match": f"W/{ok['ETag']}"}), 412)
    assert error(api.patch(f"expenses/{expense.pk}", {"notes": "x"}, headers={"If-Match": "garbage"}), 412)


def test_if_match_on_tags_reports_and_me(api, user):
    tag = TagFactory(owner=user, name="cash")
    report = ReportFactory(owner=user, name="Trip")
    for path, body in ((f"tags/{tag.pk}", {"name": "card"}), (f"reports/{report.pk}", {"name": "Trip 2"}),
                       ("me", {"name": "Jo"})):
        etag = api.get(path)["ETag"]
        assert api.patch(path, body, headers={"If-Match": etag}).status_code == 200, path
        assert error(api.patch(path, body, headers={"If-Match": etag}), 412, "precondition_failed")
    assert error(api.delete(f"tags/{tag.pk}", headers={"If-Match": '"old"'}), 412)
    assert api.delete(f"tags/{tag.pk}", headers={"If-Match": api.get(f"tags/{tag.pk}")["ETag"]}).status_code == 204


def test_report_totals_change_its_etag(api, user):
    report = ReportFactory(owner=user)
    etag = api.get(f"reports/{report.pk}")["ETag"]
    api.post("expenses/", {"type": "taxi", "amount": "5", "report": report.pk})
    body = api.get(f"reports/{report.pk}", headers={"If-None-Match": etag})
    assert body.status_code == 200 and (body.json()["count"], body.json()["total"]) == (1, "5.00")
