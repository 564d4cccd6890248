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
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from safedesk.paths import migrations_dir

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    engine.dispose()
