#!/usr/bin/env python
"""`python bench/parser_speed.py`: microseconds per parse_expense call (the simple API's hottest pure code),
for the documented examples and the currency and date forms. Best of several repeats; run on a quiet machine.
"""

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from expenses.parser import parse_expense  # noqa: E402

TEXTS = [
    "lunch 45 with jack",
    "Taxi 34 office to airport #cash #clientx",
    "Dinner with Jim 46.80 projectx",
    "mileage 100 client visit",
    "Time 37 mins contract review",
    "Lunch 45 table 12 of 30",
    "lunch 45 EUR",
    "taxi £12.50 to the station",
    "lunch 45 EUR yesterday #cash",
    "3 Nov taxi 12 to the station",
    "lunch 45 with jack at 13:30",
]


def main(number: int = 5000, repeat: int = 7) -> None:
    for text in TEXTS:
        best = min(timeit.repeat(lambda text=text: parse_expense(text), number=number, repeat=repeat))
        print(f"{best / number * 1e6:8.1f} µs  {text}")


if __name__ == "__main__":
    main()
