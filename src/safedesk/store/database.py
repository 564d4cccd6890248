"""Opening the library database: SQLite pragmas, schema version checks, error translation.

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
from safedesk.store.locations import file_uri

log = logging.getLogger(__name__)

# Every migration in db/versions, oldest first. A test checks this against Alembic's own history.
KNOWN_REVISIONS = ["0001", "0002", "0003", "0004", "0005", "0006"]


class NewerSchemaError(LibraryError):
    """The database was written by a newer safedesk; we refuse rather than damage it."""


class CorruptDatabaseError(LibraryError):
    """SQLite says the file is not a healthy database."""


# SQLite's primary result codes that matter to users (the low byte of an extended code)
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 10, 11, 13, 26
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_CANTOPEN = 5, 6, 8, 14
DISK_TROUBLE = (SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN)  # space or I/O: never damage


def error_code(exc: BaseException) -> int | None:
    """SQLite's primary result code for `exc` (also through SQLAlchemy's wrapper), else None."""
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: BaseException) -> bool:
    """True if SQLite says the file is not a (healthy) database. Only this is damage: I/O and
    space errors (a full disk) say nothing about the file."""
    return error_code(exc) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def disk_trouble(exc: BaseException) -> bool:
    """True for a full disk or an I/O error (including SQLite failing to make its -shm file)."""
    return error_code(exc) in DISK_TROUBLE


def reason(exc: BaseException) -> str:
    """Why SQLite failed, in words for people."""
    code = error_code(exc)
    if code == SQLITE_FULL:
        return "the disk is full; free some space and try again"
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN):
        return (
            "the disk is full or cannot be written (SQLite: "
            f"{getattr(exc, 'orig', None) or exc}); free some space or check the disk, then try "
            "again"
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return "the library is busy (another safedesk is writing to it); try again"
    if code == SQLITE_READONLY:
        return "the library is read-only here"
    if is_damage(exc):
        return "the library database is damaged; run `safedesk doctor`"
    return str(getattr(exc, "orig", None) or exc)


def write_error(exc: BaseException, doing: str) -> LibraryError:
    """A one-line LibraryError for a failed write to the library (`doing`: "save the note")."""
    return LibraryError(f"cannot {doing}: {reason(exc)}; nothing was changed")


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
        if not is_damage(exc):  # a full disk, an I/O error, a busy library: not the file's fault
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


def current_revision(conn: sqlite3.Connection) -> str | None:
    """The schema revision Alembic stamped; None for a database it has not touched (new)."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise  # busy, a full disk, an I/O error: say so, never take it for a new library
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
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


def aside_path(db_path: Path) -> Path:
    """A name beside `db_path` for moving it aside (`library.damaged-<time>.sqlite3`) that no
    file (nor its -wal or -shm) has yet."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = db_path.with_name(f"{db_path.stem}.damaged-{stamp}{db_path.suffix}")
    n = 1
    while any(Path(f"{target}{s}").exists() for s in ("", "-wal", "-shm")):
        n += 1
        target = db_path.with_name(f"{db_path.stem}.damaged-{stamp}-{n}{db_path.suffix}")
    return target


def move_aside(db_path: Path, target: Path | None = None) -> Path:
    """Move a database (and its WAL files) out of the way without overwriting anything."""
    target = target or aside_path(db_path)
    for suffix in ("", "-wal", "-shm"):
        src = Path(f"{db_path}{suffix}")
        if src.exists():
            shutil.move(src, f"{target}{suffix}")
    return target


def peek(db_path: Path, writable: bool) -> tuple[list[str], str | None, bool]:
    """Integrity check and schema revision through a read-only connection (changes nothing; with
    `writable` False the file is opened immutable, as on a read-only mount). The flag says the
    check could not run for want of disk space or through an I/O error (not damage)."""
    uri = file_uri(db_path, mode="ro", **({} if writable else {"immutable": "1"}))
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(3)").fetchall()]
            revision = current_revision(conn) if integrity == ["ok"] else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [reason(exc)], None, not is_damage(exc)
    except LibraryError as exc:
        return [str(exc)], None, False
    return integrity, revision, False


def integrity(conn: sqlite3.Connection) -> tuple[list[str], int]:
    """SQLite's integrity check ("ok" when intact) and the number of rows whose foreign keys point
    at rows that are missing."""
    found = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    return found, len(conn.execute("PRAGMA foreign_key_check").fetchall())
