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
