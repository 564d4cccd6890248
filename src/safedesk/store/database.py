"""Opening the library database: SQLite pragmas, schema version checks, backups, migrations.

Reads use the standard library's sqlite3 (cheap to import, so the CLI stays fast); migrations
import Alembic and SQLModel only when the schema actually needs to change.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from safedesk.errors import LibraryError

log = logging.getLogger(__name__)

# Every migration in db/versions, oldest first. A test checks this against Alembic's own history.
KNOWN_REVISIONS = ["0001", "0002"]
BACKUPS_KEPT = 10


class NewerSchemaError(LibraryError):
    """The database was written by a newer safedesk; we refuse rather than damage it."""


class CorruptDatabaseError(LibraryError):
    """SQLite says the file is not a healthy database."""


def connect(path: Path) -> sqlite3.Connection:
    """Open the database with the pragmas every connection must have."""
    conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise CorruptDatabaseError(f"{path} is not a readable safedesk library ({exc})") from None
    return conn


def current_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(f"the library database is damaged ({exc})") from None
    return row[0] if row else None


def needs_migration(conn: sqlite3.Connection) -> bool:
    revision = current_revision(conn)
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerSchemaError(
            f"this library was written by a newer version of safedesk (schema {revision}); "
            "install that version to open it"
        )
    return revision != KNOWN_REVISIONS[-1]


def backup(conn: sqlite3.Connection, backups_dir: Path, reason: str) -> Path:
    """Copy the live database with SQLite's online backup API; keep the newest few copies."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups_dir / f"library-{stamp}-{reason}.sqlite3"
    partial = target.with_suffix(".partial")
    dest = sqlite3.connect(partial)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    partial.replace(target)
    # rotate per reason, so that many imports never push out the daily copies
    for old in sorted(backups_dir.glob(f"library-*-{reason}.sqlite3"))[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    log.info("backed up the library to %s", target)
    return target


def migrate(db_path: Path, backups_dir: Path) -> None:
    """Bring the schema up to date, backing the file up first if it holds anything."""
    conn = connect(db_path)
    try:
        if not needs_migration(conn):
            return
        has_data = current_revision(conn) is not None
        if has_data:
            backup(conn, backups_dir, "before-migration")
    finally:
        conn.close()

    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from safedesk.paths import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
    log.info("library schema is now at %s", KNOWN_REVISIONS[-1])


def move_aside(db_path: Path) -> Path:
    """Move a damaged database (and its WAL files) out of the way without overwriting anything."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.stem}.damaged-{stamp}{db_path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db_path}{suffix}")
        if src.exists():
            shutil.move(src, f"{target}{suffix}")
    return target
