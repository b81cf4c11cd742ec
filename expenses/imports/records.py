"""What a reader makes of a file: one SourceRecord per expense it holds, before any rule of the account.

Readers put the raw texts in `source` (shown in previews) and the typed values in `values`:

    date (datetime, naive = the account's zone), amount, rawamount (Decimal, an expense positive),
    type, notes, category, sourceid (str), tags (names), tag_ids (ids of the exporting account's tags),
    report_id (int), report_name (str), deleted (bool)

A value a reader could not read is absent from `values`, and `errors` says why ("amount: '12,3,4' is not an
amount"). The service (services.imports) applies the account's rules to the rest.
"""

from dataclasses import dataclass, field

from xpenser_server.errors import InvalidInput

FORMATS = ("csv", "qif", "json", "xml", "ofx", "xlsx")


@dataclass
class SourceRecord:
    row: int  # 1-based position among the file's records
    line: int | None = None  # where the record starts: a line of a text file, a row of a sheet
    source: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def fail(self, name: str, problem: str) -> None:
        self.errors.append(f"{name}: {problem}" if name else problem)

    @property
    def where(self) -> str:
        return f"row {self.row}" + (f" (line {self.line})" if self.line is not None else "")


@dataclass
class SourceFile:
    format: str
    records: list[SourceRecord]
    warnings: list[str] = field(default_factory=list)


def split_memo(text: str) -> tuple[str, list[str]]:
    """`with jack #cash #clientx` -> ("with jack", ["cash", "clientx"]): the trailing `#words` are tags (the
    memo line this server's QIF and OFX exports write)."""
    words = str(text or "").split()
    tags = []
    while words and words[-1].startswith("#") and len(words[-1]) > 1:
        tags.insert(0, words.pop()[1:])
    return " ".join(words), tags


def split_tags(value) -> list[str]:
    """Tag names from a cell: comma and/or space separated, `#` optional; a list is taken as it is."""
    if isinstance(value, list | tuple):
        parts = [str(item) for item in value]
    else:
        parts = str(value or "").replace(",", " ").split()
    names = []
    for part in parts:
        name = part.strip().lstrip("#")
        if name and name not in names:
            names.append(name)
    return names


def limit_rows(count: int, max_rows: int) -> None:
    """InvalidInput once a file holds more than `max_rows` records (checked while reading)."""
    if count > max_rows:
        raise InvalidInput(f"the file holds more than {max_rows} expenses; split it into smaller files")
