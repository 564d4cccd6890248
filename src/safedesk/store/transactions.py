"""How user data is written: one short `BEGIN IMMEDIATE` transaction per change, and small helpers.

Connections run with synchronous=FULL, so once a transaction commits its change is on disk.
"""

from __future__ import annotations

import secrets
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from safedesk.errors import LibraryError
from safedesk.store.database import write_error


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_uid() -> str:
    return uuid.uuid4().hex


# short ids that people read and type: no 0/o, 1/l/i to confuse
SHORT_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
SHORT_LENGTH = 8


def short_uid(conn: sqlite3.Connection, table: str) -> str:
    """A new id for a row of `table` that people see (examples, steps, session records, actions):
    8 characters (31^8, about 8.5e11 of them), unused in the table."""
    while True:
        uid = "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))
        if conn.execute(f"SELECT 1 FROM {table} WHERE uid = ?", (uid,)).fetchone() is None:
            return uid


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One short write transaction; it takes the write lock at once (no deadlocks)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise LibraryError(
                "the library is busy (another safedesk is writing to it); try again"
            ) from None
        raise write_error(exc, "save the change") from None
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:  # SQLite may have rolled back already (disk full)
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise write_error(exc, "save the change") from None
        raise


def insert_row(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    """Insert one row (a None `id` lets SQLite choose); returns its rowid."""
    values = {k: v for k, v in values.items() if not (k == "id" and v is None)}
    cur = conn.execute(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )
    return int(cur.lastrowid or 0)


def bump_counter(conn: sqlite3.Connection, name: str) -> None:
    """Add one to a counter in `library_meta` (the generations derived data is checked against)."""
    conn.execute(
        "INSERT INTO library_meta (name, value) VALUES (?, '1') "
        "ON CONFLICT(name) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        (name,),
    )


def counter(conn: sqlite3.Connection, name: str) -> int:
    row = conn.execute("SELECT value FROM library_meta WHERE name = ?", (name,)).fetchone()
    return int(row[0]) if row else 0


def meta(conn: sqlite3.Connection, name: str) -> str | None:
    """A value kept in `library_meta` (None if unset)."""
    row = conn.execute("SELECT value FROM library_meta WHERE name = ?", (name,)).fetchone()
    return str(row[0]) if row else None


def set_meta(conn: sqlite3.Connection, name: str, value: str | None) -> None:
    """Set (or, for None, clear) a value in `library_meta`, in its own transaction."""
    with transaction(conn):
        if value is None:
            conn.execute("DELETE FROM library_meta WHERE name = ?", (name,))
        else:
            conn.execute(
                "INSERT INTO library_meta (name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
