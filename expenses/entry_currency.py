"""Currencies written next to the amount of an expense text (pure Python: no Django).

A symbol attached to the amount (`€45`, `CA$12`, `-£5`), or an ISO 4217 code in capitals just before or
after it (`EUR 45`, `45 EUR`); `$` is the base currency when that is a dollar, else USD (currencies.codes).
"""

import re

from currencies.codes import SYMBOLS, currency_for_symbol, is_currency_code

# Every symbol, longest first (so that `CA$` is not read as `$`), for the amount's regular expression.
SYMBOL_PATTERN_SYMBOLS = sorted({*SYMBOLS, "$"}, key=len, reverse=True)
SYMBOL_PATTERN = "|".join(re.escape(symbol) for symbol in SYMBOL_PATTERN_SYMBOLS)


def currencies_next_to(symbol: str, type_words: list[str], rest: list[str], base_currency: str):
    """(type words, rest, {codes written}): a code just before the amount is taken out of the type when a type
    word is left, one just after it out of the notes."""
    found = {currency_for_symbol(symbol, base_currency)} if symbol else set()
    if len(type_words) >= 2 and is_currency_code(type_words[-1]):
        found.add(type_words[-1])
        type_words = type_words[:-1]
    if rest and is_currency_code(rest[0]):
        found.add(rest[0])
        rest = rest[1:]
    return type_words, rest, found
