#!/usr/bin/env python
"""Time and peak memory of each `/api/v2/` export format for many rows, in-process, without a database.

`python bench/export_formats.py [--rows 100000] [FORMAT ...]`: each format renders in a fresh process (so its
peak resident memory is its own) from synthetic rows shaped as selectors.expense_rows yields them, the
typed kind (an account outside UTC). Prints seconds, output size and the growth of the peak RSS over the
process after its imports: a renderer in constant memory grows by a few megabytes whatever --rows is.
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
import zoneinfo
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xpenser_server.settings")

import django  # noqa: E402

django.setup()

from expenses.exports import export_file  # noqa: E402

FORMATS = ("csv", "json", "qif", "xml", "ofx", "xlsx")


def synthetic_rows(count: int):
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    for number in range(1, count + 1):
        when = start + dt.timedelta(minutes=37 * number)
        yield {
            "id": number, "owner_id": 1, "report_id": 1 + number % 3, "type": f"type {number % 50}",
            "amount": Decimal(number % 10_000) / 100, "rawamount": Decimal(number % 10_000) / 100,
            "notes": "lunch with a client & a colleague", "date": when, "status": 1, "sourceid": f"SP-{number}",
            "category": None, "receipt": "", "created": when, "modified": when,
            "tags": [(1, "cash"), (2, "clientx")] if number % 2 else [],
            "original_amount": Decimal(number % 10_000) / 100, "original_currency": "USD", "amount_currency": "USD",
            "rate": "1", "rate_date": "",
        }  # fmt: skip


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(fmt: str, count: int) -> dict:
    baseline = _peak_kib()
    started, size = time.perf_counter(), 0
    export = export_file(fmt, synthetic_rows(count), tz=zoneinfo.ZoneInfo("Europe/Paris"),
                         report_names={1: "My Expenses", 2: "Trip", 3: "Office"},
                         period=(dt.datetime(2020, 1, 1, tzinfo=dt.UTC), dt.datetime(2030, 1, 1, tzinfo=dt.UTC)))
    for chunk in export.chunks:
        size += len(chunk)
    return {"format": fmt, "rows": count, "seconds": round(time.perf_counter() - started, 2), "bytes": size,
            "peak_rss_growth_mib": round((_peak_kib() - baseline) / 1024, 1)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("formats", nargs="*", default=list(FORMATS))
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.rows)))
        return
    for fmt in args.formats:
        output = subprocess.run([sys.executable, __file__, "--one", fmt, "--rows", str(args.rows)],  # noqa: S603
                                check=True, capture_output=True, text=True).stdout
        print(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
