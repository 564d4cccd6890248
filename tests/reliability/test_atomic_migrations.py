"""A schema upgrade either completes or leaves the library exactly as it was.

Red-team finding: a first run or an upgrade that failed halfway (a full disk) left a half-made
schema ("library_meta already exists" forever) and a 15-line SQLAlchemy error from every command,
`doctor --repair` and `restore-backup` included.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safedesk import paths
from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.store import database, leftovers
from tests.helpers import database_at_revision
from tests.reliability.conftest import B, cli, fill, user_rows

FAILING_MIGRATION = '''"""Test only: a migration that fails halfway, after changing the schema."""
import sqlalchemy as sa
from alembic import op

revision = "0098"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_made", sa.Column("id", sa.Integer(), primary_key=True))
    op.add_column("bookmark", sa.Column("colour", sa.String(), nullable=True))
    raise RuntimeError("the disk filled up here")


def downgrade() -> None:
    pass
'''


def test_a_failed_upgrade_leaves_the_library_as_it_was(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with Library.open(data_dir) as lib:
        lib.bookmark(B + "box-9", note="before the upgrade")
    db = data_dir / "library.sqlite3"
    before = user_rows(db)
    migrations = tmp_path / "db"
    shutil.copytree(paths.migrations_dir(), migrations)
    head = database.KNOWN_REVISIONS[-1]
    (migrations / "versions" / "0098_fails.py").write_text(FAILING_MIGRATION.format(head=head))
    with monkeypatch.context() as patch:
        patch.setattr(paths, "migrations_dir", lambda: migrations)
        patch.setattr(database, "KNOWN_REVISIONS", [*database.KNOWN_REVISIONS, "0098"])
        for _ in range(2):
            with pytest.raises(LibraryError, match="cannot upgrade the library") as caught:
                Library.open(data_dir)
            assert "\n" not in str(caught.value) and "nothing was changed" in str(caught.value)
    assert user_rows(db) == before
    assert leftovers.find(data_dir, min_age=-60) == []
    with Library.open(data_dir) as lib:  # this safedesk (without the failing step) opens it
        assert database.current_revision(lib.store.conn) == head
        assert lib.bookmarked(B + "box-9").note == "before the upgrade"  # type: ignore[union-attr]
        tables = {r[0] for r in lib.store.conn.execute("SELECT name FROM sqlite_master")}
        assert "half_made" not in tables


def test_a_failed_first_run_on_a_full_disk_then_a_normal_start(small_disk: Path) -> None:
    data = small_disk / "data"
    data.mkdir()
    filler = fill(small_disk, leave=96 * 1024)
    first = cli(data, "reports")
    assert first.returncode == 1 and "Traceback" not in first.stderr
    line = first.stderr.strip().splitlines()[-1]  # after "setting up your library (first run)"
    assert line.startswith("safedesk: error: ") and ("full" in line or "cannot be written" in line)
    assert not (data / "library.sqlite3").exists()
    again = cli(data, "reports")
    assert "library_meta already exists" not in again.stderr
    filler.unlink()
    done = cli(data, "reports", "--json")
    assert done.returncode == 0, done.stderr
    assert "nfer-2011" in done.stdout


def test_a_half_made_first_run_from_an_older_safedesk_is_set_aside(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db = data / "library.sqlite3"
    database_at_revision(db, "0001")
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE alembic_version")  # what an interrupted first run left behind
    conn.commit()
    conn.close()
    done = cli(data, "reports", "--json")
    assert done.returncode == 0, done.stderr
    assert list(data.glob("library.unfinished-*.sqlite3"))
