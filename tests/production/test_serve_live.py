"""`make serve` for real (scripts/serve: gunicorn and the task worker beside it), over HTTP: `lunch 45 EUR` through
the simple API, v1.0 and v2 at the rate `import_rates` loaded, a form body Django cannot read answered 400, and a
base-currency change done by the worker."""

import datetime as dt
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import ECB_SAMPLE
from tests.live_server import listening_url
from tests.processes import project_env

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]
SEED = """
from django.contrib.auth import get_user_model
from expenses import services
users = get_user_model().objects
users.create_user(email="usd@test.com", password="live-password-1")
mover = users.create_user(email="mover@test.com", password="live-password-2")
for text in ("lunch 45", "taxi 30"):
    services.expense_create_from_text(user=mover, text=text)
services.base_currency_change(user=mover, currency="EUR", history="convert")
"""


@pytest.fixture
def served(tmp_path):
    """scripts/serve on a free port with a fresh SQLite file, today's rates imported and a change queued."""
    database = tmp_path / "live.sqlite3"
    env = project_env(
        DATABASE_URL=f"sqlite:///{database}", DJANGO_SECRET_KEY="live-test-secret-key-" + "x" * 40, DJANGO_DEBUG="0",
        PORT="0", WEB_CONCURRENCY="1", PYTHON=sys.executable, XPENSER_CURRENCY_CHANGE_INLINE_LIMIT="0",
        XPENSER_MEDIA_ROOT=str(tmp_path / "media"), DJANGO_SETTINGS_MODULE="xpenser_server.settings",
        no_proxy="127.0.0.1,localhost",
    )  # fmt: skip
    today = dt.datetime.now(dt.UTC).date().isoformat()
    rates = tmp_path / "today.xml"
    rates.write_text(re.sub(r"time='[0-9-]+'", f"time='{today}'", ECB_SAMPLE.read_text(), count=1))
    manage = [sys.executable, str(REPO / "manage.py")]
    for command in (["migrate", "--noinput"], ["import_rates", str(rates)], ["shell", "-c", SEED]):
        subprocess.run(manage + command, env=env, cwd=REPO, check=True, capture_output=True, timeout=120)
    process = subprocess.Popen([str(REPO / "scripts" / "serve")], env=env, cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    try:
        yield listening_url(process, timeout=300), database, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _change_status(database: Path) -> str:
    with sqlite3.connect(database) as db:
        return db.execute("SELECT status FROM expenses_currencychange").fetchone()[0]


def test_serve_converts_lunch_45_eur_and_its_worker_runs_the_background_change(served):
    url, database, process = served
    http = requests.Session()
    http.trust_env = False
    http.auth = ("usd@test.com", "live-password-1")
    simple = http.get(f"{url}/api/simple/", params={"q": "lunch 45 EUR", "format": "json"}, timeout=30)
    assert simple.status_code == 200 and simple.headers["Content-Type"] == "application/json"
    assert (simple.json()["data"]["amount"], simple.json()["data"]["rawamount"]) == ("50.63", "45.00")  # 1.125
    v1 = http.get(f"{url}/api/v1.0/expense/", params={"q": "lunch 45 EUR"}, timeout=30).json()
    assert list(v1) == ["id", "type", "amount", "rawamount", "notes", "date", "created", "modified", "status",
                        "report_id", "tags", "receipt"]
    assert (v1["amount"], v1["rawamount"]) == ("50.63", "45.00")
    v2 = http.post(f"{url}/api/v2/entries/", json={"text": "lunch 45 EUR"}, timeout=30)
    assert v2.status_code == 201, v2.text
    created = v2.json()["expense"]
    assert (created["amount"], created["original_amount"], created["original_currency"], created["rate"]) == (
        "50.63", "45.00", "EUR", "1.125")

    # A form post in UTF-16 reaches the CSRF check, which cannot read it: a 400 page, not gunicorn's bare 500.
    utf16 = requests.post(f"{url}/accounts/login/", data="username=x&password=y".encode("utf-16"), timeout=30,
                          headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-16",
                                   "Cookie": "csrftoken=" + "c" * 32})
    assert utf16.status_code == 400 and "must be UTF-8 encoded" in utf16.text
    assert utf16.headers["Content-Type"] == "text/html; charset=utf-8"

    deadline = time.monotonic() + 60
    while _change_status(database) != "done" and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _change_status(database) == "done"
    with sqlite3.connect(database) as db:
        converted = db.execute("SELECT amount, amount_currency FROM expenses_expense e JOIN accounts_user u "
                               "ON u.id = e.owner_id WHERE u.email = 'mover@test.com' ORDER BY e.id").fetchall()
    assert [(f"{amount:.2f}", currency) for amount, currency in converted] == [("40.00", "EUR"), ("26.67", "EUR")]

    os.killpg(process.pid, signal.SIGTERM)  # as systemd stops it: gunicorn and the worker both end
    assert process.wait(30) == 0
    deadline = time.monotonic() + 30
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _group_alive(process.pid)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
