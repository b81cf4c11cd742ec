"""Expense writes: free-form entry, timer, conversions, tags, updates and soft delete."""

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest

from expenses import services
from expenses.models import Expense, Tag, Timer
from reports.models import Report
from tests.factories import ExpenseFactory, ReportFactory, TagFactory, default_report
from xpenser_server.errors import InvalidInput

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2024, 3, 1, 9, 0, tzinfo=dt.UTC)


@contextmanager
def clock_at(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def from_text(user, text, **kwargs):
    return services.expense_create_from_text(user=user, text=text, **kwargs)


# --- free-form entry -----------------------------------------------------------------------------------


def test_text_creates_an_expense_in_the_default_report(user):
    with clock_at(T0):
        expense = from_text(user, "lunch 45 with jack")
    expense.refresh_from_db()
    assert (expense.type, expense.amount, expense.rawamount, expense.notes) == ("lunch", Decimal("45.00"),
                                                                               Decimal("45.00"), "with jack")
    assert expense.report == default_report(user)
    assert expense.owner == user and expense.status == Expense.LIVE
    assert expense.date == T0
    assert expense.sourceid.startswith(f"SP-{user.pk}-2024-03-01T09:00:00")


def test_text_tags_are_created_once_and_reused_case_insensitively(user):
    existing = TagFactory(owner=user, name="Cash")
    expense = from_text(user, "Taxi 34 office to airport #cash #clientx")
    assert expense.notes == "office to airport"
    assert sorted(t.name for t in expense.tags.all()) == ["Cash", "clientx"]
    assert existing in expense.tags.all()
    assert Tag.objects.filter(owner=user).count() == 2


def test_text_in_a_given_report(user):
    trip = ReportFactory(owner=user)
    assert from_text(user, "dinner 20", report=str(trip.pk)).report == trip


@pytest.mark.parametrize("report", ["999999", "abc", "9" * 40])
def test_text_with_an_unusable_report_saves_nothing(user, report):
    with pytest.raises(InvalidInput, match="report"):
        from_text(user, "dinner 20 #newtag", report=report)
    assert not Expense.objects.exists() and not Tag.objects.exists()


def test_text_in_another_users_report_is_refused(user, other_user):
    theirs = ReportFactory(owner=other_user)
    with pytest.raises(InvalidInput, match=f"report {theirs.pk} does not exist"):
        from_text(user, "dinner 20", report=str(theirs.pk))
    assert not Expense.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [("", "q is required"), ("   ", "q is required"), (None, "q is required"), ("lunch with jack", "no amount"),
     ("lunch 4.555", "more than two decimals"), ("45 lunch", "missing expense type")],
)
def test_unusable_text_is_refused_and_nothing_saved(user, text, message):
    with pytest.raises(InvalidInput, match=message):
        from_text(user, text)
    assert not Expense.objects.exists()


# --- conversions from the user's settings --------------------------------------------------------------


def test_mileage_uses_the_users_rate(user):
    user.mileage_rate = Decimal("0.60")
    user.save()
    expense = from_text(user, "mileage 100 client visit")
    assert (expense.amount, expense.rawamount, expense.notes) == (Decimal("60.00"), Decimal("100.00"), "client visit")


def test_mileage_default_rate_rounds_half_up(user):
    expense = from_text(user, "Mileage 12.5")  # 12.5 x 0.55 = 6.875
    assert expense.amount == Decimal("6.88")


@pytest.mark.parametrize(
    "text, minutes, amount",
    [("Time 37 mins contract review", "37.00", "55.50"), ("Time 2 hours", "120.00", "180.00"),
     ("Time 45", "45.00", "67.50")],
)
def test_time_uses_the_users_hourly_rate(user, text, minutes, amount):
    user.hourly_rate = Decimal("90.00")
    user.save()
    expense = from_text(user, text)
    assert expense.rawamount == Decimal(minutes)
    assert expense.amount == Decimal(amount)


def test_time_with_the_default_rate_costs_nothing(user):
    expense = from_text(user, "Time 37 mins contract review")
    assert (expense.amount, expense.rawamount, expense.notes) == (Decimal("0.00"), Decimal("37.00"), "contract review")


# --- timer ---------------------------------------------------------------------------------------------


def test_timer_start_then_stop_records_the_elapsed_minutes(user):
    user.hourly_rate = Decimal("60.00")
    user.save()
    with clock_at(T0):
        started = from_text(user, "Time start clientx #billable")
    assert isinstance(started, services.TimerResult)
    assert (started.action, started.started, started.notes, started.expense) == ("started", T0, "clientx", None)
    assert Timer.objects.get(owner=user).started_at == T0
    assert not Expense.objects.exists()

    with clock_at(T0 + dt.timedelta(minutes=37, seconds=30)):
        stopped = from_text(user, "Time stop")
    assert stopped.action == "stopped" and stopped.started == T0
    assert stopped.stopped == T0 + dt.timedelta(minutes=37, seconds=30)
    expense = stopped.expense
    expense.refresh_from_db()
    assert expense.type == "Time"
    assert expense.rawamount == Decimal("37.50")
    assert expense.amount == Decimal("37.50")  # 37.5 minutes at 60/hour
    assert expense.notes == "clientx"
    assert expense.date == T0
    assert [t.name for t in expense.tags.all()] == ["billable"]
    assert not Timer.objects.exists()


def test_timer_stop_reuses_existing_tags_whatever_their_case(user):
    billable = TagFactory(owner=user, name="Billable")
    from_text(user, "Time start #billable")
    expense = from_text(user, "Time stop #BILLABLE #new").expense
    new = Tag.objects.get(owner=user, name="new")
    assert sorted(expense.tags.values_list("id", flat=True)) == sorted([billable.pk, new.pk])
    assert Tag.objects.filter(owner=user).count() == 2


def test_timer_stop_notes_override_the_start_notes(user):
    with clock_at(T0):
        from_text(user, "Time start clientx")
    with clock_at(T0 + dt.timedelta(hours=1)):
        expense = from_text(user, "Time stop review done").expense
    assert expense.notes == "review done" and expense.rawamount == Decimal("60.00")


def test_timer_stop_without_start_is_refused(user):
    with pytest.raises(InvalidInput, match="no timer is running"):
        from_text(user, "Time stop")
    assert not Expense.objects.exists()


def test_second_timer_start_is_refused_and_keeps_the_first(user):
    with clock_at(T0):
        from_text(user, "Time start first")
    with clock_at(T0 + dt.timedelta(minutes=5)), pytest.raises(InvalidInput, match="already running"):
        from_text(user, "Time start second")
    timer = Timer.objects.get(owner=user)
    assert timer.started_at == T0 and timer.notes == "first"


# --- expense_create / tags -----------------------------------------------------------------------------


def test_create_cleans_form_values(user):
    trip = ReportFactory(owner=user)
    expense = services.expense_create(user=user, type="  dinner\x00  out ", amount="$1,234.5", notes=" n\x00ote ",
                                      date="2008-08-18 12:35:00", report=str(trip.pk), tags="a, #b",
                                      rawamount="1000")
    expense.refresh_from_db()
    assert expense.type == "dinner out"
    assert expense.notes == "note"
    assert expense.amount == Decimal("1234.50") and expense.rawamount == Decimal("1000.00")
    assert expense.date == dt.datetime(2008, 8, 18, 12, 35, tzinfo=dt.UTC)
    assert expense.report == trip
    assert sorted(t.name for t in expense.tags.all()) == ["a", "b"]


def test_create_reads_dates_in_the_users_time_zone(user):
    user.time_zone = "America/New_York"
    user.save()
    expense = services.expense_create(user=user, type="x", amount="1", date="2008-08-18 12:35:00")
    assert expense.date == dt.datetime(2008, 8, 18, 16, 35, tzinfo=dt.UTC)


def test_tags_resolve_names_ids_and_duplicates(user, other_user):
    mine = TagFactory(owner=user, name="Cash")
    theirs = TagFactory(owner=other_user, name="secret")
    tags = services.tags_resolve(user=user, values=["cash", f"#CASH,{mine.pk}", "new new2", str(theirs.pk)])
    assert [t.name for t in tags] == ["Cash", "new", "new2", str(theirs.pk)]
    # Another user's tag id is never borrowed: it became a tag of this user named after the number.
    assert all(t.owner == user for t in tags)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"type": "x"}, "amount is required"),
        ({"type": "x", "amount": "abc"}, "amount: 'abc' is not a number"),
        ({"type": "x", "amount": "1.001"}, "more than two decimal places"),
        ({"type": "x", "amount": "1e999999999"}, "is not a number"),
        ({"type": "x", "amount": "NaN"}, "is not a number"),
        ({"amount": "1"}, "type is required"),
        ({"type": "x" * 101, "amount": "1"}, "type is longer than 100"),
        ({"type": "x", "amount": "1", "notes": "n" * 2001}, "notes are longer than 2000"),
        ({"type": "x", "amount": "1", "date": "not a date"}, "date: 'not a date' is not a date"),
        ({"type": "x", "amount": "1", "rawamount": "x"}, "rawamount: 'x' is not a number"),
        ({"type": "x", "amount": "1", "tags": ["ok", "t" * 101]}, "tag name is longer than 100"),
    ],
)
def test_create_refuses_bad_values_and_saves_nothing(user, fields, message):
    with pytest.raises(InvalidInput, match=message):
        services.expense_create(user=user, **fields)
    assert not Expense.objects.exists()
    assert not Tag.objects.exists()  # the tag created before the failure was rolled back too


# --- expense_update / expense_delete -------------------------------------------------------------------


def test_update_changes_only_the_given_fields_and_bumps_modified(user):
    with clock_at(T0):
        expense = ExpenseFactory(owner=user, type="dinner", amount=Decimal("15.32"), notes="some note")
    assert expense.modified == T0
    later = T0 + dt.timedelta(hours=1)
    with clock_at(later):
        services.expense_update(expense=expense, data={"notes": "targets"})
    expense.refresh_from_db()
    assert (expense.type, expense.amount, expense.notes) == ("dinner", Decimal("15.32"), "targets")
    assert expense.modified == later


def test_update_amount_resets_rawamount_unless_given(user):
    expense = ExpenseFactory(owner=user, amount=Decimal("55.00"), rawamount=Decimal("100.00"))
    services.expense_update(expense=expense, data={"amount": "14"})
    expense.refresh_from_db()
    assert (expense.amount, expense.rawamount) == (Decimal("14.00"), Decimal("14.00"))
    services.expense_update(expense=expense, data={"amount": "11", "rawamount": "20"})
    expense.refresh_from_db()
    assert (expense.amount, expense.rawamount) == (Decimal("11.00"), Decimal("20.00"))


def test_update_with_a_bad_value_changes_nothing(user, other_user):
    expense = ExpenseFactory(owner=user, type="dinner")
    theirs = ReportFactory(owner=other_user)
    with pytest.raises(InvalidInput, match="does not exist"):
        services.expense_update(expense=expense, data={"type": "changed", "report": str(theirs.pk)})
    expense.refresh_from_db()
    assert expense.type == "dinner"
    assert expense.report.owner == user


def test_update_tags_replaces_them_and_empty_clears(user):
    expense = ExpenseFactory(owner=user, tags=[TagFactory(owner=user, name="old")])
    services.expense_update(expense=expense, data={"tags": ["new"]})
    assert [t.name for t in expense.tags.all()] == ["new"]
    services.expense_update(expense=expense, data={"tags": [""]})
    assert list(expense.tags.all()) == []


def test_soft_delete_keeps_the_row_and_bumps_modified(user):
    with clock_at(T0):
        expense = ExpenseFactory(owner=user)
    later = T0 + dt.timedelta(days=2)
    with clock_at(later):
        services.expense_delete(expense=expense)
    expense.refresh_from_db()
    assert expense.status == Expense.DELETED
    assert expense.modified == later
    assert Report.objects.filter(pk=expense.report_id).exists()


# --- concurrent changes between the lookups and the write transaction ------------------------------------


@pytest.mark.django_db(transaction=True)
def test_report_deleted_before_the_insert_is_a_clear_error_and_stores_nothing(user):
    doomed = ReportFactory(owner=user, name="Trip")

    def resolve_then_lose_it(**kwargs):
        Report.objects.filter(pk=doomed.pk).delete()  # another request deletes the (empty) report meanwhile
        return doomed

    with (mock.patch("expenses.services.entries.resolve_report", side_effect=resolve_then_lose_it),
          pytest.raises(InvalidInput, match=f"report {doomed.pk} does not exist")):
        from_text(user, "lunch 45 #cash", report=str(doomed.pk))
    assert not Expense.objects.exists()
    assert not Tag.objects.filter(owner=user).exists()  # the whole entry was rolled back


def test_tag_created_by_a_concurrent_request_is_reused(user):
    existing = TagFactory(owner=user, name="Cash")

    def stale(**kwargs):
        return {}  # the lookup ran before the other request's insert committed

    with mock.patch("expenses.services.entries.tags_named", side_effect=stale):
        expense = from_text(user, "lunch 45 #cash")  # the insert is refused by the unique name: found instead
    assert list(expense.tags.values_list("id", flat=True)) == [existing.pk]
    assert Tag.objects.filter(owner=user).count() == 1
