"""When the library database is damaged: move it aside, say so, and restore a backup.

A damaged database is never overwritten or repaired in place. It is renamed beside the library
(`library.damaged-<time>.sqlite3`) and a marker file remembers that, so that later starts keep
refusing (instead of quietly making a new, empty library) until the user restores a backup or
chooses to start afresh. Everything here works without an open `Library`: the GUI calls it when
opening fails.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from safedesk.errors import DamagedLibraryError, LibraryError
from safedesk.fileio import write_atomically
from safedesk.store import backups as backup_files
from safedesk.store import database, schema_check

log = logging.getLogger(__name__)

DB_NAME = "library.sqlite3"
MARKER_NAME = "library.damaged.json"
EMPTY_NAME = "library.started-empty.json"  # moved-aside files the user chose to leave


def read_only_part(data_dir: Path) -> Path | None:
    """The library folder or database file if it exists and cannot be written, else None."""
    for path in (data_dir, data_dir / DB_NAME):
        if path.exists() and not os.access(path, os.W_OK):
            return path
    return None


def backups(data_dir: Path) -> list[Path]:
    """The library's backups, newest first."""
    return backup_files.backups(data_dir / "backups")


def quarantine(data_dir: Path, why: str) -> DamagedLibraryError:
    """Move the damaged database aside and return the error to raise. The marker that stops a
    later start from making an empty library is written first: if it cannot be (a full disk),
    nothing is moved."""
    db_path = data_dir / DB_NAME
    target = database.aside_path(db_path)
    moved: Path | None = None
    try:
        _write_marker(data_dir, target, why)
        moved = database.move_aside(db_path, target)
    except (LibraryError, OSError) as exc:  # no space for the marker, or the file is held
        log.error("cannot move the damaged library %s aside: %s", db_path, exc)
        clear_marker(data_dir)
    else:
        log.error("the library database was damaged (%s); moved it to %s", why, moved)
    return damaged_error(data_dir, moved)


def refuse_if_damaged(data_dir: Path) -> None:
    """Raise DamagedLibraryError if the library database is missing while one moved aside is
    still there (a marker, or a `library.damaged-*` file the user has not chosen to leave with
    `restore-backup --empty`): a new, empty library is never made by accident."""
    marker = data_dir / MARKER_NAME
    if (data_dir / DB_NAME).exists():
        marker.unlink(missing_ok=True)  # a database is back (restored, or put there by hand)
        return
    try:
        moved: Path | None = Path(json.loads(marker.read_text("utf-8"))["moved_to"])
    except (OSError, ValueError, KeyError, TypeError):
        moved = None
    waiting = _unacknowledged(data_dir)
    if moved is None and not waiting:
        return
    raise damaged_error(data_dir, moved or waiting[-1])


def _moved_aside(data_dir: Path) -> list[Path]:
    return sorted(
        p for p in data_dir.glob(f"{Path(DB_NAME).stem}.damaged-*{Path(DB_NAME).suffix}")
        if p.is_file()
    )  # fmt: skip


def _unacknowledged(data_dir: Path) -> list[Path]:
    """Moved-aside databases the user has not chosen to leave behind."""
    try:
        left = set(json.loads((data_dir / EMPTY_NAME).read_text("utf-8"))["left"])
    except (OSError, ValueError, KeyError, TypeError):
        left = set()
    return [p for p in _moved_aside(data_dir) if p.name not in left]


def damaged_error(data_dir: Path, moved: Path | None) -> DamagedLibraryError:
    db_path = data_dir / DB_NAME
    found = backups(data_dir)
    where = f"; it was moved to {moved.name}" if moved else " and could not be moved aside"
    if found:
        offer = f"run `safedesk restore-backup` to restore the newest backup ({found[0].name})"
    else:
        offer = (
            "no backup was found: run `safedesk restore-backup FILE` with a copy you have, "
            "or `safedesk restore-backup --empty` to start a new, empty library"
        )
    return DamagedLibraryError(
        f"the library database {db_path} is damaged{where}; {offer}", db_path, moved, found
    )


def restore_into(data_dir: Path, source: Path | None = None) -> Path:
    """Make `source` (default: the newest healthy backup) the library database in `data_dir`,
    without opening the library. A database already there is moved aside, never overwritten.
    Returns the backup that was restored."""
    if source is None:
        source = newest_healthy_backup(data_dir)
    fresh = schema_check.rebuilt_copy(source, data_dir)  # checked; only its rows are copied
    db_path = data_dir / DB_NAME
    try:
        if any(Path(f"{db_path}{s}").exists() for s in ("", "-wal", "-shm")):
            kept = database.move_aside(db_path)
            log.warning("moved %s aside to %s before restoring a backup", db_path, kept)
        fresh.replace(db_path)
    except OSError as exc:
        fresh.unlink(missing_ok=True)
        raise LibraryError(f"cannot restore {source.name}: {exc.strerror or exc}") from None
    clear_marker(data_dir)
    (data_dir / "index" / "safedesk-stamp.json").unlink(missing_ok=True)  # rebuilt on open
    log.info("restored the library from %s", source)
    return source


def newest_healthy_backup(data_dir: Path, candidates: list[Path] | None = None) -> Path:
    """The newest backup (of `candidates`, default all) that passes the backup check;
    LibraryError if there is none."""
    found = backups(data_dir) if candidates is None else candidates
    return schema_check.newest_healthy(found, data_dir / "backups")


def start_empty(data_dir: Path) -> Path | None:
    """The user's choice after damage: let the next open make a new, empty library. Every
    moved-aside database stays where it is (it is only recorded as left behind); a database that
    is still in place is moved aside first (returned), never deleted."""
    db_path = data_dir / DB_NAME
    kept = database.move_aside(db_path) if db_path.exists() else None
    names = sorted(p.name for p in _moved_aside(data_dir))
    record = json.dumps({"left": names})
    write_atomically(data_dir / EMPTY_NAME, lambda p: p.write_text(record, "utf-8"), "the record")
    clear_marker(data_dir)
    return kept


def clear_marker(data_dir: Path) -> None:
    (data_dir / MARKER_NAME).unlink(missing_ok=True)


def _write_marker(data_dir: Path, moved: Path, why: str) -> None:
    record = json.dumps({"moved_to": str(moved), "reason": why})
    write_atomically(data_dir / MARKER_NAME, lambda p: p.write_text(record, "utf-8"), "the marker")
