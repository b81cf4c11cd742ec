"""Export renderers: CSV, QIF, XML and the legacy JSON shapes, built from plain rows (no database)."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
import zoneinfo
from decimal import Decimal

import pytest

from expenses.renderers import CSVRenderer, JSONArrayRenderer, QIFRenderer, XMLRenderer
from expenses.serializers import legacy_expense_data, legacy_expense_record

UTC = dt.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")

# The first record of the original page's sample response, verbatim (line breaks inside strings joined).
PAGE_SAMPLE = (
    '{"pk": 622012, "model": "xpense.expense", "fields": {"category": null, "status": 1, "rawamount": "1.00", '
    '"sourceid": "SP-25914-2009-08-27T14:27:05.717294", "notes": "one", "created": "2009-08-27 14:27:05", '
    '"modified": "2009-08-27 14:27:05", "report": 50705, "amount": "1.00", "user": 25914, '
    '"date": "2009-08-27 14:28:00", "type": "Test Expense", "tags": [44557]}}'
)


def make_row(**overrides):
    row = {
        "id": 622012,
        "owner_id": 25914,
        "report_id": 50705,
        "type": "Test Expense",
        "amount": Decimal("1.00"),
        "rawamount": Decimal("1.00"),
        "notes": "one",
        "date": dt.datetime(2009, 8, 27, 14, 28, tzinfo=UTC),
        "status": 1,
        "sourceid": "SP-25914-2009-08-27T14:27:05.717294",
        "category": None,
        "receipt": "",
        "created": dt.datetime(2009, 8, 27, 14, 27, 5, 717294, tzinfo=UTC),
        "modified": dt.datetime(2009, 8, 27, 14, 27, 5, 717294, tzinfo=UTC),
        "tags": [(44557, "clientx")],
        "original_amount": Decimal("1.00"),
        "original_currency": "USD",
        "amount_currency": "USD",
        "rate": "1",
        "rate_date": "",
    }
    row.update(overrides)
    if "amount" in overrides and "original_amount" not in overrides:
        row["original_amount"] = row["amount"]
    return row


def render_csv(rows, tz=UTC):
    return "".join(CSVRenderer().stream(rows, tz=tz))


def render_qif(rows, tz=UTC):
    return "".join(QIFRenderer().stream(rows, tz=tz))


def qif_records(text: str):
    """A small QIF reader: the header and a list of records, each {code: [values]}."""
    lines = text.split("\n")
    header, body = lines[0], lines[1:]
    records, current = [], {}
    for line in body:
        if not line:
            continue
        if line == "^":
            records.append(current)
            current = {}
            continue
        current.setdefault(line[0], []).append(line[1:])
    assert current == {}, "every record must end with ^"
    return header, records


# --- legacy JSON ---------------------------------------------------------------------------------------


def test_legacy_record_matches_the_page_sample_key_by_key_and_in_order():
    ours = legacy_expense_record(make_row(), UTC)
    sample = json.loads(PAGE_SAMPLE)
    assert ours == sample
    assert list(ours) == list(sample) == ["pk", "model", "fields"]
    assert list(ours["fields"]) == list(sample["fields"])
    # Standard-library separators, exactly like the page's text.
    assert json.dumps(ours) == PAGE_SAMPLE


def test_legacy_record_types_notes_never_null_and_tags_are_ids():
    record = legacy_expense_record(make_row(notes=None, tags=[(3, "b"), (9, "a")]), UTC)
    fields = record["fields"]
    assert fields["notes"] == ""
    assert fields["tags"] == [3, 9]
    assert isinstance(record["pk"], int) and isinstance(fields["report"], int) and isinstance(fields["user"], int)
    assert fields["amount"] == "1.00" and fields["rawamount"] == "1.00"


def test_legacy_timestamps_are_in_the_users_time_zone():
    fields = legacy_expense_record(make_row(date=dt.datetime(2009, 8, 1, 3, 0, tzinfo=UTC)), NEW_YORK)["fields"]
    assert fields["date"] == "2009-07-31 23:00:00"


def test_legacy_timestamps_always_have_a_four_digit_year():
    fields = legacy_expense_record(make_row(date=dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)), UTC)["fields"]
    assert fields["date"] == "0999-01-02 03:04:05"


def test_legacy_item_data_starts_with_the_pages_keys():
    data = legacy_expense_data(make_row(), UTC)
    assert list(data)[:5] == ["date", "report", "amount", "type", "notes"]
    assert data["id"] == 622012 and data["tags"] == [44557]


def test_json_array_streams_elements_with_standard_separators():
    chunks = list(JSONArrayRenderer().stream([{"a": 1}, {"b": [1, 2]}]))
    text = "".join(chunks)
    assert text == '[{"a": 1}, {"b": [1, 2]}]'
    assert chunks[0] == "[" and chunks[-1] == "]"
    assert "".join(JSONArrayRenderer().stream([])) == "[]"


def test_json_array_streams_in_batches_with_the_same_text_as_one_dump():
    import json

    items = [{"n": i, "s": "x"} for i in range(1201)]
    renderer = JSONArrayRenderer()
    chunks = list(renderer.stream(iter(items)))
    assert "".join(chunks) == json.dumps(items)
    batches = -(-len(items) // renderer.batch_size)
    assert batches > 1 and len(chunks) == 2 + batches  # "[", the batches, "]"


# --- CSV -----------------------------------------------------------------------------------------------


def test_csv_header_and_rows():
    text = render_csv([make_row(), make_row(id=7, notes="a, \"quoted\"\nline", tags=[])])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["id", "date", "type", "amount", "rawamount", "notes", "tags", "report", "created",
                       "modified", "status"]
    assert rows[1] == ["622012", "2009-08-27 14:28:00", "Test Expense", "1.00", "1.00", "one", "clientx", "50705",
                       "2009-08-27 14:27:05", "2009-08-27 14:27:05", "1"]
    assert rows[2][5] == 'a, "quoted"\nline'
    assert rows[2][6] == ""
    assert len(rows) == 3


def test_csv_tags_are_comma_separated_names():
    text = render_csv([make_row(tags=[(1, "cash"), (2, "clientx")])])
    assert list(csv.DictReader(io.StringIO(text)))[0]["tags"] == "cash,clientx"


@pytest.mark.parametrize("dangerous", ["=SUM(A1:A2)", "+1+2", "-2+3", "@cmd", "\tx", "\rx"])
def test_csv_quotes_formula_starts_against_spreadsheet_injection(dangerous):
    text = render_csv([make_row(type=dangerous, notes=dangerous, tags=[(1, dangerous)])])
    row = list(csv.DictReader(io.StringIO(text)))[0]
    assert row["type"] == "'" + dangerous
    assert row["notes"] == "'" + dangerous
    assert row["tags"] == "'" + dangerous


def test_csv_numbers_are_not_quoted_and_negative_amounts_stay_numbers():
    row = list(csv.DictReader(io.StringIO(render_csv([make_row(amount=Decimal("-12.50"))]))))[0]
    assert row["amount"] == "-12.50"


def test_csv_flushes_in_chunks_for_large_exports():
    chunks = list(CSVRenderer().stream((make_row(id=i, notes="x" * 100) for i in range(1000)), tz=UTC))
    assert len(chunks) > 2
    assert sum(1 for _ in csv.reader(io.StringIO("".join(chunks)))) == 1001


# --- QIF -----------------------------------------------------------------------------------------------


def test_qif_cash_records():
    rows = [
        make_row(type="Lunch", amount=Decimal("45.00"), notes="with jack", tags=[(1, "cash"), (2, "clientx")],
                 category="Meals"),
        make_row(type="Refund", amount=Decimal("-12.50"), notes="", tags=[], date=dt.datetime(2010, 1, 5, tzinfo=UTC)),
    ]
    header, records = qif_records(render_qif(rows))
    assert header == "!Type:Cash"
    assert records[0] == {"D": ["08/27/2009"], "T": ["-45.00"], "P": ["Lunch"], "M": ["with jack #cash #clientx"],
                          "L": ["Meals"]}
    assert records[1] == {"D": ["01/05/2010"], "T": ["12.50"], "P": ["Refund"]}


def test_qif_amount_has_two_decimals_and_no_thousands_separator():
    _, records = qif_records(render_qif([make_row(amount=Decimal("1234567.8"))]))
    assert records[0]["T"] == ["-1234567.80"]
    _, records = qif_records(render_qif([make_row(amount=Decimal("0"))]))
    assert records[0]["T"] == ["0.00"]


def test_qif_date_is_month_day_four_digit_year_in_the_users_zone():
    _, records = qif_records(render_qif([make_row(date=dt.datetime(2009, 8, 1, 3, 0, tzinfo=UTC))], tz=NEW_YORK))
    assert records[0]["D"] == ["07/31/2009"]
    _, records = qif_records(render_qif([make_row(date=dt.datetime(999, 3, 4, 12, tzinfo=UTC))]))
    assert records[0]["D"] == ["03/04/0999"]


def test_qif_every_record_ends_with_caret_and_multiline_text_stays_on_one_line():
    text = render_qif([make_row(notes="line one\n^\nline two"), make_row(type="Taxi\nfare")])
    assert text.startswith("!Type:Cash\n")
    assert text.count("\n^\n") == 2 and text.endswith("^\n")
    _, records = qif_records(text)
    assert records[0]["M"] == ["line one ^ line two #clientx"]
    assert records[1]["P"] == ["Taxi fare"]


def test_qif_is_utf8():
    text = render_qif([make_row(type="Café", notes="naïve 🍕", tags=[(1, "zürich")])])
    decoded = text.encode("utf-8").decode("utf-8")
    _, records = qif_records(decoded)
    assert records[0]["P"] == ["Café"]
    assert records[0]["M"] == ["naïve 🍕 #zürich"]


# --- XML -----------------------------------------------------------------------------------------------


def test_xml_is_well_formed_for_markup_emoji_and_control_characters():
    nasty = "Tom & Jerry <b>bold</b> \"q\" 'a' 🍕 bell\x07 nul\x00 esc\x1b"
    item = legacy_expense_data(make_row(type="A&B <c>", notes=nasty, tags=[(1, "x"), (2, "y")]), UTC)
    text = "".join(XMLRenderer().stream([item, item]))
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "response"
    resources = root.findall("resource")
    assert len(resources) == 2
    first = resources[0]
    assert first.findtext("type") == "A&B <c>"
    assert first.findtext("notes") == "Tom & Jerry <b>bold</b> \"q\" 'a' 🍕 bell nul esc"
    assert first.findtext("tags") == "1,2"
    assert first.findtext("amount") == "1.00"
    assert first.findtext("category") == ""
    assert [child.tag for child in first][:5] == ["date", "report", "amount", "type", "notes"]


def test_xml_empty_list_and_single_resource():
    assert ET.fromstring("".join(XMLRenderer().stream([]))).findall("resource") == []
    one = ET.fromstring(XMLRenderer().render_one({"id": 5, "ok": True, "no": False, "none": None}))
    resource = one.find("resource")
    assert resource.findtext("id") == "5"
    assert resource.findtext("ok") == "1"
    assert resource.findtext("no") == ""
    assert resource.findtext("none") == ""
