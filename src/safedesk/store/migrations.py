"""Bringing a library's schema up to date with the Alembic migrations in `db/versions`.

Alembic and SQLAlchemy are imported only when the schema actually needs to change.
"""

from __future__ import annotations

import logging
from pathlib import Path

from safedesk.store.backups import backup
from safedesk.store.database import KNOWN_REVISIONS, connect, current_revision, needs_migration

log = logging.getLogger(__name__)


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
