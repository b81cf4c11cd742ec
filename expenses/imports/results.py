"""What an import did, or would do in a dry run: one ImportRow per record of the file.

`ImportResult.as_dict()` is the body an HTTP view answers with (plain JSON types only):

    {"format": "csv", "dry_run": true, "stored": false,
     "counts": {"rows": 3, "new": 1, "duplicate": 1, "skipped": 0, "error": 1},
     "warnings": ["..."], "reports_created": ["Trip"], "tags_created": ["cash"],
     "rows": [{"row": 1, "line": 2, "status": "new", "expense_id": null, "duplicate_of": null,
               "values": {"date": "2009-08-26 00:00:00", "type": "lunch", "amount": "45.00",
                          "rawamount": "45.00", "notes": "with jack", "tags": ["cash"],
                          "report": {"id": 3, "name": "My Expenses"}, "category": null, "sourceid": ""},
               "errors": [], "warnings": [], "source": {"date": "2009-08-26", "amount": "45", ...}}, ...]}

Row statuses: `new` (stored, or would be), `duplicate` (matches an expense of the account: `duplicate_of` is
its id; or an earlier row with the same sourceid), `skipped` (a deleted expense in the export), `error`
(`errors` says why; a non-dry run with any such row stores nothing). `expense_id` is set once stored. In
`values`, a report with `id` null is one the import creates by that name.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

STATUSES = ("new", "duplicate", "skipped", "error")


def _plain(value):
    """A source value as JSON can carry it (spreadsheet cells and JSON numbers come typed)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, Decimal | float):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


@dataclass
class ImportRow:
    row: int
    line: int | None
    status: str
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source: dict = field(default_factory=dict)
    duplicate_of: int | None = None
    expense_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "row": self.row, "line": self.line, "status": self.status, "expense_id": self.expense_id,
            "duplicate_of": self.duplicate_of, "values": self.values, "errors": self.errors,
            "warnings": self.warnings, "source": _plain(self.source),
        }  # fmt: skip


@dataclass
class ImportResult:
    format: str
    dry_run: bool
    rows: list[ImportRow]
    warnings: list[str] = field(default_factory=list)
    reports_created: list[str] = field(default_factory=list)
    tags_created: list[str] = field(default_factory=list)
    stored: bool = False

    @property
    def counts(self) -> dict:
        counts = {"rows": len(self.rows), **dict.fromkeys(STATUSES, 0)}
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def failed(self) -> list[ImportRow]:
        return [row for row in self.rows if row.status == "error"]

    def as_dict(self) -> dict:
        return {
            "format": self.format, "dry_run": self.dry_run, "stored": self.stored, "counts": self.counts,
            "warnings": self.warnings, "reports_created": self.reports_created, "tags_created": self.tags_created,
            "rows": [row.as_dict() for row in self.rows],
        }  # fmt: skip

    def error_summary(self, limit: int = 5) -> str:
        """`2 of 40 rows have errors, nothing was imported: row 3 (line 4): amount: ...; ...`."""
        failed = self.failed
        shown = "; ".join(f"row {row.row}" + (f" (line {row.line})" if row.line is not None else "") + ": "
                          + ", ".join(row.errors) for row in failed[:limit])
        more = f"; and {len(failed) - limit} more" if len(failed) > limit else ""
        noun = "row" if len(self.rows) == 1 else "rows"
        verb = "has" if len(failed) == 1 else "have"
        return f"{len(failed)} of {len(self.rows)} {noun} {verb} errors, nothing was imported: {shown}{more}"
