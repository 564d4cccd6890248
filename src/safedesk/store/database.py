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
from safedesk.fileio import replace_atomically

log = logging.getLogger(__name__)

# Every migration in db/versions, oldest first. A test checks this against Alembic's own history.
KNOWN_REVISIONS = ["0001", "0002"]
BACKUPS_KEPT = 10


class NewerSchemaError(LibraryError):
    """The database was written by a newer safedesk; we refuse rather than damage it."""


class CorruptDatabaseError(LibraryError):
    """SQLite says the file is not a healthy database."""


# SQLite's primary result codes that matter to users (the low byte of an extended code)
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 10, 11, 13, 26
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 5, 6, 8


def error_code(exc: BaseException) -> int | None:
    """SQLite's primary result code for `exc` (also through SQLAlchemy's wrapper), else None."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: BaseException) -> bool:
    """True if SQLite says the file is not a (healthy) database."""
    return error_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def write_error(exc: BaseException, doing: str) -> LibraryError:
    """A one-line LibraryError for a failed write to the library (`doing`: "save the note")."""
    code = error_code(exc)
    if code == SQLITE_FULL:
        why = "the disk is full; free some space and try again"
    elif code in (SQLITE_BUSY, SQLITE_LOCKED):
        why = "the library is busy (another safedesk is writing to it); try again"
    elif code == SQLITE_READONLY:
        why = "the library is read-only here"
    elif code == SQLITE_IOERR:
        why = "the disk reported an error while writing; check the disk and try again"
    elif is_damage(exc):
        why = "the library database is damaged; run `safedesk doctor`"
    else:
        why = str(getattr(exc, "orig", None) or exc)
    return LibraryError(f"cannot {doing}: {why}; nothing was changed")


def connect(path: Path) -> sqlite3.Connection:
    """Open the database with the pragmas every connection must have.

    The schema revision is checked before anything is written (WAL mode changes the file header),
    so a library from a newer safedesk is refused byte-for-byte untouched.
    """
    conn = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA foreign_keys=ON")
        needs_migration(conn)  # raises NewerSchemaError before anything is written
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        if error_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED):
            raise write_error(exc, "open the library") from None
        raise CorruptDatabaseError(f"{path} is not a readable safedesk library ({exc})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def check_health(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's quick check (about a millisecond here); CorruptDatabaseError if it finds damage."""
    try:
        found = [r[0] for r in conn.execute("PRAGMA quick_check(3)").fetchall()]
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        found = [str(exc)]
    if found != ["ok"]:
        raise CorruptDatabaseError(f"{path} is damaged (SQLite says: {'; '.join(found)})")


def backups(backups_dir: Path) -> list[Path]:
    """The backups in `backups_dir`, newest first (names carry a UTC time stamp)."""
    found = sorted(backups_dir.glob("library-*.sqlite3"), key=lambda p: p.name, reverse=True)
    return [p for p in found if p.is_file()]


def current_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if error_code(exc) in (SQLITE_BUSY, SQLITE_LOCKED):
            raise
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


class BackupFolderError(LibraryError):
    """A backup cannot be made in the backups folder; the message names it and says why."""


def backup(conn: sqlite3.Connection, backups_dir: Path, reason: str) -> Path:
    """Copy the live database with SQLite's online backup API; keep the newest few copies.

    A folder that cannot hold it (not a folder, not writable, a full disk) raises
    BackupFolderError naming the folder and the reason; no partial copy is left behind.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = backups_dir / f"library-{stamp}-{reason}.sqlite3"

    def copy(partial: Path) -> None:
        dest = sqlite3.connect(partial)
        try:
            conn.backup(dest)
        finally:
            dest.close()

    try:
        backups_dir.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, copy)
    except (OSError, sqlite3.Error) as exc:
        raise BackupFolderError(
            f"cannot make a backup in {backups_dir}: {_folder_problem(exc, backups_dir)}"
        ) from None
    # rotate per reason, so that many imports never push out the daily copies
    for old in sorted(backups_dir.glob(f"library-*-{reason}.sqlite3"))[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    log.info("backed up the library to %s", target)
    return target


def _folder_problem(exc: OSError | sqlite3.Error, folder: Path) -> str:
    if folder.exists() and not folder.is_dir():
        return "it is a file, not a folder"
    if isinstance(exc, sqlite3.Error):
        return "the disk is full" if error_code(exc) == SQLITE_FULL else str(exc)
    return (exc.strerror or str(exc)).lower() if exc.errno else str(exc)


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
    n = 1
    while any(Path(f"{target}{s}").exists() for s in ("", "-wal", "-shm")):
        n += 1
        target = db_path.with_name(f"{db_path.stem}.damaged-{stamp}-{n}{db_path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db_path}{suffix}")
        if src.exists():
            shutil.move(src, f"{target}{suffix}")
    return target
