"""Receipts and import in the browser, at 375 and 1280 px: a receipt dropped on an expense's editor and one
dropped with an entry on Home, each seen as a thumbnail; several receipts, one deleted; a small bank CSV
imported through the page (its columns chosen, previewed, imported). No page wider than the screen."""

import base64
import io
import re

from PIL import Image
from playwright.sync_api import expect

from expenses.models import Expense, Receipt
from tests.factories import ExpenseFactory, UserFactory

from .test_daily_flow import shot
from .test_pages import log_in

# A DataTransfer holding one file, as a drag from the file manager brings it.
DROPPED = """([name, type, data]) => {
  const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type}));
  return transfer;
}"""


def jpeg_b64(colour=(200, 60, 40), size=(320, 240)) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return base64.b64encode(out.getvalue()).decode()


def drop(page, selector, name, data):
    transfer = page.evaluate_handle(DROPPED, [name, "image/jpeg", data])
    page.dispatch_event(selector, "dragenter", {"dataTransfer": transfer})
    expect(page.locator(selector)).to_have_class(re.compile(r"\bdragging\b"))
    page.dispatch_event(selector, "drop", {"dataTransfer": transfer})


def test_receipts_by_drop_on_the_editor_and_on_home(tab, transactional_db):
    user = UserFactory(email=f"receipts{tab.width}@example.com")
    expense = ExpenseFactory(owner=user, type="Hotel", notes="two nights")
    log_in(tab, user.email)
    page = tab.go(f"/expenses/{expense.pk}/")
    expect(page.get_by_text("or drop the files here")).to_be_visible()
    drop(page, "form.receipt-form", "hotel-bill.jpg", jpeg_b64())  # the editor uploads a drop at once
    expect(page.get_by_role("status")).to_contain_text("Attached 1 receipt to Hotel: “hotel-bill.jpg”")
    # The page after the upload is new: its deferred script shows the drop hint once it listens for changes.
    expect(page.get_by_text("or drop the files here")).to_be_visible()
    page.get_by_label("Choose receipt files").set_input_files(files=[
        {"name": "minibar.jpg", "mimeType": "image/jpeg", "buffer": base64.b64decode(jpeg_b64((20, 90, 200)))}])
    expect(page.locator("[data-file-names]").first).to_have_text("Chosen: minibar.jpg")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("status")).to_contain_text("“minibar.jpg”")
    expect(page.get_by_role("img", name="Receipt 1: hotel-bill.jpg")).to_be_visible()
    expect(page.get_by_role("img", name="Receipt 2: minibar.jpg")).to_be_visible()
    tab.assert_fits()
    shot(tab, "receipts")
    page.get_by_role("button", name="Delete receipt 2: minibar.jpg").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Deleted the receipt “minibar.jpg” of Hotel")
    assert list(Receipt.objects.filter(expense=expense).values_list("name", flat=True)) == ["hotel-bill.jpg"]

    # A refused file is named, and nothing is stored.
    page.get_by_label("Choose receipt files").set_input_files(files=[
        {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a receipt"}])
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("receipt: 'notes.txt' is not a receipt we can keep")
    tab.assert_fits()
    assert Receipt.objects.filter(expense=expense).count() == 1

    # On Home the dropped receipt goes with the expense being entered.
    page = tab.go("/")
    drop(page, "form.quick-form", "taxi.jpg", jpeg_b64((30, 160, 60)))
    expect(page.locator(".quick-receipt")).to_have_attribute("open", "")
    expect(page.locator(".quick-form [data-file-names]")).to_have_text("Chosen: taxi.jpg")
    page.get_by_label("Expense text").fill("taxi 23 airport #clientx")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Recorded taxi 23.00")
    expect(page.get_by_role("status")).to_contain_text("1 receipt attached")
    taxi = Expense.objects.owned_by(user).get(type="taxi")
    thumb = page.get_by_role("link", name="1 receipt of taxi").locator("img")
    expect(thumb).to_be_visible()
    # Visible as soon as laid out, before its (lazily loaded) bytes arrive: image_width waits for them.
    assert tab.image_width(thumb) == 320
    assert Receipt.objects.filter(expense=taxi).get().name == "taxi.jpg"
    tab.assert_fits()
    page = tab.go("/expenses/?report=*")
    expect(page.get_by_role("link", name="1 receipt of Hotel").locator("img")).to_be_visible()
    tab.assert_fits()


BANK_CSV = b"""Booked,Payee,Value,Memo
2026-03-02,Lunch,45.00,with jack
2026-03-03,Taxi,12.50,"airport, late"
"""


def test_a_small_csv_imports_through_the_page(tab, transactional_db):
    user = UserFactory(email=f"import{tab.width}@example.com")
    log_in(tab, user.email)
    page = tab.go("/expenses/")
    page.get_by_role("link", name="Import a file").click()
    expect(page.get_by_role("heading", name="Import expenses")).to_be_visible()
    page.get_by_label("Expense file").set_input_files(files=[
        {"name": "bank.csv", "mimeType": "text/csv", "buffer": BANK_CSV}])
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert")).to_contain_text("no column for date")
    tab.assert_fits()
    page.get_by_label("Column 1 “Booked”").select_option("date")
    expect(page.get_by_label("Column 3 “Value”")).to_have_value("amount")
    page.get_by_role("button", name="Preview again").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator("tr.import-new")).to_have_count(2)
    tab.assert_fits()
    page.locator("fieldset.import-columns").scroll_into_view_if_needed()
    shot(tab, "import")
    assert not Expense.objects.owned_by(user).exists()
    page.get_by_role("button", name="Import 2 expenses").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 2 expenses from bank.csv.")
    expect(page.locator("table.expenses tbody tr")).to_have_count(2)
    tab.assert_fits()
    assert sorted(Expense.objects.owned_by(user).values_list("type", "notes")) == [
        ("Lunch", "with jack"), ("Taxi", "airport, late")]

    # The same file again: both rows are duplicates and nothing is offered for import.
    page = tab.go("/import/")
    page.get_by_label("Expense file").set_input_files(files=[
        {"name": "bank.csv", "mimeType": "text/csv", "buffer": BANK_CSV}])
    page.get_by_text("How to read the file").press("Enter")  # the options fold open by keyboard
    page.get_by_label("Format").select_option("csv")
    page.get_by_role("button", name="Preview").click()
    page.get_by_label("Column 1 “Booked”").select_option("date")
    page.get_by_role("button", name="Preview again").click()
    expect(page.locator("tr.import-duplicate")).to_have_count(2)
    expect(page.get_by_role("button", name="Import 2 expenses")).to_have_count(0)
    tab.assert_fits()
