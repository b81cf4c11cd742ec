"""Currency codes and symbols, from babel's copy of the Unicode CLDR (pure Python: no Django).

The codes are those of every currency in legal tender somewhere since 1999 (the first day of the ECB's
reference rates); symbols are CLDR's English ones that cannot be mistaken for a word (`€`, `£`, `¥`, `₹`,
`A$`, `HK$`, ...). `$` alone is special: see currency_for_symbol.
"""

import datetime as dt
from functools import lru_cache

from babel import core
from babel.numbers import get_currency_name, get_currency_symbol, get_territory_currencies

FIRST_RATES_DAY = dt.date(1999, 1, 4)
DOLLAR = "$"


def _codes() -> frozenset[str]:
    today = dt.date.today()
    codes: set[str] = set()
    for territory in core.get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, start_date=FIRST_RATES_DAY, end_date=today, tender=True))
    return frozenset(codes)


CURRENCY_CODES = _codes()
# Currencies called "... Dollar" in English: `$` means the base currency when it is one of them.
DOLLAR_CURRENCIES = frozenset(
    code for code in CURRENCY_CODES if get_currency_name(code, locale="en").endswith("Dollar")
)


def _symbols() -> dict[str, str]:
    symbols = {"US$": "USD"}
    for code in sorted(CURRENCY_CODES):
        symbol = get_currency_symbol(code, locale="en")
        # Not a word (CHF, FCFA), no space or dot inside (a token holds no space; a dot reads as decimals).
        readable = not symbol.isalpha() and not any(c.isspace() or c == "." for c in symbol)
        if symbol not in (code, DOLLAR) and readable:
            symbols.setdefault(symbol, code)
    return symbols


# Symbol -> code, without `$` (it depends on the base currency).
SYMBOLS = _symbols()


def is_currency_code(code: str) -> bool:
    return code in CURRENCY_CODES


def currency_for_symbol(symbol: str, base_currency: str) -> str:
    """The code a symbol stands for; `$` is the base currency when that is a dollar, else USD."""
    if symbol == DOLLAR:
        return base_currency if base_currency in DOLLAR_CURRENCIES else "USD"
    return SYMBOLS[symbol]


@lru_cache(maxsize=512)
def currency_name(code: str) -> str:
    """`US Dollar` for USD; the code itself for a code CLDR does not know."""
    try:
        return get_currency_name(code, locale="en")
    except (ValueError, LookupError):
        return code


def currency_choices() -> list[tuple[str, str]]:
    """(code, "EUR · Euro") for every current currency, by code: for select boxes."""
    return list(_current_choices())


@lru_cache(maxsize=1)
def _current_choices() -> tuple[tuple[str, str], ...]:
    today = dt.date.today()
    current = set()
    for territory in core.get_global("territory_currencies"):
        current.update(get_territory_currencies(territory, start_date=today, tender=True))
    return tuple((code, f"{code} · {currency_name(code)}") for code in sorted(current))
