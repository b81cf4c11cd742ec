"""Settings come from the environment: DEBUG off by default, no secret key no start, rates, SQLite tuning, the
job queue (RQ when REDIS_URL is set, unless XPENSER_TASK_QUEUE=database)."""

from tests.processes import run_python

PROBE = """
import json, django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "xpenser_server.settings"
try:
    django.setup()
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
    raise SystemExit(0)
from django.conf import settings
from django.db import connection
out = {"debug": settings.DEBUG, "rates": settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
       "num_proxies": settings.REST_FRAMEWORK["NUM_PROXIES"], "cache": settings.CACHES["default"]["BACKEND"],
       "vendor": connection.vendor, "root_urlconf": settings.ROOT_URLCONF, "queue": settings.XPENSER_TASK_QUEUE,
       "tasks": settings.TASKS["default"]["BACKEND"], "rq_queues": getattr(settings, "RQ_QUEUES", None),
       "rq": getattr(settings, "RQ", None), "django_rq": "django_rq" in settings.INSTALLED_APPS}
if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        out["pragmas"] = {p: cursor.execute("PRAGMA " + p).fetchone()[0]
                          for p in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")}
print(json.dumps(out))
"""


def _settings(tmp_path, **env_vars) -> dict:
    return run_python(PROBE, tmp_path, **env_vars)


def test_missing_secret_key_is_refused_outside_development(tmp_path):
    out = _settings(tmp_path)
    assert out["error"] == "ImproperlyConfigured"
    assert "DJANGO_SECRET_KEY" in out["message"]


def test_production_defaults(tmp_path):
    out = _settings(tmp_path, DJANGO_SECRET_KEY="k" * 50)
    assert out["debug"] is False
    assert out["rates"] == {"user": "10000/hour", "anon": "200/hour"}
    assert out["num_proxies"] == 0
    assert out["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert out["root_urlconf"] == "xpenser_server.urls"  # the bench's floor view is in bench/ only
    # WAL, a busy timeout and foreign keys on a live connection (not just in the settings dict).
    assert out["pragmas"] == {"journal_mode": "wal", "busy_timeout": 20000, "synchronous": 1, "foreign_keys": 1}


def test_development_mode_and_overrides(tmp_path):
    out = _settings(tmp_path, DJANGO_DEBUG="1", XPENSER_THROTTLE_USER="50/minute", XPENSER_THROTTLE_ANON="off",
                    XPENSER_TRUST_PROXY_HEADERS="1", REDIS_URL="redis://127.0.0.1:6379/5")
    assert out["debug"] is True
    assert out["rates"] == {"user": "50/minute", "anon": None}
    assert out["num_proxies"] == 1
    assert out["cache"] == "django_redis.cache.RedisCache"


def test_the_queue_is_the_database_without_redis(tmp_path):
    out = _settings(tmp_path, DJANGO_SECRET_KEY="k" * 50)
    assert (out["queue"], out["tasks"], out["rq_queues"], out["django_rq"]) == (
        "database", "django_tasks_db.DatabaseBackend", None, False)


def test_the_queue_is_rq_on_redis_url_when_it_is_set(tmp_path):
    out = _settings(tmp_path, DJANGO_SECRET_KEY="k" * 50, REDIS_URL="redis://127.0.0.1:6379/5")
    assert (out["queue"], out["tasks"], out["django_rq"]) == ("redis", "django_tasks_rq.RQBackend", True)
    assert out["rq_queues"] == {"default": {"URL": "redis://127.0.0.1:6379/5", "DEFAULT_TIMEOUT": 3600}}
    assert out["rq"] == {"JOB_CLASS": "django_tasks_rq.backend.Job", "WORKER_CLASS": "jobs.rq_worker.Worker"}


def test_xpenser_task_queue_database_keeps_the_database_queue_beside_redis(tmp_path):
    out = _settings(tmp_path, DJANGO_SECRET_KEY="k" * 50, REDIS_URL="redis://127.0.0.1:6379/5",
                    XPENSER_TASK_QUEUE="database")
    assert (out["queue"], out["tasks"], out["django_rq"]) == ("database", "django_tasks_db.DatabaseBackend", False)
    assert out["cache"] == "django_redis.cache.RedisCache"  # the cache stays on Redis


def test_a_redis_queue_without_redis_or_an_unknown_queue_does_not_start(tmp_path):
    for queue in ("redis", "celery"):
        out = _settings(tmp_path, DJANGO_SECRET_KEY="k" * 50, XPENSER_TASK_QUEUE=queue)
        assert out["error"] == "ImproperlyConfigured"
        assert "XPENSER_TASK_QUEUE" in out["message"]
