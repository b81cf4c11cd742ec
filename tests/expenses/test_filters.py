"""Query-string filters of every expense list (docs/api.md, "Expense filters"), through selectors.expense_list."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from expenses.models import Expense
from expenses.selectors import expense_list
from tests.factories import ExpenseFactory, ReportFactory, TagFactory
from xpenser_server.errors import InvalidInput, NotFound

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def at(*args, tz=UTC):
    return dt.datetime(*args, tzinfo=tz)


def listed(user, **params):
    """The types of the user's expenses matching the query parameters (values may be lists)."""
    query = QueryDict(urlencode(params, doseq=True))
    return sorted(e.type for e in expense_list(user=user, params=query))


@pytest.fixture
def around_aug_1(user):
    for name, when in [
        ("jul31-late", at(2009, 7, 31, 23, 59, 59)),
        ("aug1-midnight", at(2009, 8, 1, 0, 0, 0)),
        ("aug1-noon", at(2009, 8, 1, 12, 0, 0)),
        ("aug1-last-second", at(2009, 8, 1, 23, 59, 59)),
        ("aug2-midnight", at(2009, 8, 2, 0, 0, 0)),
    ]:
        ExpenseFactory(owner=user, type=name, date=when)


AUG1 = ["aug1-last-second", "aug1-midnight", "aug1-noon"]


@pytest.mark.parametrize(
    "op, expected",
    [
        (None, AUG1),
        ("eq", AUG1),
        ("gt", ["aug2-midnight"]),
        ("gte", sorted(AUG1 + ["aug2-midnight"])),
        ("lt", ["jul31-late"]),
        ("lte", sorted(["jul31-late"] + AUG1)),
    ],
)
def test_date_operators_on_a_day_cover_the_whole_day(user, around_aug_1, op, expected):
    params = {"date": "01 Aug 2009"} | ({"date_op": op} if op else {})
    assert listed(user, **params) == expected


@pytest.mark.parametrize(
    "op, expected",
    [
        (None, ["aug1-noon"]),
        ("eq", ["aug1-noon"]),
        ("gt", ["aug1-last-second", "aug2-midnight"]),
        ("gte", ["aug1-last-second", "aug1-noon", "aug2-midnight"]),
        ("lt", ["aug1-midnight", "jul31-late"]),
        ("lte", ["aug1-midnight", "aug1-noon", "jul31-late"]),
    ],
)
def test_date_operators_on_a_timestamp_compare_to_the_second(user, around_aug_1, op, expected):
    params = {"date": "2009-08-01 12:00:00"} | ({"date_op": op} if op else {})
    assert listed(user, **params) == expected


@pytest.mark.parametrize("value", ["01+Aug+2009", "01 Aug 2009", "1 August 2009", "2009-08-01"])
def test_every_documented_day_form_is_accepted(user, around_aug_1, value):
    assert listed(user, date=value) == AUG1


@pytest.mark.parametrize("value", ["2009-08-01T12:00:00Z", "2009-08-01T14:00:00+02:00", "2009-08-01+12:00:00"])
def test_iso_8601_and_plus_encoded_timestamps(user, around_aug_1, value):
    assert listed(user, date=value) == ["aug1-noon"]


def test_dates_are_read_in_the_users_time_zone(user):
    user.time_zone = "America/New_York"
    user.save()
    # 03:00 UTC on Aug 1 is 23:00 on Jul 31 in New York.
    ExpenseFactory(owner=user, type="late-evening", date=at(2009, 8, 1, 3, 0))
    assert listed(user, date="01 Aug 2009") == []
    assert listed(user, date="31 Jul 2009") == ["late-evening"]
    assert listed(user, date="2009-07-31 23:00:00") == ["late-evening"]
    assert listed(user, date="31 Jul 2009", date_op="gt") == []


def test_created_and_modified_filters(user):
    old = ExpenseFactory(owner=user, type="old")
    new = ExpenseFactory(owner=user, type="new")
    Expense.objects.filter(pk=old.pk).update(created=at(2009, 8, 20), modified=at(2009, 8, 25, 10))
    Expense.objects.filter(pk=new.pk).update(created=at(2009, 8, 27, 14, 27, 5), modified=at(2009, 8, 27, 14, 27, 5))
    assert listed(user, created="2009-08-26 00:00:00", created_op="gt") == ["new"]
    assert listed(user, created="2009-08-26+00:00:00", created_op="lt") == ["old"]
    assert listed(user, modified="2009-08-26 00:00:00", modified_op="gt") == ["new"]
    assert listed(user, modified="2009-08-27 14:27:05", modified_op="gt") == []
    assert listed(user, modified="2009-08-27 14:27:05", modified_op="gte") == ["new"]
    assert listed(user, modified="2009-08-25", modified_op="eq") == ["old"]


@pytest.mark.parametrize(
    "op, expected",
    [(None, ["three"]), ("eq", ["three"]), ("gt", ["four"]), ("gte", ["four", "three"]), ("lt", ["two"]),
     ("lte", ["three", "two"])],
)
def test_amount_operators(user, op, expected):
    for name, amount in [("two", "2.99"), ("three", "3.00"), ("four", "3.01")]:
        ExpenseFactory(owner=user, type=name, amount=Decimal(amount))
    params = {"amount": "3"} | ({"amount_op": op} if op else {})
    assert listed(user, **params) == expected


def test_type_and_notes_match_exactly_ignoring_case(user):
    ExpenseFactory(owner=user, type="Lunch", notes="Cash")
    ExpenseFactory(owner=user, type="lunch with jack", notes="cash only")
    assert listed(user, type="lunch") == ["Lunch"]
    assert listed(user, notes="cash") == ["Lunch"]


def test_tags_match_any_of_the_named_tags(user, other_user):
    cash, card = TagFactory(owner=user, name="cash"), TagFactory(owner=user, name="card")
    ExpenseFactory(owner=user, type="a", tags=[cash])
    ExpenseFactory(owner=user, type="b", tags=[card])
    ExpenseFactory(owner=user, type="c")
    # Another user's tag of the same name must not pull in anything.
    ExpenseFactory(owner=other_user, type="foreign", tags=[TagFactory(owner=other_user, name="cash")])
    assert listed(user, tags="CASH") == ["a"]
    assert listed(user, tags=["cash", "card"]) == ["a", "b"]
    assert listed(user, tags="#cash,card") == ["a", "b"]


def test_report_default_star_and_id(user, other_user):
    trip = ReportFactory(owner=user, name="Trip")
    ExpenseFactory(owner=user, type="default")
    ExpenseFactory(owner=user, type="trip", report=trip)
    ExpenseFactory(owner=other_user, type="foreign")
    assert listed(user) == ["default"]
    assert listed(user, report="*") == ["default", "trip"]
    assert listed(user, report=str(trip.pk)) == ["trip"]


def test_another_users_report_is_not_found(user, other_user):
    theirs = ReportFactory(owner=other_user)
    ExpenseFactory(owner=other_user, report=theirs)
    with pytest.raises(NotFound, match=f"report {theirs.pk} not found"):
        listed(user, report=str(theirs.pk))


def test_status_live_by_default_all_or_deleted_on_request(user):
    ExpenseFactory(owner=user, type="live")
    ExpenseFactory(owner=user, type="gone", status=Expense.DELETED)
    assert listed(user) == ["live"]
    assert listed(user, status="all") == ["gone", "live"]
    assert listed(user, status="deleted") == ["gone"]


@pytest.mark.parametrize(
    "params, named",
    [
        ({"date": "yesterday"}, "date:"),
        ({"date": "32 Aug 2009"}, "date:"),
        ({"date": "2009-13-01"}, "date:"),
        ({"date": "31 Dec 9999"}, "date:"),
        ({"date": "01 Aug 2009", "date_op": "before"}, "date_op:"),
        ({"created": "2009-08-26 25:00:00"}, "created:"),
        ({"created": "2009-08-26", "created_op": "ne"}, "created_op:"),
        ({"modified": "soon"}, "modified:"),
        ({"modified": "2009-08-26", "modified_op": "GT!"}, "modified_op:"),
        ({"amount": "three"}, "amount:"),
        ({"amount": "NaN"}, "amount:"),
        ({"amount": "1e999999"}, "amount:"),
        ({"amount": "3", "amount_op": "over"}, "amount_op:"),
        ({"status": "bogus"}, "status:"),
        ({"report": "abc"}, "report:"),
        ({"report": "²"}, "report:"),
        ({"type": "lunch\x00"}, "type:"),
    ],
)
def test_bad_values_raise_invalid_input_naming_the_parameter(user, params, named):
    with pytest.raises(InvalidInput) as caught:
        listed(user, **params)
    assert named in caught.value.message


def test_a_day_that_cannot_be_expressed_in_utc_is_refused_not_a_crash(user):
    user.time_zone = "Asia/Tokyo"
    user.save()
    with pytest.raises(InvalidInput, match="date:"):
        listed(user, date="01 Jan 0001", date_op="lt")


def test_bad_date_message_lists_the_accepted_forms(user):
    with pytest.raises(InvalidInput, match="01 Aug 2009"):
        listed(user, date="yesterday")


def test_a_report_id_beyond_the_database_range_is_not_found(user):
    with pytest.raises(NotFound):
        listed(user, report="9" * 30)
