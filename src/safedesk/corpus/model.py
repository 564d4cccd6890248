"""The parsed document: plain dataclasses, no behaviour, no Qt, no database.

The parser fills these from a report's text; the store turns them into rows.
Keys are *relative* to the report (``box-9``); the store prefixes the report slug.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ReviewFinding:
    review: str  # the review's name as printed before "review", e.g. "Laming"
    text: str


@dataclass
class Theme:
    number: str  # "3.1"
    title: str
    findings: list[ReviewFinding] = field(default_factory=list)
    evidence_title: str = ""  # the "3.1.2 Case-study evidence: ..." heading text
    evidence_intro: str = ""
    evidence: list[str] = field(default_factory=list)  # the evidence bullets

    @property
    def key(self) -> str:
        return f"theme-{self.number}"


@dataclass
class Practice:
    number: int
    title: str
    authority: str  # name as printed, e.g. "Authority A"
    theme: str  # theme number, e.g. "3.4"
    text: str
    page: int | None = None  # 1-based page of the original where the box starts (PDF only)

    @property
    def key(self) -> str:
        return f"box-{self.number}"


@dataclass
class Authority:
    name: str
    type: str | None = None
    grades: dict[str, str] = field(default_factory=dict)  # column heading -> grade


@dataclass
class CaseSection:
    title: str
    text: str
    page: int | None = None  # 1-based page of the original where the section starts (PDF only)


@dataclass
class CaseStudy:
    number: int
    authority: str
    introduction: str = ""
    key_learning: list[str] = field(default_factory=list)
    background: str = ""
    improvement_areas: list[str] = field(default_factory=list)
    sections: list[CaseSection] = field(default_factory=list)
    enablers: list[str] = field(default_factory=list)
    barriers: list[str] = field(default_factory=list)
    outcomes: str = ""
    could_do_better: str = ""
    next_steps: str = ""
    page: int | None = None  # 1-based page where the case study starts (PDF only)

    @property
    def key(self) -> str:
        return f"case-study-{self.number}"


@dataclass
class Factor:
    """A numbered subsection of the supporting factors / barriers chapter."""

    kind: str  # "factor" or "barrier"
    number: str  # "4.1.2"
    title: str
    text: str


@dataclass
class GlossaryEntry:
    term: str
    expansion: str


@dataclass
class Report:
    title: str
    authors: list[str]
    year: int | None
    isbn: str | None
    publisher: str | None
    publisher_short: str | None
    citation: str
    series: str | None = None
    executive_summary: str = ""
    key_findings: list[str] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    authorities: list[Authority] = field(default_factory=list)
    authority_columns: list[str] = field(default_factory=list)
    case_studies: list[CaseStudy] = field(default_factory=list)
    factors_intro: str = ""
    factors: list[Factor] = field(default_factory=list)
    barriers_intro: str = ""
    summary: str = ""
    references: list[str] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)

    @property
    def slug(self) -> str:
        from safedesk.corpus.text import slugify

        parts = [self.publisher_short or "", str(self.year or ""), self.title]
        return slugify(" ".join(p for p in parts if p))
