"""Case 10: `safedesk doctor` names each state the other cases create, and `--repair` fixes what
is derived (the search index, leftover temporaries) and nothing else."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from safedesk.library import Library
from tests.helpers import database_at_revision
from tests.reliability.conftest import B, cli


def _doctor(data_dir: Path, *flags: str) -> tuple[int, dict[str, Any]]:
    done = cli(data_dir, "doctor", "--json", *flags)
    assert "Traceback" not in done.stderr, done.stderr
    report = json.loads(done.stdout)
    return done.returncode, report


def _check(report: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in report["checks"] if c["name"] == name)


def _age(path: Path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_missing_index_is_reported_and_rebuilt(data_dir: Path) -> None:
    shutil.rmtree(data_dir / "index")
    code, report = _doctor(data_dir)
    index = _check(report, "search index")
    assert code == 1 and not index["ok"] and index["repairable"] and "missing" in index["message"]
    code, report = _doctor(data_dir, "--repair")
    assert code == 0 and "search index rebuilt from the library" in report["repaired"]
    assert _doctor(data_dir)[0] == 0


def test_stale_temporary_files_are_reported_and_removed(data_dir: Path) -> None:
    stale = [
        data_dir / ".index-build-abc123",
        data_dir / "index.old",
        data_dir / "backups" / "library-x-daily.partial",
        data_dir / "index" / "vocabulary.partial",
    ]
    stale[0].mkdir()
    (stale[0] / "_MAIN_1.toc").write_bytes(b"half")
    stale[1].mkdir()
    (data_dir / "backups").mkdir(exist_ok=True)
    for path in stale[2:]:
        path.write_bytes(b"half")
    for path in stale:
        _age(path, 2 * 3600)
    fresh = data_dir / ".index-build-running"  # another safedesk's work in progress
    fresh.mkdir()
    code, report = _doctor(data_dir)
    temps = _check(report, "temporary files")
    assert code == 1 and not temps["ok"] and temps["message"].startswith("4 left")
    code, report = _doctor(data_dir, "--repair")
    assert code == 0 and "removed 4 leftover temporary files" in report["repaired"]
    assert not any(p.exists() for p in stale) and fresh.exists()
    assert (data_dir / "library.sqlite3").exists() and (data_dir / "index").is_dir()


def test_a_damaged_database_is_reported_without_being_touched(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.bookmark(B + "box-9", note="mine")
        lib.backup()
    db = data_dir / "library.sqlite3"
    data = bytearray(db.read_bytes())
    data[4096 * 3 : 4096 * 3 + 500] = b"\xa5" * 500
    db.write_bytes(bytes(data))
    code, report = _doctor(data_dir, "--repair")
    database = _check(report, "database")
    assert code == 1 and not database["ok"]
    assert "damaged" in database["message"] and "safedesk restore-backup" in database["message"]
    assert db.read_bytes() == bytes(data)  # doctor only looks, even with --repair
    assert cli(data_dir, "reports").returncode == 1  # opening moves it aside...
    code, report = _doctor(data_dir)
    moved = _check(report, "database")
    assert code == 1 and "moved to library.damaged-" in moved["message"]  # ...and doctor says so


def test_an_old_schema_is_reported_and_upgraded_only_by_repair(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "library.sqlite3"
    database_at_revision(db, "0001")
    before = db.read_bytes()
    code, report = _doctor(folder)
    schema = _check(report, "schema")
    assert code == 1 and not schema["ok"] and schema["repairable"]
    assert "revision 0001" in schema["message"] and db.read_bytes() == before
    code, report = _doctor(folder, "--repair")
    assert code == 0, report
    assert _check(report, "schema")["message"].startswith("up to date")
    assert list((folder / "backups").glob("*-before-migration.sqlite3"))


def test_broken_links_and_orphaned_references_are_named(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.create_collection("March")
        lib.add_to_collection("March", B + "box-1")
    conn = sqlite3.connect(data_dir / "library.sqlite3")
    with conn:
        conn.execute(
            "INSERT INTO bookmark (key, title, note, tags, created_at, updated_at) "
            "VALUES ('gone-report/box-1', 'Gone', 'kept', '[]', 'x', 'x')"
        )
        conn.execute(
            "INSERT INTO collection_item (uid, collection_id, position, key, title, text, "
            "report_key, report_title, note, prompts, created_at) "
            "VALUES ('u', 999, 0, 'k', 't', '', '', '', '', '[]', 'x')"
        )
    conn.close()
    code, report = _doctor(data_dir, "--repair")
    assert code == 1  # a broken link is not derived data: it is reported, never deleted
    assert not _check(report, "links")["ok"]
    assert "1 rows point at rows that are missing" in _check(report, "links")["message"]
    refs = _check(report, "bookmarks and collections")
    assert "1 bookmarks" in refs["message"] and "saved titles" in refs["message"]
