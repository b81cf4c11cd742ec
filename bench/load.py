"""The server under load: `make serve` in its own process group, wrk runs, downloads, worker figures."""

import contextlib
import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import time
from pathlib import Path

from bench import config
from bench.config import ACCESS_LOG, BASIC, BENCH, DB_PATH, OUT, PY, ROOT, server_env


class Server:
    """`make serve` (migrate, collectstatic, gunicorn with gunicorn.conf.py) in its own process group."""

    def __init__(self, port):
        self.port = port
        self.log = open(OUT / "server.log", "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"PY={PY}", f"PORT={port}"],
            cwd=ROOT, env=server_env(port), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if self.get("/bench/floor")[0] == 200 and len(self.workers()) >= 1:
                    break
            except OSError:
                if self.proc.poll() is not None:
                    raise SystemExit("make serve exited; see bench/out/server.log") from None
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not start; see bench/out/server.log")
        # Warm every worker (imports, URL resolvers, connections).
        for _ in range(20):
            self.get("/bench/floor")

    def get(self, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body

    def workers(self):
        """The gunicorn workers: the children of the gunicorn master under `make serve` (none before it forks)."""
        pending = _children(self.proc.pid)
        while pending:
            pid = pending.pop(0)
            try:
                if _is_gunicorn(Path(f"/proc/{pid}/cmdline").read_bytes()):
                    return _children(pid)
            except OSError:
                continue
            pending.extend(_children(pid))
        return []

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # gunicorn's master stops its workers gracefully
            self.proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def _is_gunicorn(cmdline: bytes) -> bool:
    """`python -m gunicorn ...` (as scripts/serve runs it) or `gunicorn ...`, not a process that only has it
    among its arguments (the scripts/with-worker shell that starts it)."""
    args = [Path(arg.decode(errors="replace")).name for arg in cmdline.split(b"\0")[:3]]
    return args[:1] == ["gunicorn"] or args[1:3] == ["-m", "gunicorn"]


def _children(pid) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def proc_status(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


# -- load ----------------------------------------------------------------------------------------------
WARMUP_SECONDS = 3


def wrk(server, script, path, *, duration, connections=8, threads=2, env=None):
    """Run wrk after an unrecorded warm-up of the same load; returns requests/s, p50/p99 in ms, errors
    (non-2xx and socket errors), and the workers' CPU time per request.

    The warm-up fills what every long-running server has warm (each worker's SQLite page cache, the
    queries' first compilation, the allocator's pools), so that the first endpoint measured after a
    start is not penalised against the others.
    """
    def command(seconds):
        return ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
                str(BENCH / script), f"http://127.0.0.1:{server.port}{path}"]

    env = {**os.environ, **(env or {})}
    subprocess.run(command(WARMUP_SECONDS), capture_output=True, text=True, env=env)
    log_offset = ACCESS_LOG.stat().st_size if ACCESS_LOG.exists() else 0
    workers = server.workers()
    cpu_before = workers_cpu_seconds(workers)
    result = subprocess.run(command(duration), capture_output=True, text=True, env=env)
    cpu_used = workers_cpu_seconds(workers) - cpu_before
    text = result.stdout + result.stderr
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", text, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: (.*)", text)
    total = re.search(r"(\d+) requests in", text)
    return {
        "rps": rps, "p50_ms": to_ms(latency.get("50")), "p99_ms": to_ms(latency.get("99")),
        "requests": int(total.group(1)) if total else 0, "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "cpu_ms_per_request": round(cpu_used * 1000 / int(total.group(1)), 3) if total else None,
        **server_latency(log_offset),
    }


def workers_cpu_seconds(pids) -> float:
    """User + system CPU time the given processes have used so far (from /proc/PID/stat)."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def server_latency(offset: int) -> dict:
    """p50/p99 of the time the server took per request (gunicorn's JSON access log, from `offset` on).

    wrk's own figures include the reconnection after each response (sync workers close the connection) and
    are corrected for coordinated omission: a response slower than twice a connection's mean interval also
    counts for the requests it held back. The server's count each request once, so both are given.
    """
    time.sleep(0.5)  # the last lines reach the log after the responses
    with open(ACCESS_LOG, "rb") as f:
        f.seek(offset)
        durations = sorted(json.loads(line)["duration_ms"] for line in f if line.startswith(b"{"))
    if not durations:
        return {"server_p50_ms": None, "server_p99_ms": None}
    return {"server_p50_ms": durations[len(durations) // 2],
            "server_p99_ms": durations[min(len(durations) - 1, int(len(durations) * 0.99))]}


def to_ms(text):
    if not text:
        return None
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def endpoint_exists(server, path, headers):
    status, _ = server.get(path, headers)
    return status not in (404, 405)


# -- downloads -----------------------------------------------------------------------------------------
FLOOR_SQL = """
SELECT e.id, e.date, e.type, e.amount, e.rawamount, e.notes,
       (SELECT group_concat(t.name) FROM expenses_expense_tags et JOIN expenses_tag t ON t.id = et.tag_id
        WHERE et.expense_id = e.id) AS tags,
       e.report_id, e.created, e.modified, e.status
FROM expenses_expense e WHERE e.owner_id = {user} AND e.status = 1 ORDER BY e.date DESC, e.id
"""


def floor_download(user_id, repeats=3):
    """The same rows dumped as CSV by the database's own client: `sqlite3 -csv`, or `psql` with COPY."""
    if config.STORE.postgres:
        sql = FLOOR_SQL.format(user=user_id).replace("group_concat(t.name)", "string_agg(t.name, ',')")
        command = ["psql", "-q", config.STORE.url.replace("postgres://", "postgresql://", 1), "-c",
                   f"\\copy ({' '.join(sql.split())}) TO STDOUT WITH CSV HEADER"]
    else:
        command = ["sqlite3", "-csv", "-header", str(DB_PATH), FLOOR_SQL.format(user=user_id)]
    times = []
    for _ in range(repeats):
        started = time.monotonic()
        with open(OUT / "floor.csv", "wb") as out:
            subprocess.run(command, stdout=out, check=True)
        times.append(time.monotonic() - started)
    rows = (OUT / "floor.csv").read_bytes().count(b"\n") - 1
    return statistics.median(times), rows, (OUT / "floor.csv").stat().st_size


def download(server, path, repeats=3):
    """Median wall time of a full download and the largest RSS growth of any worker (peak minus start)."""
    times, growth, size = [], [], 0
    for _ in range(repeats):
        workers = server.workers()
        before = {}
        for pid in workers:
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS
            before[pid] = proc_status(pid, "VmRSS")
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
        conn.request("GET", path, headers={"Authorization": BASIC})
        response = conn.getresponse()
        first_byte = time.monotonic() - started
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
        conn.close()
        times.append(time.monotonic() - started)
        if response.status != 200:
            return {"error": f"HTTP {response.status}"}
        growth.append(max(proc_status(pid, "VmHWM") - before[pid] for pid in workers))
    return {"seconds": statistics.median(times), "first_byte_s": first_byte, "bytes": size,
            "rss_growth_mb": max(growth) / 1e6}


