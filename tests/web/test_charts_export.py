"""Charts (SVG bars plus tables) and the export page's API links."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from expenses.models import Expense
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_charts_sum_by_month_type_and_tag(web, user):
    cash = TagFactory(owner=user, name="cash")
    now = timezone.now()
    ExpenseFactory(owner=user, type="lunch", amount=Decimal("10.00"), date=now, tags=[cash])
    ExpenseFactory(owner=user, type="Lunch", amount=Decimal("5.00"), date=now)
    ExpenseFactory(owner=user, type="taxi", amount=Decimal("30.00"), date=now - dt.timedelta(days=70),
                   report=ReportFactory(owner=user))
    ExpenseFactory(owner=user, type="ancient", amount=Decimal("500.00"), date=now - dt.timedelta(days=400))
    ExpenseFactory(owner=user, type="gone", amount=Decimal("7.00"), date=now, status=Expense.DELETED)
    response = web.get("/charts/")
    assert response.status_code == 200
    months = response.context["months_chart"].bars
    assert len(months) == 12
    assert months[-1].label == timezone.localtime(now).strftime("%b %Y")
    assert (months[-1].value, months[-1].count) == (Decimal("15.00"), 2)
    assert sum(b.value for b in months) == Decimal("45.00")
    types = {b.label.lower(): (b.value, b.count) for b in response.context["type_rows"]}
    assert types == {"lunch": (Decimal("15.00"), 2), "taxi": (Decimal("30.00"), 1)}
    tags = {b.label: b.value for b in response.context["tag_rows"]}
    assert tags == {"#cash": Decimal("10.00"), "(no tag)": Decimal("35.00")}
    reports = {b.label: b.value for b in response.context["report_rows"]}
    assert reports == {"My Expenses": Decimal("15.00"), "Report 0": Decimal("30.00")} or len(reports) == 2
    body = response.content.decode()
    assert 'class="chart columns"' in body and "<rect" in body
    assert "<table>" in body and "45.00" in body and "ancient" not in body and "gone" not in body


def test_charts_for_one_report(web, user):
    trip = ReportFactory(owner=user)
    ExpenseFactory(owner=user, type="hotel", amount=Decimal("80.00"), report=trip)
    ExpenseFactory(owner=user, type="lunch", amount=Decimal("10.00"))
    response = web.get(f"/charts/?report={trip.pk}")
    assert response.context["total"] == Decimal("80.00")


def test_charts_month_buckets_follow_the_users_time_zone(web, user):
    user.time_zone = "Pacific/Auckland"
    user.save()
    now_local = timezone.localtime(timezone.now(), user.tzinfo)
    first_local = now_local.replace(day=1, hour=0, minute=30, second=0, microsecond=0)
    # 00:30 local on the 1st is still the previous month in UTC.
    ExpenseFactory(owner=user, amount=Decimal("9.00"), date=first_local)
    months = web.get("/charts/").context["months_chart"].bars
    assert months[-1].value == Decimal("9.00")


def test_export_links_carry_the_filters(web, user):
    trip = ReportFactory(owner=user)
    ExpenseFactory(owner=user, report=trip, type="hotel", amount=Decimal("80.00"))
    response = web.get(f"/export/?report={trip.pk}&type=&tags=clientx&date_from=2026-01-01&status=all")
    links = {link["label"]: link for link in response.context["links"]}
    query = f"report={trip.pk}&tags=clientx&date_from=2026-01-01&status=all"
    assert links["CSV"]["url"] == f"/expenses/download/csv/?{query}"
    assert links["CSV"]["api"] == f"/api/expenses/?format=csv&{query}"
    assert links["JSON"]["api"] == f"/api/v1.0/expenses/?format=json&{query}"
    assert links["QIF"]["api"] == f"/api/expenses/?format=qif&{query}"
    assert links["XML"]["api"] == f"/api/v1.0/expenses/?format=xml&{query}"


def test_export_api_urls_leave_out_the_lists_own_filters(web, user):
    response = web.get("/export/?report=*&search=jack&amount_min=10")
    links = {link["label"]: link for link in response.context["links"]}
    assert links["CSV"]["url"] == "/expenses/download/csv/?report=*&search=jack&amount_min=10"
    assert links["CSV"]["api"] == "/api/expenses/?format=csv&report=*"
    assert response.context["web_only"]


def test_export_without_filters_and_with_count(web, user):
    ExpenseFactory(owner=user, amount=Decimal("3.00"))
    response = web.get("/export/")
    assert "/expenses/download/csv/" in [link["url"] for link in response.context["links"]]
    assert response.context["totals"] == {"count": 1, "total": Decimal("3.00"), "currency": "USD", "awaiting": 0,
                                          "others": []}


def test_export_with_bad_filter_is_400_without_links(web, user):
    response = web.get("/export/?date_from=nope")
    assert response.status_code == 400 and response.context["links"] == []
