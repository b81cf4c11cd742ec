"""Queries per request of the hot endpoints, through the whole stack (bench/RESULTS.md records the same).

Only statements that read or write rows are counted: transaction control (BEGIN, SAVEPOINT, COMMIT) differs
between the databases and between a test transaction and production.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from expenses.models import Expense
from oauth_bridge.models import AccessToken, Consumer
from tests.conftest import basic_auth
from tests.factories import ExpenseFactory, TagFactory, default_report
from tests.oauth_bridge.conftest import signed, token_client

pytestmark = pytest.mark.django_db
DATA = ("SELECT", "INSERT", "UPDATE", "DELETE", "DECLARE")  # DECLARE: a PostgreSQL server-side cursor


def data_statements(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(DATA)]


def _twice(send):
    """The second of two identical requests: the verified credential is cached, the tag exists."""
    send()
    with CaptureQueriesContext(connection) as queries:
        response = send()
        response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, data_statements(queries)


def test_simple_create_without_tags_is_four_statements(client, user):
    auth = basic_auth(user.email)
    response, statements = _twice(lambda: client.get("/api/simple/?format=json&q=lunch+45", **auth))
    assert response.status_code == 200
    # the user (credential check), the default report, the owner's sync clock (the new `modified`), the INSERT
    assert [s.split()[0] for s in statements] == ["SELECT", "SELECT", "UPDATE", "INSERT"]


def test_simple_create_with_a_known_tag_adds_its_lookup_and_link(client, user):
    auth = basic_auth(user.email)
    TagFactory(owner=user, name="cash")
    response, statements = _twice(lambda: client.get("/api/simple/?format=json&q=lunch+45+%23cash", **auth))
    assert response.status_code == 200
    assert [s.split()[0] for s in statements] == ["SELECT", "SELECT", "SELECT", "UPDATE", "INSERT", "INSERT"]
    assert Expense.objects.filter(tags__name="cash").count() == 2


def test_item_read_with_basic_auth_is_three_statements(client, user):
    expense = ExpenseFactory(owner=user, tags=[TagFactory(owner=user)])
    auth = basic_auth(user.email)
    response, statements = _twice(lambda: client.get(f"/api/v1.0/expense/{expense.pk}", **auth))
    assert response.status_code == 200 and response.json()["tags"]
    assert len(statements) == 3  # the user, the expense, its tags


def test_item_read_signed_with_oauth_1(client, user, settings, monkeypatch):
    monkeypatch.setattr("oauth_bridge.nonces._NONCE_PRUNE_EVERY", 1 << 62)  # no pruning pass (one in 200 requests)
    settings.REDIS_URL = ""
    settings.XPENSER_OAUTH_INSECURE_TRANSPORT = False
    consumer = Consumer.objects.create(name="Sync", key="consumer-key-1234", secret="consumer-secret-1")
    token = AccessToken.objects.create(consumer=consumer, user=user, key="access-token-key-123456",
                                       secret="access-token-secret-1")
    oauth = {"oauth_token": token.key, "oauth_token_secret": token.secret}
    expense = ExpenseFactory(owner=user)
    url = f"https://testserver/api/v1.0/expense/{expense.pk}"
    response, statements = _twice(lambda: signed(client, "GET", url, token_client(consumer, oauth)))
    assert response.status_code == 200
    # the token with its consumer and user (one join), the expense, its tags; the nonce goes to a file beside
    # an SQLite database and to a table on PostgreSQL without Redis
    assert len(statements) == (3 if connection.vendor == "sqlite" else 4)
    [token_read] = [s for s in statements if "oauth_bridge_accesstoken" in s]
    assert "oauth_bridge_consumer" in token_read and "accounts_user" in token_read


def test_delta_sync_is_four_statements(client, user):
    ExpenseFactory.create_batch(3, owner=user)
    auth = basic_auth(user.email)
    response, statements = _twice(
        lambda: client.get("/api/v1.0/expenses/?report=*&status=all&modified=2000-01-01&modified_op=gt", **auth)
    )
    assert response.status_code == 200 and len(response.body) > 2
    assert len(statements) == 4  # the user, the default report, the expenses, their tags


@pytest.mark.parametrize("path", ["/api/v2/expenses/?limit=100", "/api/v2/expenses/export?format=csv",
                                  "/api/v2/expenses/export?format=xlsx"])
def test_v2_lists_and_exports_cost_the_same_statements_for_5_or_60_expenses(client, user, path):
    auth = basic_auth(user.email)
    tag = TagFactory(owner=user, name="cash")
    ExpenseFactory.create_batch(5, owner=user, tags=[tag])
    few_response, few = _twice(lambda: client.get(path, **auth))
    ExpenseFactory.create_batch(55, owner=user, tags=[tag])
    many_response, many = _twice(lambda: client.get(path, **auth))
    assert few_response.status_code == many_response.status_code == 200
    assert len(many_response.body) > len(few_response.body)
    assert len(many) == len(few) <= 7, many


def test_v2_bulk_create_costs_the_same_statements_for_2_or_40_expenses(client, user):
    """Checking the items, creating them and answering them: no statement per item (SQLite's INSERT takes
    about 45 expenses per statement, so 40 still fit in one)."""
    auth = basic_auth(user.email)
    report = default_report(user).pk

    def bulk(count):
        items = [{"type": f"bulk {n}", "amount": "12.25", "report": report, "tags": ["cash", "trip"]}
                 for n in range(count)]
        return client.post("/api/v2/expenses/bulk", json.dumps({"expenses": items}),
                           content_type="application/json", **auth)

    few_response, few = _twice(lambda: bulk(2))
    many_response, many = _twice(lambda: bulk(40))
    assert few_response.status_code == many_response.status_code == 200
    assert many_response.json()["created"] == 40
    assert [s.split()[0] for s in many] == [s.split()[0] for s in few], many
    assert Expense.objects.filter(tags__name="trip").count() == 84
