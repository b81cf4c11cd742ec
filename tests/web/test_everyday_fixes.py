"""What an exploratory run of the web app found: times of an inline-edited row, the import preview of money in
another currency, a form's address opened as a page, the favicon, and the home page's currency notice."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from expenses import services
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db


def test_an_inline_edited_row_shows_times_in_the_users_zone(web, user):
    user.time_zone = "Pacific/Auckland"
    user.save(update_fields=["time_zone"])
    expense = ExpenseFactory(owner=user, type="lunch", date=dt.datetime(2026, 11, 30, 4, 12, tzinfo=dt.UTC))
    listed = web.get("/expenses/?report=*").content.decode()
    assert "17:12" in listed  # 04:12 UTC is 17:12 in Auckland (NZDT, +13)
    for path in (f"/expenses/{expense.pk}/row/?display=1", f"/expenses/{expense.pk}/row/"):
        fragment = web.get(path).content.decode()
        assert "17:12" in fragment and "04:12" not in fragment, path


def test_the_import_preview_shows_money_in_another_currency_as_entered(web, user):
    user.base_currency = "EUR"
    user.save(update_fields=["base_currency"])
    upload = SimpleUploadedFile("bank.csv", b"date,type,amount,currency\n2026-11-01,Groceries,45.20,USD\n",
                                content_type="text/csv")
    preview = web.post("/import/", {"file": upload, "options_sent": "1", "header": "1", "action": "preview"})
    assert preview.status_code == 200, preview.context.get("error")
    html = preview.content.decode()
    assert "45.20 USD" in html and "(converted into EUR when its rate arrives)" in html


def test_a_forms_address_opened_as_a_page_says_what_it_is(web, user):
    expense = ExpenseFactory(owner=user)
    answer = web.get(f"/expenses/{expense.pk}/receipts/")
    assert answer.status_code == 405 and "POST" in answer["Allow"]
    assert answer["Content-Type"] == "text/html; charset=utf-8"
    assert "This address takes what a form sends, not a visit." in answer.content.decode()


def test_pages_name_their_icon(web, user):
    html = web.get("/").content.decode()
    assert '<link rel="icon" href="/static/xpenser/favicon.svg" type="image/svg+xml">' in html


def test_the_home_pages_currency_notice_says_it_counts_every_report(web, user, ecb_rates):
    services.expense_create_from_text(user=user, text="lunch 45")
    services.base_currency_change(user=user, currency="EUR", history="keep")
    html = web.get("/").content.decode()
    assert "In all your reports: 1 expense kept in USD (45.00 USD, not in EUR totals)." in html
