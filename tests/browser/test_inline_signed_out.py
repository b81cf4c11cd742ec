"""Inline edit of a row when the session has ended meanwhile (signed out elsewhere, or expired): nothing is saved,
the form and its changes stay, the row says why; after signing in again in another tab, Save saves."""

from decimal import Decimal

from playwright.sync_api import expect

from expenses.models import Expense
from tests.factories import DEFAULT_PASSWORD, ExpenseFactory, UserFactory


def log_in(page, base, email):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add an expense")).to_be_visible()


def test_an_inline_save_after_signing_out_keeps_the_changes(tab, transactional_db):
    user = UserFactory(email=f"inline{tab.width}@example.com")
    expense = ExpenseFactory(owner=user, type="lunch", amount=Decimal("45.00"), notes="before")
    page = tab.page
    log_in(page, tab.base, user.email)
    page = tab.go("/expenses/?report=*")
    page.get_by_role("link", name="Edit lunch 45.00").click()
    notes = page.locator(f"#row-{expense.pk}-notes")
    expect(notes).to_be_visible()

    page.context.clear_cookies()  # the session ends (signed out in another tab, or expired)
    notes.fill("after")
    page.get_by_role("button", name="Save").click()
    problem = page.get_by_role("alert")
    expect(problem).to_contain_text("Not saved: you are signed out, or this page has expired.")
    expect(notes).to_have_value("after")  # the form and its change are still there
    expense.refresh_from_db()
    assert expense.notes == "before"

    other = page.context.new_page()
    log_in(other, tab.base, user.email)  # signed in again in another tab (a new CSRF token): Save now saves
    page.get_by_role("button", name="Save").click()
    expect(page.locator(f"#expense-{expense.pk}")).to_contain_text("after")
    assert Expense.objects.get(pk=expense.pk).notes == "after"
    other.close()
