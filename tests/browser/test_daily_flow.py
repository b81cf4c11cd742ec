"""The flow a new user goes through, at 375 and 1280 px: sign up, quick entry, search, bulk move to a new
report, inline edit (by keyboard), a receipt with its thumbnail, the report's PDF and CSV, a submitted report
asking before a change, and a personal token that a reload does not duplicate."""

import csv
import io
import os
import re
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import User
from expenses.models import Expense
from oauth_bridge.models import PersonalAccessToken
from reports.models import Report

PASSWORD = "correct-horse-9"
SHOTS = os.environ.get("XPENSER_SCREENSHOT_DIR")


def shot(tab, name):
    """Screenshots of the main pages for docs/screenshots/ when XPENSER_SCREENSHOT_DIR is set."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        tab.page.screenshot(path=str(Path(SHOTS) / f"{name}-{tab.width}.png"))


def receipt_png(tmp_path) -> Path:
    path = tmp_path / "taxi-receipt.png"
    Image.new("RGB", (300, 400), (40, 120, 200)).save(path)
    return path


def sign_up(tab, email):
    page = tab.go("/signup/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome")
    tab.assert_fits()


def test_daily_flow(tab, tmp_path, transactional_db):
    email = f"new{tab.width}@example.com"
    sign_up(tab, email)
    user = User.objects.get(email=email)
    page = tab.page

    # Quick entry.
    page.get_by_label("Expense text").fill("lunch 45 with jack #cash")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Recorded lunch 45.00 USD")
    shot(tab, "home")
    expense = Expense.objects.owned_by(user).get()

    # Find it by searching "jack".
    page = tab.go("/expenses/?report=*")
    page.get_by_label("Search type, notes and tags").fill("jack")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("table.expenses tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("with jack")
    tab.assert_fits()

    # Bulk move it to a new report, by keyboard.
    box = page.get_by_label(re.compile("^Select lunch"))
    box.focus()
    page.keyboard.press("Space")
    expect(page.locator("[data-bulk-count]")).to_have_text("1 selected:")
    page.get_by_label("Bulk action", exact=True).select_option("move")
    page.get_by_label("Move to").select_option("new")
    page.get_by_label("New report name").fill("Berlin trip 2026")
    page.get_by_role("button", name="Apply to selected").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Moved 1 expense to Berlin trip 2026")
    report = Report.objects.owned_by(user).get(name="Berlin trip 2026")
    expense.refresh_from_db()
    assert expense.report == report
    shot(tab, "expenses")

    # Inline edit of its amount, by keyboard.
    page = tab.go("/expenses/?report=*")
    page.get_by_role("link", name="Edit lunch 45.00").press("Enter")
    amount = page.locator(f"#row-{expense.pk}-amount")
    expect(page.locator(f"#row-{expense.pk}-type")).to_be_focused()
    amount.fill("52.50")
    amount.press("Enter")
    expect(page.locator(f"#expense-{expense.pk} td.amount")).to_have_text("52.50")
    expect(page.get_by_role("link", name="Edit lunch 52.50")).to_be_focused()
    expense.refresh_from_db()
    assert str(expense.amount) == "52.50"
    tab.assert_fits()

    # Attach a receipt in the editor (the no-JavaScript file input) and see its thumbnail in the list.
    page = tab.go(f"/expenses/{expense.pk}/")
    page.get_by_label("Choose receipt files").set_input_files(str(receipt_png(tmp_path)))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("Attached 1 receipt to lunch: “taxi-receipt.png”")
    tab.assert_fits()
    page = tab.go("/expenses/?report=*")
    thumb = page.get_by_role("link", name="1 receipt of lunch").locator("img")
    expect(thumb).to_be_visible()
    assert "/thumbnail/" in thumb.get_attribute("src")
    assert tab.image_width(thumb) == 300

    # The report's downloads, named after it.
    page = tab.go(f"/reports/{report.pk}/")
    expect(page.get_by_role("heading", name="Totals by type")).to_be_visible()
    shot(tab, "report")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="PDF report").click()
    assert pdf_download.value.suggested_filename == "berlin-trip-2026.pdf"
    pdf = PdfReader(pdf_download.value.path())
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Berlin trip 2026" in text and "52.50" in text and "with jack" in text and "#cash" in text
    assert len(pdf.pages) == 2 and pdf.pages[1].images  # the receipt on a page of its own
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert csv_download.value.suggested_filename == "berlin-trip-2026.csv"
    [row] = list(csv.DictReader(io.StringIO(Path(csv_download.value.path()).read_text())))
    assert (row["type"], row["amount"], row["notes"], row["tags"]) == ("lunch", "52.50", "with jack", "cash")

    # Submit the report: a change then asks first.
    page.get_by_label("Status", exact=True).select_option("S")
    page.get_by_role("button", name="Change status").click()
    expect(page.locator(".card-head .status")).to_have_text("Submitted")
    page.get_by_label("Name", exact=True).fill("Berlin trip 2026 (final)")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("heading", name="Change a submitted report?")).to_be_visible()
    tab.assert_fits()
    report.refresh_from_db()
    assert report.name == "Berlin trip 2026"
    page.get_by_role("button", name="Yes, change it").click()
    expect(page.get_by_role("heading", name="Berlin trip 2026 (final)")).to_be_visible()

    # The list row of an expense in a submitted report asks too.
    page = tab.go("/expenses/?report=*")
    page.get_by_role("link", name="Edit lunch 52.50").click()
    page.locator(f"#row-{expense.pk}-amount").fill("53.00")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(f"#expense-{expense.pk} .lock-notice.needs-confirm")).to_contain_text("Berlin trip 2026 (final)")
    expense.refresh_from_db()
    assert str(expense.amount) == "52.50"
    page.get_by_label("Change it anyway").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(f"#expense-{expense.pk} td.amount")).to_have_text("53.00")

    # A personal token: shown once with a Copy button; a reload makes no second token.
    page = tab.go("/account/tokens/")
    page.get_by_label("Name", exact=True).fill("backup script")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("xpp_")
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    tab.assert_fits()
    page.reload()
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.locator("table.cards tbody tr")).to_have_count(1)
    assert PersonalAccessToken.objects.owned_by(user).count() == 1
    shot(tab, "tokens")
    page.get_by_role("button", name="Revoke the token backup script").click()
    expect(page.get_by_role("status")).to_contain_text("Token revoked")
