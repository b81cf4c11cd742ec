"""SQLite for several threads and worker processes: write transactions queue on a lock file.

SQLite allows one writer at a time. A writer that finds the database locked sleeps in SQLite's busy
handler on a fixed schedule (1, 2, 5, 10 ... 100 ms), so under a burst of short writes most of the time
goes to sleeping after the lock was already free (p99 of a second in `make bench`). Here every write
transaction (Django starts them with `BEGIN IMMEDIATE`, see settings) first takes an exclusive `flock`
on `<database>-writer.lock`: threads of one process queue on a `threading.Lock` and wake as soon as it is
released; across processes the lock file is polled at sub-millisecond to few-millisecond intervals.
The kernel drops the lock when a process dies, so a crashed worker never leaves the database blocked.

WAL checkpoints run after the lock is released. SQLite runs its automatic checkpoint inside COMMIT, so
under the lock file the other writers would wait for it too (copying pages to the database and two
fsyncs: 1-2 ms, about every hundred creates). Each connection here runs a PASSIVE checkpoint (it waits
for no reader or writer) after the commit that brings its changes since the last one to
`CHECKPOINT_AFTER_CHANGES` rows, outside the lock. SQLite's automatic checkpoint stays as a backstop for
writes made outside transactions, at `FALLBACK_AUTOCHECKPOINT_PAGES`.
"""

import contextlib
import fcntl
import os
import threading
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

# Rows a connection changes between two checkpoints: a create changes two, about 11 pages of WAL.
CHECKPOINT_AFTER_CHANGES = 200
FALLBACK_AUTOCHECKPOINT_PAGES = 10000  # 40 MB of WAL; SQLite's default is 1000

# One in-process lock per lock-file path, shared by the threads (each has its own connection).
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: str) -> threading.Lock:
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(path, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_fd = None
    _held_process_lock = None  # this process's lock for the file, while this connection holds the writer lock
    _checkpointed_at_changes = None  # the connection's total_changes at its last checkpoint (None: in memory)

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self._writer_lock_path() is not None:
            connection.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_AUTOCHECKPOINT_PAGES}")
            self._checkpointed_at_changes = connection.total_changes
        return connection

    def _checkpoint_if_due(self):
        """A PASSIVE checkpoint once enough rows changed since the last one (called without the writer lock)."""
        if self._checkpointed_at_changes is None or self.connection is None:
            return
        if self.connection.total_changes - self._checkpointed_at_changes < CHECKPOINT_AFTER_CHANGES:
            return
        self._checkpointed_at_changes = self.connection.total_changes
        # On an error (I/O) the next one is due after as many changes again.
        with contextlib.suppress(base.Database.Error):
            self.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{os.path.abspath(self.settings_dict['NAME'])}-writer.lock"

    def _acquire_writer_lock(self):
        path = self._writer_lock_path()
        if path is None or self._held_process_lock is not None:
            return
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        process_lock = _process_lock(path)
        if not process_lock.acquire(timeout=timeout):
            raise OperationalError("database is locked (waited for the writer lock)")
        try:
            if self._writer_fd is None:
                self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            pause = 0.0002
            while True:
                try:
                    fcntl.flock(self._writer_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OperationalError("database is locked (waited for the writer lock)") from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.005)
        except BaseException:
            process_lock.release()
            raise
        self._held_process_lock = process_lock

    def _release_writer_lock(self):
        process_lock, self._held_process_lock = self._held_process_lock, None
        if process_lock is None:
            return
        try:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        finally:
            process_lock.release()

    def _start_transaction_under_autocommit(self):
        self._acquire_writer_lock()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._release_writer_lock()
        self._checkpoint_if_due()

    def _rollback(self):
        try:
            super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            super()._close()
        finally:
            self._release_writer_lock()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
