"""Migrations in db/ are the schema: they match the SQLModel tables and run from the package."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import safedesk.store.tables  # noqa: F401
from safedesk.library import Library
from safedesk.paths import migrations_dir
from safedesk.store import backups, database, migrations, schema_check


def test_known_revisions_match_the_migration_scripts() -> None:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    scripts = ScriptDirectory.from_config(config)
    history = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert history == database.KNOWN_REVISIONS


def test_the_shipped_reference_schemas_are_what_the_migrations_make() -> None:
    shipped = schema_check.from_json((migrations_dir() / schema_check.SHIPPED_NAME).read_text())
    assert sorted(shipped) == database.KNOWN_REVISIONS, "run: .venv/bin/python db/make_schemas.py"
    for revision in database.KNOWN_REVISIONS:
        assert shipped[revision] == schema_check.built(revision), (
            f"db/schemas.json is out of date at {revision}: run .venv/bin/python db/make_schemas.py"
        )


def test_without_the_shipped_schemas_the_check_builds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / schema_check.SHIPPED_NAME).write_text('{"0006": [["table", 1')  # cut short
    monkeypatch.setattr(schema_check, "migrations_dir", lambda: tmp_path)
    schema_check._shipped.cache_clear()
    schema_check.reference.cache_clear()
    try:
        assert schema_check.reference("0006") == schema_check.built("0006")
        assert "building reference schemas from the migrations" in caplog.text
    finally:
        schema_check._shipped.cache_clear()
        schema_check.reference.cache_clear()


def test_migrated_schema_matches_the_sqlmodel_tables(tmp_path: Path) -> None:
    db = tmp_path / "library.sqlite3"
    migrations.migrate(db, tmp_path / "backups")
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_open_creates_the_schema_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    with Library.open(tmp_path, bundled=False) as lib:
        conn = lib.store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert database.current_revision(conn) == database.KNOWN_REVISIONS[-1]


def test_a_library_from_a_newer_safedesk_is_refused_untouched(tmp_path: Path) -> None:
    Library.open(tmp_path, bundled=False).close()
    db = tmp_path / "library.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db.read_bytes()
    with pytest.raises(database.NewerSchemaError, match="newer version of safedesk"):
        Library.open(tmp_path)
    assert db.read_bytes() == before


def test_migrating_an_existing_database_backs_it_up_first(tmp_path: Path) -> None:
    db = tmp_path / "library.sqlite3"
    with sqlite3.connect(db) as conn:  # a database Alembic has not stamped yet, holding a table
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        conn.execute("INSERT INTO alembic_version VALUES ('0000')")
    database.KNOWN_REVISIONS.insert(0, "0000")
    try:
        conn = database.connect(db)
        assert database.needs_migration(conn)
        backup = backups.backup(conn, tmp_path / "backups", "before-migration")
        conn.close()
    finally:
        database.KNOWN_REVISIONS.remove("0000")
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0000"
    copy.close()
