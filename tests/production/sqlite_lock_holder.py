"""A process for test_sqlite_writer_lock: `python -m tests.production.sqlite_lock_holder hold|write SECONDS`.

Runs with DATABASE_URL pointing at a shared SQLite file (with the `lock_test` table). `hold`: opens a write
transaction, inserts a row, prints "holding" and keeps the transaction open for SECONDS before committing.
`write`: connects, prints "ready", waits for a line on stdin, then inserts a row in a transaction and prints a
JSON summary (seconds waited, or the error).
`threads THREADS ROWS LABEL`: THREADS threads each insert ROWS rows, one transaction each, and print the errors.
"""

import json
import os
import sys
import threading
import time

import django


def hold(seconds: float) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO lock_test (label) VALUES ('holder')")
        print("holding", flush=True)
        time.sleep(seconds)


def write() -> None:
    from django.db import OperationalError, connection, transaction

    connection.ensure_connection()
    print("ready", flush=True)
    sys.stdin.readline()  # the test says when: after its holder has taken the lock
    started = time.monotonic()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO lock_test (label) VALUES ('writer')")
    except OperationalError as exc:
        print(json.dumps({"error": str(exc), "waited": time.monotonic() - started}))
        return
    print(json.dumps({"error": None, "waited": time.monotonic() - started, "engine": connection.settings_dict["ENGINE"]}))


def threads(count: int, rows: int, label: str) -> None:
    from django.db import connection, transaction

    errors = []

    def insert(name):
        try:
            for _ in range(rows):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("INSERT INTO lock_test (label) VALUES (%s)", [name])
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on any
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    workers = [threading.Thread(target=insert, args=(f"{label}-t{n}",)) for n in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps({"errors": errors}))


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xpenser_server.settings")
    django.setup()
    if sys.argv[1] == "hold":
        hold(float(sys.argv[2]))
    elif sys.argv[1] == "threads":
        threads(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    else:
        write()
