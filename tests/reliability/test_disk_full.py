"""Case 5: the disk fills up during a note save, a report import and a PDF export. Each fails
with one plain line, the previous state is intact, and no partial file is left behind.

With root on Linux the disk is a real 12 MiB tmpfs filled to the brim. The variants that always
run make SQLite itself report a full disk (`PRAGMA max_page_count` caps the database, so SQLite
fails with SQLITE_FULL exactly as on a full disk) or raise OSError(ENOSPC) at the file write."""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.store import leftovers
from tests.conftest import SECOND
from tests.reliability.conftest import B, cli, fill, integrity, one_line_error, user_rows

BIG_NOTE = "A long note. " * 20_000  # 260 kB: needs new pages, and so new disk space
SECOND_KEY = "nrcc-2019-early-help-and-family-safeguarding-council-approaches"


def _no_leftovers(data: Path) -> None:
    assert leftovers.find(data, min_age=-60) == []


# -- a real full disk ------------------------------------------------------------------------------
@pytest.fixture
def full_library(small_disk: Path, library_template: Path) -> Path:
    data = small_disk / "data"
    shutil.copytree(library_template, data)
    with Library.open(data) as lib:
        lib.bookmark(B + "box-9", note="the note before")
        lib.create_collection("March")
    return data


def test_note_save_on_a_full_disk(full_library: Path, small_disk: Path) -> None:
    with Library.open(full_library) as lib:
        filler = fill(small_disk)
        with pytest.raises(LibraryError, match=r"disk is full") as caught:
            lib.bookmark(B + "box-9", note=BIG_NOTE)
        assert "\n" not in str(caught.value)
        assert lib.bookmarked(B + "box-9").note == "the note before"
    line = one_line_error(
        cli(full_library, "bookmark", "add", B + "box-9", "--note", BIG_NOTE[:99_000])
    )
    assert "disk is full" in line
    filler.unlink()
    assert integrity(full_library / "library.sqlite3") == "ok"
    with Library.open(full_library) as lib:
        assert lib.bookmarked(B + "box-9").note == "the note before"
        assert lib.bookmark(B + "box-9", note=BIG_NOTE).note == BIG_NOTE  # space again: saves
    _no_leftovers(full_library)


@pytest.mark.parametrize(
    "leave", [0, 800_000, 1_100_000, 2_000_000],
    ids=["backup-fails", "store-fails", "index-fails", "room-enough"],
)  # fmt: skip
def test_import_on_a_full_disk(full_library: Path, small_disk: Path, leave: int) -> None:
    """However much room is left, the import is all or nothing and leaves no temporaries."""
    before = user_rows(full_library / "library.sqlite3")
    filler = fill(small_disk, leave)
    done = cli(full_library, "import", str(SECOND), "--json")
    _no_leftovers(full_library)
    filler.unlink()  # (reading the result needs a little room for SQLite's shared memory)
    conn = sqlite3.connect(full_library / "library.sqlite3")
    present = conn.execute("SELECT count(*) FROM practice WHERE report_key = ?", (SECOND_KEY,))
    stored = present.fetchone()[0]
    conn.close()
    if done.returncode == 0:
        assert stored > 0
    else:
        line = one_line_error(done)
        assert "No space left" in line or "disk is full" in line
        assert (stored > 0) == ("search index" in line)  # imported only if it says so
    assert integrity(full_library / "library.sqlite3") == "ok"
    assert user_rows(full_library / "library.sqlite3") == before
    with Library.open(full_library) as lib:
        lib.import_report(SECOND)
        assert lib.search("early help", report=SECOND_KEY).total > 0
        assert lib.doctor().healthy


def test_pdf_export_on_a_full_disk(full_library: Path, small_disk: Path) -> None:
    out = small_disk / "pack.pdf"
    with Library.open(full_library) as lib:
        for n in range(1, 25):
            lib.add_to_collection("March", B + f"box-{n}", note="facilitator " * 40)
        lib.export_brief(out, key=B + "box-1")
        previous = out.read_bytes()
        filler = fill(small_disk, 20_000)
        with pytest.raises(LibraryError, match=r"cannot write the PDF .*No space left"):
            lib.export_brief(out, collection="March")
    assert out.read_bytes() == previous
    assert sorted(p.name for p in small_disk.iterdir()) == ["data", "filler", "pack.pdf"]
    filler.unlink()


# -- SQLite reporting a full disk, and ENOSPC at a file write (always run) -------------------
def test_note_save_when_sqlite_reports_a_full_disk(library: Library) -> None:
    library.bookmark(B + "box-9", note="the note before")
    pages = library.store.conn.execute("PRAGMA page_count").fetchone()[0]
    library.store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(LibraryError, match=r"cannot save the change: the disk is full"):
        library.bookmark(B + "box-9", note=BIG_NOTE)
    with pytest.raises(LibraryError, match=r"disk is full"):
        library.add_example("Huddles", text=BIG_NOTE)
    assert library.bookmarked(B + "box-9").note == "the note before"
    assert library.examples() == []
    library.store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert library.bookmark(B + "box-9", note="after").note == "after"  # still usable


def test_import_when_sqlite_reports_a_full_disk(library: Library) -> None:
    pages = library.store.conn.execute("PRAGMA page_count").fetchone()[0]

    def cap(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 10}")

    before = user_rows(library.db_path)
    event.listen(Engine, "connect", cap)
    try:
        with pytest.raises(
            LibraryError, match=r"cannot import .*disk is full.*nothing was changed"
        ):
            library.import_report(SECOND)
    finally:
        event.remove(Engine, "connect", cap)
    assert SECOND_KEY not in {r.key for r in library.reports()}
    assert user_rows(library.db_path) == before
    assert library.search("reflective practice").total > 0
    _no_leftovers(library.data_dir)


def test_import_when_the_index_write_hits_enospc(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    from whoosh.filedb.filestore import FileStorage

    def full(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    library.search("reflective practice")  # the index is open and current
    monkeypatch.setattr(FileStorage, "create_file", full)
    with pytest.raises(LibraryError, match=r"imported .* search index could not be updated"):
        library.import_report(SECOND)
    monkeypatch.undo()
    assert SECOND_KEY in {r.key for r in library.reports()}  # the store has it, whole
    assert library.search("early help", report=SECOND_KEY).total > 0  # rebuilt on search
    _no_leftovers(library.data_dir)


def test_pdf_export_when_the_write_hits_enospc(
    library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from safedesk.briefing import page

    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "sheet.pdf"
    out.write_bytes(b"the previous PDF")
    real = page.build

    def build_then_full(story: Any, target: str, info: Any, *_watch: Any) -> int:
        real(story, target, info)  # the temporary is written in full, then the disk "fills"
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(page, "build", build_then_full)
    with pytest.raises(LibraryError, match=r"cannot write the PDF to .*No space left on device"):
        library.export_brief(out, key=B + "box-9")
    assert out.read_bytes() == b"the previous PDF"
    assert [p.name for p in out.parent.iterdir()] == ["sheet.pdf"]
