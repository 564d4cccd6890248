"""A library folder whose name holds URL syntax (`#`, `?`, `%20`) works like any other: SQLite and
SQLAlchemy are given the file itself, never a URL pasted together from the path."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from safedesk.library import Library
from safedesk.store import database
from tests.conftest import SECOND
from tests.reliability.conftest import OLD, B, cli

ODD = "a#b?c%20d"


def _bookmarks(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM bookmark").fetchone()[0])
    finally:
        conn.close()


def test_open_migrate_import_back_up_and_restore_under_an_odd_folder(tmp_path: Path) -> None:
    folder = tmp_path / ODD / "library"
    folder.mkdir(parents=True)
    shutil.copy(OLD, folder / "library.sqlite3")  # an old schema: opening upgrades it
    with Library.open(folder) as lib:
        assert database.current_revision(lib.store.conn) == database.KNOWN_REVISIONS[-1]
        shown = len(lib.bookmarks())
        assert shown >= 6
        summary = lib.import_report(SECOND)
        assert summary.practices > 0
        assert lib.search("family hubs").total > 0  # the index in the odd folder
        saved = lib.backup()
        assert saved.parent == folder / "backups" and saved.is_file()
        lib.unbookmark(B + "box-1")
        assert len(lib.bookmarks()) == shown - 1
        lib.restore_backup(saved)
        assert len(lib.bookmarks()) == shown
        assert lib.search("family hubs").total > 0
        assert lib.doctor().healthy
    # nothing was written beside the odd folder (a URL would have cut the path at '#' or '?')
    assert sorted(p.name for p in tmp_path.iterdir()) == [ODD]
    assert sorted(p.name for p in (tmp_path / ODD).iterdir()) == ["library"]
    assert _bookmarks(folder / "library.sqlite3") == _bookmarks(OLD)
    # the upgrade lock is the library's own, one file; restoring left no lock of its copies
    assert [p.name for p in folder.glob("*lock*")] == ["library.sqlite3.upgrade-lock"]


@pytest.mark.slow
def test_a_first_start_from_the_command_line_under_an_odd_folder(tmp_path: Path) -> None:
    folder = tmp_path / ODD
    done = cli(folder, "bookmark", "add", B + "box-2")
    assert done.returncode == 0, done.stderr
    backup = folder / "kept.sqlite3"
    assert cli(folder, "backup", "-o", str(backup)).returncode == 0
    assert cli(folder, "bookmark", "remove", B + "box-2").returncode == 0
    restored = cli(folder, "restore-backup", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert B + "box-2" in cli(folder, "bookmarks").stdout
    assert cli(folder, "doctor").returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [ODD]
