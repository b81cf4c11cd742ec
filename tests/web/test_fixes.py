"""The fixes of the web app: messages that say what happened, the timer, the skip link, charts over a chosen
period and by report, and pages that need no inline script or style (the Content-Security-Policy)."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from expenses.models import Timer
from tests.factories import ExpenseFactory, ReportFactory

pytestmark = pytest.mark.django_db

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / d for d in ("templates", "expenses/templates", "accounts/templates",
                                                        "oauth_bridge/templates")]
SCREEN_TEMPLATES = [p for d in TEMPLATE_DIRS for p in d.rglob("*.html") if p.name != "report_pdf.html"]


def test_empty_quick_entry_speaks_of_the_expense_text(web):
    response = web.post("/", {"q": "   "})
    assert response.status_code == 400
    assert response.context["error"] == "Type the expense text first, e.g. lunch 45 with jack #cash"


def test_logout_is_confirmed(web):
    response = web.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "You are logged out." in response.content.decode()


def test_the_timer_ticks_with_its_cost(web, user):
    user.hourly_rate = Decimal("90.00")
    user.save()
    Timer.objects.create(owner=user, started_at=timezone.now() - dt.timedelta(minutes=5), notes="review")
    body = web.get("/").content.decode()
    assert 'data-hourly-rate="90.00"' in body and 'data-currency="USD"' in body and "data-timer-cost" in body
    assert "setInterval(tick, 1000)" in (Path(settings.BASE_DIR) / "static/xpenser/app.js").read_text()


def test_every_page_starts_with_a_skip_link_to_the_main_content(web):
    body = web.get("/expenses/").content.decode()
    assert body.index('class="skip-link" href="#main"') < body.index("<header")
    assert '<main id="main" tabindex="-1">' in body


@pytest.mark.parametrize("template", SCREEN_TEMPLATES, ids=lambda p: p.name)
def test_no_template_needs_inline_script_or_style(template):
    text = template.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert not re.search(r"\sstyle\s*=", text), "style attribute"
    assert not re.search(r"<style", text), "<style> element"
    assert not re.search(r"\son[a-z]+\s*=", text), "on* handler"


def test_scripts_are_static_files_loaded_with_defer(web):
    body = web.get("/").content.decode()
    assert re.findall(r"<script[^>]*>", body) == ['<script src="/static/xpenser/app.js" defer>',
                                                 '<script src="/static/xpenser/receipts.js" defer>']
    assert "style=" not in body and "style=" not in web.get("/settings/").content.decode()


def test_charts_over_a_chosen_period(web, user):
    ExpenseFactory(owner=user, type="old", amount=Decimal("5.00"), date=dt.datetime(2024, 3, 10, 12, tzinfo=dt.UTC))
    ExpenseFactory(owner=user, type="new", amount=Decimal("7.00"), date=dt.datetime(2024, 6, 2, 12, tzinfo=dt.UTC))
    response = web.get("/charts/?date_from=2024-03-01&date_to=2024-05-31")
    assert [row.label for row in response.context["month_rows"]] == ["Mar 2024", "Apr 2024", "May 2024"]
    assert response.context["total"] == Decimal("5.00")
    assert [row.label for row in response.context["type_rows"]] == ["old"]
    assert response.context["type_rows"][0].url == "/expenses/?report=%2A&date_from=2024-03-01&date_to=2024-05-31&type=old"
    assert response.context["month_rows"][0].url.endswith("date_from=2024-03-01&date_to=2024-03-31")


def test_long_ranges_draw_months_as_bars_and_bad_ranges_are_400(web, user):
    assert not web.get("/charts/?date_from=2022-01-01&date_to=2024-12-31").context["columns"]
    for query, message in [("date_from=2024-05-01&date_to=2024-01-01", "starts after it ends"),
                           ("date_from=nope", "not a date"), ("date_from=1990-01-01&date_to=2024-01-01", "at most")]:
        response = web.get(f"/charts/?{query}")
        assert response.status_code == 400 and message in response.context["error"]


def test_charts_by_report_link_to_their_expenses(web, user):
    trip = ReportFactory(owner=user, name="Trip")
    ExpenseFactory(owner=user, report=trip, amount=Decimal("80.00"))
    ExpenseFactory(owner=user, amount=Decimal("20.00"))
    rows = web.get("/charts/").context["report_rows"]
    assert [(row.label, row.value, row.percent) for row in rows] == [("Trip", Decimal("80.00"), 100.0),
                                                                      ("My Expenses", Decimal("20.00"), 25.0)]
    assert f"report={trip.pk}" in rows[0].url
