"""The expense list (API filters, pagination, totals) and the editor (fields, tags, delete/undelete); its receipts:
test_receipt_pages.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from expenses.models import Expense
from tests.factories import ExpenseFactory, ReportFactory, TagFactory

pytestmark = pytest.mark.django_db


def form_of(expense, **changes):
    data = {"type": expense.type, "amount": f"{expense.amount:.2f}", "currency": expense.original_currency,
            "notes": expense.notes,
            "date": timezone.localtime(expense.date, expense.owner.tzinfo).strftime("%Y-%m-%dT%H:%M"),
            "report": str(expense.report_id), "tags": " ".join(t.name for t in expense.tags.all())}
    data.update(changes)
    return data


def listed_types(response):
    return [e.type for e in response.context["page"].object_list]


def test_edit_persists_every_field(web, user):
    trip = ReportFactory(owner=user, name="Trip")
    expense = ExpenseFactory(owner=user, type="lunch", amount=Decimal("45.00"), notes="with jack")
    response = web.post(f"/expenses/{expense.pk}/", form_of(
        expense, type="Dinner", amount="1,234.50", notes="with Jim", date="2026-03-04T19:30",
        report=str(trip.pk), tags="#clientx, cash",
    ))
    assert response.status_code == 302
    expense.refresh_from_db()
    assert (expense.type, expense.amount, expense.rawamount, expense.notes, expense.report) == (
        "Dinner", Decimal("1234.50"), Decimal("1234.50"), "with Jim", trip)
    assert expense.date == dt.datetime(2026, 3, 4, 19, 30, tzinfo=dt.UTC)
    assert sorted(t.name for t in expense.tags.all()) == ["cash", "clientx"]


def test_edit_date_is_in_users_time_zone_and_untouched_fields_are_kept(web, user):
    user.time_zone = "Europe/Berlin"
    user.save()
    when = dt.datetime(2026, 1, 10, 8, 15, 42, tzinfo=dt.UTC)
    expense = ExpenseFactory(owner=user, type="mileage", amount=Decimal("55.00"), rawamount=Decimal("100.00"),
                             date=when)
    page = web.get(f"/expenses/{expense.pk}/").content.decode()
    assert 'value="2026-01-10T09:15"' in page
    web.post(f"/expenses/{expense.pk}/", form_of(expense, notes="client visit"))
    expense.refresh_from_db()
    assert expense.notes == "client visit"
    assert expense.date == when  # seconds survive an edit that did not touch the date
    assert expense.rawamount == Decimal("100.00")  # the miles survive too


def test_numeric_tag_names_stay_names(web, user):
    other_tag = TagFactory(owner=user, name="travel")
    expense = ExpenseFactory(owner=user)
    web.post(f"/expenses/{expense.pk}/", form_of(expense, tags=f"{other_tag.pk} 2019"))
    assert sorted(t.name for t in expense.tags.all()) == sorted([str(other_tag.pk), "2019"])


@pytest.mark.parametrize("field, value, message", [
    ("amount", "abc", "is not a number"),
    ("amount", "1.234", "more than two decimal places"),
    ("date", "not a date", "is not a date"),
    ("type", "", "required"),
])
def test_edit_rejects_bad_values_and_saves_nothing(web, user, field, value, message):
    expense = ExpenseFactory(owner=user, type="lunch", amount=Decimal("45.00"))
    before = Expense.objects.filter(pk=expense.pk).values().get()
    response = web.post(f"/expenses/{expense.pk}/", form_of(expense, notes="changed", **{field: value}))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors.get(field, []))
    assert Expense.objects.filter(pk=expense.pk).values().get() == before


def test_delete_and_undelete(web, user):
    expense = ExpenseFactory(owner=user, type="Taxi")
    before = expense.modified
    response = web.post(f"/expenses/{expense.pk}/delete/", {"next": "/expenses/?report=*"})
    assert response.status_code == 302 and response["Location"] == "/expenses/?report=*"
    expense.refresh_from_db()
    assert expense.status == Expense.DELETED and expense.modified > before
    assert "Taxi" not in listed_types(web.get("/expenses/"))
    assert listed_types(web.get("/expenses/?status=all")) == ["Taxi"]

    web.post(f"/expenses/{expense.pk}/undelete/")
    expense.refresh_from_db()
    assert expense.status == Expense.LIVE
    assert listed_types(web.get("/expenses/")) == ["Taxi"]


def test_delete_requires_post_and_ignores_offsite_next(web, user):
    expense = ExpenseFactory(owner=user)
    assert web.get(f"/expenses/{expense.pk}/delete/").status_code == 405
    response = web.post(f"/expenses/{expense.pk}/delete/", {"next": "https://evil.example/"})
    assert response["Location"] == "/expenses/"


def test_filters_narrow_the_list(web, user):
    trip = ReportFactory(owner=user, name="Trip")
    cash = TagFactory(owner=user, name="cash")
    day = lambda d: dt.datetime(2026, 5, d, 12, tzinfo=dt.UTC)  # noqa: E731
    ExpenseFactory(owner=user, type="lunch", amount=Decimal("10.00"), date=day(1), tags=[cash])
    ExpenseFactory(owner=user, type="Lunch", amount=Decimal("11.00"), date=day(10))
    ExpenseFactory(owner=user, type="taxi", amount=Decimal("20.00"), date=day(20), tags=[cash])
    ExpenseFactory(owner=user, type="hotel", amount=Decimal("99.00"), date=day(10), report=trip)
    ExpenseFactory(owner=user, type="gone", amount=Decimal("5.00"), date=day(10), status=Expense.DELETED)

    assert listed_types(web.get("/expenses/")) == ["taxi", "Lunch", "lunch"]
    assert listed_types(web.get(f"/expenses/?report={trip.pk}")) == ["hotel"]
    assert sorted(listed_types(web.get("/expenses/?report=*"))) == ["Lunch", "hotel", "lunch", "taxi"]
    assert listed_types(web.get("/expenses/?type=LUNCH")) == ["Lunch", "lunch"]
    assert listed_types(web.get("/expenses/?tags=cash")) == ["taxi", "lunch"]
    response = web.get("/expenses/?report=*&date_from=2026-05-10&date_to=2026-05-10")
    assert sorted(listed_types(response)) == ["Lunch", "hotel"]
    assert response.context["totals"] == {"count": 2, "total": Decimal("110.00"), "currency": "USD", "awaiting": 0,
                                          "others": []}
    response = web.get("/expenses/?report=*&date_from=2026-05-10&status=all")
    assert sorted(listed_types(response)) == ["Lunch", "gone", "hotel", "taxi"]
    assert response.context["totals"]["total"] == Decimal("130.00")  # deleted ones never add up
    # The export link carries the same filters, empty fields dropped.
    response = web.get("/expenses/?report=&type=lunch&tags=&date_from=2026-05-01&page=1")
    assert response.context["query"] == "type=lunch&date_from=2026-05-01"
    assert 'href="/export/?type=lunch&amp;date_from=2026-05-01"' in response.content.decode()


def test_bad_filter_is_400_with_message(web, user):
    response = web.get("/expenses/?date_from=yesterday-ish")
    assert response.status_code == 400
    assert "date_from" in response.context["error"]


def test_pagination_keeps_filters(web, user):
    for i in range(55):
        ExpenseFactory(owner=user, type="coffee", amount=Decimal("1.00"))
    ExpenseFactory(owner=user, type="tea")
    first = web.get("/expenses/?type=coffee")
    assert len(first.context["page"].object_list) == 50
    assert {k: first.context["totals"][k] for k in ("count", "total")} == {"count": 55, "total": Decimal("55.00")}
    assert 'href="?type=coffee&amp;page=2"' in first.content.decode()
    second = web.get("/expenses/?type=coffee&page=2")
    assert len(second.context["page"].object_list) == 5
