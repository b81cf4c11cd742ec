"""Replays of the request sequences of the known `/api/v1.0/` clients (docs/api.md, "Versioned family").

Each client is driven through django.test.Client with real Basic headers, exactly as it talks to the service:
credentials only after the challenge, paths without a trailing slash, empty query strings, form bodies.
"""

import xml.etree.ElementTree as ET

import pytest

from expenses.models import Expense, Tag
from expenses.selectors import expense_queryset, expense_rows
from expenses.serializers import legacy_expense_record
from reports.models import Report
from tests.api_helpers import as_json, content
from tests.conftest import basic_auth
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db


class ChallengeFirstClient:
    """Like urllib's HTTPBasicAuthHandler: every request goes out bare, credentials follow a 401 challenge."""

    def __init__(self, client, email, password="password"):
        self.client = client
        self.credentials = basic_auth(email, password)
        self.challenges = 0

    def request(self, method, path, data=None, **extra):
        call = getattr(self.client, method)
        args = (path,) if data is None else (path, data)
        response = call(*args, **extra)
        if response.status_code == 401:
            assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
            self.challenges += 1
            response = call(*args, **extra, **self.credentials)
        return response

    def get(self, path, **extra):
        return self.request("get", path, **extra)

    def post(self, path, data=None, **extra):
        return self.request("post", path, {} if data is None else data, **extra)


@pytest.fixture
def challenged(client, user):
    return ChallengeFirstClient(client, user.email)


def test_python_client_sync_session(challenged, user):
    """Python client: list, create, update by form, delta sync across all reports, delete with an empty body."""
    ExpenseFactory(owner=user, type="old")
    listing = challenged.get("/api/v1.0/expenses/?")
    assert listing.status_code == 200 and challenged.challenges == 1
    assert [o["type"] for o in as_json(listing)] == ["old"]

    created = challenged.post("/api/v1.0/expense", {"type": "Lunch", "amount": "45", "notes": "with Jack",
                                                    "tags": "clientx"})
    assert created.status_code == 200 and challenged.challenges == 2
    expense = as_json(created)
    assert (expense["amount"], expense["tags"]) == ("45.00", ["clientx"])

    updated = challenged.post(f"/api/v1.0/expense/{expense['id']}", {"type": "Lunch", "amount": "47.50",
                                                                     "notes": "with Jack and Jill"})
    assert updated.status_code == 200
    assert as_json(updated)["amount"] == "47.50"
    assert Expense.objects.get(pk=expense["id"]).notes == "with Jack and Jill"

    since = as_json(listing)[0]["modified"].replace(" ", "+")
    Expense.objects.filter(type="old").update(modified=Expense.objects.get(type="old").modified.replace(year=2009))
    delta = challenged.get(f"/api/v1.0/expenses/?modified={since}&modified_op=gt&report=*")
    assert delta.status_code == 200
    assert [o["id"] for o in as_json(delta)] == [expense["id"]]

    deleted = challenged.post(f"/api/v1.0/expense/{expense['id']}?action=delete", "",
                              content_type="application/x-www-form-urlencoded")
    assert deleted.status_code == 204 and deleted.content == b""
    assert Expense.objects.get(pk=expense["id"]).status == -1
    assert challenged.challenges == 5


def test_android_client_report_workflow(client, user):
    """Android client: find the open report by `status=U`, create a report, set its status, file expenses."""
    auth = basic_auth(user.email)
    open_reports = as_json(client.get("/api/v1.0/reports?status=U", **auth))
    assert [r["name"] for r in open_reports] == ["My Expenses"]
    report = as_json(client.post("/api/v1.0/report", {"name": "Client visit"}, **auth))
    assert report["status"] == "U" and isinstance(report["id"], int)
    expense = as_json(client.post("/api/v1.0/expense", {"type": "Taxi", "amount": "34", "report": report["id"]},
                                  **auth))
    assert expense["report_id"] == report["id"]
    submitted = as_json(client.post(f"/api/v1.0/report/{report['id']}", {"status": "S"}, **auth))
    assert (submitted["status"], submitted["count"], submitted["total"]) == ("S", 1, "34.00")
    assert [r["id"] for r in as_json(client.get("/api/v1.0/reports?status=S", **auth))] == [report["id"]]
    assert report["id"] not in [r["id"] for r in as_json(client.get("/api/v1.0/reports?status=U", **auth))]


def test_qt_client_reads_reports_then_each_reports_expenses_in_xml(client, user):
    """Qt client: XML list of reports, then each report's expenses in XML, parsed with an XML parser."""
    auth = basic_auth(user.email)
    trip = ReportFactory(owner=user, name="Trip & Co")
    ExpenseFactory(owner=user, type="lunch", notes="<b>bold</b>")
    ExpenseFactory(owner=user, report=trip, type="hotel")
    ExpenseFactory(owner=user, report=trip, type="taxi")
    ExpenseFactory(owner=user, report=trip, type="gone", status=Expense.DELETED)

    response = client.get("/api/v1.0/reports?format=xml", **auth)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    reports = ET.fromstring(content(response))
    assert reports.tag == "response"
    seen = {}
    for resource in reports.findall("resource"):
        report_id = resource.findtext("id")
        expenses = ET.fromstring(content(client.get(f"/api/v1.0/expenses?report={report_id}&format=xml", **auth)))
        types = sorted(e.findtext("type") for e in expenses.findall("resource"))
        assert int(resource.findtext("count")) == len(types)
        seen[resource.findtext("name")] = types
    assert seen == {"My Expenses": ["lunch"], "Trip & Co": ["hotel", "taxi"]}


def test_tag_list_matches_the_legacy_tag_ids(client, user):
    """A client maps the legacy download's tag ids to names with /api/v1.0/tags/."""
    auth = basic_auth(user.email)
    cash, clientx = TagFactory(owner=user, name="cash"), TagFactory(owner=user, name="clientx")
    expense = ExpenseFactory(owner=user, tags=[cash, clientx])
    TagFactory(owner=user, name="unused")
    names_by_id = {t["id"]: t["name"] for t in as_json(client.get("/api/v1.0/tags", **auth))}
    [row] = expense_rows(expense_queryset(user=user))
    legacy = legacy_expense_record(row, user.tzinfo)
    assert legacy["fields"]["tags"] == [cash.pk, clientx.pk]
    v1 = as_json(client.get(f"/api/v1.0/expense/{expense.pk}", **auth))
    assert [names_by_id[tag_id] for tag_id in legacy["fields"]["tags"]] == v1["tags"] == ["cash", "clientx"]
    assert set(names_by_id) == set(Tag.objects.filter(owner=user).values_list("pk", flat=True))


def test_requests_in_absolute_form(client, user):
    response = client.get("http://testserver/api/v1.0/expenses/?format=json", **basic_auth(user.email))
    assert response.status_code == 200 and as_json(response) == []


def test_a_second_user_sees_none_of_it(client, user, other_user):
    mine = basic_auth(user.email)
    report = as_json(client.post("/api/v1.0/report", {"name": "Mine"}, **mine))
    as_json(client.post("/api/v1.0/expense", {"type": "a", "amount": "1", "report": report["id"], "tags": "x"},
                        **mine))
    theirs = basic_auth(other_user.email)
    assert as_json(client.get("/api/v1.0/expenses?report=*&status=all", **theirs)) == []
    assert as_json(client.get("/api/v1.0/tags", **theirs)) == []
    assert [r["name"] for r in as_json(client.get("/api/v1.0/reports", **theirs))] == ["My Expenses"]
    assert client.get(f"/api/v1.0/report/{report['id']}", **theirs).status_code == 404
    assert Report.objects.filter(owner=other_user).count() == 1
