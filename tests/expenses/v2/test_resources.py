"""Tags, reports, the account (`me`), free-form entries and the timer through /api/v2/."""

from decimal import Decimal

import pytest

from expenses.models import Expense, Tag, Timer
from reports.models import Report
from tests.expenses.v2.conftest import error
from tests.factories import ExpenseFactory, ReportFactory, TagFactory, default_report

pytestmark = pytest.mark.django_db


def test_tags_list_create_rename_delete(api, user, other_user):
    TagFactory(owner=other_user, name="theirs")
    made = api.post("tags/", {"name": "cash"})
    assert made.status_code == 201 and set(made.json()) == {"id", "name", "created"}
    assert made["Location"].endswith(f"/api/v2/tags/{made.json()['id']}")
    assert "name" in error(api.post("tags/", {"name": "CASH"}), 400)["fields"]
    assert [t["name"] for t in api.get("tags/").json()["results"]] == ["cash"]
    tag_id = made.json()["id"]
    assert api.patch(f"tags/{tag_id}/", {"name": "card"}).json()["name"] == "card"
    expense = ExpenseFactory(owner=user, tags=[Tag.objects.get(pk=tag_id)])
    assert api.delete(f"tags/{tag_id}").status_code == 204
    assert api.get(f"expenses/{expense.pk}").json()["tags"] == []
    assert error(api.get(f"tags/{tag_id}"), 404, "not_found")


def test_reports_with_status_and_totals(api, user):
    trip = api.post("reports/", {"name": "Trip", "status": "submitted"}).json()
    assert (trip["status"], trip["count"], trip["total"], trip["is_default"]) == ("submitted", 0, "0.00", False)
    api.post("expenses/", {"type": "taxi", "amount": "12.50", "report": trip["id"]})
    api.post("expenses/", {"type": "hotel", "amount": "100", "report": trip["id"]})
    body = api.get(f"reports/{trip['id']}").json()
    assert (body["count"], body["total"]) == (2, "112.50")
    assert [r["id"] for r in api.get("reports/", data={"status": "submitted"}).json()["results"]] == [trip["id"]]
    assert api.patch(f"reports/{trip['id']}", {"status": "A", "is_default": True}).json()["status"] == "approved"
    assert Report.objects.get(pk=trip["id"]).is_default
    assert "status" in error(api.patch(f"reports/{trip['id']}", {"status": "lost"}), 400)["fields"]


def test_deleting_a_report_moves_or_refuses(api, user):
    trip = ReportFactory(owner=user)
    expense = ExpenseFactory(owner=user, report=trip)
    assert "still has 1 expense" in error(api.delete(f"reports/{trip.pk}"), 400)["message"]
    home = default_report(user)
    assert api.delete(f"reports/{trip.pk}?move_to={home.pk}").status_code == 204
    assert api.get(f"expenses/{expense.pk}").json()["report"] == home.pk
    assert error(api.delete(f"reports/{home.pk}"), 400)


def test_me_reads_and_changes_the_settings(api, user):
    body = api.get("me").json()
    assert body == {"id": user.pk, "email": user.email, "name": "", "base_currency": "USD", "mileage_rate": "0.5500",
                    "hourly_rate": "0.00", "time_zone": "UTC"}
    changed = api.patch("me/", {"hourly_rate": "60", "time_zone": "Europe/Paris", "email": "x@y.z"}).json()
    assert (changed["hourly_rate"], changed["time_zone"], changed["email"]) == ("60.00", "Europe/Paris", user.email)
    user.refresh_from_db()
    assert user.hourly_rate == Decimal("60.00")
    assert "time_zone" in error(api.patch("me", {"time_zone": "Mars/Olympus"}), 400)["fields"]
    assert "mileage_rate" in error(api.patch("me", {"mileage_rate": "-1"}), 400)["fields"]


def test_entries_answer_the_expense_and_how_the_text_was_read(api, user):
    response = api.post("entries/", {"text": "lunch 45 with jack #cash"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reading"] == {"kind": "expense", "type": "lunch", "amount": "45.00", "rawamount": "45.00",
                               "unit": None, "currency": None, "notes": "with jack", "tags": ["cash"], "timer_action": None}
    assert body["timer"] is None
    expense = Expense.objects.get(pk=body["expense"]["id"])
    assert (expense.type, expense.notes, body["expense"]["tags"]) == ("lunch", "with jack", ["cash"])
    mileage = api.post("entries", {"text": "mileage 100 client visit"}).json()["reading"]
    assert (mileage["kind"], mileage["amount"], mileage["rawamount"], mileage["unit"]) == (
        "mileage", "55.00", "100.00", "miles")
    assert "text" in error(api.post("entries/", {"text": ""}), 400)["fields"]
    found = error(api.post("entries/", {"text": "lunch"}), 400)
    assert "lunch" in found["message"]


def test_timer_start_and_stop(api, user):
    assert api.get("timer").json() == {"running": False, "started": None, "notes": "", "tags": []}
    started = api.post("timer/start", {"notes": "review", "tags": ["clientx"]})
    assert started.status_code == 201 and started.json()["running"] is True
    assert started.json()["tags"] == ["clientx"]
    assert "already running" in error(api.post("timer/start/", {}), 400)["message"]
    stopped = api.post("timer/stop/", {})
    assert stopped.status_code == 201
    body = stopped.json()
    assert body["timer"]["running"] is False
    assert (body["expense"]["type"], body["expense"]["notes"], body["expense"]["tags"]) == ("Time", "review",
                                                                                            ["clientx"])
    assert not Timer.objects.exists()
    assert "no timer is running" in error(api.post("timer/stop", {}), 400)["message"]


def test_entries_drive_the_timer_too(api):
    body = api.post("entries/", {"text": "Time start contract"}).json()
    assert body["reading"]["kind"] == "timer" and body["reading"]["timer_action"] == "start"
    assert body["expense"] is None and body["timer"]["running"] is True
    stop = api.post("entries/", {"text": "Time stop"}).json()
    assert stop["timer"]["running"] is False and stop["expense"]["type"] == "Time"
