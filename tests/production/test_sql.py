"""xpenser_server.sql: the hot-path statements give and store exactly what the ORM does."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from expenses.models import Expense, Tag
from reports.models import Report
from tests.factories import ExpenseFactory, TagFactory, UserFactory
from xpenser_server import sql

pytestmark = pytest.mark.django_db


def field_values(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_select_one_builds_the_instance_the_orm_builds():
    user = UserFactory(mileage_rate=Decimal("0.58"), timer_started_at=timezone.now(), time_zone="Europe/Paris")
    found = sql.select_one(User, "id = %s AND is_active = %s", [user.pk, True])
    assert field_values(found) == field_values(User.objects.get(pk=user.pk))
    assert isinstance(found.mileage_rate, Decimal) and isinstance(found.date_joined, dt.datetime)
    assert found.date_joined.tzinfo is not None
    assert found._state.adding is False and found._state.db == "default"


def test_select_one_of_an_expense_converts_every_column():
    expense = ExpenseFactory(amount=Decimal("1234.50"), notes="a\nb", category=None)
    found = sql.select_one(Expense, "id = %s", [expense.pk])
    assert field_values(found) == field_values(Expense.objects.get(pk=expense.pk))
    assert found.amount == Decimal("1234.50") and found.category is None and found.status == Expense.LIVE


def test_select_finds_nothing_and_everything_it_is_asked_for():
    user = UserFactory()
    TagFactory(owner=user, name="b")
    TagFactory(owner=user, name="a")
    assert sql.select_one(User, "id = %s", [user.pk + 1000]) is None
    assert sql.select(Tag, "owner_id = %s", [user.pk + 1000]) == []
    names = [tag.name for tag in sql.select(Tag, "owner_id = %s ORDER BY name", [user.pk])]
    assert names == ["a", "b"]


def test_select_one_of_an_inactive_user_is_none():
    user = UserFactory(is_active=False)
    assert sql.select_one(User, "id = %s AND is_active = %s", [user.pk, True]) is None


def test_insert_stores_what_save_would_and_sets_the_primary_key():
    user = UserFactory()
    report = Report.objects.get(owner=user, is_default=True)
    when = dt.datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=dt.UTC)
    expense = Expense(owner=user, report=report, type="taxi", amount=Decimal("12.30"), rawamount=Decimal("12.30"),
                      notes="to the station", date=when, sourceid="SP-1", created=when, modified=when)
    with CaptureQueriesContext(connection) as queries:
        sql.insert([expense])
    assert len(queries) == 1
    assert expense.pk is not None and expense._state.adding is False
    stored = Expense.objects.get(pk=expense.pk)
    assert field_values(stored) == field_values(expense)
    assert stored.date == when and stored.receipt.name == "" and stored.status == Expense.LIVE


def test_insert_of_several_rows_is_one_statement():
    user = UserFactory()
    expense = ExpenseFactory(owner=user)
    tags = [TagFactory(owner=user, name=name) for name in ("x", "y", "z")]
    through = Expense.tags.through
    links = [through(expense_id=expense.pk, tag_id=tag.pk) for tag in tags]
    with CaptureQueriesContext(connection) as queries:
        sql.insert(links)
    assert len(queries) == 1
    assert sorted(tag.name for tag in expense.tags.all()) == ["x", "y", "z"]
    assert all(link.pk is not None for link in links)
    assert {link.pk for link in links} == set(through.objects.filter(expense=expense).values_list("pk", flat=True))


def test_insert_of_nothing_runs_no_statement():
    with CaptureQueriesContext(connection) as queries:
        sql.insert([])
    assert len(queries) == 0


def test_select_with_related_loads_the_foreign_keys_in_the_same_statement():
    from oauth_bridge.models import AccessToken, Consumer

    user = UserFactory()
    consumer = Consumer.objects.create(name="Sync", key="ck-1", secret="cs-1")
    AccessToken.objects.create(consumer=consumer, user=user, key="at-1", secret="ats-1")
    Consumer.objects.create(name="Other", key="at-1", secret="x")  # the same key in the joined table
    with CaptureQueriesContext(connection) as queries:
        token = sql.select_one(AccessToken, "oauth_bridge_accesstoken.key = %s", ["at-1"],
                               related=("consumer", "user"))
        consumer_seen, user_seen = token.consumer, token.user
    assert len(queries) == 1
    assert field_values(token) == field_values(AccessToken.objects.get(key="at-1"))
    assert field_values(consumer_seen) == field_values(consumer)
    assert field_values(user_seen) == field_values(User.objects.get(pk=user.pk))


def test_select_with_a_nullable_related_row_missing_gives_none():
    from oauth_bridge.models import Consumer, RequestToken

    consumer = Consumer.objects.create(name="Sync", key="ck-1", secret="cs-1")
    RequestToken.objects.create(consumer=consumer, key="rt-1", secret="s", user=None)
    with CaptureQueriesContext(connection) as queries:
        token = sql.select_one(RequestToken, "oauth_bridge_requesttoken.key = %s", ["rt-1"], related=("user",))
        assert token.user is None
    assert len(queries) == 1 and token.consumer_id == consumer.pk


def test_statements_stay_visible_to_query_capture_and_execute_wrappers():
    user = UserFactory()
    with CaptureQueriesContext(connection) as captured:
        sql.select_one(User, "id = %s", [user.pk])
    assert len(captured) == 1 and 'FROM "accounts_user"' in captured[0]["sql"]
    seen = []

    def wrapper(execute, statement, params, many, context):
        seen.append(statement)
        return execute(statement, params, many, context)

    with connection.execute_wrapper(wrapper):
        found = sql.select_one(User, "id = %s", [user.pk])
    assert found.pk == user.pk and len(seen) == 1


def test_a_failing_statement_raises_django_s_database_errors():
    from django.db import IntegrityError

    tag = TagFactory()
    duplicate = Tag(owner=tag.owner, name=tag.name.upper(), created=timezone.now())
    with pytest.raises(IntegrityError):
        sql.insert([duplicate])


def test_insert_with_a_computed_column_stores_and_sets_what_the_database_computed():
    user = UserFactory()
    default = Report.objects.get(owner=user, is_default=True)
    expense = ExpenseFactory.build(owner=user, report=None, amount=Decimal("3.50"))
    expression = ('(SELECT id FROM "reports_report" WHERE owner_id = %s AND is_default = %s)', [user.pk, True])
    sql.insert([expense], computed={"report_id": expression})
    assert expense.pk is not None and expense.report_id == default.pk
    assert expense.report == default  # no stale cached relation
    assert Expense.objects.get(pk=expense.pk).report_id == default.pk
