"""New Python processes of the project, started from an environment with none of the test run's settings."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Test servers listen on loopback; a proxy from the shell must not stand between them and their clients.
PROXY_VARIABLES = ("http_proxy", "https_proxy")


def project_env(**env_vars) -> dict:
    """This environment as a server would start with it: the test run's PYTEST_, DJANGO_ and XPENSER_
    settings, Redis, database, mail and HTTP proxies left out, the project importable; then `env_vars`. A `.env`
    file in the checkout still fills in what is unset (xpenser_server/settings.py reads it, as a server started
    there does)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST", "DJANGO_", "XPENSER_", "REDIS_URL", "DATABASE_URL", "EMAIL_URL"))
           and k.lower() not in PROXY_VARIABLES}
    env["PYTHONPATH"] = str(ROOT)
    env.update(env_vars)
    return env


def run_python(script: str, tmp_path: Path, **env_vars) -> dict:
    """Run `script` in the project's directory (project_env, a scratch SQLite file in `tmp_path` unless
    `env_vars` name a DATABASE_URL). The last line it prints, read as JSON."""
    env = project_env(**{"DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}", **env_vars})
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0 and result.stdout.strip(), result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
