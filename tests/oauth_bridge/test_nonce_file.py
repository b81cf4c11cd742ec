"""The nonce file of SQLite deployments: replays refused across workers, old nonces forgotten."""

import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from oauth_bridge.models import Nonce
from oauth_bridge.nonce_file import NonceFile, nonce_digest, nonce_file_for
from oauth_bridge.validator import OAuthValidator

ROOT = Path(__file__).resolve().parents[2]
ADD_IN_ANOTHER_PROCESS = """
import sys
from oauth_bridge.nonce_file import NonceFile
print(NonceFile(sys.argv[1]).add(sys.argv[2], int(sys.argv[3])))
"""


def add_in_another_process(path, digest, timestamp) -> str:
    result = subprocess.run([sys.executable, "-c", ADD_IN_ANOTHER_PROCESS, str(path), digest, str(timestamp)],
                            capture_output=True, text=True, check=True, cwd=ROOT)
    return result.stdout.strip()


@pytest.fixture
def nonce_path(tmp_path):
    return tmp_path / "db.sqlite3-oauth-nonces"


def test_a_nonce_recorded_by_one_worker_is_a_replay_for_another(nonce_path):
    worker_a, worker_b = NonceFile(str(nonce_path)), NonceFile(str(nonce_path))
    digest = nonce_digest("ck", "token", 1700000000, "nonce-1")
    assert worker_a.add(digest, 1700000000) is True
    assert worker_b.add(digest, 1700000000) is False
    assert worker_b.add(nonce_digest("ck", "token", 1700000000, "nonce-2"), 1700000000) is True


def test_a_nonce_recorded_in_another_process_is_a_replay_here(nonce_path):
    digest = nonce_digest("ck", "token", 1700000000, "nonce-1")
    assert NonceFile(str(nonce_path)).add(digest, 1700000000) is True
    assert add_in_another_process(nonce_path, digest, 1700000000) == "False"
    other = nonce_digest("ck", "token", 1700000000, "nonce-2")
    assert add_in_another_process(nonce_path, other, 1700000000) == "True"
    assert NonceFile(str(nonce_path)).add(other, 1700000000) is False


def test_prune_forgets_only_timestamps_before_the_cutoff(nonce_path):
    store = NonceFile(str(nonce_path))
    old, recent = nonce_digest("ck", "t", 100, "n"), nonce_digest("ck", "t", 200, "n")
    store.add(old, 100)
    store.add(recent, 200)
    assert store.prune(150) == 1
    assert store.add(old, 100) is True  # forgotten (such a timestamp is refused before its nonce is looked at)
    assert store.add(recent, 200) is False


def test_the_file_lies_beside_the_database_and_is_in_wal_mode(nonce_path, settings):
    class FileConnection:
        settings_dict = {"NAME": str(nonce_path).removesuffix("-oauth-nonces"), "OPTIONS": {"timeout": 7}}

        @staticmethod
        def is_in_memory_db():
            return False

    store = nonce_file_for(FileConnection())
    assert store.path == str(nonce_path) and store.timeout == 7
    assert store.add(nonce_digest("a", "b", 1, "c"), 1)
    assert nonce_path.exists()
    mode = store._connection().execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


@pytest.mark.django_db
def test_signed_requests_on_sqlite_write_nothing_to_the_database(settings):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite deployments only")
    settings.REDIS_URL = ""
    validator = OAuthValidator(secure=True)
    now = str(int(time.time()))
    assert validator.validate_timestamp_and_nonce("ck", now, "nonce-abcdefgh", object(), access_token="t")
    assert not validator.validate_timestamp_and_nonce("ck", now, "nonce-abcdefgh", object(), access_token="t")
    assert not Nonce.objects.exists()


def test_a_nonce_file_locked_past_the_timeout_is_a_busy_database_not_a_crash(nonce_path, rf):
    import sqlite3

    from django.db import OperationalError

    from xpenser_server.api import exception_handler

    NonceFile(str(nonce_path)).add(nonce_digest("a", "b", 1, "c"), 1)  # creates the file
    holder = sqlite3.connect(str(nonce_path), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="database is locked") as raised:
            NonceFile(str(nonce_path), timeout=0.05).add(nonce_digest("a", "b", 1, "d"), 1)
    finally:
        holder.execute("ROLLBACK")
    response = exception_handler(raised.value, {})
    assert response.status_code == 503 and response["Retry-After"] == "2"
