"""The OAuth 1 nonces seen, in a small SQLite file beside the SQLite database (no Redis configured).

Every signed request records its nonce. In the main database that would be a write per signed read, and
every write there makes the other workers' connections drop their page cache and queue for the write
lock behind expense writes (signed reads were 25% slower with two workers than with one). A file of their
own keeps them apart: a nonce is one INSERT in autocommit into a table holding nothing else. The file
is as shared as the database it sits beside (SQLite means one machine); entries are pruned once their
timestamp has left oauthlib's window, as the database table's are, and losing the file loses nothing but
the memory of nonces that would soon be forgotten anyway.
"""

import hashlib
import sqlite3
import threading

from django.db import OperationalError

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS seen (digest TEXT PRIMARY KEY, timestamp INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS seen_timestamp ON seen (timestamp)",
)


def nonce_digest(client_key: str, token: str, timestamp: int, nonce: str) -> str:
    return hashlib.sha256(f"{client_key}\0{token}\0{timestamp}\0{nonce}".encode()).hexdigest()


class NonceFile:
    """Seen (consumer, token, timestamp, nonce) digests in the SQLite file at `path` (one connection per
    thread; `in_memory` for a test database, shared by the process's threads)."""

    def __init__(self, path: str, *, in_memory: bool = False, timeout: float = 5.0):
        self.path, self.in_memory, self.timeout = path, in_memory, timeout
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            if self.in_memory:
                target, uri = f"file:{self.path}?mode=memory&cache=shared", True
            else:
                target, uri = self.path, False
            connection = sqlite3.connect(target, timeout=self.timeout, isolation_level=None, uri=uri)
            if not self.in_memory:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                connection.execute(statement)
            self._local.connection = connection
        return connection

    def add(self, digest: str, timestamp: int) -> bool:
        """Record a digest; False when it is already there (a replay).

        A file still locked by another writer after the timeout raises Django's OperationalError, which
        the API answers like a busy database (503 with Retry-After), not as a server error.
        """
        try:
            self._connection().execute("INSERT INTO seen (digest, timestamp) VALUES (?, ?)", (digest, timestamp))
        except sqlite3.IntegrityError:
            return False
        except sqlite3.OperationalError as exc:
            raise OperationalError(f"{exc} (the OAuth nonce file {self.path})") from exc
        return True

    def prune(self, cutoff: int) -> int:
        """Forget the digests of timestamps before `cutoff`; returns how many."""
        return self._connection().execute("DELETE FROM seen WHERE timestamp < ?", (cutoff,)).rowcount

    def clear(self) -> None:
        self._connection().execute("DELETE FROM seen")


_FILES: dict[str, NonceFile] = {}
_FILES_GUARD = threading.Lock()


def nonce_file_for(connection) -> NonceFile:
    """The nonce file of a Django SQLite connection: `<database file>-oauth-nonces` beside it."""
    name = str(connection.settings_dict["NAME"])
    with _FILES_GUARD:
        found = _FILES.get(name)
        if found is None:
            if connection.is_in_memory_db():
                found = NonceFile(f"xpenser-oauth-nonces-{len(_FILES)}", in_memory=True)
            else:
                timeout = float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5))
                found = NonceFile(f"{name}-oauth-nonces", timeout=timeout)
            _FILES[name] = found
        return found


def nonce_files_clear() -> None:
    """Forget every nonce recorded by this process's files (between tests)."""
    with _FILES_GUARD:
        files = list(_FILES.values())
    for each in files:
        each.clear()
