"""Importing reports: stable keys, re-import in place, a second report beside, all or nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from safedesk.errors import LibraryError, ReportFormatError
from safedesk.library import Library
from tests.conftest import SECOND, SEED
from tests.helpers import dump_database

BUNDLED = "nfer-2011-safeguarding-children-council-developments"


def _content_digest(lib: Library) -> str:
    rows = [p.to_json() for p in lib.practices()] + [t.to_json() for t in lib.themes()]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_first_open_imports_the_bundled_report(library: Library) -> None:
    [report] = library.reports()
    assert report.key == BUNDLED
    assert report.bundled and report.practices == 24
    assert library.get(f"{BUNDLED}/box-9").title.startswith("Developing reflective practice")


def test_reimport_replaces_content_under_the_same_keys(library: Library) -> None:
    before_keys = [p.key for p in library.practices()]
    before = _content_digest(library)
    summary = library.import_report(SEED)
    assert summary.replaced and summary.report == BUNDLED
    assert [p.key for p in library.practices()] == before_keys
    assert _content_digest(library) == before
    assert len(library.reports()) == 1


def test_a_different_report_is_added_beside(library: Library) -> None:
    summary = library.import_report(SECOND)
    assert not summary.replaced
    assert (summary.practices, summary.themes, summary.authorities) == (13, 4, 4)
    keys = [r.key for r in library.reports()]
    assert keys == [BUNDLED, summary.report]
    assert len(library.practices(report=summary.report)) == 13
    assert len(library.practices(report=BUNDLED)) == 24
    assert library.get(f"{summary.report}/box-5").authority == "Easterby"
    assert library.search("family group conference", report=summary.report).total > 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\xff" * 50, "binary"),
        ("Box 1 text".encode("utf-16"), "UTF-16"),
        (b"  \n\t\n", "empty"),
        (b"%PDF-1.7 named as text", "rename it"),
    ],
)
def test_a_bad_file_changes_nothing(
    library: Library, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    before = dump_database(library.db_path)
    with pytest.raises(ReportFormatError, match=message):
        library.import_report(bad)
    assert dump_database(library.db_path) == before


def test_a_missing_path_and_a_folder_are_refused(library: Library, tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="no such file"):
        library.import_report(tmp_path / "nope.txt")
    with pytest.raises(LibraryError, match="not a file"):
        library.import_report(tmp_path)


def test_a_failure_inside_the_write_rolls_everything_back(library: Library, tmp_path: Path) -> None:
    # A real SQLite failure halfway through the import's transaction, after the old rows of the
    # report were deleted and some new ones inserted: a trigger aborts the case-section inserts.
    library.import_report(SECOND)
    before = dump_database(library.db_path)
    originals = sorted(p.name for p in (library.data_dir / "originals").iterdir())
    edition = tmp_path / SECOND.name  # other bytes (the same bytes would change nothing)
    edition.write_bytes(SECOND.read_bytes() + b"\n")
    with sqlite3.connect(library.db_path) as conn:
        conn.execute(
            "CREATE TRIGGER injected BEFORE INSERT ON case_section "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
    with pytest.raises(Exception, match="injected failure"):
        library.import_report(edition)
    with sqlite3.connect(library.db_path) as conn:
        conn.execute("DROP TRIGGER injected")
    assert dump_database(library.db_path) == before
    assert sorted(p.name for p in (library.data_dir / "originals").iterdir()) == originals


def test_an_authority_printed_in_another_case_is_the_same_authority(
    library: Library, tmp_path: Path
) -> None:
    data = SECOND.read_bytes().replace(b"(Riverton)\r\n", b"(RIVERTON)\r\n", 1)
    assert data != SECOND.read_bytes()
    variant = tmp_path / "variant.txt"
    variant.write_bytes(data)
    summary = library.import_report(variant)
    assert summary.authorities == 4
    assert {p.authority for p in library.practices(report=summary.report)} == {
        "Northfield",
        "Easterby",
        "Saltmarsh",
        "Riverton",
    }


def test_import_makes_a_backup_first(library: Library) -> None:
    library.import_report(SECOND)
    backups = list((library.data_dir / "backups").glob("library-*-before-import.sqlite3"))
    assert backups
    copy = sqlite3.connect(backups[-1])
    assert copy.execute("SELECT count(*) FROM report").fetchone()[0] == 1
    copy.close()


def test_text_not_laid_out_as_a_report_is_a_document(library: Library, tmp_path: Path) -> None:
    notes = tmp_path / "team-notes.txt"
    notes.write_text("Team notes\n\nWe met on Monday.\n\nActions:\n\n- call the school\n")
    summary = library.import_report(notes)
    assert (summary.kind, summary.practices, summary.format) == ("document", 0, "text")
    assert summary.passages == len(library.passages(summary.report)) >= 2
    assert library.reports()[-1].kind == "document"


def test_the_importer_writes_every_content_table() -> None:
    from safedesk.store.importer import CONTENT_TABLE_NAMES
    from safedesk.store.tables import CONTENT_TABLES

    assert list(CONTENT_TABLE_NAMES) == [t.__tablename__ for t in CONTENT_TABLES]


def test_a_users_own_edition_of_the_bundled_report_is_not_put_back(
    library: Library, tmp_path: Path
) -> None:
    """Importing the bundled report as published (other bytes, the same report) replaces the
    bundled text, and opening the library again keeps the user's edition."""
    edition = tmp_path / "nfer-report-as-published.txt"
    edition.write_bytes(SEED.read_bytes() + b"\n")
    summary = library.import_report(edition)
    assert summary.replaced and summary.report == BUNDLED and summary.original
    library.close()
    with Library.open(library.data_dir) as again:
        [report] = again.reports()
        assert (report.source_name, report.bundled) == (edition.name, False)
