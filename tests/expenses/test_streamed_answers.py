"""Every streamed list and download of expenses runs its query before the answer starts, and closes its
database cursor when the answer is closed, read to the end or not."""

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from expenses.selectors import exports
from tests.conftest import basic_auth
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db

API_PATHS = [
    *(f"/api/expenses/?format={fmt}&report=*" for fmt in ("csv", "json", "qif", "xml")),
    *(f"/api/v1.0/expenses/?format={fmt}&report=*" for fmt in ("json", "xml", "csv", "qif")),
    *(f"/api/v2/expenses/export?format={fmt}" for fmt in ("csv", "json", "qif", "xml", "ofx", "xlsx")),
]
WEB_PATHS = [f"/expenses/download/{fmt}/" for fmt in ("csv", "json", "qif", "xml", "ofx", "xlsx")]


def _failing_export_query(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(("SELECT", "DECLARE")) and '"expenses_expense"."rawamount"' in sql:
        raise DatabaseError("the database went away")
    return execute(sql, params, many, context)


@pytest.fixture
def owned(user):
    ExpenseFactory.create_batch(3, owner=user)
    return user


@pytest.mark.parametrize("path", API_PATHS + WEB_PATHS)
def test_a_failing_query_is_a_500_before_any_byte_not_a_200_with_a_truncated_body(owned, path):
    client = Client(raise_request_exception=False)
    if path.startswith("/api/"):
        headers = basic_auth(owned.email)
    else:
        client.force_login(owned)
        headers = {}
    with connection.execute_wrapper(_failing_export_query):
        response = client.get(path, **headers)
    assert response.status_code == 500
    assert not response.streaming


def test_the_query_runs_when_the_rows_are_asked_for_not_when_the_first_is_read(owned):
    with CaptureQueriesContext(connection) as queries:
        rows = exports.expense_rows(exports.Expense.objects.owned_by(owned))
    assert any('"expenses_expense"."rawamount"' in q["sql"] for q in queries.captured_queries)
    assert len(list(rows)) == 3


@pytest.mark.parametrize("path", API_PATHS + WEB_PATHS)
def test_closing_an_answer_cut_short_closes_its_rows(owned, path, monkeypatch):
    closed = []
    real_close = exports.ExpenseRows.close
    monkeypatch.setattr(exports.ExpenseRows, "close", lambda self: (closed.append(self), real_close(self)))
    client = Client()
    if path.startswith("/api/"):
        response = client.get(path, **basic_auth(owned.email))
    else:
        client.force_login(owned)
        response = client.get(path)
    assert response.status_code == 200 and response.streaming
    next(iter(response.streaming_content))  # the client goes away after the first chunk
    response.close()
    assert len(closed) >= 1


def _open_cursors() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="server-side cursors are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/api/expenses/?format=json&report=*", "/api/v2/expenses/export?format=csv"])
def test_in_autocommit_as_in_production_no_cursor_outlives_a_closed_answer(user, path):
    # More than one database chunk (2,000 rows), so that the cursor is still open after the first bytes.
    exports.Expense.objects.bulk_create(ExpenseFactory.build_batch(2100, owner=user))
    client = Client()
    cut_short = client.get(path, **basic_auth(user.email))
    next(iter(cut_short.streaming_content))
    assert _open_cursors() == 1  # declared WITH HOLD: it would outlive the request on a kept connection
    cut_short.close()
    assert _open_cursors() == 0
    whole = client.get(path, **basic_auth(user.email))
    b"".join(whole.streaming_content)
    whole.close()
    assert _open_cursors() == 0
