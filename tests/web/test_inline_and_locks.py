"""Inline edit of a list row (HTML fragments for app.js) and the confirmation before changing a submitted or
approved report: quick entry, editor, row, delete, rename and report deletion."""

from decimal import Decimal

import pytest
from django.utils import timezone

from expenses.models import Expense
from reports.models import Report
from tests.factories import ExpenseFactory, ReportFactory, default_report

pytestmark = pytest.mark.django_db


def row_form(expense, **changes):
    data = {"type": expense.type, "amount": f"{expense.amount:.2f}", "notes": expense.notes,
            "date": timezone.localtime(expense.date, expense.owner.tzinfo).strftime("%Y-%m-%dT%H:%M"),
            "report": str(expense.report_id), "tags": ""}
    return {**data, **changes}


def test_row_form_and_display_fragments(web, user):
    expense = ExpenseFactory(owner=user, type="lunch")
    form = web.get(f"/expenses/{expense.pk}/row/")
    body = form.content.decode()
    assert form.status_code == 200 and body.startswith("<tr") and "<html" not in body
    assert f'id="row-{expense.pk}-amount"' in body and 'data-row-form' in body
    display = web.get(f"/expenses/{expense.pk}/row/?display=1").content.decode()
    assert f'data-inline-edit="/expenses/{expense.pk}/row/"' in display and "45.00" in display


def test_row_save_answers_the_row(web, user):
    expense = ExpenseFactory(owner=user, type="lunch", amount=Decimal("45.00"))
    response = web.post(f"/expenses/{expense.pk}/row/", row_form(expense, amount="52.50"))
    assert response.status_code == 200
    assert 'class="saved"' in response.content.decode() and "52.50" in response.content.decode()
    expense.refresh_from_db()
    assert expense.amount == Decimal("52.50")


def test_row_errors_answer_the_form_with_them(web, user):
    expense = ExpenseFactory(owner=user, amount=Decimal("45.00"))
    response = web.post(f"/expenses/{expense.pk}/row/", row_form(expense, amount="4.567"))
    body = response.content.decode()
    assert response.status_code == 400 and "more than two decimal places" in body and 'aria-invalid="true"' in body
    expense.refresh_from_db()
    assert expense.amount == Decimal("45.00")


def test_other_users_row_is_not_found(web, other_user):
    theirs = ExpenseFactory(owner=other_user)
    assert web.get(f"/expenses/{theirs.pk}/row/").status_code == 404
    assert web.post(f"/expenses/{theirs.pk}/row/", row_form(theirs, amount="1")).status_code == 404


@pytest.mark.parametrize("path", ["/expenses/{pk}/row/", "/expenses/{pk}/"])
def test_changing_an_expense_of_a_submitted_report_asks_first(web, user, path):
    sent = ReportFactory(owner=user, name="Sent", status=Report.Status.SUBMITTED)
    expense = ExpenseFactory(owner=user, report=sent, amount=Decimal("45.00"))
    url = path.format(pk=expense.pk)
    assert "Change it anyway" in web.get(url).content.decode()
    response = web.post(url, row_form(expense, amount="50.00"))
    assert response.status_code == 409 and "Tick “Change it anyway”" in response.content.decode()
    expense.refresh_from_db()
    assert expense.amount == Decimal("45.00")
    assert web.post(url, row_form(expense, amount="50.00", confirm="1")).status_code in (200, 302)
    expense.refresh_from_db()
    assert expense.amount == Decimal("50.00")


def test_moving_into_an_approved_report_asks_first(web, user):
    approved = ReportFactory(owner=user, name="Paid out", status=Report.Status.APPROVED)
    expense = ExpenseFactory(owner=user)
    response = web.post(f"/expenses/{expense.pk}/", row_form(expense, report=str(approved.pk)))
    assert response.status_code == 409 and "Paid out" in response.content.decode()
    assert Expense.objects.get(pk=expense.pk).report == default_report(user)


def test_quick_entry_into_a_submitted_report_asks_first(web, user):
    sent = ReportFactory(owner=user, name="Sent", status=Report.Status.SUBMITTED)
    response = web.post("/", {"q": "lunch 45", "report": str(sent.pk)})
    assert response.status_code == 409 and 'name="q" value="lunch 45"' in response.content.decode()
    assert not Expense.objects.exists()
    web.post("/", {"q": "lunch 45", "report": str(sent.pk), "confirm": "1"})
    assert Expense.objects.get().report == sent
    web.post("/", {"q": "coffee 3"})  # the default report is not submitted: no question
    assert Expense.objects.count() == 2


def test_delete_and_rename_of_a_submitted_report_ask_first(web, user):
    sent = ReportFactory(owner=user, name="Sent", status=Report.Status.SUBMITTED)
    expense = ExpenseFactory(owner=user, report=sent)
    assert web.post(f"/expenses/{expense.pk}/delete/").status_code == 409
    assert Expense.objects.get(pk=expense.pk).status == Expense.LIVE
    assert web.post(f"/reports/{sent.pk}/", {"action": "rename", "name": "New"}).status_code == 409
    assert web.post(f"/reports/{sent.pk}/", {"action": "rename", "name": "New", "confirm": "1"}).status_code == 302
    sent.refresh_from_db()
    assert sent.name == "New"
    # A status change is the workflow itself: no question.
    assert web.post(f"/reports/{sent.pk}/", {"action": "status", "status": "A"}).status_code == 302


def test_the_api_never_asks(client, auth, user):
    sent = ReportFactory(owner=user, name="Sent", status=Report.Status.SUBMITTED)
    response = client.get(f"/api/simple/?q=lunch+45&report={sent.pk}&format=json", **auth)
    assert response.status_code in (200, 201)
    assert Expense.objects.get().report == sent
