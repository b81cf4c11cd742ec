"""The /api/v2/ figures: a list page of 100, page 1,000 of a cursor walk against its page 1, a sync that sends
10 changes, and a bulk create of 500 (each request through the whole stack of `make serve`)."""

import http.client
import json
import statistics
import time
from urllib.parse import urlsplit

from bench.config import BASIC, log
from bench.load import wrk

PAGE = 100
WALK_PAGES = 1000
CHANGES = 10
BULK = 500
BULK_RUNS = 5
LIST = f"/api/v2/expenses/?limit={PAGE}"
WALK = f"/api/v2/expenses/?limit={PAGE}&deleted=all"  # every row of the bench user: 1,000 pages of 100


def _request(server, method, path, body=None):
    headers = {"Authorization": BASIC}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=300)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, json.loads(data) if data else None


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _latency(server, path, duration, env):
    """wrk from one connection on one URL: the latency of that one request."""
    return wrk(server, "basic_read.lua", "/", duration=duration, connections=1, threads=1,
               env={**env, "BENCH_PATH": path, "BENCH_IDS": "none"})


def v2_measures(server, env, duration) -> tuple[dict, dict]:
    """(wrk runs by name, other figures) of /api/v2/; empty when the branch has no /api/v2/."""
    status, page = _request(server, "GET", WALK)
    if status in (404, 405):
        return {}, {"skipped": "/api/v2/ is not on this branch"}
    runs, figures = {}, {}
    log("v2: list page of 100")
    runs[f"v2 list page of {PAGE} {LIST}"] = _latency(server, LIST, duration, env)

    log(f"v2: cursor walk to page {WALK_PAGES:,}")
    url, pages, started = WALK, 1, time.monotonic()
    while pages < WALK_PAGES and page["next"]:
        url = _path(page["next"])
        status, page = _request(server, "GET", url)
        assert status == 200, (status, page)
        pages += 1
    figures["walk"] = {"pages": pages, "seconds": round(time.monotonic() - started, 2)}
    runs["v2 cursor walk, page 1"] = _latency(server, WALK, duration, env)
    runs[f"v2 cursor walk, page {pages:,}"] = _latency(server, url, duration, env)
    figures["walk_last_page"] = pages

    log(f"v2: sync of {CHANGES} changes")
    _, listing = _request(server, "GET", LIST)
    cursor = listing["sync_cursor"]
    for expense in listing["results"][:CHANGES]:
        status, _ = _request(server, "PATCH", f"/api/v2/expenses/{expense['id']}", {"notes": "changed by v2"})
        assert status == 200, status
    sync = f"/api/v2/expenses/?modified_after={cursor}"
    _, synced = _request(server, "GET", sync)
    figures["sync_changes"] = len(synced["results"])
    runs[f"v2 sync ({figures['sync_changes']} changes) /api/v2/expenses/?modified_after="] = _latency(
        server, sync, max(3, duration // 2), env)

    log(f"v2: bulk create of {BULK}")
    times = []
    for run in range(BULK_RUNS):
        items = [{"type": f"bulk {run}", "amount": f"{n % 90 + 1}.25", "notes": "offline", "tags": ["bulk"]}
                 for n in range(BULK)]
        started = time.monotonic()
        status, body = _request(server, "POST", "/api/v2/expenses/bulk", {"expenses": items})
        times.append(time.monotonic() - started)
        assert status == 200 and body["created"] == BULK, (status, body and body.get("failed"))
    figures["bulk"] = {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times]}
    return runs, figures


def v2_targets(w, v2, verdict) -> list[list[str]]:
    """Rows of the targets table for the /api/v2/ figures (report.targets passes its `verdict`)."""
    rows = []
    listing = next((v for k, v in w.items() if k.startswith("v2 list page")), None)
    if listing and "p50_ms" in listing:
        rows.append([f"v2 list page of {PAGE} p50", f"{listing['p50_ms']} ms (server p50 "
                     f"{listing.get('server_p50_ms')} ms)", "", "", "< 20 ms",
                     verdict(listing["p50_ms"] < 20, listing)])
    first, last = w.get("v2 cursor walk, page 1"), w.get(f"v2 cursor walk, page {v2.get('walk_last_page', 0):,}")
    if first and last and "p50_ms" in first and "p50_ms" in last:
        ratio = last["p50_ms"] / first["p50_ms"]
        rows.append([f"v2 cursor walk: page {v2['walk_last_page']:,} p50", f"{last['p50_ms']} ms",
                     f"page 1 {first['p50_ms']} ms", f"{ratio:.2f}x", "<= 1.5x", verdict(ratio <= 1.5, first, last)])
    sync = next((v for k, v in w.items() if k.startswith("v2 sync")), None)
    if sync and "p50_ms" in sync:
        rows.append([f"v2 sync of {v2.get('sync_changes')} changes p50", f"{sync['p50_ms']} ms (server p50 "
                     f"{sync.get('server_p50_ms')} ms)", "", "", "< 20 ms", verdict(sync["p50_ms"] < 20, sync)])
    if "bulk" in v2:
        rows.append([f"v2 bulk create of {BULK}", f"{v2['bulk']['median_s']} s (median of {BULK_RUNS})", "", "",
                     "< 1 s", verdict(v2["bulk"]["median_s"] < 1)])
    return rows
