"""The list's search, amount range, sorting, page size and pages, bulk move/tag/delete and the undo."""

from decimal import Decimal

import pytest

from expenses.models import Expense
from reports.models import Report
from tests.factories import ExpenseFactory, ReportFactory, TagFactory, default_report

pytestmark = pytest.mark.django_db


def listed(response):
    return [e.type for e in response.context["page"].object_list]


@pytest.fixture
def three(user):
    cash = TagFactory(owner=user, name="cash")
    return [
        ExpenseFactory(owner=user, type="lunch", amount=Decimal("45.00"), notes="with jack", tags=[cash]),
        ExpenseFactory(owner=user, type="Taxi", amount=Decimal("12.00"), notes="airport"),
        ExpenseFactory(owner=user, type="Hotel", amount=Decimal("120.00"), notes="", tags=[cash]),
    ]


@pytest.mark.parametrize("search, expected", [
    ("jack", ["lunch"]), ("JACK", ["lunch"]), ("taxi", ["Taxi"]), ("#cash", ["Hotel", "lunch"]),
    ("cash lunch", ["lunch"]), ("nothing", []),
])
def test_search_over_type_notes_and_tags(web, three, search, expected):
    response = web.get("/expenses/", {"search": search, "sort": "type"})
    assert sorted(listed(response)) == sorted(expected)


def test_amount_range_and_its_errors(web, three):
    assert sorted(listed(web.get("/expenses/?amount_min=12&amount_max=45"))) == ["Taxi", "lunch"]
    assert listed(web.get("/expenses/?amount_min=100")) == ["Hotel"]
    for query, message in [("amount_min=abc", "amount_min"), ("amount_min=50&amount_max=10", "more than")]:
        response = web.get(f"/expenses/?{query}")
        assert response.status_code == 400 and message in response.context["error"]


def test_sorting_by_each_column_and_its_links(web, three):
    assert listed(web.get("/expenses/?sort=amount")) == ["Taxi", "lunch", "Hotel"]
    assert listed(web.get("/expenses/?sort=-amount")) == ["Hotel", "lunch", "Taxi"]
    assert listed(web.get("/expenses/?sort=type")) == ["Hotel", "lunch", "Taxi"]
    response = web.get("/expenses/?sort=amount&search=a")
    body = response.content.decode()
    assert 'aria-sort="ascending"' in body and 'href="?search=a&amp;sort=-amount"' in body
    bad = web.get("/expenses/?sort=owner")
    assert bad.status_code == 400 and "sort" in bad.context["error"]


def test_page_size_and_page_numbers(web, user):
    for _ in range(30):
        ExpenseFactory(owner=user, type="coffee", amount=Decimal("1.00"))
    response = web.get("/expenses/?per_page=25")
    assert len(response.context["page"].object_list) == 25
    body = response.content.decode()
    assert 'href="?per_page=25&amp;page=2"' in body and 'aria-current="page" class="current">1<' in body
    assert len(web.get("/expenses/?per_page=25&page=2").context["page"].object_list) == 5
    assert web.get("/expenses/?per_page=7").status_code == 400


def test_bulk_move_to_an_existing_and_a_new_report(web, user, three):
    trip = ReportFactory(owner=user, name="Trip")
    ids = [three[0].pk, three[1].pk]
    before = Expense.objects.get(pk=three[0].pk).modified
    response = web.post("/expenses/bulk/", {"action": "move", "ids": ids, "report": trip.pk, "next": "/expenses/"})
    assert response.status_code == 302
    assert set(Expense.objects.filter(report=trip).values_list("pk", flat=True)) == set(ids)
    assert Expense.objects.get(pk=three[0].pk).modified > before
    web.post("/expenses/bulk/", {"action": "move", "ids": ids, "report": "new", "new_report": "Berlin trip 2026"})
    berlin = Report.objects.get(owner=user, name="Berlin trip 2026")
    assert set(Expense.objects.filter(report=berlin).values_list("pk", flat=True)) == set(ids)
    # A new report needs a name no other report has; nothing moves otherwise.
    response = web.post("/expenses/bulk/", {"action": "move", "ids": ids, "report": "new", "new_report": "trip"},
                        follow=True)
    assert "already have a report named" in str(list(response.context["messages"])[-1])
    assert Expense.objects.filter(report=berlin).count() == 2


def test_bulk_tag_adds_to_what_is_there(web, user, three):
    web.post("/expenses/bulk/", {"action": "tag", "ids": [three[0].pk, three[1].pk], "tags": "clientx #q3"})
    assert sorted(t.name for t in three[0].tags.all()) == ["cash", "clientx", "q3"]
    assert sorted(t.name for t in three[1].tags.all()) == ["clientx", "q3"]


def test_bulk_delete_then_undo(web, user, three):
    response = web.post("/expenses/bulk/", {"action": "delete", "ids": [e.pk for e in three], "next": "/expenses/"},
                        follow=True)
    assert Expense.objects.filter(owner=user, status=Expense.DELETED).count() == 3
    body = response.content.decode()
    assert "Deleted 3 expenses." in body and 'action="/expenses/undo/"' in body and ">Undo</button>" in body
    response = web.post("/expenses/undo/", {"next": "/expenses/"}, follow=True)
    assert Expense.objects.filter(owner=user, status=Expense.LIVE).count() == 3
    assert "Restored 3 expenses." in response.content.decode()
    again = web.post("/expenses/undo/", follow=True)  # the undo is spent
    assert "nothing to undo" in again.content.decode()


def test_single_delete_offers_undo(web, user, three):
    response = web.post(f"/expenses/{three[1].pk}/delete/", {"next": "/expenses/"}, follow=True)
    assert "Deleted Taxi 12.00." in response.content.decode() and ">Undo</button>" in response.content.decode()
    web.post("/expenses/undo/")
    assert Expense.objects.get(pk=three[1].pk).status == Expense.LIVE


@pytest.mark.parametrize("data, message", [
    ({"action": "delete"}, "select one or more"),
    ({"action": "delete", "ids": ["abc"]}, "not an expense id"),
    ({"action": "explode", "ids": ["{mine}"]}, "choose move, tag or delete"),
    ({"action": "tag", "ids": ["{mine}"], "tags": " "}, "name one or more tags"),
    ({"action": "move", "ids": ["{mine}"], "report": ""}, "choose the report"),
    ({"action": "delete", "ids": ["{mine}", "{theirs}"]}, "not found"),
])
def test_bulk_refusals_change_nothing(web, user, other_user, data, message):
    mine, theirs = ExpenseFactory(owner=user), ExpenseFactory(owner=other_user)
    data = {k: [v.format(mine=mine.pk, theirs=theirs.pk) for v in vs] if isinstance(vs, list) else vs
            for k, vs in data.items()}
    response = web.post("/expenses/bulk/", data, follow=True)
    assert message in str(list(response.context["messages"])[0])
    assert Expense.objects.filter(status=Expense.LIVE).count() == 2
    assert not mine.tags.exists()


def test_bulk_into_or_out_of_a_submitted_report_asks_first(web, user, three):
    sent = ReportFactory(owner=user, name="Sent", status="S")
    data = {"action": "move", "ids": [three[0].pk], "report": sent.pk, "next": "/expenses/"}
    response = web.post("/expenses/bulk/", data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Change a submitted report?" in body and 'name="confirm" value="1"' in body
    assert f'name="ids" value="{three[0].pk}"' in body
    assert Expense.objects.get(pk=three[0].pk).report == default_report(user)
    assert web.post("/expenses/bulk/", {**data, "confirm": "1"}).status_code == 302
    assert Expense.objects.get(pk=three[0].pk).report == sent
    assert web.post("/expenses/bulk/", {"action": "delete", "ids": [three[0].pk]}).status_code == 409
