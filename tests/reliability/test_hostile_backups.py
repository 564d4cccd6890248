"""A backup is untrusted input: only a plain safedesk library restores, and only its rows.

Red-team findings: a backup with a trigger (`AFTER INSERT ON bookmark BEGIN DELETE FROM bookmark;
END`) restored, then deleted every bookmark on the next add while doctor said all was well; a view
named like a table, missing tables, or a file holding only `alembic_version` restored and then
broke every command, restore-backup included. Backups were WAL files (checking one on a read-only
mount failed; checking left -wal and -shm in backups/) and a backup of another page size was
refused as "read-only".
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from safedesk.library import Library
from tests.reliability.conftest import (
    OLD,
    B,
    cli,
    make_read_only,
    one_line_error,
    user_columns,
    user_rows,
)


def _hostile(library_backup: Path, tmp_path: Path, sql: str, name: str) -> Path:
    target = tmp_path / f"{name}.sqlite3"
    shutil.copy(library_backup, target)
    conn = sqlite3.connect(target)
    conn.executescript(sql)
    conn.close()
    return target


@pytest.fixture
def healthy_backup(data_dir: Path, tmp_path: Path) -> Path:
    with Library.open(data_dir) as lib:
        lib.bookmark(B + "box-9", note="in the backup")
        lib.create_collection("March")
        lib.add_to_collection("March", B + "box-3", note="facilitator's note")
        return lib.backup(tmp_path / "healthy.sqlite3")


CASES: dict[str, tuple[str, str]] = {
    "trigger": (
        "CREATE TRIGGER wipe AFTER INSERT ON bookmark BEGIN DELETE FROM bookmark; END;",
        "a trigger 'wipe'",
    ),
    "item-trigger": (
        "CREATE TRIGGER rewrite AFTER UPDATE ON collection_item "
        "BEGIN UPDATE collection_item SET note = 'pwned'; END;",
        "a trigger 'rewrite'",
    ),
    "view": (
        "DROP TABLE example; CREATE VIEW example AS SELECT * FROM bookmark;",
        "a view 'example'",
    ),
    "missing": ("DROP TABLE collection_item;", "no table 'collection_item'"),
    "extra-column": ("ALTER TABLE bookmark ADD COLUMN payload TEXT;", "'bookmark' in another"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_backup_with_foreign_schema_objects_is_refused_by_name(
    case: str, healthy_backup: Path, data_dir: Path, tmp_path: Path
) -> None:
    sql, named = CASES[case]
    hostile = _hostile(healthy_backup, tmp_path, sql, case)
    before = user_rows(data_dir / "library.sqlite3")
    line = one_line_error(cli(data_dir, "restore-backup", str(hostile)))
    assert named in line and "not restored" in line
    assert user_rows(data_dir / "library.sqlite3") == before
    added = cli(data_dir, "bookmark", "add", B + "box-11")
    assert added.returncode == 0, added.stderr
    doctor = cli(data_dir, "doctor")
    assert doctor.returncode == 0, doctor.stdout


def test_a_file_holding_only_the_schema_stamp_is_refused(data_dir: Path, tmp_path: Path) -> None:
    stamp_only = tmp_path / "stamp.sqlite3"
    conn = sqlite3.connect(stamp_only)
    conn.executescript(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"
        "INSERT INTO alembic_version VALUES ('0002');"
    )
    conn.close()
    line = one_line_error(cli(data_dir, "restore-backup", str(stamp_only)))
    assert "not a plain safedesk library" in line and "no table" in line
    assert cli(data_dir, "bookmarks").returncode == 0


def test_doctor_names_foreign_objects_and_a_backup_gets_out(
    healthy_backup: Path, data_dir: Path
) -> None:
    conn = sqlite3.connect(data_dir / "library.sqlite3")
    conn.execute("CREATE TRIGGER wipe AFTER INSERT ON bookmark BEGIN DELETE FROM bookmark; END")
    conn.close()
    doctor = cli(data_dir, "doctor")
    assert doctor.returncode == 1 and "a trigger 'wipe'" in doctor.stdout
    restored = cli(data_dir, "restore-backup", str(healthy_backup))
    assert restored.returncode == 0, restored.stderr
    assert cli(data_dir, "doctor").returncode == 0  # the index too: rebuilt by the restore
    cli(data_dir, "bookmark", "add", B + "box-11")
    listed = cli(data_dir, "bookmarks", "--json").stdout
    assert "in the backup" in listed and B + "box-11" in listed


def test_backups_are_single_files_checked_without_writing(
    data_dir: Path, read_only_folder: tuple[Path, str]
) -> None:
    with Library.open(data_dir) as lib:
        lib.bookmark(B + "box-9", note="kept")
        made = lib.backup()
    assert made.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL
    folder, how = read_only_folder
    shutil.copy(made, folder / made.name)
    make_read_only(folder, how)
    restored = cli(data_dir, "restore-backup", str(folder / made.name))
    assert restored.returncode == 0, restored.stderr
    assert sorted(p.name for p in folder.iterdir()) == [made.name]
    assert not [p for p in made.parent.iterdir() if p.name.endswith(("-wal", "-shm"))]


def test_a_backup_of_another_page_size_restores_every_row(data_dir: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(OLD)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    live = sqlite3.connect(data_dir / "library.sqlite3")
    assert live.execute("PRAGMA page_size").fetchone()[0] != size
    live.close()
    columns = user_columns(OLD)
    expected = user_rows(OLD, columns)
    done = cli(data_dir, "restore-backup", str(OLD))
    assert done.returncode == 0, done.stderr
    assert "read-only" not in done.stderr
    assert user_rows(data_dir / "library.sqlite3", columns) == expected
