"""Documents and pages in the store: rows written by the importer (SQLAlchemy Core), read back by
the reader (stdlib sqlite3), found by search with their page; originals kept by content hash."""

from __future__ import annotations

import functools
import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from safedesk.corpus.document import Document
from safedesk.corpus.reading import Source, read_source
from safedesk.errors import LibraryError, NotFoundError
from safedesk.library import Library
from safedesk.store import migrations
from safedesk.store.importer import write_document, write_report
from safedesk.store.originals import (
    forget_original,
    keep_original,
    original_path,
    prune_originals,
)
from safedesk.store.reader import Reader
from safedesk.views import DocumentSectionInfo, PassageInfo
from tests.conftest import FIXTURES

DOCS = FIXTURES / "documents"
GUIDANCE = DOCS / "neglect-guidance.pdf"
REPORT = DOCS / "northfield-2019-early-help.pdf"


@functools.cache
def _source(path: Path) -> Source:
    return read_source(path)


def _document() -> Document:
    doc = _source(GUIDANCE).document
    assert doc is not None
    return doc


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("empty-library")
    path = folder / "library.sqlite3"
    migrations.migrate(path, folder / "backups")
    return path


@pytest.fixture
def db(empty_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "library.sqlite3"
    shutil.copy(empty_db, path)
    return path


def _reader(db: Path) -> Reader:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    return Reader(conn)


def test_a_document_is_stored_with_its_sections_and_passages(db: Path) -> None:
    doc = _document()
    write_document(db, doc, GUIDANCE, "f" * 64, original_name="f" * 64 + ".pdf")
    reader = _reader(db)
    [info] = reader.reports()
    assert (info.key, info.kind, info.pages, info.title) == (doc.slug, "document", 5, doc.title)
    assert info.citation == doc.citation and info.practices == 0
    row = reader.conn.execute("SELECT original_sha256, original_name FROM report").fetchone()
    assert tuple(row) == ("f" * 64, "f" * 64 + ".pdf")
    sections = reader.document_sections(doc.slug)
    assert [(s.title, s.level, s.page) for s in sections] == [
        (s.title, s.level, s.page) for s in doc.sections
    ]
    assert sections[0].key == f"{doc.slug}/s-part-i-guidance-for-all-practitioners"
    passages = reader.passages(doc.slug)
    assert [(p.text, p.page, p.number) for p in passages] == [
        (p.text, p.page, p.number) for p in doc.passages
    ]
    assert passages[2].section == "Introduction"
    assert passages[2].section_key == f"{doc.slug}/s-introduction"


def test_get_a_passage_and_a_section(db: Path) -> None:
    doc = _document()
    write_document(db, doc, GUIDANCE, "f" * 64)
    reader = _reader(db)
    numbered = next(p for p in doc.passages if p.number == "9")
    passage = reader.get(f"{doc.slug}/{numbered.key}")
    assert isinstance(passage, PassageInfo)
    shape = passage.to_json()
    assert shape["kind"] == "passage" and shape["page"] == numbered.page == 2
    assert shape["text"] == numbered.text and shape["report"] == doc.slug
    assert shape["section"] == "Assessing neglect" and shape["number"] == "9"
    section = reader.get(f"{doc.slug}/s-escalation")
    assert isinstance(section, DocumentSectionInfo)
    assert section.kind == "document-section" and section.title == "Escalation"
    assert [p.number for p in section.passages] == ["13"]
    with pytest.raises(NotFoundError):
        reader.get(f"{doc.slug}/p-0000000000")


def test_search_documents_carry_kind_page_and_section_title(db: Path) -> None:
    doc = _document()
    write_document(db, doc, GUIDANCE, "f" * 64)
    found = [d for d in _reader(db).documents() if d.kind == "passage"]
    assert len(found) == len(doc.passages)
    numbered = next(d for d in found if d.number == "9")
    assert numbered.page == 2 and numbered.title == "Assessing neglect"
    assert numbered.report == doc.slug


def test_a_report_from_a_pdf_keeps_its_pages(db: Path) -> None:
    source = _source(REPORT)
    assert source.report is not None
    write_report(db, source.report, REPORT, source.extracted.sha256, pages=source.pages)
    reader = _reader(db)
    [info] = reader.reports()
    assert (info.kind, info.pages) == ("report", 24)
    box9 = reader.get(f"{source.report.slug}/box-9")
    assert box9.to_json()["page"] == 10
    pages = {p.number: p.page for p in reader.practices()}
    assert pages == {p.number: p.page for p in source.report.practices}
    study = reader.case_studies(source.report.slug)[0]
    assert [s.page for s in study.sections] == [
        s.page for s in source.report.case_studies[0].sections
    ]
    section = reader.get(study.sections[1].key)
    assert section.to_json()["page"] == study.sections[1].page is not None
    paged = [d for d in reader.documents() if d.page is not None]
    assert {d.kind for d in paged} == {"practice", "section"}


def test_reimporting_keeps_every_key_and_a_new_edition_keeps_unchanged_passages(db: Path) -> None:
    doc = _document()
    write_document(db, doc, GUIDANCE, "a" * 64)
    before = [p.key for p in _reader(db).passages()]
    write_document(db, doc, GUIDANCE, "a" * 64)
    assert [p.key for p in _reader(db).passages()] == before
    edited = replace(doc, passages=list(doc.passages), year=2024)
    changed = edited.passages[5]
    edited.passages[5] = replace(changed, text=changed.text + " Revised in 2024.", key="p-changed")
    edited.passages.insert(0, replace(doc.passages[0], key="p-new", text="A new foreword."))
    assert edited.slug == doc.slug  # the year is not part of a document's key
    write_document(db, edited, GUIDANCE, "b" * 64)
    after = {p.key for p in _reader(db).passages()}
    assert set(before) - after == {f"{doc.slug}/{changed.key}"}
    assert len(_reader(db).reports()) == 1


def test_search_finds_a_passage_with_its_page(tmp_path: Path) -> None:
    with Library.open(tmp_path / "lib", bundled=False) as lib:
        doc = _document()
        write_document(lib.db_path, doc, GUIDANCE, "f" * 64)
        result = lib.search("graded care profile")
        assert result.hits and {h.kind for h in result.hits} == {"passage"}
        hit = result.hits[0].to_json()
        assert hit["page"] in (1, 2, 3, 4) and hit["report"] == doc.slug
        assert hit["title"] in {s.title for s in doc.sections}
        assert "[graded]" in hit["snippet"]
        assert lib.get(hit["key"]).to_json()["kind"] == "passage"


def test_the_original_is_kept_once_by_content(tmp_path: Path) -> None:
    data = GUIDANCE.read_bytes()
    first = keep_original(tmp_path, data, ".PDF")
    again = keep_original(tmp_path, data, ".pdf")
    assert first == again and first.endswith(".pdf") and len(first) == 64 + 4
    assert [p.name for p in (tmp_path / "originals").iterdir()] == [first]
    assert original_path(tmp_path, first).read_bytes() == data
    forget_original(tmp_path, first)
    assert list((tmp_path / "originals").iterdir()) == []


def test_originals_no_report_names_are_pruned(tmp_path: Path) -> None:
    old = keep_original(tmp_path, b"%PDF-1.7 first edition", ".pdf")
    new = keep_original(tmp_path, b"%PDF-1.7 second edition", ".pdf")
    (tmp_path / "originals" / f".{new}.partial").write_bytes(b"half")
    assert prune_originals(tmp_path, {new}) == [old]
    assert sorted(p.name for p in (tmp_path / "originals").iterdir()) == [f".{new}.partial", new]
    assert prune_originals(tmp_path / "nowhere", set()) == []


def test_keeping_an_original_that_cannot_be_written_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "originals").write_text("a file where the folder should be")
    with pytest.raises(LibraryError, match="cannot keep the original file"):
        keep_original(tmp_path, b"%PDF-1.7 data", ".pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["originals"]


def test_a_failed_write_of_an_original_removes_its_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("safedesk.store.originals.os.fsync", full_disk)
    with pytest.raises(LibraryError, match="No space left on device"):
        keep_original(tmp_path, b"%PDF-1.7 data", ".pdf")
    assert list((tmp_path / "originals").iterdir()) == []


def test_an_old_library_upgrades_keeping_every_content_and_user_row(tmp_path: Path) -> None:
    """A library at revision 0002 holding a report and user data: revision 0003 adds columns
    and tables and changes no byte of what was there."""
    from safedesk.corpus.parser import parse_report
    from safedesk.store.importer import content_rows, report_row
    from tests.conftest import SECOND
    from tests.helpers import database_at_revision
    from tests.reliability.conftest import user_columns, user_rows

    path = tmp_path / "library.sqlite3"
    database_at_revision(path, "0002")
    report = parse_report(SECOND.read_bytes())
    new_columns = {  # what revisions 0003 and 0004 add
        "report": {"kind", "pages", "original_sha256", "original_name", "sections", "passages"},
        "practice": {"page"},
        "case_section": {"page"},
    }
    conn = sqlite3.connect(path)
    with conn:
        rows = {"report": [report_row(report, SECOND, "c" * 64, False, 0)], **content_rows(report)}
        for table, table_rows in rows.items():
            for row in table_rows:
                old = {k: v for k, v in row.items() if k not in new_columns.get(table, set())}
                for k, v in old.items():
                    if isinstance(v, (list, dict)):
                        old[k] = json.dumps(v)
                names = ", ".join(f'"{k}"' for k in old)
                marks = ", ".join("?" for _ in old)
                conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(old.values()))
        conn.execute(
            "INSERT INTO bookmark (key, title, note, tags, created_at, updated_at) "
            "VALUES (?, 'Box 9', ?, '[\"t\"]', 'then', 'then')",
            (f"{report.slug}/box-9", "my note \x00 kept"),
        )
    conn.close()

    def content(db: Path, tables: dict[str, list[str]]) -> dict[str, list[tuple[object, ...]]]:
        c = sqlite3.connect(db)
        try:
            found = {}
            for table, names in tables.items():
                picks = ", ".join(f'CAST("{name}" AS BLOB)' for name in names)
                found[table] = c.execute(f"SELECT {picks} FROM {table} ORDER BY 1").fetchall()
            return found
        finally:
            c.close()

    probe = sqlite3.connect(path)
    old_tables = {
        t: [r[1] for r in probe.execute(f"PRAGMA table_info({t})")]
        for (t,) in probe.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
        )
    }
    probe.close()
    before_content, before_users = content(path, old_tables), user_rows(path)
    columns = user_columns(path)
    migrations.migrate(path, tmp_path / "backups")
    assert content(path, old_tables) == before_content
    assert user_rows(path, columns) == before_users
    reader = _reader(path)
    [info] = reader.reports()
    assert (info.kind, info.pages) == ("report", None)
    assert {p.page for p in reader.practices()} == {None}
    assert reader.passages() == [] and reader.document_sections() == []
    assert list((tmp_path / "backups").glob("*-before-migration.sqlite3"))


def test_the_upgrade_to_0004_counts_a_documents_sections_and_passages(tmp_path: Path) -> None:
    from safedesk.store.importer import document_row, document_rows
    from tests.helpers import database_at_revision

    path = tmp_path / "library.sqlite3"
    database_at_revision(path, "0003")
    doc = _document()
    conn = sqlite3.connect(path)
    with conn:
        row = document_row(doc, GUIDANCE, "d" * 64, 0)
        rows = {"report": [{k: v for k, v in row.items() if k not in ("sections", "passages")}]}
        for table, table_rows in {**rows, **document_rows(doc)}.items():
            for r in table_rows:
                values = [json.dumps(v) if isinstance(v, list | dict) else v for v in r.values()]
                names = ", ".join(f'"{k}"' for k in r)
                marks = ", ".join("?" for _ in r)
                conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
    conn.close()
    migrations.migrate(path, tmp_path / "backups")
    [info] = _reader(path).reports()
    assert (info.sections, info.passages) == (len(doc.sections), len(doc.passages)) == (27, 53)


def test_a_cancel_while_the_pages_are_read_stops_before_the_next_pages(data_dir: Path) -> None:
    """Cancel is heard between pages, not only once the whole file was read."""
    from safedesk.report_import import ImportCancelled
    from tests.helpers import dump_database

    before = dump_database(data_dir / "library.sqlite3")
    said: list[str] = []
    with Library.open(data_dir) as lib, pytest.raises(ImportCancelled, match="nothing was changed"):
        lib.import_report(
            REPORT,
            lambda message, _fraction: said.append(message),
            cancelled=lambda: any(m.startswith("Reading page 5 of") for m in said),
        )
    pages = [m for m in said if m.startswith("Reading page")]
    assert pages == ["Reading page 5 of 24"]  # the 24-page PDF stopped at its first report
    assert dump_database(data_dir / "library.sqlite3") == before
    assert not (data_dir / "originals").exists() or not list((data_dir / "originals").iterdir())
