"""Seeding the bench database: users, reports, tags and 1M expenses by bulk SQL, and an OAuth token."""

import datetime as dt
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench import config
from bench.config import (
    ACCESS_LOG,
    BENCH_EMAIL,
    BENCH_PASSWORD,
    CHANGED,
    DB_PATH,
    OTHER_USERS,
    OUT,
    PG_ADMIN_URL,
    PG_BENCH_DB,
    PY,
    ROOT,
    use_server_env,
)
from xpenser_server.text import caseless


def seed(total: int) -> dict:
    """Migrate a fresh database, then bulk-insert users, reports, tags, expenses and tag links."""
    OUT.mkdir(parents=True, exist_ok=True)
    ACCESS_LOG.unlink(missing_ok=True)
    if config.STORE.postgres:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            admin.execute(f"CREATE DATABASE {PG_BENCH_DB}")
        subprocess.run(["redis-cli", "-u", config.STORE.redis_url, "FLUSHDB"], capture_output=True)
    else:
        for suffix in ("", "-wal", "-shm", "-writer.lock"):
            Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    env = use_server_env()
    started = time.monotonic()
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    migrate_s = time.monotonic() - started

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from reports.models import Report

    started = time.monotonic()
    bench_user = User.objects.create_user(BENCH_EMAIL, BENCH_PASSWORD)
    password = make_password("other-password-123")
    others = [u.pk for u in User.objects.bulk_create(
        User(email=f"other{n}@example.com", password=password) for n in range(OTHER_USERS))]
    Report.objects.bulk_create(Report(owner_id=uid, name="My Expenses", is_default=True) for uid in others)
    users = [bench_user.pk, *others]  # user index 0 is the bench user: ids that are multiples of 10
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    counts = (_bulk_postgres if config.STORE.postgres else _bulk_sqlite)(total, users, now)
    seed_s = time.monotonic() - started
    since = (now - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    info = dict(counts, user_id=bench_user.pk, since=since, migrate_s=migrate_s, seed_s=seed_s,
                id_first=10, id_step=10, id_count=total // 10)
    info["oauth"] = seed_oauth(bench_user)
    return info


# Dialects of the bulk seed: expense x (1..total) belongs to slot 0 (the bench user) when x % 10 = 0, otherwise
# to one of the other users; dates one minute apart from 2023-01-01; every 1010th deleted; tags on every 30th
# and 60th of the bench user's; CHANGED of them modified (one deleted) an hour after the others.
_TYPE = "CASE x % 4 WHEN 0 THEN 'lunch' WHEN 1 THEN 'Taxi' WHEN 2 THEN 'Dinner with Jim' ELSE 'hotel' END"
_NOTES = "CASE x % 3 WHEN 0 THEN '' WHEN 1 THEN 'office to airport' ELSE 'with jack, \"the client\"' END"
_SLOT = f"CASE WHEN x % 10 = 0 THEN 0 ELSE 1 + (x / 10) % {OTHER_USERS} END"
_TAG_NAMES = ("cash", "clientx", "projecty", "travel", "food")
_CHANGED_IDS = [10 * (k * 997 + 3) for k in range(CHANGED)]


def _expenses_insert(source: str, stamp) -> str:
    """The INSERT of every expense; `stamp(offset_sql)` is the dialect's timestamp of x minutes + offset."""
    return f"""
        INSERT INTO expenses_expense (id, owner_id, report_id, type, amount, rawamount, original_amount,
                                      original_currency, amount_currency, rate, notes, date, status,
                                      sourceid, category, receipt, review, created, modified)
        SELECT x, o.owner_id, o.report_id, {_TYPE}, (x % 9000) / 100.0 + 1, (x % 9000) / 100.0 + 1,
               (x % 9000) / 100.0 + 1, 'USD', 'USD', 1, {_NOTES},
               {stamp("x * 60")}, CASE WHEN x % 1010 = 0 THEN -1 ELSE 1 END, '',
               CASE WHEN x % 7 = 0 THEN 'travel' END, '', '', {stamp("x * 60 + 3600")}, {stamp("x * 60 + 7200")}
        FROM {source} JOIN owners o ON o.slot = {_SLOT}"""


def _links_insert(first_tag: int, bench_user: int) -> str:
    return f"""INSERT INTO expenses_expense_tags (expense_id, tag_id)
        SELECT id, {first_tag} + (id / 10) % 5 FROM expenses_expense
        WHERE owner_id = {bench_user} AND id % 30 = 0
        UNION ALL
        SELECT id, {first_tag} + (id / 10 + 2) % 5 FROM expenses_expense
        WHERE owner_id = {bench_user} AND id % 60 = 0"""


# Every user's sync clock at their latest `modified`, as the migration that added the clocks sets it (the bulk
# inserts above bypass Expense.save): new stamps come after the seeded ones.
_CLOCKS = """INSERT INTO expenses_syncclock (owner_id, last)
    SELECT owner_id, MAX(modified) FROM expenses_expense GROUP BY owner_id
    ON CONFLICT (owner_id) DO UPDATE SET last = excluded.last"""

_COUNTS = {
    "total": "SELECT COUNT(*) FROM expenses_expense",
    "bench": "SELECT COUNT(*) FROM expenses_expense WHERE owner_id = {user}",
    "bench_live": "SELECT COUNT(*) FROM expenses_expense WHERE owner_id = {user} AND status = 1",
    "links": "SELECT COUNT(*) FROM expenses_expense_tags",
}


def _bulk_sqlite(total, users, now) -> dict:
    db = sqlite3.connect(DB_PATH, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("BEGIN")
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
    reports = dict(db.execute("SELECT owner_id, id FROM reports_report WHERE is_default = 1"))
    db.execute("CREATE TEMP TABLE owners (slot INTEGER PRIMARY KEY, owner_id INTEGER, report_id INTEGER)")
    db.executemany("INSERT INTO owners VALUES (?, ?, ?)", [(n, u, reports[u]) for n, u in enumerate(users)])
    db.execute(f"WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq LIMIT {total})"
               + _expenses_insert("seq", lambda offset: f"strftime('%Y-%m-%d %H:%M:%f', '2023-01-01', "
                                                         f"'+' || ({offset}) || ' seconds')"))
    db.executemany("INSERT INTO expenses_tag (owner_id, name, name_key, created) VALUES (?, ?, ?, ?)",
                   [(users[0], name, caseless(name), stamp) for name in _TAG_NAMES])
    db.execute(_links_insert(db.execute("SELECT MIN(id) FROM expenses_tag").fetchone()[0], users[0]))
    db.executemany("UPDATE expenses_expense SET modified = ?, notes = 'changed' WHERE id = ?",
                   [(stamp, i) for i in _CHANGED_IDS])
    db.execute("UPDATE expenses_expense SET status = -1 WHERE id = ?", (_CHANGED_IDS[0],))
    db.execute(_CLOCKS.replace("GROUP BY owner_id", "WHERE true GROUP BY owner_id"))  # SQLite's upsert grammar
    db.execute("COMMIT")
    db.execute("ANALYZE")
    counts = {name: db.execute(sql.format(user=users[0])).fetchone()[0] for name, sql in _COUNTS.items()}
    db.close()
    return counts


def _pg_stamp(offset: str) -> str:
    return f"timestamptz '2023-01-01 00:00:00+00' + ({offset}) * interval '1 second'"


def _bulk_postgres(total, users, now) -> dict:
    import psycopg

    with psycopg.connect(config.STORE.url.replace("postgres://", "postgresql://", 1)) as db:
        reports = dict(db.execute("SELECT owner_id, id FROM reports_report WHERE is_default").fetchall())
        db.execute("CREATE TEMP TABLE owners (slot integer PRIMARY KEY, owner_id bigint, report_id bigint)")
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO owners VALUES (%s, %s, %s)",
                               [(n, u, reports[u]) for n, u in enumerate(users)])
        db.execute(_expenses_insert(f"generate_series(1, {total}) AS seq(x)", _pg_stamp))
        # Ids were given explicitly: the identity sequence continues after them (the bench creates more).
        db.execute("SELECT setval(pg_get_serial_sequence('expenses_expense', 'id'), "
                   "(SELECT MAX(id) FROM expenses_expense))")
        with db.cursor() as cursor:
            cursor.executemany("INSERT INTO expenses_tag (owner_id, name, name_key, created) VALUES (%s, %s, %s, %s)",
                               [(users[0], name, caseless(name), now.replace(tzinfo=dt.UTC)) for name in _TAG_NAMES])
        db.execute(_links_insert(db.execute("SELECT MIN(id) FROM expenses_tag").fetchone()[0], users[0]))
        with db.cursor() as cursor:
            cursor.executemany("UPDATE expenses_expense SET modified = %s, notes = 'changed' WHERE id = %s",
                               [(now.replace(tzinfo=dt.UTC), i) for i in _CHANGED_IDS])
        db.execute("UPDATE expenses_expense SET status = -1 WHERE id = %s", (_CHANGED_IDS[0],))
        db.execute(_CLOCKS)
        db.commit()
        db.autocommit = True
        db.execute("VACUUM ANALYZE")
        return {name: db.execute(sql.format(user=users[0])).fetchone()[0] for name, sql in _COUNTS.items()}


def seed_oauth(user):
    """A consumer and an access token for the bench user, when the OAuth 1 provider is on this branch."""
    try:
        from oauth_bridge.models import AccessToken, Consumer
    except ImportError:
        return None
    consumer = Consumer.objects.create(name="bench")
    # oauthlib requires access tokens of 16 to 128 characters.
    token = AccessToken.objects.create(consumer=consumer, user=user, key="bench-access-token-0001",
                                       secret="bench-access-token-secret-0001")
    return f"{consumer.key}:{consumer.secret}:{token.key}:{token.secret}"


