"""Small helpers shared by tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump_database(db: Path) -> str:
    """Every row and schema statement of a SQLite file, to compare before and after."""
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def database_at_revision(db: Path, revision: str) -> None:
    """Create `db` with the schema as Alembic migration `revision` left it (an older library)."""
    from safedesk.store.migrations import upgrade

    upgrade(db, revision)
