#!/usr/bin/env python
"""Time (and optionally profile) the export pipeline in-process on the bench database.

`python bench/profile_export.py [--profile FORMAT | --cprofile FORMAT]` after `make bench` (or `bench/run.py
--quick`): renders every download of both API families for the bench user through the views' own export
(expense_export_chunks, each family's object shape), without HTTP, so the Python cost per row is visible on its
own. With --profile, pyinstrument shows where the time goes; with --cprofile, cProfile's functions by own time.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xpenser_server.settings")

import django  # noqa: E402

django.setup()

from django.http import QueryDict  # noqa: E402

from accounts.models import User  # noqa: E402
from expenses.api.responses import expense_export_chunks  # noqa: E402
from expenses.selectors import expense_list, expense_rows  # noqa: E402
from expenses.serializers import legacy_expense_data, legacy_expense_record, v1_expense  # noqa: E402

# Each download as the API families build it (expenses.api.legacy and .v1): (format, the JSON/XML object shape).
EXPORTS = {
    "csv": ("csv", v1_expense),
    "qif": ("qif", v1_expense),
    "json": ("json", legacy_expense_record),
    "xml": ("xml", legacy_expense_data),
    "v1json": ("json", v1_expense),
    "v1xml": ("xml", v1_expense),
}


def chunks(fmt, user):
    rows = expense_rows(expense_list(user=user, params=QueryDict("report=*")), tz=user.tzinfo)
    if fmt == "rows":
        return (str(row["id"]) for row in rows)
    export_format, shape = EXPORTS[fmt]
    return expense_export_chunks(export_format, rows, user.tzinfo, shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", help="profile one format with pyinstrument")
    parser.add_argument("--cprofile", help="profile one format with cProfile (own time per function)")
    parser.add_argument("--email", default="bench@example.com")
    args = parser.parse_args()
    user = User.objects.get(email=args.email)
    if args.cprofile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        size = sum(len(c.encode()) for c in chunks(args.cprofile, user))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        print(size)
        return
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
        size = sum(len(c.encode()) for c in chunks(args.profile, user))
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(size)
        return
    for fmt in ("rows", *EXPORTS):
        started = time.perf_counter()
        size = sum(len(c.encode()) for c in chunks(fmt, user))
        print(f"{fmt:7} {time.perf_counter() - started:6.3f} s {size:>12,} bytes")


if __name__ == "__main__":
    main()
