"""Real faults for the reliability suite: small tmpfs mounts (a disk that fills up, a folder that
is really read-only), CLI runs in real processes, and row-level snapshots of user data."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

USER_TABLES = (
    "bookmark", "collection", "collection_item", "example", "session_step", "session_record",
    "session_action",
)  # fmt: skip
B = "nfer-2011-safeguarding-children-council-developments/"
# a library at the first released schema, with user data (tests/fixtures/make_old_library.py)
OLD = Path(__file__).resolve().parents[1] / "fixtures" / "libraries" / "first-user-schema.sqlite3"


def cli(data_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`safedesk --data-dir DATA_DIR ARGS...` in a real process."""
    return subprocess.run(
        [sys.executable, "-m", "safedesk", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, timeout=timeout, env=child_env(),
    )  # fmt: skip


def child_env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    """The CLI failed the way users should see it: exit 1, one line, no traceback."""
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("safedesk: error: "), done.stderr
    return lines[0]


def user_columns(db: Path) -> dict[str, list[str]]:
    """The columns of each user table the database has (older schemas lack the newer tables)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        found = {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in USER_TABLES}
        return {t: columns for t, columns in found.items() if columns}
    finally:
        conn.close()


def user_rows(
    db: Path, columns: dict[str, list[str]] | None = None
) -> dict[str, list[tuple[object, ...]]]:
    """Every user row, each column as (SQLite type, raw bytes): byte-for-byte comparable.
    `columns` limits the comparison to these columns (those of an older schema)."""
    columns_of = columns or user_columns(db)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = {}
        for table in columns_of:
            columns = columns_of[table]
            picks = ", ".join(f"typeof({c}), CAST({c} AS BLOB)" for c in columns)
            rows[table] = conn.execute(f"SELECT {picks} FROM {table} ORDER BY id").fetchall()
        return rows
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def files_in(folder: Path) -> set[str]:
    """Every file and folder under `folder`, relative (SQLite's -wal/-shm left out: SQLite's)."""
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if not p.name.endswith(("-wal", "-shm", "MAIN_WRITELOCK"))
    }


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    return done.returncode == 0


def _can_mount() -> bool:
    return sys.platform.startswith("linux") and os.geteuid() == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 12 MiB tmpfs (root on Linux only; skipped elsewhere)."""
    point = tmp_path / "disk"
    point.mkdir()
    if not _can_mount() or not _mount("-t", "tmpfs", "-o", "size=12m", "safedesk-test", str(point)):
        pytest.skip("needs root on Linux to mount a small tmpfs")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the filesystem at `disk` up, leaving about `leave` bytes free."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as out:  # unbuffered: closing has nothing left to write
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass
    if leave:
        size = filler.stat().st_size
        os.truncate(filler, max(0, size - leave))
    return filler


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder that is really read-only, with a function to fill it first. As root (whom chmod
    does not stop) it is a tmpfs remounted read-only; otherwise chmod. Yields (folder, how)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    mounted = _can_mount() and _mount("-t", "tmpfs", "-o", "size=16m", "safedesk-ro", str(folder))
    if os.geteuid() == 0 and not mounted:
        pytest.skip("as root only a read-only mount stops writes, and mounting failed here")
    try:
        yield folder, "mount" if mounted else "chmod"
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)
        else:
            for path in [folder, *folder.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)


def make_read_only(folder: Path, how: str) -> None:
    if how == "mount":
        assert _mount("-o", "remount,ro", str(folder))
    else:
        for path in [*folder.rglob("*"), folder]:
            path.chmod(0o555 if path.is_dir() else 0o444)


@pytest.fixture
def old_library(tmp_path: Path) -> Path:
    """A data folder holding a copy of the first-schema library (OLD)."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(OLD, folder / "library.sqlite3")
    return folder
