"""Run by test_sqlite_wal.py in its own process: write through Django, report the -wal file's size (bytes) as JSON.

argv: steady | burst. steady: 6,000 one-row transactions (autocheckpoints keep the WAL small). burst: one
transaction of ~12 MB, then a checkpoint and one more write (the WAL is cut back to the journal size limit).
"""

import json
import os
import sys
from pathlib import Path

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def wal_size() -> int:
    wal = Path(f"{settings.DATABASES['default']['NAME']}-wal")
    return wal.stat().st_size if wal.exists() else 0


with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS wal_probe (id INTEGER PRIMARY KEY, body BLOB)")
row = os.urandom(1024)
sizes = {}
if sys.argv[1] == "steady":
    largest = 0
    for _ in range(6000):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO wal_probe (body) VALUES (%s)", [row])
        largest = max(largest, wal_size())
    sizes = {"largest": largest, "end": wal_size()}
else:
    with transaction.atomic(), connection.cursor() as cursor:
        for _ in range(12 * 1024):
            cursor.execute("INSERT INTO wal_probe (body) VALUES (%s)", [row])
    sizes["after_burst"] = wal_size()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO wal_probe (body) VALUES (%s)", [row])
    sizes["after_checkpoint"] = wal_size()
print(json.dumps(sizes))
