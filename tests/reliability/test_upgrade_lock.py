"""Two safedesks opening an old library at once take turns to upgrade it: the second waits on a
lock file beside the library, then finds the library upgraded (real processes)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safedesk.store import database
from safedesk.store.file_lock import exclusive
from safedesk.store.migrations import lock_path
from tests.reliability.conftest import child_env

pytestmark = pytest.mark.slow


def _start(data_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "safedesk", "--data-dir", str(data_dir), "bookmarks"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(),
    )  # fmt: skip


def _revision(db: Path) -> str:
    return str(_one(db, "SELECT version_num FROM alembic_version"))


def _one(db: Path, sql: str) -> object:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_an_upgrade_waits_for_the_one_in_progress(old_library: Path) -> None:
    db = old_library / "library.sqlite3"
    with exclusive(lock_path(db), 5, "busy"):  # this test is the other safedesk, mid-upgrade
        second = _start(old_library)
        log = old_library / "logs" / "safedesk.log"
        deadline = time.monotonic() + 60
        while "waiting for another safedesk" not in (log.read_text() if log.exists() else ""):
            assert second.poll() is None, second.communicate()  # it waits...
            assert time.monotonic() < deadline, "it never waited for the lock"
            time.sleep(0.1)
        time.sleep(1)
        assert second.poll() is None, second.communicate()  # ...and goes on waiting...
        assert _revision(db) == "0002"  # ...without touching the library
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert _revision(db) == database.KNOWN_REVISIONS[-1]
    assert "/box-6" in out
    assert _one(db, "SELECT count(*) FROM bookmark") == 7  # every bookmark of the old library


def test_two_processes_opening_an_old_library_at_once(old_library: Path) -> None:
    db = old_library / "library.sqlite3"
    first, second = _start(old_library), _start(old_library)
    results = [p.communicate(timeout=180) for p in (first, second)]
    for process, (out, err) in zip((first, second), results, strict=True):
        assert process.returncode == 0, err
        assert "/box-6" in out, out
        assert "Traceback" not in err
    assert _revision(db) == database.KNOWN_REVISIONS[-1]
    assert _one(db, "SELECT count(*) FROM bookmark") == 7
    # one upgrade, one backup before it: the second found the library already upgraded
    assert len(list((old_library / "backups").glob("*-before-migration.sqlite3"))) == 1
