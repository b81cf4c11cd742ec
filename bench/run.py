#!/usr/bin/env python
"""`make bench`: the production server under load, measured against floors taken in the same run.

Steps: a scratch SQLite database in bench/out/ (1M expenses, 100k of them for the bench user, seeded
with bulk SQL), `make serve` on it (migrations, static files, gunicorn with gunicorn.conf.py,
WEB_CONCURRENCY=2, DEBUG off, bench.settings for the bare floor view), wrk with Lua scripts as load generator,
`sqlite3 -csv` as the download floor, worker memory from /proc. Writes bench/RESULTS.md (the part
below the history marker is kept between runs).

Options: --duration SECONDS per wrk run (default 10), --quick (100k expenses in total: a smoke run),
--skip-postgres (no EXPLAIN on PostgreSQL), --postgres (`make bench-postgres`: the same measurements with the
server on PostgreSQL + Redis on localhost, the floor dumped by `psql \\copy`; writes bench/RESULTS-postgres.md).
"""

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import config  # noqa: E402
from bench.config import BASIC, OUT, POSTGRES, ROOT, ensure_tool, free_port, log, server_env  # noqa: E402
from bench.load import Server, download, endpoint_exists, floor_download, wrk  # noqa: E402
from bench.ocr import run as ocr_run  # noqa: E402
from bench.queries import queries_per_request  # noqa: E402
from bench.report import explain_delta, explain_postgres, machine, targets, write_results  # noqa: E402
from bench.seed import seed  # noqa: E402
from bench.v2 import v2_measures  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="100k expenses in total (smoke run)")
    parser.add_argument("--skip-postgres", action="store_true", help="no EXPLAIN on a scratch PostgreSQL database")
    parser.add_argument("--postgres", action="store_true",
                        help="serve from PostgreSQL + Redis on localhost instead of SQLite (RESULTS-postgres.md)")
    args = parser.parse_args()
    if args.postgres:
        config.STORE = POSTGRES
    started = time.monotonic()
    total = 100_000 if args.quick else 1_000_000

    have_wrk = ensure_tool("wrk")
    if not config.STORE.postgres and not ensure_tool("sqlite3"):
        raise SystemExit("sqlite3 is required for the download floor (apt-get install -y sqlite3)")
    if config.STORE.postgres and not shutil.which("psql"):
        raise SystemExit("psql is required for the download floor (apt-get install -y postgresql-client)")
    if not have_wrk:
        raise SystemExit("wrk could not be installed (apt-get install -y wrk); no load generator")

    log(f"seeding {total:,} expenses into {config.STORE.url}")
    info = seed(total)
    log(f"seeded in {info['seed_s']:.1f} s (+ migrate {info['migrate_s']:.1f} s): {info}")
    explain = explain_delta(info)

    port = free_port()
    server = Server(port)
    log(f"gunicorn up on port {port}, workers {server.workers()}")
    ids = f"{info['id_first']}:{info['id_step']}:{info['id_count']}"
    env = {"BENCH_AUTH": BASIC, "BENCH_IDS": ids, "BENCH_ORIGIN": f"http://127.0.0.1:{port}"}
    results = {"wrk": {}, "downloads": {}}
    try:
        w = results["wrk"]
        log("floor: bare view")
        w["floor: bare Django view /bench/floor"] = wrk(
            server, "simple_create.lua", "/", duration=args.duration, env={**env, "BENCH_PATH": "/bench/floor"})
        since = info["since"].replace(" ", "+")
        delta_paths = [f"/api/v1.0/expenses/?report=*&status=all&modified={since}&modified_op=gt",
                       f"/api/expenses/?report=*&status=all&format=json&modified={since}&modified_op=gt"]
        delta = next((p for p in delta_paths if endpoint_exists(server, p, {"Authorization": BASIC})), None)
        if delta:
            status, body = server.get(delta, {"Authorization": BASIC})
            changed = len(json.loads(body))
            log(f"delta sync ({changed} changed): {delta}")
            w[f"delta sync, 1 connection ({changed} of {info['total']:,} changed) {delta.split('?')[0]}"] = wrk(
                server, "basic_read.lua", "/", duration=max(3, args.duration // 2), connections=1, threads=1,
                env={**env, "BENCH_PATH": delta, "BENCH_IDS": "none"})
            results["delta_changed"] = changed
        else:
            w["delta sync"] = {"skipped": "no expense list endpoint on this branch"}

        read_path = "/api/v1.0/expense/"
        if endpoint_exists(server, f"{read_path}{info['id_first']}", {"Authorization": BASIC}):
            log("Basic-auth reads")
            w["Basic-auth reads /api/v1.0/expense/ID"] = wrk(
                server, "basic_read.lua", "/", duration=args.duration, env={**env, "BENCH_PATH": read_path})
            if info["oauth"]:
                log("OAuth-signed reads")
                w["OAuth-signed reads /api/v1.0/expense/ID"] = wrk(
                    server, "oauth_read.lua", "/", duration=args.duration,
                    env={**env, "BENCH_PATH": read_path, "BENCH_OAUTH": info["oauth"]})
            else:
                w["OAuth-signed reads /api/v1.0/expense/ID"] = {"skipped": "the OAuth 1 provider is not on this branch"}
        else:
            w["Basic-auth reads /api/v1.0/expense/ID"] = {"skipped": f"{read_path}ID is not on this branch"}
            w["OAuth-signed reads /api/v1.0/expense/ID"] = {"skipped": f"{read_path}ID is not on this branch"}

        # v2 after the delta sync of v1.0 (its sync changes rows), before the creates.
        v2_runs, results["v2"] = v2_measures(server, env, args.duration)
        w.update(v2_runs)

        # Creates last: they add changed rows, which would change what delta sync measures.
        if endpoint_exists(server, "/api/simple/?format=json&q=bench+1", {"Authorization": BASIC}):
            log("simple API creates")
            w["Basic-auth creates /api/simple/?format=json&q=..."] = wrk(
                server, "simple_create.lua", "/", duration=args.duration, env={**env, "BENCH_PATH": "/api/simple/"})
        else:
            w["Basic-auth creates /api/simple/?format=json&q=..."] = {"skipped": "/api/simple/ is not on this branch"}
        log(f"{config.STORE.floor_label} floor")
        results["floor"] = floor_download(info["user_id"])
        downloads = [("csv", "/api/expenses/?report=*&format=csv"), ("json", "/api/expenses/?report=*&format=json"),
                     ("qif", "/api/expenses/?report=*&format=qif"), ("xml", "/api/expenses/?report=*&format=xml"),
                     ("v1 xml", "/api/v1.0/expenses/?report=*&format=xml"),
                     ("v1 json", "/api/v1.0/expenses/?report=*&format=json")]
        for name, path in downloads:
            if not endpoint_exists(server, path.replace("report=*", "report=*&type=none"), {"Authorization": BASIC}):
                results["downloads"][f"{name} {path}"] = {"skipped": "not on this branch"}
                continue
            log(f"download {name}")
            results["downloads"][f"{name} {path}"] = download(server, path)
    finally:
        server.stop()

    log("queries per request")
    results["queries"] = queries_per_request(info)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    explain_pg = "skipped (--skip-postgres)" if not config.STORE.postgres else "the bench database's plan, above"
    if not args.skip_postgres and not config.STORE.postgres:
        log("EXPLAIN on PostgreSQL")
        try:
            explain_pg = explain_postgres(total)
        except Exception as exc:  # noqa: BLE001 - the SQLite figures are still worth writing
            explain_pg = f"failed: {type(exc).__name__}: {exc}"

    results.update(
        machine=machine(), date=dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        commit=subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip(),
        workers=server_env(0)["WEB_CONCURRENCY"], loadgen="wrk 4.1 + Lua", duration=args.duration, seed=info,
        explain_delta=explain, explain_postgres=explain_pg, elapsed_s=time.monotonic() - started,
    )
    results["targets"] = targets(results)
    write_results(results)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    if not config.STORE.postgres:
        log("receipt reading (bench/ocr.py)")
        ocr_run()
    log(f"done in {results['elapsed_s']:.0f} s: {config.STORE.results.relative_to(ROOT)}")
    for row in results["targets"]:
        print("  " + " | ".join(row))




if __name__ == "__main__":
    main()
