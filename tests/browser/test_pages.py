"""Every main page at 375 and 1280 px: nothing wider than the screen, the menu button on phones, filters
folded away, chart labels of at least 11 px, a skip link first, and no Content-Security-Policy violation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, ExpenseFactory, ReportFactory, TagFactory, UserFactory

from .test_daily_flow import shot

# The smallest rendered text of the charts: SVG text scaled with its viewBox, HTML labels as computed.
SMALLEST_CHART_TEXT = """() => {
  const sizes = [];
  for (const svg of document.querySelectorAll("svg.chart")) {
    const box = svg.getBoundingClientRect();
    if (!box.width) continue;
    const scale = box.width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll("text")) sizes.push(parseFloat(getComputedStyle(text).fontSize) * scale);
  }
  for (const label of document.querySelectorAll(".bar-rows li")) {
    if (label.getBoundingClientRect().width) sizes.push(parseFloat(getComputedStyle(label).fontSize));
  }
  return Math.min(...sizes);
}"""


@pytest.fixture
def seeded(transactional_db):
    """A year and more of expenses in two reports, one of them submitted, with tags."""
    user = UserFactory(email="busy@example.com")
    trip = ReportFactory(owner=user, name="Lisbon offsite with a rather long report name", status="S")
    cash, client = TagFactory(owner=user, name="cash"), TagFactory(owner=user, name="clientx")
    now = timezone.now()
    for index, day in enumerate(range(0, 400, 9)):
        kind = ("Taxi", "Lunch", "Hotel", "Conference tickets")[index % 4]
        ExpenseFactory(owner=user, type=kind, amount=Decimal(10 + day % 90), date=now - dt.timedelta(days=day),
                       notes="a long note about what this was for, to see the cards wrap" if index % 2 else "",
                       tags=[cash] if index % 2 else [cash, client], **({"report": trip} if index % 3 == 0 else {}))
    return user


def log_in(tab, email):
    page = tab.go("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add an expense")).to_be_visible()


PAGES = [("/", "home-busy"), ("/expenses/?report=*", "expenses-busy"), ("/reports/", "reports"),
         ("/charts/", "charts"), ("/import/", "import-empty"), ("/export/", "export"), ("/settings/", "settings"),
         ("/account/applications/", "applications"), ("/account/tokens/", "tokens-empty"),
         ("/accounts/password_change/", None)]


def test_main_pages_fit_and_read(tab, seeded):
    log_in(tab, seeded.email)
    page = tab.page
    for path, name in PAGES:
        tab.go(path)
        if name:
            shot(tab, name)
    tab.go("/reports/")
    page.get_by_role("link", name="Lisbon offsite with a rather long report name").click()
    expect(page.get_by_role("heading", name="Totals by tag")).to_be_visible()
    tab.assert_fits()
    shot(tab, "report-busy")

    page = tab.go("/charts/?date_from=" + (timezone.now() - dt.timedelta(days=400)).date().isoformat())
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 11
    page = tab.go("/charts/")
    assert page.evaluate(SMALLEST_CHART_TEXT) >= 11
    numbers = page.locator("details.chart-table:visible").first
    numbers.locator("summary").click()
    expect(numbers.locator("table")).to_be_visible()


def test_phone_menu_skip_link_and_folded_filters(tab, seeded):
    log_in(tab, seeded.email)
    page = tab.go("/expenses/?report=*")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    menu = page.get_by_role("button", name="Menu")
    filters = page.locator("details.filters-fold")
    if tab.width < 600:
        expect(page.get_by_role("link", name="Charts")).to_be_hidden()
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("link", name="Home")).to_be_focused()
        page.keyboard.press("Escape")
        expect(menu).to_be_focused()
        expect(filters).not_to_have_attribute("open", "")
    else:
        expect(menu).to_be_hidden()
        expect(page.get_by_role("link", name="Charts")).to_be_visible()
        expect(filters).to_have_attribute("open", "")
    # Every list row shows type, amount, date and tags whatever the width.
    first = page.locator("table.expenses tbody tr").first
    for cell in ("td.type", "td.amount", "td.date", "td.tags"):
        box = first.locator(cell).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= tab.width
