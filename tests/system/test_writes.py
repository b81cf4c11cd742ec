"""Concurrent writers against `scripts/serve` (3 workers): every acknowledged write present and exact; then
`kill -9` of the whole server during the load, a restart, and nothing acknowledged lost or half-written."""

import threading
import time

import pytest

from .ledger import Ledger, compare, load, median_ms, server_state, total
from .servers import FIRST_PORT, PASSWORD, create_user, serve

pytestmark = pytest.mark.system
EMAIL = "writer@system.test"


def test_concurrent_writes_are_all_kept_exactly(deployment, tmp_path):
    kind, env = deployment
    create_user(env, EMAIL)
    server = serve(env, FIRST_PORT, tmp_path / "serve.log")
    try:
        ledger = load(server.url, (EMAIL, PASSWORD), threads=6, operations=50)
        state = server_state(server.url, (EMAIL, PASSWORD))
        problems = compare(ledger, state, server.url, (EMAIL, PASSWORD))
    finally:
        server.stop()
    live = {pk for pk, s in state.items() if not s["deleted"]}
    print(f"\nwrites [{kind}]: {sum(ledger.statuses.values())} acknowledged of 300 requests, "
          f"{len(ledger.acked)} expenses, {len(live)} live, total {total(state)}, "
          f"median write {median_ms(ledger.latencies)} ms, statuses {ledger.statuses}")
    assert ledger.bodies_5xx == []
    assert "database is locked" not in server.log_text()
    assert problems == []
    assert live == set(ledger.live) and total(state) == total(ledger.acked)
    assert sum(ledger.statuses.values()) == 300


def test_kill_9_during_the_load_loses_nothing_acknowledged(deployment, tmp_path):
    kind, env = deployment
    create_user(env, EMAIL)
    log = tmp_path / "serve.log"
    ledger, kills = Ledger(), 2
    for _ in range(kills):
        server = serve(env, FIRST_PORT, log)
        stop = threading.Event()
        writers = threading.Thread(target=load, args=(server.url, (EMAIL, PASSWORD)),
                                   kwargs={"threads": 6, "operations": 400, "stop": stop, "ledger": ledger})
        writers.start()
        # Mid-load, whatever the machine's speed: once 20 more writes have been acknowledged (or after 2 min).
        wanted, deadline = len(ledger.acked) + 20, time.monotonic() + 120
        while len(ledger.acked) < wanted and time.monotonic() < deadline and writers.is_alive():
            time.sleep(0.1)
        server.kill9()
        stop.set()
        writers.join()
    server = serve(env, FIRST_PORT, log)
    try:
        state = server_state(server.url, (EMAIL, PASSWORD))
        problems = compare(ledger, state, server.url, (EMAIL, PASSWORD))
    finally:
        server.stop()
    print(f"\nkill -9 [{kind}]: {kills} kills, {len(ledger.acked)} acknowledged expenses, "
          f"{ledger.unanswered_creates} creates unanswered, {len(ledger.uncertain)} edits unanswered, "
          f"{len(state)} on the server after restart, 0 expected lost; problems {len(problems)}")
    assert ledger.acked, "the load never got an answer"
    assert ledger.bodies_5xx == []
    assert problems == []
