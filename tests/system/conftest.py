"""System tests (`make test-system`): each runs on SQLite and on PostgreSQL + Redis, against `scripts/serve`."""

import subprocess
import sys

import pytest

from tests.live_server import REPO

from .servers import POSTGRES, answers, backend_env


@pytest.fixture(autouse=True)
def _no_database_needed():
    """The servers have databases of their own; the tests only speak HTTP."""


@pytest.fixture(params=["sqlite", "postgres"])
def deployment(request, tmp_path):
    """(kind, environment) of a fresh deployment: an empty database, migrated, with shared media under tmp."""
    if request.param == "postgres" and not (answers("127.0.0.1", 5432) and answers("127.0.0.1", 6379)):
        pytest.skip(f"PostgreSQL ({POSTGRES}) or Redis not answering")
    with backend_env(request.param, tmp_path) as env:
        subprocess.run([sys.executable, str(REPO / "manage.py"), "migrate", "--noinput", "-v0"], env=env, cwd=REPO,
                       check=True, capture_output=True, timeout=300)
        yield request.param, env
