"""Write a parsed report into the store: one transaction, all or nothing.

Rows go in with SQLAlchemy Core bulk inserts over the SQLModel tables (the ORM is ~9x slower for
bulk loads). A re-import deletes the report's old content rows and writes the new ones under the
same keys; user data, which refers to those keys, is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk.corpus.model import Report
from safedesk.corpus.text import slugify

if TYPE_CHECKING:
    from safedesk.corpus.document import Document

Progress = Callable[[str, float], None]

# Parts of a case study that are searchable and addressable on their own (key suffix -> attribute).
CASE_PARTS = {
    "introduction": "introduction",
    "key-learning": "key_learning",
    "background": "background",
    "enablers": "enablers",
    "barriers": "barriers",
    "outcomes": "outcomes",
    "could-do-better": "could_do_better",
    "next-steps": "next_steps",
}


def content_rows(report: Report, position: int = 0) -> dict[str, list[dict[str, Any]]]:
    """Every content row for `report`, keyed by table name, with stable keys."""
    slug = report.slug
    authority_keys: dict[str, str] = {}
    for a in report.authorities:
        key = base = f"{slug}/{slugify(a.name) or 'authority'}"
        n = 1
        while key in authority_keys.values():
            n += 1
            key = f"{base}-{n}"
        authority_keys[a.name] = key
    theme_keys = {t.number: f"{slug}/{t.key}" for t in report.themes}
    rows: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "theme",
            "finding",
            "authority",
            "practice",
            "case_study",
            "case_section",
            "factor",
            "glossary_term",
        )
    }
    for i, t in enumerate(report.themes):
        rows["theme"].append(
            {
                "key": theme_keys[t.number],
                "report_key": slug,
                "number": t.number,
                "title": t.title,
                "evidence_title": t.evidence_title,
                "evidence_intro": t.evidence_intro,
                "evidence": t.evidence,
                "position": i,
            }
        )
        seen: dict[str, int] = {}
        for j, f in enumerate(t.findings):
            base = f"{theme_keys[t.number]}/{slugify(f.review)}-review"
            seen[base] = seen.get(base, 0) + 1
            key = base if seen[base] == 1 else f"{base}-{seen[base]}"
            rows["finding"].append(
                {
                    "key": key,
                    "report_key": slug,
                    "theme_key": theme_keys[t.number],
                    "review": f.review,
                    "text": f.text,
                    "position": j,
                }
            )
    for i, a in enumerate(report.authorities):
        rows["authority"].append(
            {
                "key": authority_keys[a.name],
                "report_key": slug,
                "name": a.name,
                "type": a.type,
                "grades": a.grades,
                "position": i,
            }
        )
    for p in report.practices:
        rows["practice"].append(
            {
                "key": f"{slug}/{p.key}",
                "report_key": slug,
                "number": p.number,
                "title": p.title,
                "authority_key": authority_keys[p.authority],
                "theme_key": theme_keys[p.theme],
                "text": p.text,
                "page": p.page,
            }
        )
    for c in report.case_studies:
        study_key = f"{slug}/{c.key}"
        rows["case_study"].append(
            {
                "key": study_key,
                "report_key": slug,
                "number": c.number,
                "authority_key": authority_keys[c.authority],
                "introduction": c.introduction,
                "key_learning": c.key_learning,
                "background": c.background,
                "improvement_areas": c.improvement_areas,
                "enablers": c.enablers,
                "barriers": c.barriers,
                "outcomes": c.outcomes,
                "could_do_better": c.could_do_better,
                "next_steps": c.next_steps,
            }
        )
        used = set(CASE_PARTS)
        for j, s in enumerate(c.sections):
            base = slugify(s.title) or f"section-{j + 1}"
            name, n = base, 1
            while name in used:
                n += 1
                name = f"{base}-{n}"
            used.add(name)
            rows["case_section"].append(
                {
                    "key": f"{study_key}/{name}",
                    "report_key": slug,
                    "case_study_key": study_key,
                    "title": s.title,
                    "text": s.text,
                    "position": j,
                    "page": s.page,
                }
            )
    for i, factor in enumerate(report.factors):
        rows["factor"].append(
            {
                "key": f"{slug}/{factor.kind}-{factor.number}",
                "report_key": slug,
                "kind": factor.kind,
                "number": factor.number,
                "title": factor.title,
                "text": factor.text,
                "position": i,
            }
        )
    for g in report.glossary:
        rows["glossary_term"].append({"report_key": slug, "term": g.term, "expansion": g.expansion})
    return rows


def report_row(
    report: Report,
    source: Path,
    sha256: str,
    bundled: bool,
    position: int,
    pages: int | None = None,
    original_name: str | None = None,
) -> dict[str, Any]:
    return {
        **_origin(source, sha256, bundled, position, pages, original_name),
        "key": report.slug,
        "title": report.title,
        "authors": report.authors,
        "year": report.year,
        "isbn": report.isbn,
        "publisher": report.publisher,
        "publisher_short": report.publisher_short,
        "citation": report.citation,
        "series": report.series,
        "executive_summary": report.executive_summary,
        "key_findings": report.key_findings,
        "summary": report.summary,
        "factors_intro": report.factors_intro,
        "barriers_intro": report.barriers_intro,
        "authority_columns": report.authority_columns,
        "references": report.references,
    }


def _origin(
    source: Path,
    sha256: str,
    bundled: bool,
    position: int,
    pages: int | None,
    original_name: str | None,
    kind: str = "report",
) -> dict[str, Any]:
    return {
        "source_name": source.name,
        "source_sha256": sha256,
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "bundled": bundled,
        "position": position,
        "kind": kind,
        "pages": pages,
        "original_sha256": sha256 if original_name else None,
        "original_name": original_name,
    }


def document_row(
    doc: Document,
    source: Path,
    sha256: str,
    position: int,
    original_name: str | None = None,
) -> dict[str, Any]:
    """The report-table row of a document (kind "document"); report-only fields stay empty."""
    return {
        **_origin(source, sha256, False, position, doc.pages, original_name, "document"),
        "key": doc.slug,
        "title": doc.title,
        "authors": doc.authors,
        "year": doc.year,
        "isbn": None,
        "publisher": doc.organisation or None,
        "publisher_short": None,
        "citation": doc.citation,
        "series": None,
        "executive_summary": "",
        "key_findings": [],
        "summary": "",
        "factors_intro": "",
        "barriers_intro": "",
        "authority_columns": [],
        "references": [],
    }


def document_rows(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """A document's sections and passages as rows, with keys prefixed by its slug."""
    slug = doc.slug
    return {
        "document_section": [
            {
                "key": f"{slug}/{s.key}",
                "report_key": slug,
                "title": s.title,
                "level": s.level,
                "page": s.page,
                "position": s.position,
            }
            for s in doc.sections
        ],
        "passage": [
            {
                "key": f"{slug}/{p.key}",
                "report_key": slug,
                "section_key": f"{slug}/{p.section}" if p.section else None,
                "number": p.number,
                "text": p.text,
                "page": p.page,
                "position": p.position,
            }
            for p in doc.passages
        ],
    }


def write_report(
    db_path: Path,
    report: Report,
    source: Path,
    sha256: str,
    bundled: bool = False,
    progress: Progress | None = None,
    *,
    pages: int | None = None,
    original_name: str | None = None,
) -> int:
    """Replace `report`'s content in the database in one transaction; return the new generation.

    `pages` is the original's page count (PDF), `original_name` the file kept for it in
    originals/ (see store.originals), both None for a text import.
    """
    return _write(
        db_path,
        report.slug,
        lambda position: report_row(
            report, source, sha256, bundled, position, pages, original_name
        ),
        lambda: content_rows(report),
        source.name,
        progress,
    )


def write_document(
    db_path: Path,
    doc: Document,
    source: Path,
    sha256: str,
    progress: Progress | None = None,
    *,
    original_name: str | None = None,
) -> int:
    """Replace a document (its row, sections and passages) in one transaction, like a report."""
    return _write(
        db_path,
        doc.slug,
        lambda position: document_row(doc, source, sha256, position, original_name),
        lambda: document_rows(doc),
        source.name,
        progress,
    )


def _write(
    db_path: Path,
    slug: str,
    make_row: Callable[[int], dict[str, Any]],
    make_rows: Callable[[], dict[str, list[dict[str, Any]]]],
    source_name: str,
    progress: Progress | None,
) -> int:
    from sqlalchemy import delete, event, insert, select, update
    from sqlalchemy.exc import DBAPIError

    from safedesk.store import locations
    from safedesk.store import tables as t
    from safedesk.store.database import write_error

    engine = locations.engine(db_path)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    by_name = {table.__tablename__: table.__table__ for table in t.CONTENT_TABLES}  # type: ignore[attr-defined]
    report_table = t.ReportRow.__table__  # type: ignore[attr-defined]
    meta_table = t.LibraryMeta.__table__  # type: ignore[attr-defined]
    try:
        with engine.begin() as conn:
            existing = conn.execute(
                select(report_table.c.position).where(report_table.c.key == slug)
            ).scalar()
            if existing is None:
                count = conn.execute(select(report_table.c.key)).fetchall()
                position = len(count)
            else:
                position = existing
            for table in by_name.values():
                conn.execute(delete(table).where(table.c.report_key == slug))
            conn.execute(delete(report_table).where(report_table.c.key == slug))
            conn.execute(insert(report_table), [make_row(position)])
            rows = make_rows()
            for done, (name, table_rows) in enumerate(rows.items(), start=1):
                if table_rows:
                    conn.execute(insert(by_name[name]), table_rows)
                if progress:
                    progress(f"Storing {name.replace('_', ' ')}s", done / len(rows))
            generation = (
                int(
                    conn.execute(
                        select(meta_table.c.value).where(meta_table.c.name == "generation")
                    ).scalar()
                    or 0
                )
                + 1
            )
            if generation == 1:
                conn.execute(insert(meta_table), [{"name": "generation", "value": "1"}])
            else:
                conn.execute(
                    update(meta_table)
                    .where(meta_table.c.name == "generation")
                    .values(value=str(generation))
                )
    except DBAPIError as exc:  # the transaction was rolled back: the library is as it was
        raise write_error(exc, f"import {source_name}") from None
    finally:
        engine.dispose()
    return generation
