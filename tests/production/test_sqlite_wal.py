"""The SQLite -wal file stays within what docs/deploy.md ("SQLite") says: ~4 MB under a steady load, and cut back
to the journal size limit (64 MB by default) after a checkpoint that follows a burst."""

import json
import subprocess
import sys
from pathlib import Path

from tests.processes import ROOT, project_env

PAGE = 4096
AUTOCHECKPOINT_PAGES = 1000


def run(mode: str, db_path: Path, **env) -> dict:
    full_env = project_env(DATABASE_URL=f"sqlite:///{db_path}", DJANGO_SECRET_KEY="wal-test",
                           DJANGO_SETTINGS_MODULE="xpenser_server.settings", **env)
    out = subprocess.run([sys.executable, str(ROOT / "tests/production/sqlite_wal_burst.py"), mode], cwd=ROOT,
                         env=full_env, capture_output=True, text=True, timeout=240, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_steady_write_load_keeps_the_wal_around_the_autocheckpoint_size(tmp_path):
    sizes = run("steady", tmp_path / "steady.sqlite3")
    # 6,000 x 1 KB rows (~7 MB written): the WAL restarts after each autocheckpoint instead of growing.
    assert sizes["largest"] <= (AUTOCHECKPOINT_PAGES + 50) * PAGE, sizes


def test_after_a_burst_and_a_checkpoint_the_wal_is_cut_back_to_the_size_limit(tmp_path):
    limit = 2 * 1024 * 1024  # the documented default is 64 MB; a small limit keeps the burst quick
    sizes = run("burst", tmp_path / "burst.sqlite3", XPENSER_SQLITE_JOURNAL_SIZE_LIMIT=str(limit))
    assert sizes["after_burst"] > 10 * 1024 * 1024, sizes  # one 12 MB transaction cannot be checkpointed midway
    assert sizes["after_checkpoint"] <= limit, sizes


def test_the_documented_bounds_are_the_settings():
    from django.conf import settings

    text = (ROOT / "docs/deploy.md").read_text()
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert settings.SQLITE_WAL_AUTOCHECKPOINT_PAGES == AUTOCHECKPOINT_PAGES
        assert settings.SQLITE_JOURNAL_SIZE_LIMIT == 64 * 1024 * 1024
    assert "wal_autocheckpoint=1000" in text and "journal_size_limit=67108864" in text
    assert "64 MB at most after a long burst" in text
