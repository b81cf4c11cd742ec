"""`/api/v1.0/expenses/`: the list's shape, report choice, filters, formats, errors, isolation and auth."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.api_helpers import as_json, content, error_of, xml_resources
from tests.conftest import basic_auth
from tests.expenses.v1_helpers import EXPENSE_KEYS, assert_expense_shape
from tests.factories import ExpenseFactory, ReportFactory, TagFactory, default_report

pytestmark = pytest.mark.django_db


def test_list_is_json_by_default_with_flat_objects(client, user, auth):
    tag = TagFactory(owner=user, name="cash")
    expense = ExpenseFactory(owner=user, type="Taxi", amount=Decimal("34"), notes="office to airport", tags=[tag],
                             date=dt.datetime(2009, 8, 27, 14, 28, tzinfo=dt.UTC))
    response = client.get("/api/v1.0/expenses/", **auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    [obj] = as_json(response)
    assert_expense_shape(obj)
    assert obj == {
        "id": expense.pk, "type": "Taxi", "amount": "34.00", "rawamount": "34.00", "notes": "office to airport",
        "date": "2009-08-27 14:28:00", "created": obj["created"], "modified": obj["modified"], "status": 1,
        "report_id": default_report(user).pk, "tags": ["cash"], "receipt": None,
    }


def test_timestamps_are_in_the_users_time_zone(client, user, auth):
    user.time_zone = "America/New_York"
    user.save()
    ExpenseFactory(owner=user, date=dt.datetime(2009, 8, 27, 14, 28, tzinfo=dt.UTC))
    [obj] = as_json(client.get("/api/v1.0/expenses/", **auth))
    assert obj["date"] == "2009-08-27 10:28:00"


def test_report_absent_means_default_report_and_star_means_all(client, user, auth):
    other_report = ReportFactory(owner=user)
    in_default = ExpenseFactory(owner=user)
    elsewhere = ExpenseFactory(owner=user, report=other_report)
    assert [o["id"] for o in as_json(client.get("/api/v1.0/expenses/", **auth))] == [in_default.pk]
    assert {o["id"] for o in as_json(client.get("/api/v1.0/expenses/?report=*", **auth))} == {in_default.pk,
                                                                                              elsewhere.pk}
    assert [o["id"] for o in as_json(client.get(f"/api/v1.0/expenses/?report={other_report.pk}", **auth))] == [
        elsewhere.pk
    ]


@pytest.mark.parametrize("path", ["/api/v1.0/expenses", "/api/v1.0/expenses/", "/api/v1.0/expenses/?"])
def test_list_answers_with_and_without_slash_and_with_an_empty_query(client, user, auth, path):
    ExpenseFactory(owner=user)
    response = client.get(path, **auth)
    assert response.status_code == 200
    assert len(as_json(response)) == 1


def test_filters_apply(client, user, auth):
    ExpenseFactory(owner=user, type="lunch", amount=Decimal("10"))
    big = ExpenseFactory(owner=user, type="dinner", amount=Decimal("50"))
    assert [o["id"] for o in as_json(client.get("/api/v1.0/expenses/?amount=20&amount_op=gt", **auth))] == [big.pk]
    assert [o["id"] for o in as_json(client.get("/api/v1.0/expenses/?type=DINNER", **auth))] == [big.pk]


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("format=pdf", "format"),
        ("date=yesterday", "date"),
        ("amount=lots", "amount"),
        ("amount=3&amount_op=between", "amount_op"),
        ("report=abc", "report"),
        ("status=maybe", "status"),
        ("modified=2009-13-45", "modified"),
    ],
)
def test_bad_list_parameters_are_400_naming_the_parameter(client, user, auth, query, needle):
    assert needle in error_of(client.get(f"/api/v1.0/expenses/?{query}", **auth), 400)


def test_another_users_report_is_404_on_the_list(client, user, auth, other_user):
    theirs = ReportFactory(owner=other_user)
    ExpenseFactory(owner=other_user, report=theirs)
    assert "not found" in error_of(client.get(f"/api/v1.0/expenses/?report={theirs.pk}", **auth), 404)


def test_xml_list(client, user, auth):
    tags = [TagFactory(owner=user, name="a"), TagFactory(owner=user, name="b")]
    expense = ExpenseFactory(owner=user, notes="fish & chips <tasty>", tags=tags)
    response = client.get("/api/v1.0/expenses/?format=xml", **auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    [resource] = xml_resources(response)
    assert list(resource) == EXPENSE_KEYS
    assert resource["id"] == str(expense.pk)
    assert resource["notes"] == "fish & chips <tasty>"
    assert resource["tags"] == "a,b"
    assert resource["receipt"] == ""


def test_csv_and_qif_downloads(client, user, auth):
    ExpenseFactory(owner=user, type="lunch", amount=Decimal("45"))
    response = client.get("/api/v1.0/expenses/?format=csv", **auth)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == "attachment; filename=expenses.csv"
    lines = content(response).decode().splitlines()
    assert lines[0].startswith("id,date,type,amount") and ",lunch,45.00," in lines[1]
    response = client.get("/api/v1.0/expenses/?format=qif", **auth)
    assert response["Content-Type"] == "application/qif; charset=utf-8"
    text = content(response).decode()
    assert text.startswith("!Type:Cash\n") and "T-45.00\nPlunch\n" in text


@pytest.mark.parametrize(
    ("accept", "content_type"),
    [
        ("text/xml", "text/xml; charset=utf-8"),
        ("application/xml", "text/xml; charset=utf-8"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        ("text/html,application/xhtml+xml", "application/json"),
    ],
)
def test_accept_is_honoured_without_format(client, user, auth, accept, content_type):
    response = client.get("/api/v1.0/expenses/", HTTP_ACCEPT=accept, **auth)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type


def test_format_wins_over_accept(client, user, auth):
    response = client.get("/api/v1.0/expenses/?format=json", HTTP_ACCEPT="text/xml", **auth)
    assert response["Content-Type"] == "application/json"


def test_other_users_expenses_are_never_listed(client, user, auth, other_user):
    ExpenseFactory(owner=other_user)
    for query in ("", "?report=*", "?report=*&status=all", "?format=xml&report=*"):
        body = content(client.get(f"/api/v1.0/expenses/{query}", **auth))
        assert body in (b"[]", b'<?xml version="1.0" encoding="utf-8"?>\n<response></response>\n')


def test_unauthenticated_and_wrong_password_are_401_with_the_challenge(client, user):
    for kwargs in ({}, basic_auth(user.email, "wrong")):
        response = client.get("/api/v1.0/expenses/", **kwargs)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="Xpenser"'
        assert as_json(response)["status"] == 401


def test_unsupported_method_is_405_json(client, user, auth):
    assert error_of(client.put("/api/v1.0/expenses/", **auth), 405)

