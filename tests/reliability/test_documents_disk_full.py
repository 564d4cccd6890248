"""A PDF document imported onto a disk that fills up, at every stage: the backup, the kept
original, the store, the passage index. One plain line; the library, its originals and every user
row as they were, unless the line says the document was imported (only its index failed)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from safedesk.library import Library
from safedesk.store import leftovers
from tests.conftest import FIXTURES
from tests.reliability.conftest import B, cli, fill, integrity, one_line_error, user_rows

GUIDANCE_PDF = FIXTURES / "documents" / "neglect-guidance.pdf"
GUIDANCE = "responding-to-neglect-practice-guidance-for-all-agencies"


@pytest.fixture
def full_library(small_disk: Path, library_template: Path) -> Path:
    import shutil

    data = small_disk / "data"
    shutil.copytree(library_template, data)
    with Library.open(data) as lib:
        lib.bookmark(B + "box-9", note="the note before")
    return data


@pytest.mark.parametrize(
    "leave",
    [0, 900_000, 950_000, 1_050_000, 1_100_000, 3_000_000],
    ids=["backup", "original", "store", "index", "passage-index", "room-enough"],
)
def test_a_document_import_on_a_full_disk(full_library: Path, small_disk: Path, leave: int) -> None:
    before = user_rows(full_library / "library.sqlite3")
    filler = fill(small_disk, leave)
    done = cli(full_library, "import", str(GUIDANCE_PDF), "--json")
    assert leftovers.find(full_library, min_age=-60) == []
    filler.unlink()
    conn = sqlite3.connect(full_library / "library.sqlite3")
    stored = conn.execute("SELECT count(*) FROM passage WHERE report_key = ?", (GUIDANCE,))
    passages = stored.fetchone()[0]
    conn.close()
    originals = full_library / "originals"
    kept = sorted(p.name for p in originals.iterdir()) if originals.is_dir() else []
    if done.returncode == 0:
        assert passages == 53 and len(kept) == 1
    else:
        line = one_line_error(done)
        assert "No space left" in line or "disk is full" in line, line
        imported = "search index" in line
        assert (passages > 0) == imported and (len(kept) == 1) == imported
    assert integrity(full_library / "library.sqlite3") == "ok"
    assert user_rows(full_library / "library.sqlite3") == before
    with Library.open(full_library) as lib:  # with room again: imported, searchable, healthy
        lib.import_report(GUIDANCE_PDF)
        assert lib.search("graded care profile", kind="passage").total > 0
        assert lib.doctor().healthy
