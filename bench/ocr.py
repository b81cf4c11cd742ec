#!/usr/bin/env python
"""Receipt-reading benchmark: generated receipts (bench/receipts.py) through the ocr app's engine and parser.

Targets: total read correctly on >= 90% of the receipts, date on >= 80%; the time per receipt is recorded.
Writes its section of bench/RESULTS.md (after the history marker, replacing the previous one). Runs alone
(`python bench/ocr.py [--count N] [--seed S]`) and as part of `make bench`.
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pytesseract  # noqa: E402

from bench.config import HISTORY_MARKER, ROOT  # noqa: E402
from bench.receipts import receipt_images  # noqa: E402
from bench.report import machine  # noqa: E402
from ocr.engine import ReceiptUnreadable, receipt_text  # noqa: E402
from ocr.parsing import ReceiptFacts, receipt_facts  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
HEADING = "## Receipt reading (`bench/ocr.py`)"
TOTAL_TARGET, DATE_TARGET = 0.90, 0.80


def measure(count: int = 48, seed: int = 16) -> dict:
    """Read `count` generated receipts; the share of totals, dates and currencies read right and the times."""
    receipts = receipt_images(count, seed)
    today = max(r.date for r in receipts)
    rows, seconds = [], []
    for receipt in receipts:
        started = time.perf_counter()
        try:
            facts = receipt_facts(receipt_text(receipt.data), today=today)
        except (ReceiptUnreadable, RuntimeError):  # no text, or Tesseract's timeout: a miss
            facts = ReceiptFacts(None, "", None, "")
        seconds.append(time.perf_counter() - started)
        rows.append((receipt, facts))
    return {
        "count": count, "seed": seed,
        "total": sum(f.total == r.total for r, f in rows) / count,
        "date": sum(f.date == r.date for r, f in rows) / count,
        "currency": sum(f.currency == r.currency for r, f in rows) / count,
        "merchant": sum(f.merchant.lower() == r.merchant.lower() for r, f in rows) / count,
        "mean_s": statistics.mean(seconds), "p50_s": statistics.median(seconds), "max_s": max(seconds),
        "misses": [f"{r.name}: total {r.total} read {f.total}, date {r.date} read {f.date}"
                   for r, f in rows if f.total != r.total or f.date != r.date],
    }  # fmt: skip


def section(result: dict, machine: dict, commit: str) -> str:
    verdict = {True: "PASS", False: "MISS"}
    lines = [
        HEADING, "",
        f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on commit `{commit}`: {machine['nproc']} CPUs "
        f"({machine['cpu']}), {machine['memory_gb']} GB RAM, Tesseract {_tesseract_version()}. "
        f"{result['count']} generated receipts (seed {result['seed']}: DejaVu/Liberation fonts, 20-34 px, "
        "rotated up to 5 degrees, noise, blur, JPEG quality 35-80). The machine is shared: times are indicative "
        f"(load average {os.getloadavg()[0]:.0f} at the end of the run).",
        "",
        "| measure | figure | target | |", "|---|---|---|---|",
        f"| total read correctly | {result['total']:.0%} | >= {TOTAL_TARGET:.0%} | "
        f"{verdict[result['total'] >= TOTAL_TARGET]} |",
        f"| date read correctly | {result['date']:.0%} | >= {DATE_TARGET:.0%} | "
        f"{verdict[result['date'] >= DATE_TARGET]} |",
        f"| currency read correctly | {result['currency']:.0%} | | |",
        f"| merchant read correctly | {result['merchant']:.0%} | | |",
        f"| time per receipt | mean {result['mean_s']:.2f} s, p50 {result['p50_s']:.2f} s, max {result['max_s']:.2f} s"
        " | recorded | |",
        "",
    ]  # fmt: skip
    if result["misses"]:
        lines += ["Misses:", "", *(f"- {miss}" for miss in result["misses"]), ""]
    return "\n".join(lines)


def _tesseract_version() -> str:
    return str(pytesseract.get_tesseract_version())


def record(text: str) -> None:
    """Put the section right after the history marker, in place of the one an earlier run wrote."""
    current = RESULTS.read_text() if RESULTS.exists() else HISTORY_MARKER + "\n"
    head, _, history = current.partition(HISTORY_MARKER)
    if HEADING in history:
        before, _, rest = history.partition(HEADING)
        after = rest[rest.find("\n## "):] if "\n## " in rest else "\n"
        history = before + after.lstrip("\n")
    RESULTS.write_text(f"{head}{HISTORY_MARKER}\n\n{text}\n{history.lstrip(chr(10))}")


def run(count: int = 48, seed: int = 16) -> dict:
    result = measure(count, seed)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    record(section(result, machine(), commit))
    print(f"receipt reading: total {result['total']:.0%} (>= {TOTAL_TARGET:.0%}), date {result['date']:.0%} "
          f"(>= {DATE_TARGET:.0%}), {result['mean_s']:.2f} s per receipt")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=48, help="receipts to generate (at least 40 for the record)")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    result = run(args.count, args.seed)
    if result["total"] < TOTAL_TARGET or result["date"] < DATE_TARGET:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
