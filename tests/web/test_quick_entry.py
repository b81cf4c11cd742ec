"""The home page's quick entry: free-form text through the parser, the timer, and errors kept in the box."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from expenses.models import Expense, Timer
from tests.factories import ExpenseFactory, ReportFactory, default_report

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_quick_entry_records_the_parsed_expense(web, user):
    response = web.post("/", {"q": "Taxi 34 office to airport #cash #clientx", "report": ""}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    expense = Expense.objects.get(owner=user)
    assert (expense.type, expense.amount, expense.notes) == ("Taxi", Decimal("34.00"), "office to airport")
    assert sorted(t.name for t in expense.tags.all()) == ["cash", "clientx"]
    assert expense.report == default_report(user)
    [message] = messages_of(response)
    assert "Taxi" in message and "34.00 USD" in message and "office to airport" in message
    assert "#cash" in message and "#clientx" in message
    body = response.content.decode()
    assert "office to airport" in body  # in the recent list too


def test_quick_entry_into_a_chosen_report(web, user):
    trip = ReportFactory(owner=user, name="Trip")
    web.post("/", {"q": "hotel 120", "report": str(trip.pk)})
    assert Expense.objects.get(owner=user).report == trip


def test_mileage_message_shows_the_distance(web, user):
    response = web.post("/", {"q": "mileage 100 client visit"}, follow=True)
    expense = Expense.objects.get(owner=user)
    assert (expense.amount, expense.rawamount) == (Decimal("55.00"), Decimal("100.00"))
    assert "55.00 USD (100 miles)" in messages_of(response)[0]


@pytest.mark.parametrize("text", ["lunch with jack", "", "lunch 4.567"])
def test_bad_text_is_400_with_message_and_text_kept(web, user, text):
    response = web.post("/", {"q": text})
    assert response.status_code == 400
    assert response.context["error"]
    body = response.content.decode()
    assert 'class="field-error"' in body
    assert f'value="{text}"' in body
    assert not Expense.objects.filter(owner=user).exists()


def test_timer_start_shows_running_timer_and_stop_records_time(web, user):
    user.hourly_rate = Decimal("60.00")
    user.save()
    response = web.post("/", {"q": "Time start clientx"}, follow=True)
    assert "Timer started" in messages_of(response)[0]
    body = response.content.decode()
    assert "Timer running" in body and "clientx" in body and 'value="Time stop"' in body
    assert not Expense.objects.filter(owner=user).exists()

    Timer.objects.filter(owner=user).update(started_at=timezone.now() - timedelta(minutes=30))
    response = web.post("/", {"q": "Time stop", "report": ""}, follow=True)
    expense = Expense.objects.get(owner=user)
    assert expense.type == "Time" and expense.notes == "clientx"
    assert Decimal("30.00") <= expense.rawamount < Decimal("31.00")
    assert Decimal("30.00") <= expense.amount < Decimal("31.00")
    assert "Timer stopped" in messages_of(response)[0]
    assert "Timer running" not in response.content.decode()


def test_stop_without_timer_is_400(web, user):
    response = web.post("/", {"q": "Time stop"})
    assert response.status_code == 400
    assert "no timer is running" in response.context["error"]


def test_home_lists_recent_expenses_of_default_report_with_total(web, user):
    ExpenseFactory(owner=user, type="Coffee", amount=Decimal("4.50"))
    ExpenseFactory(owner=user, type="Book", amount=Decimal("20.00"))
    ExpenseFactory(owner=user, type="Gone", amount=Decimal("7.00"), status=Expense.DELETED)
    ExpenseFactory(owner=user, type="Elsewhere", report=ReportFactory(owner=user))
    response = web.get("/")
    body = response.content.decode()
    assert "Coffee" in body and "Book" in body
    assert "Gone" not in body and "Elsewhere" not in body
    assert response.context["default_report"].total == Decimal("24.50")
    assert "24.50 USD" in body
