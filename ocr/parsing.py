"""What a receipt's text says: its total, currency, date and merchant (pure Python, no Django).

Amounts are read in both conventions (`1,234.56` and `1.234,56`); the total is the amount of the strongest
TOTAL-like line (`Grand total`, `Amount due`, `Total`, `Summe`, ...; never `Subtotal` or a tax line), else the
largest amount; dates in ISO, day/month/year (month/day/year when the currency is the dollar or the day
cannot be a month), with dots, dashes or month names; the currency from a symbol or an ISO code next to an
amount.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from currencies.codes import SYMBOLS, currency_for_symbol, is_currency_code

MAX_TOTAL = Decimal("9999999999.99")
# OCR reads O for 0 and l/I for 1 inside words: the keywords allow for it.
_O, _L, _A = "[O0Q]", "[L1I|]", "[A4]"
TOTAL_WORDS = [  # (pattern, strength): the strongest line found names the total
    (rf"GRAND\s*T{_O}T{_A}{_L}|T{_O}T{_A}{_L}\s*(DUE|TO\s*PAY|TTC|AMOUNT)|AMOUNT\s*DUE|BALANCE\s*DUE|TO\s*PAY|"
     r"ZU\s*ZAHLEN|NET\s*A\s*PAYER|GESAMTBETRAG|IMPORTE\s*TOTAL", 3),
    (rf"T{_O}T{_A}{_L}[E]?|SUMME|GESAMT|MONTANT|IMPORTE|BETRAG|TOTAAL|YHTEENS", 2),
]
NOT_TOTAL = re.compile(rf"SUB\s*-?\s*T{_O}T|TAX|VAT|MWST|TVA|IVA|TIP|CHANGE|CASH|TENDER|SAVINGS|DISCOUNT|ITEMS|"
                       r"RENDU|RUCKGELD|RÜCKGELD|QTY|COUNT", re.IGNORECASE)
# An amount: digits with an optional thousands separator (`,`, `.`, `'`) and two decimals after `.` or `,`
# (not part of a date such as 02.11.2026).
AMOUNT = re.compile(r"(?<![\d.,])(-?\d{1,3}(?:[,.']\d{3})+|-?\d+)\s?[.,]\s?(\d{2})(?![\d%]|[.,]\d)")
CODE_NEAR = re.compile(r"\b([A-Z]{3})\b")
MONTHS = {name: n for n, names in enumerate([
    ("jan", "january", "janv", "januar", "enero", "gen"), ("feb", "february", "fev", "févr", "februar", "febrero"),
    ("mar", "march", "mars", "marz", "märz", "marzo"), ("apr", "april", "avr", "avril", "abril"),
    ("may", "mai", "mayo", "mag"), ("jun", "june", "juin", "juni", "junio", "giu"),
    ("jul", "july", "juil", "juillet", "juli", "julio", "lug"), ("aug", "august", "aout", "août", "agosto", "ago"),
    ("sep", "sept", "september", "septembre", "septiembre", "set"), ("oct", "october", "octobre", "oktober", "okt"),
    ("nov", "november", "novembre", "noviembre"), ("dec", "december", "décembre", "dezember", "dez", "dic"),
], start=1) for name in names}
_MONTH = r"([A-Za-zéèûä]{3,9})\.?"
DATE_PATTERNS = [  # (regex, order of the groups)
    (re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b"), "ymd"),
    (re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b"), "xxy"),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?[\s\-/]+{_MONTH}[\s,\-/]+(\d{{4}}|\d{{2}})\b"), "dmy"),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"), "mdy"),
]
MERCHANT_SKIP = re.compile(r"\b(RECEIPT|INVOICE|WELCOME|THANK|TEL|PHONE|FAX|VAT\s*NO|TAX\s*ID|STORE\s*#|REG|CASHIER|"
                           r"TABLE)\b|WWW\.|HTTP|@", re.IGNORECASE)


@dataclass(frozen=True)
class ReceiptFacts:
    total: Decimal | None
    currency: str
    date: dt.date | None
    merchant: str


def amount_value(whole: str, cents: str) -> Decimal | None:
    digits = re.sub(r"[,.']", "", whole)
    try:
        value = Decimal(f"{digits}.{cents}")
    except InvalidOperation:
        return None
    return value if abs(value) <= MAX_TOTAL else None


def line_amounts(line: str) -> list[Decimal]:
    """The amounts written on a line, left to right."""
    found = (amount_value(m.group(1), m.group(2)) for m in AMOUNT.finditer(_digits_fixed(line)))
    return [a for a in found if a is not None]


def _digits_fixed(line: str) -> str:
    """OCR's usual confusions inside numbers: `O`/`o` for 0, `l`/`I` for 1, `S` for 5 between digits."""
    fixed = re.sub(r"(?<=\d)[Oo](?=[\d.,])|(?<=[\d.,])[Oo](?=\d|\b)", "0", line)
    return re.sub(r"(?<=\d)[lI](?=\d)|(?<=[.,]\d)[lI]\b", "1", fixed)


def find_total(lines: list[str]) -> Decimal | None:
    """The amount on the strongest TOTAL-like line (or on the line after it); else the largest amount."""
    best: tuple[int, Decimal] | None = None
    for index, line in enumerate(lines):
        strength = _total_strength(line)
        if not strength:
            continue
        amounts = [a for a in line_amounts(line) if a > 0]
        if not amounts and index + 1 < len(lines):
            amounts = [a for a in line_amounts(lines[index + 1]) if a > 0]
        if amounts:
            candidate = (strength, amounts[-1])
            if best is None or candidate > best:
                best = candidate
    if best is not None:
        return best[1]
    everything = [a for line in lines if not NOT_TOTAL.search(line) for a in line_amounts(line) if a > 0]
    return max(everything, default=None)


def _total_strength(line: str) -> int:
    upper = line.upper()
    if NOT_TOTAL.search(upper):
        return 0
    for pattern, strength in TOTAL_WORDS:
        if re.search(rf"(?<![A-Z]){pattern}", upper):
            return strength
    return 0


def find_currency(text: str, default: str = "USD") -> str:
    """The currency of the receipt: an ISO code next to an amount, else a symbol ("$" as in
    currency_for_symbol, for the `default` base currency), else ''."""
    for line in text.splitlines():
        if not AMOUNT.search(line):
            continue
        for match in CODE_NEAR.finditer(line.upper()):
            if is_currency_code(match.group(1)):
                return match.group(1)
    for symbol in sorted(SYMBOLS, key=len, reverse=True):
        if symbol in text:
            return SYMBOLS[symbol]
    if "$" in text:
        return currency_for_symbol("$", default)
    return ""


def find_date(text: str, *, month_first: bool = False, today: dt.date | None = None) -> dt.date | None:
    """The first plausible date of the text (not in the future, not before 2000)."""
    today = today or dt.date.today()
    found = []
    for pattern, order in DATE_PATTERNS:
        for match in pattern.finditer(text):
            day = _date_of(match.groups(), order, month_first)
            if day is not None and dt.date(2000, 1, 1) <= day <= today + dt.timedelta(days=1):
                found.append((match.start(), day))
    return min(found)[1] if found else None


def _date_of(groups, order: str, month_first: bool) -> dt.date | None:
    try:
        if order == "ymd":
            year, month, day = (int(g) for g in groups)
        elif order == "xxy":
            first, second, year = (int(g) for g in groups)
            year += 2000 if year < 100 else 0
            month_first = (month_first and first <= 12) or second > 12
            month, day = (first, second) if month_first else (second, first)
        elif order == "dmy":
            day, month, year = int(groups[0]), MONTHS.get(groups[1].lower()), int(groups[2])
            year += 2000 if year < 100 else 0
        else:
            month, day, year = MONTHS.get(groups[0].lower()), int(groups[1]), int(groups[2])
        return dt.date(year, month, day) if month else None
    except (ValueError, TypeError):
        return None


def _decimal_commas(lines: list[str]) -> bool:
    marks = [m.group(0) for line in lines for m in AMOUNT.finditer(line)]
    return sum(bool(re.search(r",\s?\d{2}$", mark)) for mark in marks) > len(marks) / 2


def find_merchant(lines: list[str]) -> str:
    """The first line near the top that reads as a name (letters, not an address, phone or greeting)."""
    for line in lines[:8]:
        text = line.strip(" *-=#:|")
        letters = sum(c.isalpha() for c in text)
        if letters >= 3 and letters >= len(text) / 2 and not MERCHANT_SKIP.search(text) \
                and not AMOUNT.search(text):
            return " ".join(text.split())[:200]
    return ""


def receipt_facts(text: str, *, base_currency: str = "USD", today: dt.date | None = None) -> ReceiptFacts:
    """Total, currency, date and merchant found in a receipt's text (None / '' for what is not there)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    currency = find_currency(text, base_currency)
    # Month first on dollar receipts; decimal commas (12,50) say the receipt is from where the day comes first.
    month_first = currency == "USD" or (not currency and base_currency == "USD" and not _decimal_commas(lines))
    return ReceiptFacts(find_total(lines), currency, find_date(text, month_first=month_first, today=today),
                        find_merchant(lines))
