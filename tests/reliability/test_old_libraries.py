"""Case 6: a library from the first released schema with user data (fixture built by
tests/fixtures/make_old_library.py at Alembic revision 0002; revision 0001 had no user tables)
opens in this version with every user row byte-identical; a schema upgrade backs up first and
keeps every byte; a library from a newer safedesk is refused and left byte-identical."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safedesk import paths
from safedesk.library import Library
from safedesk.store import database
from tests.reliability.conftest import OLD, B, cli, one_line_error, user_columns, user_rows

FUTURE_MIGRATION = '''"""Test-only revision 0099: rebuilds every user table."""
import sqlalchemy as sa
from alembic import op

revision = "0099"
down_revision = "{latest}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("bookmark", "collection", "collection_item", "example", "session_step",
                  "session_record", "session_action"):
        with op.batch_alter_table(table, recreate="always") as batch:
            batch.add_column(sa.Column("colour", sa.String(), nullable=True))


def downgrade() -> None:
    pass
'''


def test_the_fixture_is_the_first_user_schema() -> None:
    import sqlite3

    conn = sqlite3.connect(f"file:{OLD}?mode=ro", uri=True)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"
    assert conn.execute("SELECT count(*) FROM bookmark").fetchone()[0] == 7
    conn.close()
    assert OLD.stat().st_size < 100_000


def test_it_opens_with_every_user_row_byte_identical(old_library: Path) -> None:
    expected, columns = user_rows(OLD), user_columns(OLD)
    with Library.open(old_library) as lib:
        assert database.current_revision(lib.store.conn) == database.KNOWN_REVISIONS[-1]
        notes = {b.key: b.note for b in lib.bookmarks()}
        assert notes[B + "box-6"] == "control \x01\x07\x1b[31m chars and a NUL \x00 inside"
        assert lib.collection("March session").items[3].note.startswith("<b>bold?</b>")
        assert lib.search("reflective practice").total > 0  # the bundled report was added
        # columns added since (sharing with a team) hold their defaults: nothing is shared
        assert not any(c.shared for c in lib.collections())
        assert not any(e.shared for e in lib.examples())
        march = lib.collection("March session")  # a plan can be made on an old collection
        assert march.length is None and {e.kind for e in march.steps} == {"item"}
        assert len(march.steps) == len(march.items) > 4
    db = old_library / "library.sqlite3"
    # every column the old schema had is byte-identical (newer columns are compared above)
    assert user_rows(db, columns) == expected
    assert set(user_columns(db)) > set(columns)  # the session and team tables were added beside


def test_an_upgrade_backs_up_first_and_keeps_every_byte(
    old_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real next migration (test-only revision 0099 that rebuilds every user table)."""
    migrations = tmp_path / "db"
    shutil.copytree(paths.migrations_dir(), migrations)
    future = FUTURE_MIGRATION.replace("{latest}", database.KNOWN_REVISIONS[-1])
    (migrations / "versions" / "0099_test_rebuild.py").write_text(future)
    monkeypatch.setattr(paths, "migrations_dir", lambda: migrations)
    monkeypatch.setattr(database, "KNOWN_REVISIONS", [*database.KNOWN_REVISIONS, "0099"])
    expected, columns = user_rows(OLD), user_columns(OLD)
    with Library.open(old_library, bundled=False) as lib:
        assert database.current_revision(lib.store.conn) == "0099"
    db = old_library / "library.sqlite3"
    assert "colour" in user_columns(db)["bookmark"]  # the tables really were rebuilt
    assert user_rows(db, columns) == expected
    [backup] = (old_library / "backups").glob("*-before-migration.sqlite3")
    assert user_rows(backup) == expected  # the backup is the library as it was


def test_a_library_from_a_newer_safedesk_is_refused_byte_identical(old_library: Path) -> None:
    import sqlite3

    db = old_library / "library.sqlite3"
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    before = db.read_bytes()
    line = one_line_error(cli(old_library, "bookmarks"))
    assert "newer version of safedesk" in line
    assert db.read_bytes() == before
    assert sorted(p.name for p in old_library.iterdir() if p.name != "logs") == ["library.sqlite3"]
    doctor = cli(old_library, "doctor")
    assert doctor.returncode == 1 and "newer safedesk" in doctor.stdout
    assert db.read_bytes() == before


def test_sessions_keep_every_byte_through_a_later_upgrade(
    old_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plans, steps, records and actions (with hostile text) survive a migration that rebuilds
    every user table, byte for byte."""
    hostile = "<b>x</b> & \x01 Ελληνικά 🧒 line\r\nbreak"
    with Library.open(old_library, bundled=False) as lib:
        lib.plan_collection("March session", length=90, start="09:30")
        lib.add_step("March session", hostile, 10, position=2, instructions=hostile)
        record = lib.record_session(
            "March session", "2026-12-10", team=hostile, attendees=8, note=hostile,
            actions=[(hostile, hostile, "2027-01-15")],
        )  # fmt: skip
        lib.action_done(record.actions[0].id)
        lib.add_step("March session", "Break", 10)
        lib.remove_step("March session", lib.collection("March session").steps[-1].ref)
    db = old_library / "library.sqlite3"
    expected, columns = user_rows(db), user_columns(db)
    assert len(expected["session_action"]) == 1 and len(expected["session_step"]) == 2
    migrations = tmp_path / "db"
    shutil.copytree(paths.migrations_dir(), migrations)
    (migrations / "versions" / "0099_test_rebuild.py").write_text(
        FUTURE_MIGRATION.replace("{latest}", database.KNOWN_REVISIONS[-1])
    )
    monkeypatch.setattr(paths, "migrations_dir", lambda: migrations)
    monkeypatch.setattr(database, "KNOWN_REVISIONS", [*database.KNOWN_REVISIONS, "0099"])
    with Library.open(old_library, bundled=False) as lib:
        assert database.current_revision(lib.store.conn) == "0099"
        [kept] = lib.sessions()
        assert (kept.note, kept.actions[0].what, kept.actions[0].status) == (
            hostile, hostile, "done"
        )  # fmt: skip
    assert "colour" in user_columns(db)["session_record"]
    assert user_rows(db, columns) == expected
