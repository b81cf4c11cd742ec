"""Settings for the Xpenser server: one file, driven by environment variables.

Every knob an operator may turn is read from the environment (see README.md, "Settings").
"""

import datetime as dt
import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A fixed key is only acceptable in development (DEBUG) and under pytest (which sets PYTEST_VERSION);
# production must set DJANGO_SECRET_KEY.
_UNSAFE_KEY_OK = DEBUG or "PYTEST_VERSION" in os.environ
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-insecure-key-change-me" if _UNSAFE_KEY_OK else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "xpenser_server.apps.ProjectStaticFilesConfig",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the app itself (no CDN)
    "oauth2_provider",
    "django_tasks",
    "django_tasks_db",
    "anymail",
    "axes",  # failed sign-in counting and lockout (accounts/login_throttle.py)
    "currencies",
    "accounts",
    "reports",
    "expenses",
    "oauth_bridge",
    "capture",
    "ocr",
    "jobs",
    "webhooks",
]

MIDDLEWARE = [
    # First: old clients send absolute-form request targets (`GET http://host/api/... HTTP/1.1`).
    "xpenser_server.middleware.AbsoluteFormTargetMiddleware",
    "django.middleware.security.SecurityMiddleware",  # HSTS on HTTPS, nosniff, Referrer-Policy
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below), those refused early included.
    "csp.middleware.CSPMiddleware",
    # Secure cookies on every HTTPS request; before the session and CSRF middleware (it sees their cookies).
    "xpenser_server.middleware.SecureCookiesOverHttpsMiddleware",
    # NUL in credentials, and what django-oauth-toolkit's views cannot parse: 4xx before any view.
    "xpenser_server.request_checks.MalformedRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A web form's address opened as a page: a 405 that says so (Django's is empty).
    "xpenser_server.middleware.MethodNotAllowedPageMiddleware",
    # Last: turns a locked web sign-in (login form, admin) into the 429 page (accounts/login_throttle.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xpenser_server.urls"
WSGI_APPLICATION = "xpenser_server.wsgi.application"
ASGI_APPLICATION = "xpenser_server.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file under var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'xpenser.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Test databases in memory, as Django does for its own SQLite engine.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
    # Several workers share one file, tuned through Django's own OPTIONS: WAL lets readers run beside a
    # writer; IMMEDIATE transactions take the write lock up front (no deadlock on lock upgrade); a writer
    # that finds the lock taken waits up to `timeout` seconds (`?timeout=SECONDS` in DATABASE_URL, default
    # 20) in SQLite's busy handler. WAL checkpoints: see docs/deploy.md ("SQLite").
    # Checkpoints (WAL pages copied back into the database) after this many pages of WAL, SQLite's default;
    # after one, the WAL file is cut back to the size limit.
    SQLITE_WAL_AUTOCHECKPOINT_PAGES = 1000
    # The -wal file's size after a checkpoint, in bytes (XPENSER_SQLITE_JOURNAL_SIZE_LIMIT; docs/deploy.md).
    SQLITE_JOURNAL_SIZE_LIMIT = env.int("XPENSER_SQLITE_JOURNAL_SIZE_LIMIT", default=64 * 1024 * 1024)
    _sqlite_timeout = float(DATABASES["default"].setdefault("OPTIONS", {}).get("timeout", 20))
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": _sqlite_timeout,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                f"PRAGMA wal_autocheckpoint={SQLITE_WAL_AUTOCHECKPOINT_PAGES}; "
                f"PRAGMA journal_size_limit={SQLITE_JOURNAL_SIZE_LIMIT};"
            ),
        }
    )
# Persistent connections (per worker thread): opening one costs more than a whole simple request (on SQLite,
# the PRAGMAs and Django's SQL functions registered on each new connection).
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
# PostgreSQL: XPENSER_DB_POOL=1 uses Django's connection pool (psycopg_pool) instead of persistent
# connections; docs/deploy.md says which measured better here and when to choose the other.
XPENSER_DB_POOL = env.bool("XPENSER_DB_POOL", default=False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and XPENSER_DB_POOL:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("XPENSER_DB_POOL_MIN", default=2),
        "max_size": env.int("XPENSER_DB_POOL_MAX", default=10),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django requires 0 with it
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every worker and host), else per-process memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("XPENSER_CACHE_PREFIX", default="xpenser"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {
        # Throttle counts and verified credentials of many clients: beyond Django's default 300 entries, which
        # would let a crowd of clients evict each other's counts.
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xpenser",
                    "OPTIONS": {"MAX_ENTRIES": 100_000}},
        # Failed sign-ins must be counted by every worker of the host together (else each worker allows its
        # own share of guesses): without Redis, in files shared by the host's processes. Enough entries that
        # failures under throwaway names cannot cull a real account's count; a file is a few hundred bytes.
        "login_failures": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("XPENSER_LOGIN_FAILURE_DIR", default=str(BASE_DIR / "var" / "login-failures")),
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }

AUTH_USER_MODEL = "accounts.User"
# axes first: a locked (account, address) is refused before ModelBackend hashes the password.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Whether anyone may create an account at /signup/ (close it on a team server once everyone is in).
XPENSER_SIGNUP_OPEN = env.bool("XPENSER_SIGNUP_OPEN", default=True)

# Mail out (password reset, the replies to email in): EMAIL_URL such as smtp+tls://user:password@host:587
# (django-environ's email_url); the console backend in development. Without either nothing is mailed: the
# reset page says to ask an administrator and email in records without replying. XPENSER_MAIL_FROM: the sender.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env("XPENSER_MAIL_FROM", default="Xpenser <xpenser@localhost>")
XPENSER_MAIL_OUT = bool(EMAIL_URL) or DEBUG
XPENSER_PASSWORD_RESET_BY_EMAIL = XPENSER_MAIL_OUT

# Seconds a verified Basic-auth credential stays in the cache (0 disables the cache).
XPENSER_BASIC_AUTH_CACHE_SECONDS = env.int("XPENSER_BASIC_AUTH_CACHE_SECONDS", default=300)

# Password guessing (django-axes, accounts/login_throttle.py): after XPENSER_LOGIN_FAILURE_LIMIT failed sign-ins
# of one account from one client address (Basic auth, the login form, the admin, OAuth 2's password grant),
# that combination is refused with 429 for XPENSER_LOGIN_COOLOFF_SECONDS, before any password hashing. The
# owner from another address is not affected. XPENSER_LOGIN_LOCK_ADDRESS=1 also locks an address failing on
# many accounts (the same limit, counted over all of them).
AXES_FAILURE_LIMIT = env.int("XPENSER_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(seconds=env.int("XPENSER_LOGIN_COOLOFF_SECONDS", default=900))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
if env.bool("XPENSER_LOGIN_LOCK_ADDRESS", default=False):
    AXES_LOCKOUT_PARAMETERS.append("ip_address")
# Counted in the cache (Redis when REDIS_URL is set: shared by every worker and app server), failures also
# recorded in the database for the admin ("Axes" > "Access failures").
AXES_HANDLER = "accounts.login_throttle.CacheCountingRecordingHandler"
AXES_CACHE = "login_failures" if "login_failures" in CACHES else "default"
AXES_USERNAME_CALLABLE = "accounts.login_throttle.client_username"
AXES_CLIENT_IP_CALLABLE = "accounts.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.login_throttle.lockout_response"
# Guesses while locked are refused without counting, so Retry-After (the cool-off) stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]

# Background work (currency changes, webhook deliveries, mail, receipt reading): Django's Tasks API (the
# django-tasks backport). XPENSER_TASK_QUEUE=redis (the default when REDIS_URL is set): RQ on REDIS_URL
# (django-tasks-rq), run by `manage.py rqworker`, so several hosts share one queue; =database (the default
# without REDIS_URL): the database backend, run by `manage.py jobs_worker`. scripts/with-worker starts the right
# one (`make run` / `make serve`); docs/deploy.md.
XPENSER_TASK_QUEUE = env("XPENSER_TASK_QUEUE", default="redis" if REDIS_URL else "database")
if XPENSER_TASK_QUEUE not in ("database", "redis") or (XPENSER_TASK_QUEUE == "redis" and not REDIS_URL):
    raise ImproperlyConfigured("XPENSER_TASK_QUEUE is 'database' or 'redis' (which needs REDIS_URL)")
if XPENSER_TASK_QUEUE == "redis":
    INSTALLED_APPS.append("django_rq")  # its `rqworker` command, and its dashboard in the admin
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env.int("XPENSER_JOBS_TIMEOUT", default=3600)}}
    # `rqworker`'s classes: django-tasks' jobs, and a worker that enqueues again a job its death interrupted.
    RQ = {"JOB_CLASS": "django_tasks_rq.backend.Job", "WORKER_CLASS": "jobs.rq_worker.Worker"}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Retries (jobs.job): attempts in all, and the first wait in seconds (doubled per attempt, at most 6 hours).
XPENSER_JOBS_MAX_ATTEMPTS = env.int("XPENSER_JOBS_MAX_ATTEMPTS", default=5)
XPENSER_JOBS_BACKOFF_SECONDS = env.float("XPENSER_JOBS_BACKOFF_SECONDS", default=30)
# Database queue: each jobs_worker beats every XPENSER_JOBS_HEARTBEAT_SECONDS; a job whose worker has not beaten
# for XPENSER_JOBS_WORKER_TIMEOUT seconds (killed, machine lost) runs again, at most XPENSER_JOBS_MAX_CLAIMS times.
# Redis queue (jobs.rq_worker): each rqworker beats its job every XPENSER_JOBS_HEARTBEAT_SECONDS; a job whose beat
# is older than that plus RQ's fixed 60 s is abandoned, found by a worker's maintenance (every
# XPENSER_JOBS_WORKER_TIMEOUT seconds) and runs again as a failed attempt (XPENSER_JOBS_MAX_ATTEMPTS).
XPENSER_JOBS_HEARTBEAT_SECONDS = env.float("XPENSER_JOBS_HEARTBEAT_SECONDS", default=10)
XPENSER_JOBS_WORKER_TIMEOUT = env.float("XPENSER_JOBS_WORKER_TIMEOUT", default=60)
XPENSER_JOBS_MAX_CLAIMS = env.int("XPENSER_JOBS_MAX_CLAIMS", default=5)

# The server's address as its users reach it (links in webhook payloads, which are built outside a request).
XPENSER_PUBLIC_URL = env("XPENSER_PUBLIC_URL", default="http://localhost:8000")
# Webhooks: seconds to wait for a receiver, attempts per delivery (backoff from XPENSER_JOBS_BACKOFF_SECONDS),
# hooks per user; receivers on private, loopback or link-local addresses are refused unless allowed (SSRF).
XPENSER_WEBHOOK_TIMEOUT = env.float("XPENSER_WEBHOOK_TIMEOUT", default=10)
XPENSER_WEBHOOK_MAX_ATTEMPTS = env.int("XPENSER_WEBHOOK_MAX_ATTEMPTS", default=8)
XPENSER_WEBHOOKS_PER_USER = env.int("XPENSER_WEBHOOKS_PER_USER", default=20)
XPENSER_WEBHOOK_ALLOW_PRIVATE = env.bool("XPENSER_WEBHOOK_ALLOW_PRIVATE", default=False)

# Email in (docs/capture.md): each user's private address is <secret>@XPENSER_MAIL_DOMAIN (unset: email in is
# off in the web app). Messages over XPENSER_MAIL_MAX_BYTES are refused (552).
XPENSER_MAIL_DOMAIN = env("XPENSER_MAIL_DOMAIN", default="")
XPENSER_MAIL_MAX_BYTES = env.int("XPENSER_MAIL_MAX_BYTES", default=25 * 1024 * 1024)
# IMAP polling (`manage.py poll_mail`): imaps://user:password@host/Folder; recorded messages are flagged, or
# moved to XPENSER_IMAP_PROCESSED_FOLDER; XPENSER_IMAP_OWNER (a user's email) takes those naming no address.
XPENSER_IMAP_URL = env("XPENSER_IMAP_URL", default="")
XPENSER_IMAP_PROCESSED_FOLDER = env("XPENSER_IMAP_PROCESSED_FOLDER", default="")
XPENSER_IMAP_OWNER = env("XPENSER_IMAP_OWNER", default="")
XPENSER_IMAP_POLL_SECONDS = env.int("XPENSER_IMAP_POLL_SECONDS", default=60)
# Hosted mail services' inbound webhooks (django-anymail): every XPENSER_ANYMAIL_<NAME> becomes ANYMAIL's <NAME>
# (XPENSER_ANYMAIL_WEBHOOK_SECRET="user:password", XPENSER_ANYMAIL_MAILGUN_WEBHOOK_SIGNING_KEY=...).
ANYMAIL = {name.removeprefix("XPENSER_ANYMAIL_"): value for name, value in os.environ.items()
           if name.startswith("XPENSER_ANYMAIL_")}  # fmt: skip

# Exchange rates: where `manage.py fetch_rates` downloads the ECB's feeds (a mirror may serve the same files).
XPENSER_ECB_RATES_URL = env("XPENSER_ECB_RATES_URL", default="https://www.ecb.europa.eu/stats/eurofxref/")
# A base-currency change converts histories up to this many expenses within the request, larger ones in the
# background (with progress on the Settings page).
XPENSER_CURRENCY_CHANGE_INLINE_LIMIT = env.int("XPENSER_CURRENCY_CHANGE_INLINE_LIMIT", default=2000)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("XPENSER_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Source maps (the API docs' bundles ship several MB of them) are for developer tools only: served as they are,
# not compressed at every `make serve` start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    "jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br", "swf", "flv", "woff",
    "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4", "mpeg", "mpg", "webm", "wmv", "map",
)  # fmt: skip
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Receipts and thumbnails go through Django's storage API: local disk under MEDIA_ROOT by default, an
# S3-compatible bucket (django-storages) when XPENSER_S3_BUCKET is set (docs/deploy.md, "Receipt storage").
XPENSER_S3_BUCKET = env("XPENSER_S3_BUCKET", default="")
if XPENSER_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": XPENSER_S3_BUCKET,
            "endpoint_url": env("XPENSER_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("XPENSER_S3_REGION", default="") or None,
            # Empty: boto3's own lookup (AWS_ACCESS_KEY_ID..., instance roles).
            "access_key": env("XPENSER_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("XPENSER_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env("XPENSER_S3_PREFIX", default=""),
            "addressing_style": env("XPENSER_S3_ADDRESSING_STYLE", default="") or None,
            "default_acl": None,  # the bucket stays private; the app serves every file itself
            "file_overwrite": True,  # names hold a random token: no existence check per upload
        },
    }
# Largest receipt upload accepted (bytes); bigger files are refused with 413.
XPENSER_RECEIPT_MAX_BYTES = env.int("XPENSER_RECEIPT_MAX_BYTES", default=5 * 1024 * 1024)
# An image declaring more pixels than this is refused before it is decoded (a decompression bomb).
XPENSER_RECEIPT_MAX_PIXELS = env.int("XPENSER_RECEIPT_MAX_PIXELS", default=50_000_000)
XPENSER_RECEIPT_MAX_PDF_PAGES = env.int("XPENSER_RECEIPT_MAX_PDF_PAGES", default=100)
XPENSER_RECEIPT_MAX_PDF_STREAM_BYTES = env.int("XPENSER_RECEIPT_MAX_PDF_STREAM_BYTES", default=50 * 1024 * 1024)
XPENSER_RECEIPT_THUMBNAIL_PIXELS = env.int("XPENSER_RECEIPT_THUMBNAIL_PIXELS", default=400)
XPENSER_RECEIPTS_PER_EXPENSE = env.int("XPENSER_RECEIPTS_PER_EXPENSE", default=20)
# Receipt reading (OCR): Tesseract on each new receipt, in a background job. The languages are Tesseract's
# (`eng`, `deu+fra`, ...; each one a Debian tesseract-ocr-<lang> package).
XPENSER_OCR_ENABLED = env.bool("XPENSER_OCR_ENABLED", default=True)
XPENSER_OCR_LANGUAGES = env("XPENSER_OCR_LANGUAGES", default="eng")
# How long the answer to a POST with an Idempotency-Key is replayed for retries (seconds).
XPENSER_IDEMPOTENCY_SECONDS = env.int("XPENSER_IDEMPOTENCY_SECONDS", default=24 * 3600)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Expense file imports: the largest file and the most expenses one import takes (docs/api-v2.md, Import).
XPENSER_IMPORT_MAX_BYTES = env.int("XPENSER_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
XPENSER_IMPORT_MAX_ROWS = env.int("XPENSER_IMPORT_MAX_ROWS", default=20_000)

# Behind a TLS-terminating reverse proxy, trust its X-Forwarded-Proto/Host so URLs (and OAuth
# signatures) use what the client sent. Only enable when the proxy overwrites these headers.
TRUST_PROXY_HEADERS = env.bool("XPENSER_TRUST_PROXY_HEADERS", default=False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# OAuth 1 provider (oauth_bridge). Plain HTTP is accepted only in development (DJANGO_DEBUG=1) or when
# XPENSER_OAUTH_INSECURE_TRANSPORT=1; otherwise OAuth requests must arrive over HTTPS.
XPENSER_OAUTH_INSECURE_TRANSPORT = env.bool("XPENSER_OAUTH_INSECURE_TRANSPORT", default=False)
# Requests whose oauth_timestamp is further than this from the server clock are refused (and nonces older
# than the window are forgotten).
XPENSER_OAUTH_TIMESTAMP_WINDOW = env.int("XPENSER_OAUTH_TIMESTAMP_WINDOW", default=600)
# How long an issued request token may wait for the user's approval and the exchange.
XPENSER_OAUTH_REQUEST_TOKEN_SECONDS = env.int("XPENSER_OAUTH_REQUEST_TOKEN_SECONDS", default=3600)

# OAuth 2 (django-oauth-toolkit at /o/): authorization code with PKCE, scopes read and write.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "read": "Read your expenses, reports and tags",
        "write": "Create, change and delete your expenses, reports and tags",
    },
    "DEFAULT_SCOPES": ["read"],
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("XPENSER_OAUTH2_ACCESS_TOKEN_SECONDS", default=3600),
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
}

# Cookies are Secure on every HTTPS request anyway (SecureCookiesOverHttpsMiddleware); DJANGO_SECURE_COOKIES=1
# marks them Secure on plain HTTP too (a proxy that does not say https).
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HSTS on answers to HTTPS requests (directly, or behind a trusted proxy: XPENSER_TRUST_PROXY_HEADERS); plain HTTP
# answers never carry it (browsers ignore it there). 0 disables.
SECURE_HSTS_SECONDS = env.int("XPENSER_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("XPENSER_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("XPENSER_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp) on every answer: scripts and styles only from the app's own static files,
# nothing inline; images and fonts also as data: URLs (Swagger UI); no plugins, no framing, no <base> elsewhere.
# Forms may post anywhere on purpose: the OAuth authorization form redirects to the client's redirect URI.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}


def _throttle_rate(name: str, default: str) -> str | None:
    """A DRF rate such as `10000/hour`; `off` (or empty) disables that throttle."""
    value = env(name, default=default).strip()
    return None if value.lower() in ("", "off", "none", "0") else value


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Basic first: its challenge (`Basic realm="Xpenser"`) is the one a bare 401 carries.
        "accounts.authentication.CachedBasicAuthentication",
        "oauth_bridge.authentication.OAuth1Authentication",
        "oauth_bridge.authentication.PersonalTokenAuthentication",
        "oauth2_provider.contrib.rest_framework.OAuth2Authentication",
        # DRF's session login; its CSRF verdict is checked against what the view does (write_checks).
        "xpenser_server.write_checks.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        # Read-only tokens (personal or OAuth 2 `read`) cannot write.
        "oauth_bridge.permissions.TokenScopePermission",
        # A browser session writes only with its CSRF token (a GET never counts as verified).
        "xpenser_server.write_checks.SessionCsrfPermission",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
        # DRF's, with a body nested too deeply for the decoder answered 400.
        "xpenser_server.parsers.JSONParser",
    ],
    # Every family reads `format` itself (legacy defaults differ per endpoint).
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "xpenser_server.api.exception_handler",
    # OpenAPI 3 of /api/v2/ (drf-spectacular; the older families are described in docs/api.md).
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Throttling in the cache (Redis when configured, so every worker and host shares the counts).
    "DEFAULT_THROTTLE_CLASSES": [
        "xpenser_server.throttling.UserRateThrottle",
        "xpenser_server.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": _throttle_rate("XPENSER_THROTTLE_USER", "10000/hour"),
        "anon": _throttle_rate("XPENSER_THROTTLE_ANON", "200/hour"),
    },
    # The client address for anonymous throttling: REMOTE_ADDR, or the proxy's X-Forwarded-For entry
    # when proxy headers are trusted (never a client-supplied header otherwise).
    "NUM_PROXIES": 1 if TRUST_PROXY_HEADERS else 0,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Xpenser API v2",
    "DESCRIPTION": "Cursor sync with tombstones, conditional requests, idempotent writes, receipts: docs/api-v2.md.",
    "VERSION": "2.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["expenses.api.v2.schema.only_v2_endpoints"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "expenses.api.v2.schema.answers_complete", "expenses.api.v2.schema.add_error_responses"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR",  # no CDN
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                              "style": "{"}},
    # Query strings may carry credentials and notes: no handler writes them (docs/security.md, the row
    # "credentials or notes in logs").
    "filters": {"no_query_strings": {"()": "xpenser_server.log_filters.QueryStringFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_query_strings"]},
                 "server": {"class": "logging.StreamHandler", "formatter": "server", "filters": ["no_query_strings"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # ofxtools logs every element it parses or converts at INFO; WeasyPrint (the PDF expense report) every
    # rendering step; aiosmtpd (`mail.log`) every SMTP command, the private addresses included.
    "loggers": {"django.db.backends": {"level": "WARNING"},
                # Django's own loggers through the filtered handler only (its defaults have no filter).
                "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
                # runserver's access lines.
                "django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
                "ofxtools": {"level": "WARNING"},
                "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                "mail.log": {"level": "WARNING"}},
}
