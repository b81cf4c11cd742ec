"""QIF (Quicken Interchange Format): the transactions of `!Type:Cash`, `Bank`, `CCard`, `Oth A` and `Oth L`.

Each record is lines `<code><value>` ending with `^`: D date, T (or U) amount, P payee, M memo, L category.
Money spent is negative (T-45.00). The payee is the expense type (the category when there is no payee);
trailing `#words` of the memo are tags, as this server's QIF export writes them. Account lists, categories,
classes, memorised and investment transactions are not expenses and are skipped; splits count as their total.
"""

from xpenser_server.errors import InvalidInput

from .fields import parse_fields
from .records import SourceFile, SourceRecord, limit_rows, split_memo
from .text import decode

TRANSACTION_TYPES = ("cash", "bank", "ccard", "oth a", "oth l", "invoice")
_CODES = set("DTUPMLNCA")


def _section(header: str) -> str | None:
    """The kind of records after a `!` line: a transaction type, or None for a list to skip."""
    name = header[1:].strip().lower()
    if name.startswith("type:"):
        kind = name[5:].strip()
        return kind if kind in TRANSACTION_TYPES else None
    if name.startswith(("option", "clear")):
        return "keep"  # switches that do not change the section
    return None  # !Account, !Type:Cat, !Type:Class, !Type:Memorized, !Type:Invst...


def _records(text: str):
    """(first line, {code: value}) of each transaction of the file's transaction sections."""
    section, current, start, seen = "bank", {}, None, False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("!"):
            kind = _section(line)
            section = section if kind == "keep" else kind
            current, start = {}, None
        elif line.startswith("^"):
            if section is not None and current:
                yield start, current
            current, start = {}, None
        elif section is not None:
            code = line[0]
            if not (code.isupper() or code.isdigit() or code in "$%"):
                raise InvalidInput(f"line {number}: the file is not QIF: {raw[:40]!r} does not start with a "
                                   "QIF field code (D, T, P, M, L, ...)")
            seen = True
            start = number if start is None else start
            if code in _CODES:
                current.setdefault(code, line[1:].strip())
    if section is not None and current:
        yield start, current  # a last record without its closing ^
    if not seen:
        raise InvalidInput("the file holds no QIF transactions (lines D..., T..., ^)")


def read_qif(data: bytes, options, *, max_rows: int) -> SourceFile:
    text = decode(data, options.encoding, kind="QIF text")
    records = []
    for line, fields in _records(text):
        limit_rows(len(records) + 1, max_rows)
        record = SourceRecord(row=len(records) + 1, line=line, source={})
        category = fields.get("L", "")
        if category.startswith("[") and category.endswith("]"):
            category = ""  # a transfer to another account, not a category
        payee = fields.get("P") or category
        notes, tags = split_memo(fields.get("M", ""))
        record.source.update(date=fields.get("D"), amount=fields.get("T", fields.get("U")), type=payee,
                             notes=notes, tags=tags or None, category=category or None)
        records.append(record)
    if not records:
        raise InvalidInput("the file holds no QIF transactions (only lists: accounts, categories, classes...)")
    warnings = parse_fields(records, options, negate=True)
    for record in records:
        if not record.values.get("type"):
            record.fail("type", "the transaction has no payee (P) or category (L) to name the expense")
    return SourceFile("qif", records, warnings)
