"""Production-shape servers for the system tests: `scripts/serve` (migrations, gunicorn with several workers,
the task worker beside it) in a process group of its own, so that `kill -9` can take all of it down at once."""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.live_server import REPO, server_env

FIRST_PORT = int(os.environ.get("XPENSER_SYSTEM_PORT", "8140"))
POSTGRES = os.environ.get("XPENSER_SYSTEM_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("XPENSER_SYSTEM_REDIS", "redis://127.0.0.1:6379/8")
PASSWORD = "correct horse battery"


def answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=2).close()
        return True
    except OSError:
        return False


@contextmanager
def backend_env(kind: str, tmp_path: Path):
    """The environment of a deployment on `kind` ("sqlite" or "postgres": PostgreSQL + Redis)."""
    if kind == "sqlite":
        yield server_env(f"sqlite:///{tmp_path / 'system.sqlite3'}", tmp_path)
        return
    import psycopg
    import redis

    name = f"{os.environ.get('XPENSER_SCRATCH_DATABASE_PREFIX', 'xp_system')}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    redis.Redis.from_url(REDIS).flushdb()
    try:
        yield server_env(f"{POSTGRES}/{name}", tmp_path, REDIS_URL=REDIS)
    finally:
        redis.Redis.from_url(REDIS).flushdb()
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def manage_shell(env, script: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "manage.py"), "shell", "-c", script], env=env, cwd=REPO,
                          check=True, capture_output=True, text=True, timeout=120)
    return done.stdout


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def kill9(self) -> None:
        """SIGKILL to the whole process group: gunicorn's master, its workers and the task worker."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill9()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def serve(env, port: int, log: Path, workers: int = 3) -> Server:
    """`scripts/serve` on `port` with `workers` gunicorn workers; returns once it answers."""
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": str(workers), "PYTHON": sys.executable}
    with log.open("ab") as out:
        process = subprocess.Popen([str(REPO / "scripts" / "serve")], env=env, cwd=REPO, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"scripts/serve exited {process.returncode}:\n{server.log_text()[-3000:]}")
        try:
            if requests.get(f"{server.url}/accounts/login/", timeout=10).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.3)
    server.stop()
    raise AssertionError(f"scripts/serve did not answer on {port}:\n{server.log_text()[-3000:]}")


def create_user(env, email: str) -> None:
    manage_shell(env, "from accounts.models import User; "
                      f"User.objects.create_user(email={email!r}, password={PASSWORD!r})")
