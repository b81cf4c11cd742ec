"""Query plans, the machine, the targets and bench/RESULTS*.md."""

import json
import os
import platform
import socket
import subprocess
from pathlib import Path

from bench import config
from bench.config import CHANGED, HISTORY_MARKER, PY, ROOT, server_env
from bench.load import WARMUP_SECONDS
from bench.v2 import v2_targets


def explain_delta(info):
    """The plan of Django's delta-sync query on the bench database (EXPLAIN ANALYZE on PostgreSQL)."""
    from django.http import QueryDict

    from accounts.models import User
    from expenses.selectors import expense_list

    user = User.objects.get(pk=info["user_id"])
    params = QueryDict(f"report=*&status=all&modified={info['since'].replace(' ', '+')}&modified_op=gt")
    queryset = expense_list(user=user, params=params)
    return queryset.explain(analyze=True) if config.STORE.postgres else queryset.explain()


def explain_postgres(total, dbname="xp_prod_bench"):
    """Seed 1M rows into a scratch PostgreSQL database (generate_series) and EXPLAIN the delta query."""
    url = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return "PostgreSQL is not reachable on 127.0.0.1:5432: skipped."
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {dbname}")
        admin.execute(f"CREATE DATABASE {dbname}")
    env = {**server_env(0), "DATABASE_URL": url}
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    # Users through the ORM (their default reports come with them), expenses by one generate_series INSERT.
    script = ("import json; from accounts.models import User; "
              "users = [User.objects.create_user(f'pg{n}@example.com') for n in range(10)]; "
              "from reports.models import Report; "
              "print(json.dumps([(u.pk, Report.objects.owned_by(u).default().get().pk) for u in users]))")
    made = subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)
    users = json.loads(made.stdout.strip().splitlines()[-1])
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{dbname}", autocommit=True) as db:
        owners = ", ".join(f"({i}, {u}, {r})" for i, (u, r) in enumerate(users))
        db.execute(
            # The money columns as the SQLite seed fills them (bench/seed.py): entered in USD, the base currency.
            f"""INSERT INTO expenses_expense (owner_id, report_id, type, amount, rawamount, original_amount,
                    original_currency, amount_currency, rate, notes, date, status, sourceid, category, receipt,
                    review, created, modified)
                SELECT o.u, o.r, 'lunch', 1, 1, 1, 'USD', 'USD', 1, '', now() - (x || ' minutes')::interval, 1, '',
                       NULL, '', '', now() - interval '3 days', now() - interval '3 days'
                FROM generate_series(1, {total}) x JOIN (VALUES {owners}) o(i, u, r) ON o.i = x % 10"""
        )
        db.execute(f"UPDATE expenses_expense SET modified = now() WHERE id IN "
                   f"(SELECT id FROM expenses_expense WHERE owner_id = {users[0][0]} LIMIT {CHANGED})")
        db.execute("ANALYZE")
        plan = db.execute(
            "EXPLAIN ANALYZE SELECT * FROM expenses_expense WHERE owner_id = %s"
            " AND modified > now() - interval '1 hour' ORDER BY date DESC, id", (users[0][0],),
        ).fetchall()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {dbname}")
    return "\n".join(row[0] for row in plan)


# -- report --------------------------------------------------------------------------------------------
def machine():
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
               platform.processor())
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal")))
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(mem_kb / 1024 / 1024, 1),
            "python": platform.python_version(), "kernel": platform.release()}


def verdict(ok, *runs):
    if any(run.get("non2xx") for run in runs):
        return "INVALID (error responses)"
    return "PASS" if ok else "MISS"


def write_results(r):
    m = r["machine"]
    lines = [
        f"# Benchmark results (`make {'bench-postgres' if config.STORE.postgres else 'bench'}`)",
        "",
        f"Run {r['date']} on commit `{r['commit']}`: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, "
        f"Python {m['python']}, Linux {m['kernel']}. Server: `make serve` "
        f"({r['workers']} workers, gunicorn.conf.py), {config.STORE.name}, load by {r['loadgen']} "
        f"({r['duration']} s per run, 8 connections, 2 threads) on the same machine.",
        "",
        f"Data: {r['seed']['total']:,} expenses, {r['seed']['bench']:,} of them for the bench user "
        f"({r['seed']['bench_live']:,} live), {r['seed']['links']:,} tag links; "
        f"migrate {r['seed']['migrate_s']:.1f} s, "
        f"bulk seed {r['seed']['seed_s']:.1f} s. Whole run {r['elapsed_s']:.0f} s.",
        "",
        "## Targets",
        "",
        "| measure | figure | floor / reference | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    for row in r["targets"]:
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Raw figures", "",
              f"Each run follows an unrecorded {WARMUP_SECONDS} s warm-up of the same load. Latency as wrk saw it "
              "(corrected for coordinated omission: a response slower than twice a connection's mean interval "
              "also counts for the requests it held back), and as the server measured it, each request once "
              "(access log; see `server_latency` in bench/load.py); worker CPU: user + "
              "system time of the gunicorn workers over the run, per request.",
              "", "| run | req/s | p50 ms | p99 ms | server p50 ms | server p99 ms | worker CPU ms/request "
              "| requests | non-2xx | socket errors |", "|---|---|---|---|---|---|---|---|---|---|"]
    for name, w in r["wrk"].items():
        if "skipped" in w:
            lines.append(f"| {name} | skipped: {w['skipped']} | | | | | | | | |")
        else:
            lines.append(f"| {name} | {w['rps']:.0f} | {w['p50_ms']} | {w['p99_ms']} | {w.get('server_p50_ms')} | "
                         f"{w.get('server_p99_ms')} | {w.get('cpu_ms_per_request')} | {w['requests']} | "
                         f"{w['non2xx']} | {w['socket_errors']} |")
    lines += ["", "| download (100k) | seconds | first byte s | bytes | worker RSS growth MB |",
              "|---|---|---|---|---|"]
    floor_s, floor_rows, floor_bytes = r["floor"]
    lines.append(f"| `{config.STORE.floor_label}` floor ({floor_rows:,} rows) | {floor_s:.3f} | | {floor_bytes:,} | |")
    for name, d in r["downloads"].items():
        if "error" in d or "skipped" in d:
            lines.append(f"| {name} | {d.get('error') or 'skipped: ' + d['skipped']} | | | |")
        else:
            lines.append(f"| {name} | {d['seconds']:.3f} | {d['first_byte_s']:.3f} | {d['bytes']:,} | "
                         f"{d['rss_growth_mb']:.1f} |")
    v2 = r.get("v2", {})
    if "bulk" in v2:
        lines += ["", f"/api/v2/: the cursor walk reached page {v2['walk']['pages']:,} in {v2['walk']['seconds']} s "
                  f"(one client, sequential); the sync sent {v2['sync_changes']} changes; bulk creates of 500: "
                  f"{', '.join(str(t) for t in v2['bulk']['runs_s'])} s."]
    lines += ["", "## Queries per request", "",
              "Counted by bench/queries.py through the whole stack (the second of two identical requests).", "",
              "| endpoint | status | queries | statements |", "|---|---|---|---|"]
    for label, status, count, statements in r.get("queries", []):
        lines.append(f"| {label} | {status} | {count} | {'<br>'.join(f'`{s}`' for s in statements)} |")
    engine = "PostgreSQL" if config.STORE.postgres else "SQLite"
    lines += ["", "## Delta-sync query plans", "", f"{engine} ({r['seed']['total']:,} rows, Django's query):",
              "", "```", r["explain_delta"].strip(), "```"]
    if not config.STORE.postgres:
        lines += ["", f"PostgreSQL (a scratch database of {r['seed']['total']:,} rows, EXPLAIN ANALYZE):", "", "```",
                  r["explain_postgres"].strip(), "```"]
    lines.append("")
    history = ""
    if config.STORE.results.exists() and HISTORY_MARKER in config.STORE.results.read_text():
        history = config.STORE.results.read_text().split(HISTORY_MARKER, 1)[1]
    config.STORE.results.write_text("\n".join(lines) + "\n" + HISTORY_MARKER + (history or "\n"))




def targets(r):
    w, rows = r["wrk"], []
    floor = w["floor: bare Django view /bench/floor"]
    creates = w.get("Basic-auth creates /api/simple/?format=json&q=...", {})
    if "rps" in creates:
        ratio = creates["rps"] / floor["rps"]
        rows.append(["simple-API creates/s (Basic)", f"{creates['rps']:.0f}/s (p50 {creates['p50_ms']} ms, "
                     f"p99 {creates['p99_ms']} ms; server p99 {creates.get('server_p99_ms')} ms)",
                     f"bare view {floor['rps']:.0f}/s", f"{ratio:.0%}", ">= 30%",
                     verdict(ratio >= 0.3, creates)])
    basic = w.get("Basic-auth reads /api/v1.0/expense/ID", {})
    oauth = w.get("OAuth-signed reads /api/v1.0/expense/ID", {})
    if "rps" in basic and "rps" in oauth:
        ratio = oauth["rps"] / basic["rps"]
        rows.append(["OAuth-signed reads/s", f"{oauth['rps']:.0f}/s (p50 {oauth['p50_ms']} ms)",
                     f"Basic {basic['rps']:.0f}/s", f"{ratio:.0%}", ">= 60%", verdict(ratio >= 0.6, basic, oauth)])
    delta = next((v for k, v in w.items() if k.startswith("delta sync,")), None)
    if delta:
        rows.append(["delta sync p50", f"{delta['p50_ms']} ms (p99 {delta['p99_ms']} ms; server p50 "
                     f"{delta.get('server_p50_ms')} ms, p99 {delta.get('server_p99_ms')} ms)", "", "", "< 20 ms",
                     verdict(delta["p50_ms"] < 20, delta)])
    rows += v2_targets(w, r.get("v2", {}), verdict)
    floor_s = r["floor"][0]
    for name, d in r["downloads"].items():
        if "seconds" in d:
            ratio = d["seconds"] / floor_s
            rows.append([f"download {name.split(' /')[0]}", f"{d['seconds']:.2f} s, +{d['rss_growth_mb']:.1f} MB",
                         f"{config.STORE.floor_label} {floor_s:.2f} s", f"{ratio:.1f}x", "<= 4x, < 60 MB",
                         verdict(ratio <= 4 and d["rss_growth_mb"] < 60)])
    return rows


