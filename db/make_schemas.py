"""Write db/schemas.json: the schema the migrations make at each known revision, which doctor and
restore-backup compare a library with (building it with Alembic takes seconds each time).
Run after adding a migration: `.venv/bin/python db/make_schemas.py`; a test checks the file."""

from __future__ import annotations

from pathlib import Path

from safedesk.store.database import KNOWN_REVISIONS
from safedesk.store.schema_check import SHIPPED_NAME, built, to_json

if __name__ == "__main__":
    target = Path(__file__).resolve().parent / SHIPPED_NAME
    target.write_text(to_json({revision: built(revision) for revision in KNOWN_REVISIONS}), "utf-8")
    print(f"wrote {target}")
