"""Helpers shared by the tests of `/api/v1.0/expenses/` and `/api/v1.0/expense/[ID]` (test_v1_expense_*.py)."""

import re

EXPENSE_KEYS = ["id", "type", "amount", "rawamount", "notes", "date", "created", "modified", "status", "report_id",
                "tags", "receipt"]
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def assert_expense_shape(obj):
    assert list(obj) == EXPENSE_KEYS
    assert isinstance(obj["id"], int) and isinstance(obj["report_id"], int) and isinstance(obj["status"], int)
    assert re.fullmatch(r"-?\d+\.\d\d", obj["amount"]) and re.fullmatch(r"-?\d+\.\d\d", obj["rawamount"])
    for key in ("date", "created", "modified"):
        assert TIMESTAMP.match(obj[key]), obj[key]
    assert isinstance(obj["tags"], list) and all(isinstance(t, str) for t in obj["tags"])
    assert obj["receipt"] is None or obj["receipt"].startswith("http")
