"""POST /api/v2/imports/ through HTTP: a dry-run preview with duplicates marked, an error per bad row with nothing
stored, a stored import, the size limit (413) and refused files and options, in the v2 error envelope."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from expenses.models import Expense
from tests.expenses.v2.conftest import error
from tests.factories import ExpenseFactory

pytestmark = pytest.mark.django_db

BANK_CSV = (b"Booking date;Payee;Amount;Purpose\n"
            b"26.08.2009;Lunch;-45,00;with jack\n"
            b"27.08.2009;Taxi;-12,50;airport\n"
            b"28.08.2009;Hotel;-1.234,56;two nights\n")
MAPPING = json.dumps({"date": "Booking date", "type": "Payee", "amount": "Amount", "notes": "Purpose"})


def upload(api, content: bytes, name: str = "statement.csv", headers=None, **fields):
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return api.post("imports/", data=data, headers=headers)


def test_a_dry_run_previews_every_row_marks_duplicates_and_stores_nothing(api, user):
    existing = ExpenseFactory(owner=user, type="taxi", amount=Decimal("12.50"),
                              date=dt.datetime(2009, 8, 27, 9, 0, tzinfo=dt.UTC))
    response = upload(api, BANK_CSV, mapping=MAPPING, negate="1", dry_run="1")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["format"], body["dry_run"], body["stored"]) == ("csv", True, False)
    assert body["counts"] == {"rows": 3, "new": 2, "duplicate": 1, "skipped": 0, "error": 0}
    assert [row["status"] for row in body["rows"]] == ["new", "duplicate", "new"]
    assert [row["line"] for row in body["rows"]] == [2, 3, 4]
    assert body["rows"][1]["duplicate_of"] == existing.pk
    first = body["rows"][0]
    assert first["values"]["date"] == "2009-08-26 00:00:00"
    assert (first["values"]["type"], first["values"]["amount"], first["values"]["notes"]) == ("Lunch", "45.00",
                                                                                               "with jack")
    assert first["expense_id"] is None and first["source"]["amount"] == "-45,00"
    assert body["rows"][2]["values"]["amount"] == "1234.56"
    assert list(Expense.objects.owned_by(user)) == [existing]


def test_the_same_file_without_dry_run_stores_the_new_rows_once(api, user):
    response = upload(api, BANK_CSV, mapping=MAPPING, negate="1")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stored"] is True and body["counts"]["new"] == 3
    ids = [row["expense_id"] for row in body["rows"]]
    stored = Expense.objects.owned_by(user)
    assert sorted(ids) == sorted(stored.values_list("pk", flat=True))
    assert sorted(stored.values_list("type", "amount")) == [("Hotel", Decimal("1234.56")), ("Lunch", Decimal("45.00")),
                                                            ("Taxi", Decimal("12.50"))]
    again = upload(api, BANK_CSV, mapping=MAPPING, negate="1").json()
    assert again["counts"] == {"rows": 3, "new": 0, "duplicate": 3, "skipped": 0, "error": 0}
    assert stored.count() == 3
    listed = api.get("expenses/").json()["results"]
    assert {item["id"] for item in listed} == set(ids)


def test_rows_in_error_answer_400_with_an_error_per_bad_row_and_store_nothing(api, user):
    content = (b"date,type,amount\n2024-05-01,lunch,45\n2024-05-02,taxi,ten\n"
               b"not a date,hotel,100\n2024-05-04,,3\n")
    response = upload(api, content)
    problem = error_with_result(response)
    assert problem["error"]["code"] == "import_failed"
    assert problem["error"]["message"].startswith("3 of 4 rows have errors, nothing was imported: row 2 (line 3): ")
    fields = problem["error"]["fields"]
    assert set(fields) == {"rows.2", "rows.3", "rows.4"}
    assert "'ten'" in fields["rows.2"][0] and fields["rows.2"][0].startswith("amount")
    assert fields["rows.3"][0].startswith("date") and fields["rows.4"][0].startswith("type")
    result = problem["result"]
    assert result["stored"] is False and result["counts"]["error"] == 3
    assert [row["status"] for row in result["rows"]] == ["new", "error", "error", "error"]
    assert not Expense.objects.owned_by(user).exists()


def error_with_result(response) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"error", "result"} and set(body["error"]) == {"code", "message", "fields"}
    return body


def test_a_file_over_the_limit_is_413_and_stores_nothing(api, user, settings):
    settings.XPENSER_IMPORT_MAX_BYTES = 100
    problem = error(upload(api, BANK_CSV * 3, mapping=MAPPING), 413, "too_large")
    assert "100 bytes" in problem["message"] and list(problem["fields"]) == ["file"]
    assert not Expense.objects.owned_by(user).exists()


def test_a_request_body_far_over_the_limit_is_refused_before_it_is_read(api, settings):
    settings.XPENSER_IMPORT_MAX_BYTES = 10
    big = b"date,type,amount\n" + b"2024-05-01,lunch,45\n" * 5000
    assert error(upload(api, big), 413, "too_large")["message"].startswith("file: the request is ")


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({}, "file", "file is required"),
    ({"format": "pdf"}, "format", "'pdf' is not supported"),
    ({"dry_run": "maybe"}, "dry_run", "not a yes/no value"),
    ({"mapping": "{nope"}, "mapping", "not a JSON object"),
    ({"mapping": '{"when": "date"}'}, "mapping", "'when' is not a field"),
    ({"date_order": "DDD"}, "date_order", "not valid"),
    ({"report": "Nowhere"}, "report", "neither the id nor the name"),
    ({"encoding": "rot13"}, "encoding", "not a known text encoding"),  # codecs that decode no text
    ({"encoding": "base64"}, "encoding", "not a known text encoding"),
    ({"encoding": "undefined"}, "encoding", "not a known text encoding"),
])
def test_bad_options_are_400_naming_the_option(api, user, fields, field, words):
    data = fields if field == "file" else {"file": SimpleUploadedFile("a.csv", b"date,type,amount\n2024-05-01,x,1\n"),
                                           **fields}
    problem = error(api.post("imports/", data=data), 400, "invalid")
    assert list(problem["fields"]) == [field] and words in problem["message"], problem
    assert not Expense.objects.owned_by(user).exists()


def test_a_file_that_is_no_expense_file_is_400(api, user):
    problem = error(upload(api, b"\x89PNG\r\n\x1a\n" + b"\0" * 64, name="receipt.png"), 400, "invalid")
    assert "not an expense file" in problem["message"]
    problem = error(upload(api, b'{"broken": ', name="x.json"), 400, "invalid")
    assert "json" in problem["message"].lower()


def test_an_import_needs_credentials_and_a_write_scope(client, user):
    response = client.post("/api/v2/imports/", {"file": SimpleUploadedFile("a.csv", BANK_CSV)})
    assert error(response, 401, "not_authenticated")
    assert not Expense.objects.exists()


def test_json_bodies_are_refused_with_415(api):
    assert error(api.post("imports/", {"file": "date,type,amount"}), 415)


def test_an_idempotent_retry_of_an_import_gets_the_first_answer(api, user):
    first = upload(api, BANK_CSV, mapping=MAPPING, negate="1", headers={"Idempotency-Key": "k1"})
    again = upload(api, BANK_CSV, mapping=MAPPING, negate="1", headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert Expense.objects.owned_by(user).count() == 3


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "cp1252"])
def test_text_encodings_of_every_width_are_named_and_read(api, user, encoding):
    content = "date,type,amount\n2024-05-01,café,4\n".encode(encoding)
    answer = upload(api, content, encoding=encoding, dry_run="1")
    assert answer.status_code == 200, answer.content[:300]
    assert [row["values"]["type"] for row in answer.json()["rows"]] == ["café"]
