"""Every filter parameter of the expense lists (expenses/filters.py on /api/ and /api/v1.0/, the v2 FilterSet on
/api/v2/), by hypothesis: random values never get a 5xx (a 4xx names the parameter), and valid values
select exactly the expenses a plain Python filter selects."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expenses.api.v2.filters import ExpenseFilterSet
from expenses.filters import ExpenseFilter
from tests.api_helpers import as_json, content
from tests.conftest import basic_auth
from tests.factories import ExpenseFactory, TagFactory

pytestmark = pytest.mark.django_db
BOUNDED = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))
LEGACY = sorted({*ExpenseFilter.base_filters, "report", "status", "tag", "tags"})
V2 = sorted({*ExpenseFilterSet.base_filters, "modified_after", "cursor", "limit"})
VALUES = st.one_of(st.text(max_size=40), st.integers().map(str), st.decimals(allow_nan=True).map(str),
                   st.datetimes().map(lambda d: d.isoformat()), st.sampled_from(["²", "%zz", "1e999", "-0", ""]))
AMOUNTS = [Decimal(n) / 4 for n in range(1, 40, 3)]
DAY = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def expenses(user):
    cash = TagFactory(owner=user, name="cash")
    made = [ExpenseFactory(owner=user, amount=amount, type=("taxi", "Lunch")[n % 2],
                           date=DAY + dt.timedelta(days=n), tags=[cash] if n % 3 == 0 else [])
            for n, amount in enumerate(AMOUNTS)]
    return made


def clean(value: str) -> str:
    return value.replace("\x00", "")  # NUL bytes: item 4 on PostgreSQL, tested in the hostile requests


@BOUNDED
@given(name=st.sampled_from(LEGACY + V2), value=VALUES, family=st.sampled_from(["/api/v1.0/expenses/",
                                                                                "/api/expenses/",
                                                                                "/api/v2/expenses/"]))
def test_random_filter_values_never_5xx(client, user, expenses, name, value, family):
    response = client.get(family, {name: clean(value), "format": "json"}, **basic_auth(user.email))
    assert response.status_code < 500, (name, value, response.content[:300])
    assert response.status_code in (200, 400, 404)


@BOUNDED
@given(threshold=st.sampled_from(AMOUNTS + [Decimal("0"), Decimal("3.3"), Decimal("100")]),
       op=st.sampled_from(["lt", "gt", "lte", "gte", "eq"]))
def test_amount_with_operator_selects_exactly(client, user, expenses, threshold, op):
    response = client.get("/api/v1.0/expenses/", {"amount": str(threshold), "amount_op": op, "format": "json"},
                          **basic_auth(user.email))
    compare = {"lt": Decimal.__lt__, "gt": Decimal.__gt__, "lte": Decimal.__le__, "gte": Decimal.__ge__,
               "eq": Decimal.__eq__}[op]
    expected = sorted(e.pk for e in expenses if compare(e.amount, threshold))
    assert response.status_code == 200, content(response)
    assert sorted(int(item["id"]) for item in as_json(response)) == expected


@BOUNDED
@given(low=st.sampled_from(AMOUNTS), high=st.sampled_from(AMOUNTS), type_=st.sampled_from(["", "TAXI", "lunch"]),
       tag=st.booleans(), start=st.integers(0, 14), days=st.integers(0, 14))
def test_v2_filters_select_exactly(client, user, expenses, low, high, type_, tag, start, days):
    first, last = (DAY + dt.timedelta(days=start)).date(), (DAY + dt.timedelta(days=start + days)).date()
    params = {"amount_min": str(low), "amount_max": str(high), "date_from": first.isoformat(),
              "date_to": last.isoformat(), "limit": 200, **({"type": type_} if type_ else {}),
              **({"tag": "cash"} if tag else {})}
    response = client.get("/api/v2/expenses/", params, **basic_auth(user.email))
    assert response.status_code == 200, response.content
    expected = sorted(e.pk for e in expenses if low <= e.amount <= high and first <= e.date.date() <= last
                      and (not type_ or e.type.lower() == type_.lower()) and (not tag or (e.pk - expenses[0].pk) % 3 == 0))
    assert sorted(item["id"] for item in response.json()["results"]) == expected
