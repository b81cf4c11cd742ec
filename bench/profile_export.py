#!/usr/bin/env python
"""Time (and optionally profile) the export pipeline in-process on the bench database.

`python bench/profile_export.py [--profile FORMAT]` after `make bench` (or `bench/run.py --quick`): renders
every format for the bench user straight from selectors + serializers + renderers, without HTTP, so
the Python cost per row is visible on its own. With --profile, pyinstrument shows where the time goes.
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
from expenses.renderers import CSVRenderer, JSONArrayRenderer, QIFRenderer, XMLRenderer  # noqa: E402
from expenses.selectors import expense_list, expense_rows  # noqa: E402
from expenses.serializers import legacy_expense_record, v1_expense  # noqa: E402


def chunks(fmt, user):
    rows = expense_rows(expense_list(user=user, params=QueryDict("report=*")))
    tz = user.tzinfo
    if fmt == "json":
        return JSONArrayRenderer().stream(legacy_expense_record(row, tz) for row in rows)
    if fmt == "v1json":
        return JSONArrayRenderer().stream(v1_expense(row, tz) for row in rows)
    if fmt == "xml":
        return XMLRenderer().stream(v1_expense(row, tz) for row in rows)
    if fmt == "csv":
        return CSVRenderer().stream(rows, tz=tz)
    if fmt == "rows":
        return (str(row["id"]) for row in rows)
    return QIFRenderer().stream(rows, tz=tz)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", help="profile one format with pyinstrument")
    parser.add_argument("--email", default="bench@example.com")
    args = parser.parse_args()
    user = User.objects.get(email=args.email)
    if args.profile:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
        size = sum(len(c.encode()) for c in chunks(args.profile, user))
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        print(size)
        return
    for fmt in ("rows", "csv", "json", "v1json", "qif", "xml"):
        started = time.perf_counter()
        size = sum(len(c.encode()) for c in chunks(fmt, user))
        print(f"{fmt:7} {time.perf_counter() - started:6.3f} s {size:>12,} bytes")


if __name__ == "__main__":
    main()
