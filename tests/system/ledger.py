"""Client threads writing through the API, and a ledger of what the server acknowledged.

Each thread creates (with tags; one in four with a receipt, through /api/v1.0/ in the same request), edits
and deletes its own expenses. An answered write is acknowledged; a write whose answer never came (the
server was killed) may or may not have happened, and the ledger keeps both possibilities.
"""

import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal

import requests

from tests.expenses.v2.receipt_files import image

RECEIPT = image("PNG", (64, 48))


@dataclass
class Ledger:
    acked: dict = field(default_factory=dict)  # id -> {"amount", "tags", "deleted", "receipt"}
    uncertain: dict = field(default_factory=dict)  # id -> states it may also be in (an unanswered write)
    unanswered_creates: int = 0
    statuses: dict = field(default_factory=dict)
    bodies_5xx: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, status):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def live(self) -> dict:
        return {pk: state for pk, state in self.acked.items() if not state["deleted"]}


def _worker(base, auth, n, ledger: Ledger, stop: threading.Event, operations: int, seed: int):
    rng, session, mine = random.Random(seed * 100 + n), requests.Session(), []
    session.auth = auth
    for _ in range(operations):
        if stop.is_set():
            return
        roll = rng.random()
        amount = f"{rng.randint(1, 99999) / 100:.2f}"
        if roll < 0.55 or not mine:
            tags = sorted({f"t{n}", rng.choice(("cash", "card", "trip"))})
            with_receipt = rng.random() < 0.25
            state = {"amount": amount, "tags": tags, "deleted": False, "receipt": with_receipt}
            try:
                started = time.monotonic()
                if with_receipt:
                    response = session.post(f"{base}/api/v1.0/expense/?format=json", timeout=30,
                                            data={"type": f"load{n}", "amount": amount, "tags": ",".join(tags)},
                                            files={"receipt": ("r.png", RECEIPT, "image/png")})
                else:
                    response = session.post(f"{base}/api/v2/expenses/", timeout=30,
                                            json={"type": f"load{n}", "amount": amount, "tags": tags})
                ledger.latencies.append(time.monotonic() - started)
            except requests.RequestException:
                with ledger.lock:
                    ledger.unanswered_creates += 1
                continue
            _check(ledger, response, (200, 201))
            if response.status_code in (200, 201):
                pk = response.json()["id"]
                with ledger.lock:
                    ledger.acked[pk] = state
                mine.append(pk)
            continue
        pk = rng.choice(mine)
        before = dict(ledger.acked[pk])
        after = {**before, "deleted": True} if roll > 0.85 else {**before, "amount": amount}
        try:
            if after["deleted"]:
                response = session.delete(f"{base}/api/v2/expenses/{pk}/", timeout=30)
            else:
                response = session.patch(f"{base}/api/v2/expenses/{pk}/", json={"amount": amount}, timeout=30)
        except requests.RequestException:
            with ledger.lock:
                ledger.uncertain[pk] = after
            mine.remove(pk)  # its state is now one of two: leave it alone
            continue
        _check(ledger, response, (200, 204))
        if response.status_code in (200, 204):
            with ledger.lock:
                ledger.acked[pk] = after
            if after["deleted"]:
                mine.remove(pk)


def _check(ledger, response, ok):
    ledger.count(response.status_code)
    if response.status_code >= 500 or "database is locked" in response.text:
        ledger.bodies_5xx.append(f"{response.status_code} {response.request.method} {response.url}: "
                                 f"{response.text[:200]}")


def load(base, auth, *, threads=6, operations=60, seed=12, stop=None, ledger=None) -> Ledger:
    """Run the writers to the end (or until `stop`), and return the ledger."""
    ledger, stop = ledger or Ledger(), stop or threading.Event()
    workers = [threading.Thread(target=_worker, args=(base, auth, n, ledger, stop, operations, seed))
               for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return ledger


def server_state(base, auth) -> dict:
    """Every expense of the account (live and deleted) as the ledger writes it, through a v2 sync walk."""
    session, found, url = requests.Session(), {}, f"{base}/api/v2/expenses/?deleted=all&limit=200"
    session.auth = auth
    while url:
        body = session.get(url, timeout=60).json()
        for item in body["results"]:
            found[item["id"]] = {"amount": item["amount"], "tags": sorted(item["tags"]), "deleted": item["deleted"],
                                 "receipts": item["receipts"]}
        url = body["next"]
    return found


def compare(ledger: Ledger, state: dict, base, auth) -> list[str]:
    """What the server lost or half-wrote, against the ledger (empty: nothing)."""
    problems = []
    session = requests.Session()
    session.auth = auth
    for pk, expected in ledger.acked.items():
        got = state.get(pk)
        allowed = [expected] + ([ledger.uncertain[pk]] if pk in ledger.uncertain else [])
        if got is None:
            problems.append(f"acknowledged expense {pk} is missing")
            continue
        if not any(got["amount"] == a["amount"] and got["tags"] == a["tags"] and got["deleted"] == a["deleted"]
                   for a in allowed):
            problems.append(f"expense {pk}: {got} is none of {allowed}")
        if expected["receipt"] and len(got["receipts"]) != 1:
            problems.append(f"expense {pk}: acknowledged with a receipt, has {len(got['receipts'])}")
    for pk, got in state.items():  # anything present, acknowledged or not, is whole
        if got["tags"] == [] or not any(t.startswith("t") and t[1:].isdigit() for t in got["tags"]):
            problems.append(f"expense {pk} is half-written: tags {got['tags']}")
        for receipt in got["receipts"]:
            file = session.get(f"{base}/api/v2/expenses/{pk}/receipts/{receipt['id']}/file/", timeout=30)
            if file.status_code != 200 or file.content != RECEIPT:
                problems.append(f"expense {pk}: receipt {receipt['id']} answers {file.status_code}, "
                                f"{len(file.content)} bytes")
    return problems


def total(state: dict) -> Decimal:
    return sum((Decimal(s["amount"]) for s in state.values() if not s["deleted"]), Decimal(0))


def median_ms(values) -> float:
    return round(statistics.median(values) * 1000, 1) if values else float("nan")
