"""Bringing a library's schema up to date with the Alembic migrations in `db/versions`.

All or nothing: the migrations run on a copy of the database beside it, and only a copy that
reached the newest revision is renamed over the library. A failure at any step (a full disk, a
migration that raises, the process killed) leaves the library exactly as it was and at most a
temporary copy that `doctor --repair` removes. Alembic and SQLAlchemy are imported only when the
schema actually needs to change.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from safedesk.errors import LibraryError
from safedesk.fileio import temporary_beside
from safedesk.store import locations
from safedesk.store.backups import backup, copy_database, has_user_data
from safedesk.store.database import (
    KNOWN_REVISIONS,
    connect,
    current_revision,
    needs_migration,
    reason,
)
from safedesk.store.file_lock import exclusive

log = logging.getLogger(__name__)


LOCK_TIMEOUT = 300.0  # seconds to wait for another process's upgrade of the same library


def lock_path(db_path: Path) -> Path:
    """The lock file beside the library that one upgrade at a time holds."""
    return db_path.with_name(f"{db_path.name}.upgrade-lock")


def migrate(db_path: Path, backups_dir: Path) -> None:
    """Bring the schema up to date, backing the file up first if it holds anything.

    One process at a time: two safedesks opening an old library at once take turns on a lock
    file beside it, and the second then finds the library already up to date.
    """
    with exclusive(
        lock_path(db_path), LOCK_TIMEOUT,
        "another safedesk is upgrading the library and has not finished; try again later",
        lambda: log.info("waiting for another safedesk to finish upgrading the library"),
    ):  # fmt: skip
        migrate_private(db_path, backups_dir)


def migrate_private(db_path: Path, backups_dir: Path) -> None:
    """`migrate` without the lock, for a file no other process can know of (a temporary copy)."""
    conn = connect(db_path)
    try:
        if not needs_migration(conn):
            return
        revision = current_revision(conn)
        if revision is not None:
            backup(conn, backups_dir, "before-migration")
        elif _has_tables(conn) and not has_user_data(conn):
            _set_aside_unfinished(conn, db_path)  # and start afresh (revision stays None)
        # everything in the main file, so that the copy is whole and no -wal outlives the swap
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if Path(f"{db_path}-wal").exists() and Path(f"{db_path}-wal").stat().st_size:
        raise LibraryError(
            "cannot upgrade the library while another safedesk has it open; close it and try "
            "again; nothing was changed"
        )
    work = _work_file(db_path)
    try:
        if revision is not None:
            copy_database(db_path, work)
        upgrade(work)
        os.replace(work, db_path)
    except BaseException as exc:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        if isinstance(exc, LibraryError | KeyboardInterrupt | SystemExit):
            raise
        doing = "upgrade" if revision is not None else "set up"
        raise LibraryError(
            f"cannot {doing} the library: {_why(exc)}; nothing was changed"
        ) from None
    log.info("library schema is now at %s", KNOWN_REVISIONS[-1])


def upgrade(db_path: Path, revision: str = "head") -> None:
    """Run the migrations on the database file `db_path` up to `revision` (it is left in
    rollback-journal mode, closed)."""
    from alembic import command
    from alembic.config import Config

    from safedesk.paths import migrations_dir

    config = Config()
    # a ConfigParser value: "%" would start an interpolation
    config.set_main_option("script_location", str(migrations_dir()).replace("%", "%%"))
    engine = locations.engine(db_path)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to rename
    finally:
        conn.close()


def _work_file(db_path: Path) -> Path:
    return temporary_beside(db_path)  # `.library.sqlite3.<random>.partial`: doctor finds it


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone() is not None


def _set_aside_unfinished(conn: sqlite3.Connection, db_path: Path) -> None:
    """A first start that an older safedesk left half-made (tables, no schema stamp, nothing of
    the user's): keep a copy beside the library and start the schema afresh."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = db_path.with_name(f"{db_path.stem}.unfinished-{stamp}{db_path.suffix}")
    dest = sqlite3.connect(kept)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    log.warning("an unfinished first start was set aside as %s", kept)


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return (
            "the disk is full; free some space and try again" if exc.errno == 28 else (exc.strerror)
        )
    if isinstance(exc, sqlite3.Error) or isinstance(getattr(exc, "orig", None), sqlite3.Error):
        return reason(exc)
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
