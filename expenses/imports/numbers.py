"""Amounts as files write them: `1,234.56`, `1.234,56`, `1 234,56`, `1'234.56`, `(12.50)`, `-$45`, `45 €`.

Which of `.` and `,` is the decimal separator is a property of the whole file (a QIF written in Germany uses
`,` throughout), so it is decided once from all the amounts (decimal_separator) and then applied to each one
(parse_amount). Pure functions, no Django.
"""

import re
from decimal import Decimal, InvalidOperation

SEPARATORS = (".", ",")
# Currency signs and codes that may stand before or after the number; spaces of every kind group digits.
_CURRENCY = re.compile(r"^[A-Za-z]{3}(?=[\s\d(+-])|[A-Za-z]{3}$|[$€£¥₹₩₽¤]")
_GROUPING = re.compile(r"[\s\u00a0\u202f'’_]")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


def _bare(text: str) -> str:
    """The digits and separators of an amount, without sign, parentheses, currency and grouping spaces."""
    text = _CURRENCY.sub("", text.strip()).strip()
    return _GROUPING.sub("", text.strip("()+-"))


def _vote(text: str) -> str | None:
    """The decimal separator one amount shows unambiguously, or None (`1,234` could be either)."""
    bare = _bare(text)
    if "." in bare and "," in bare:
        return "." if bare.rfind(".") > bare.rfind(",") else ","
    for separator in SEPARATORS:
        if separator in bare:
            decimals = len(bare) - bare.rfind(separator) - 1
            if decimals in (1, 2) or bare.count(separator) == 1 and decimals > 3:
                return separator
            if decimals == 3 and bare.count(separator) > 1:  # 1,234,567: a grouping separator
                return "," if separator == "." else "."
    return None


def decimal_separator(texts, *, default: str = ".") -> str:
    """The decimal separator of a file's amounts: the one most amounts show, `default` when none shows one."""
    votes = {".": 0, ",": 0}
    for text in texts:
        vote = _vote(str(text))
        if vote:
            votes[vote] += 1
    if votes["."] == votes[","]:
        return default
    return "." if votes["."] > votes[","] else ","


def parse_amount(text, *, decimal: str = ".") -> Decimal:
    """The signed amount written in `text`, reading `decimal` as the decimal separator.

    Raises ValueError with a message fit for the user ("'12,3,4' is not an amount").
    """
    raw = str(text if text is not None else "").strip()
    if not raw:
        raise ValueError("is empty")
    body = _CURRENCY.sub("", raw).strip()
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip()
    body = _CURRENCY.sub("", body).strip()
    if body[:1] and body[:1] in "+-":
        negative, body = negative != (body[0] == "-"), body[1:]
    elif body[-1:] and body[-1:] in "+-":  # 45.00- (some bank exports)
        negative, body = negative != (body[-1] == "-"), body[:-1]
    body = _CURRENCY.sub("", body).strip()
    grouping = "," if decimal == "." else "."
    digits = _GROUPING.sub("", body).replace(grouping, "").replace(decimal, ".")
    if not _NUMBER.match(digits):
        raise ValueError(f"{raw!r} is not an amount")
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not an amount") from None
    return -amount if negative else amount
