"""Read-only queries over the content tables with the standard library's sqlite3.

Kept free of SQLAlchemy/SQLModel so listing commands start fast; the column names are those of
`safedesk.store.tables`, and the tests run every query against a database built by the migrations.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from safedesk.errors import NotFoundError
from safedesk.store.importer import CASE_PARTS
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    DocumentSectionInfo,
    Finding,
    Item,
    PassageInfo,
    PracticeInfo,
    ReportDetail,
    ReportInfo,
    Section,
    ThemeInfo,
    View,
)

_CASE_PART_TITLES = {
    "introduction": "Introduction",
    "key-learning": "Key learning for other councils",
    "background": "Background",
    "enablers": "Enablers",
    "barriers": "Barriers",
    "outcomes": "Evidence of outcomes",
    "could-do-better": "What could have been done better?",
    "next-steps": "Next steps",
}
_CASE_PART_KINDS = {
    "introduction": "section",
    "key-learning": "key-learning",
    "background": "section",
    "enablers": "enabler",
    "barriers": "barrier",
    "outcomes": "outcome",
    "could-do-better": "section",
    "next-steps": "next-step",
}


def _j(value: str) -> Any:
    return json.loads(value) if value else None


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {i}" for i in items)


@dataclass
class Document:
    """One searchable unit, as the indexer sees it."""

    key: str
    kind: str
    report: str
    title: str
    text: str
    number: str = ""
    theme: str = ""  # theme key
    theme_title: str = ""
    authority: str = ""  # authority key
    authority_name: str = ""
    page: int | None = None  # the original's page, where known


class Reader:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- listings ---------------------------------------------------------------------------
    def reports(self) -> list[ReportInfo]:
        rows = self.conn.execute(
            "SELECT r.*, (SELECT count(*) FROM practice p WHERE p.report_key = r.key) AS n "
            "FROM report r ORDER BY r.position, r.key"
        ).fetchall()
        return [self._report(r) for r in rows]

    def _report(self, r: sqlite3.Row) -> ReportInfo:
        return ReportInfo(
            key=r["key"],
            title=r["title"],
            authors=_j(r["authors"]),
            year=r["year"],
            isbn=r["isbn"],
            publisher=r["publisher"],
            citation=r["citation"],
            practices=r["n"],
            series=r["series"],
            publisher_short=r["publisher_short"],
            bundled=bool(r["bundled"]),
            source_name=r["source_name"],
            imported_at=r["imported_at"],
            kind=r["kind"],
            pages=r["pages"],
        )

    def has_report(self, key: str | None = None) -> bool:
        """True if the report `key` is here (any report, for None)."""
        if key is None:
            return self.conn.execute("SELECT 1 FROM report LIMIT 1").fetchone() is not None
        return (
            self.conn.execute("SELECT 1 FROM report WHERE key = ?", (key,)).fetchone() is not None
        )

    def is_bundled(self, key: str) -> bool:
        """True if the report `key` came from the file shipped with safedesk."""
        row = self.conn.execute("SELECT bundled FROM report WHERE key = ?", (key,)).fetchone()
        return bool(row and row[0])

    def bundled_digest(self, source_name: str) -> str | None:
        """The SHA-256 of the bundled report file `source_name` as last imported ("" if another
        bundled report is here instead; None if no bundled report is)."""
        row = self.conn.execute(
            "SELECT source_sha256 FROM report WHERE bundled = 1 AND source_name = ?", (source_name,)
        ).fetchone()
        if row is not None:
            return str(row[0])
        other = self.conn.execute("SELECT 1 FROM report WHERE bundled = 1").fetchone()
        return "" if other is not None else None

    def report_detail(self, key: str) -> ReportDetail | None:
        r = self.conn.execute(
            "SELECT r.*, (SELECT count(*) FROM practice p WHERE p.report_key = r.key) AS n "
            "FROM report r WHERE r.key = ?",
            (key,),
        ).fetchone()
        if r is None:
            return None
        info = self._report(r)
        return ReportDetail(
            **info.to_json(),
            executive_summary=r["executive_summary"],
            key_findings=_j(r["key_findings"]),
            summary=r["summary"],
            references=_j(r["references"]),
        )

    def themes(self, report: str | None = None) -> list[ThemeInfo]:
        sql = (
            "SELECT t.*, (SELECT count(*) FROM practice p WHERE p.theme_key = t.key) AS n "
            "FROM theme t JOIN report r ON r.key = t.report_key"
        )
        rows = self._where(sql, {"t.report_key": report}, "r.position, t.position")
        findings: dict[str, list[Finding]] = {}
        for f in self.conn.execute("SELECT * FROM finding ORDER BY theme_key, position"):
            findings.setdefault(f["theme_key"], []).append(
                Finding(f["review"], f["text"], f["key"])
            )
        return [
            ThemeInfo(
                key=t["key"],
                report=t["report_key"],
                number=t["number"],
                title=t["title"],
                practices=t["n"],
                findings=findings.get(t["key"], []),
                evidence_title=t["evidence_title"],
                evidence_intro=t["evidence_intro"],
                evidence=_j(t["evidence"]),
            )
            for t in rows
        ]

    def authorities(self, report: str | None = None) -> list[AuthorityInfo]:
        sql = (
            "SELECT a.*, (SELECT count(*) FROM practice p WHERE p.authority_key = a.key) AS n, "
            "(SELECT c.key FROM case_study c WHERE c.authority_key = a.key) AS cs "
            "FROM authority a JOIN report r ON r.key = a.report_key"
        )
        rows = self._where(sql, {"a.report_key": report}, "r.position, a.position")
        return [
            AuthorityInfo(
                key=a["key"],
                report=a["report_key"],
                name=a["name"],
                type=a["type"],
                grades=_j(a["grades"]),
                practices=a["n"],
                case_study=a["cs"],
            )
            for a in rows
        ]

    def practices(
        self,
        report: str | None = None,
        theme: list[str] | None = None,
        authority: list[str] | None = None,
        keys: list[str] | None = None,
    ) -> list[PracticeInfo]:
        sql = (
            "SELECT p.*, a.name AS authority_name, t.title AS theme_title, "
            "t.number AS theme_number "
            "FROM practice p JOIN report r ON r.key = p.report_key "
            "JOIN authority a ON a.key = p.authority_key JOIN theme t ON t.key = p.theme_key"
        )
        rows = self._where(
            sql,
            {
                "p.report_key": report,
                "p.theme_key": theme,
                "p.authority_key": authority,
                "p.key": keys,
            },
            "r.position, p.number",
        )
        return [self._practice(p) for p in rows]

    @staticmethod
    def _practice(p: sqlite3.Row) -> PracticeInfo:
        return PracticeInfo(
            key=p["key"],
            report=p["report_key"],
            number=p["number"],
            title=p["title"],
            authority=p["authority_name"],
            theme=p["theme_title"],
            text=p["text"],
            authority_key=p["authority_key"],
            theme_key=p["theme_key"],
            theme_number=p["theme_number"],
            page=p["page"],
        )

    def case_studies(
        self, report: str | None = None, key: str | None = None
    ) -> list[CaseStudyInfo]:
        sql = (
            "SELECT c.*, a.name AS authority_name FROM case_study c "
            "JOIN report r ON r.key = c.report_key JOIN authority a ON a.key = c.authority_key"
        )
        rows = self._where(sql, {"c.report_key": report, "c.key": key}, "r.position, c.number")
        sections: dict[str, list[Section]] = {}
        for s in self.conn.execute("SELECT * FROM case_section ORDER BY case_study_key, position"):
            sections.setdefault(s["case_study_key"], []).append(
                Section(s["title"], s["text"], s["key"], s["page"])
            )
        return [
            CaseStudyInfo(
                key=c["key"],
                report=c["report_key"],
                authority=c["authority_name"],
                introduction=c["introduction"],
                key_learning=_j(c["key_learning"]),
                background=c["background"],
                sections=sections.get(c["key"], []),
                enablers=_j(c["enablers"]),
                barriers=_j(c["barriers"]),
                outcomes=c["outcomes"],
                could_do_better=c["could_do_better"],
                next_steps=c["next_steps"],
                number=c["number"],
                authority_key=c["authority_key"],
                improvement_areas=_j(c["improvement_areas"]),
            )
            for c in rows
        ]

    def factors(self, report: str | None = None) -> list[Item]:
        rows = self._where(
            "SELECT f.* FROM factor f JOIN report r ON r.key = f.report_key",
            {"f.report_key": report},
            "r.position, f.position",
        )
        return [
            Item(
                key=f["key"],
                kind=f["kind"],
                report=f["report_key"],
                title=f["title"],
                text=f["text"],
            )
            for f in rows
        ]

    def glossary(self, report: str | None = None) -> list[tuple[str, str, str]]:
        rows = self._where(
            "SELECT g.report_key, g.term, g.expansion FROM glossary_term g",
            {"g.report_key": report},
            "g.id",
        )
        return [(g["report_key"], g["term"], g["expansion"]) for g in rows]

    # -- documents --------------------------------------------------------------------------
    def document_sections(self, report: str | None = None) -> list[DocumentSectionInfo]:
        """Every document's headings in order (without their passages: see `get`)."""
        rows = self._where(
            "SELECT s.* FROM document_section s JOIN report r ON r.key = s.report_key",
            {"s.report_key": report},
            "r.position, s.position",
        )
        return [
            DocumentSectionInfo(s["key"], s["report_key"], s["title"], s["level"], s["page"])
            for s in rows
        ]

    def passages(
        self, report: str | None = None, section: str | None = None, keys: list[str] | None = None
    ) -> list[PassageInfo]:
        """Documents' passages in order, with the heading each stands under."""
        rows = self._where(
            "SELECT p.*, s.title AS section_title FROM passage p "
            "JOIN report r ON r.key = p.report_key "
            "LEFT JOIN document_section s ON s.key = p.section_key",
            {"p.report_key": report, "p.section_key": section, "p.key": keys},
            "r.position, p.position",
        )
        return [_passage(p) for p in rows]

    # -- one item ---------------------------------------------------------------------------
    def get(self, key: str) -> View:
        """Whatever `key` names, in full; NotFoundError if nothing does."""
        found = self._get(key)
        if found is None:
            raise NotFoundError(f"nothing in the library has the key {key!r}")
        return found

    def _get(self, key: str) -> View | None:
        if "/" not in key:
            return self.report_detail(key)
        table = self.conn.execute(
            "SELECT 'practice' FROM practice WHERE key = ?1 UNION ALL "
            "SELECT 'theme' FROM theme WHERE key = ?1 UNION ALL "
            "SELECT 'authority' FROM authority WHERE key = ?1 UNION ALL "
            "SELECT 'case_study' FROM case_study WHERE key = ?1 UNION ALL "
            "SELECT 'finding' FROM finding WHERE key = ?1 UNION ALL "
            "SELECT 'case_section' FROM case_section WHERE key = ?1 UNION ALL "
            "SELECT 'factor' FROM factor WHERE key = ?1 UNION ALL "
            "SELECT 'passage' FROM passage WHERE key = ?1 UNION ALL "
            "SELECT 'document_section' FROM document_section WHERE key = ?1",
            (key,),
        ).fetchone()
        if table is None:
            return self._case_part(key)
        kind = table[0]
        if kind == "practice":
            return self.practices(keys=[key])[0]
        if kind == "theme":
            return next(t for t in self.themes(key.split("/")[0]) if t.key == key)
        if kind == "authority":
            return next(a for a in self.authorities(key.split("/")[0]) if a.key == key)
        if kind == "case_study":
            return self.case_studies(key=key)[0]
        if kind == "factor":
            return next(f for f in self.factors(key.split("/")[0]) if f.key == key)
        if kind == "passage":
            return self.passages(keys=[key])[0]
        if kind == "document_section":
            section = next(s for s in self.document_sections(key.split("/")[0]) if s.key == key)
            section.passages = self.passages(section=key)
            return section
        if kind == "finding":
            f = self.conn.execute(
                "SELECT f.*, t.title AS theme_title "
                "FROM finding f JOIN theme t ON t.key = f.theme_key "
                "WHERE f.key = ?",
                (key,),
            ).fetchone()
            return Item(
                key=key,
                kind="finding",
                report=f["report_key"],
                title=f"{f['review']} review",
                text=f["text"],
                theme=f["theme_title"],
                parent=f["theme_key"],
            )
        s = self.conn.execute(
            "SELECT s.*, a.name AS authority_name FROM case_section s "
            "JOIN case_study c ON c.key = s.case_study_key "
            "JOIN authority a ON a.key = c.authority_key "
            "WHERE s.key = ?",
            (key,),
        ).fetchone()
        return Item(
            key=key,
            kind="section",
            report=s["report_key"],
            title=s["title"],
            text=s["text"],
            authority=s["authority_name"],
            parent=s["case_study_key"],
            page=s["page"],
        )

    def _case_part(self, key: str) -> Item | None:
        study_key, _, part = key.rpartition("/")
        if part not in CASE_PARTS:
            return None
        studies = self.case_studies(key=study_key)
        if not studies:
            return None
        study = studies[0]
        value = getattr(study, CASE_PARTS[part])
        text = _bullets(value) if isinstance(value, list) else value
        return Item(
            key=key,
            kind=_CASE_PART_KINDS[part],
            report=study.report,
            title=_CASE_PART_TITLES[part],
            text=text,
            authority=study.authority,
            parent=study_key,
        )

    # -- for the indexer --------------------------------------------------------------------
    def documents(self, report: str | None = None) -> Iterator[Document]:
        """Every searchable unit: practices, findings, case-study sections and parts, factors."""
        themes = {t.key: t for t in self.themes(report)}
        for p in self.practices(report):
            yield Document(
                p.key,
                "practice",
                p.report,
                p.title,
                p.text,
                str(p.number),
                p.theme_key,
                p.theme,
                p.authority_key,
                p.authority,
                p.page,
            )
        for t in themes.values():
            for f in t.findings:
                yield Document(
                    f.key,
                    "finding",
                    t.report,
                    f"{f.review} review: {t.title}",
                    f.text,
                    "",
                    t.key,
                    t.title,
                )
        for c in self.case_studies(report):
            for s in c.sections:
                yield Document(
                    s.key,
                    "section",
                    c.report,
                    s.title,
                    s.text,
                    "",
                    "",
                    "",
                    c.authority_key,
                    c.authority,
                    s.page,
                )
            for part in CASE_PARTS:
                item = self._case_part(f"{c.key}/{part}")
                if item and item.text:
                    yield Document(
                        item.key,
                        item.kind,
                        c.report,
                        item.title,
                        item.text,
                        "",
                        "",
                        "",
                        c.authority_key,
                        c.authority,
                    )
        for factor in self.factors(report):
            yield Document(factor.key, factor.kind, factor.report, factor.title, factor.text, "")
        for passage in self.passages(report):
            yield Document(
                passage.key,
                "passage",
                passage.report,
                passage.section or passage.title,  # a hit's title is the section heading
                passage.text,
                passage.number or "",
                page=passage.page,
            )

    # -- helpers ----------------------------------------------------------------------------
    def _where(self, sql: str, filters: dict[str, Any], order: str) -> list[sqlite3.Row]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, value in filters.items():
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params += values
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        return self.conn.execute(f"{sql} ORDER BY {order}", params).fetchall()


def _passage(p: sqlite3.Row) -> PassageInfo:
    words = " ".join(p["text"].split())
    title = words if len(words) <= 80 else words[:79].rsplit(" ", 1)[0] + "…"
    return PassageInfo(
        key=p["key"],
        report=p["report_key"],
        text=p["text"],
        page=p["page"],
        section=p["section_title"],
        section_key=p["section_key"],
        number=p["number"],
        title=title,
    )
