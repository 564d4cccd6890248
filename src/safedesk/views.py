"""Plain result objects returned by `Library`. Their attributes are exactly the JSON fields the CLI
prints (`to_json`), so scripts and the Python API see the same shapes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


class _View:
    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self)  # type: ignore[call-overload]
        return data


@dataclass
class ReportInfo(_View):
    key: str
    title: str
    authors: list[str]
    year: int | None
    isbn: str | None
    publisher: str | None
    citation: str
    practices: int
    series: str | None = None
    publisher_short: str | None = None
    bundled: bool = False
    source_name: str = ""
    imported_at: str = ""
    kind: str = "report"  # "report" (themes, boxes...) or "document" (sections and passages)
    pages: int | None = None  # the original's page count (PDF)
    shared: bool = False  # shared with the team library (with its original file)
    shared_by: str | None = None  # the team member who shared it (their name on the team)


@dataclass
class ReportDetail(ReportInfo):
    executive_summary: str = ""
    key_findings: list[str] = field(default_factory=list)
    summary: str = ""
    references: list[str] = field(default_factory=list)


@dataclass
class Finding(_View):
    review: str
    text: str
    key: str = ""


@dataclass
class ThemeInfo(_View):
    key: str
    report: str
    number: str
    title: str
    practices: int
    findings: list[Finding]
    evidence_title: str = ""
    evidence_intro: str = ""
    evidence: list[str] = field(default_factory=list)
    kind: str = "theme"


@dataclass
class AuthorityInfo(_View):
    key: str
    report: str
    name: str
    type: str | None
    grades: dict[str, str]
    practices: int = 0
    case_study: str | None = None
    kind: str = "authority"


@dataclass
class PracticeInfo(_View):
    key: str
    report: str
    number: int
    title: str
    authority: str
    theme: str
    text: str
    authority_key: str = ""
    theme_key: str = ""
    theme_number: str = ""
    kind: str = "practice"
    page: int | None = None  # where the box starts in the original (PDF)


@dataclass
class Section(_View):
    title: str
    text: str
    key: str = ""
    page: int | None = None  # where the section starts in the original (PDF)


@dataclass
class CaseStudyInfo(_View):
    key: str
    report: str
    authority: str
    introduction: str
    key_learning: list[str]
    background: str
    sections: list[Section]
    enablers: list[str]
    barriers: list[str]
    outcomes: str
    could_do_better: str
    next_steps: str
    number: int = 0
    authority_key: str = ""
    improvement_areas: list[str] = field(default_factory=list)
    kind: str = "case-study"


@dataclass
class Item(_View):
    """Any other addressable piece: a review finding, a case-study section or part, a factor."""

    key: str
    kind: str
    report: str
    title: str
    text: str
    authority: str | None = None
    theme: str | None = None
    parent: str | None = None
    page: int | None = None


@dataclass
class PassageInfo(_View):
    """A passage of a document: a paragraph (with its list) or a table, and where it stands."""

    key: str
    report: str
    text: str
    page: int | None  # 1-based page of the original where it starts; None for Word and text
    section: str | None  # the heading it stands under
    section_key: str | None = None
    number: str | None = None  # the printed paragraph number
    title: str = ""  # a short label: its first words
    kind: str = "passage"


@dataclass
class DocumentSectionInfo(_View):
    """A heading of a document with the passages under it (up to the next heading)."""

    key: str
    report: str
    title: str
    level: int
    page: int | None
    passages: list[PassageInfo] = field(default_factory=list)
    kind: str = "document-section"


@dataclass
class SearchHit(_View):
    key: str
    kind: str
    number: int | str | None
    title: str
    authority: str | None
    theme: str | None
    score: float
    snippet: str
    report: str = ""
    page: int | None = None  # for passages, and for items of reports imported from a PDF


@dataclass
class SearchResult(_View):
    query: str
    total: int
    hits: list[SearchHit]
    note: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    expanded: list[dict[str, str]] = field(default_factory=list)  # [{term, expansion}] used
    suggestion: str | None = None  # "did you mean", from the library's own words


@dataclass
class Related(_View):
    key: str
    title: str
    related: list[SearchHit]


@dataclass
class BookmarkInfo(_View):
    key: str
    title: str
    note: str
    tags: list[str]
    created_at: str
    updated_at: str
    kind: str = ""
    report: str = ""
    missing: bool = False  # the item is no longer in the library; `title` is the kept snapshot


@dataclass
class CollectionItem(_View):
    key: str
    title: str
    note: str  # the facilitator's note
    prompts: list[str]
    minutes: int | None = None
    kind: str = ""
    report: str = ""
    report_title: str = ""
    linked: bool = True  # False: the report is not in this library; the snapshot is shown
    uid: str = ""
    updated_at: str = ""  # the last change to its note, prompts, timing or place
    conflicts: int = 0  # conflict copies of it not yet resolved (`safedesk team conflicts`)


@dataclass
class CollectionInfo(_View):
    name: str
    description: str
    items: list[CollectionItem]
    uid: str = ""
    created_at: str = ""
    updated_at: str = ""
    shared: bool = False  # shared with the team library
    shared_by: str | None = None  # the team member who shared it (their name on the team)


@dataclass
class ExampleInfo(_View):
    key: str
    id: str
    title: str
    theme: str
    theme_key: str
    team: str
    text: str
    outcomes: str
    origin: str = ""
    created_at: str = ""
    updated_at: str = ""
    kind: str = "example"
    source: str = "My example: added by a user, not from a report"
    shared: bool = False  # shared with the team library
    shared_by: str | None = None  # the team member who shared it (their name on the team)


@dataclass
class CollectionImport(_View):
    """What importing a collection file did."""

    name: str  # the collection's name in this library
    created: bool  # False: the same collection was imported before; new items were merged in
    renamed_from: str | None  # the name in the file, if a clash made us rename it
    added: int  # items added
    skipped: int  # items already there (from an earlier import of the same file)
    linked: int  # added items whose report is in this library (they show its current text)
    snapshots: int  # added items shown from the file's snapshot (their report is not here)
    examples_added: int
    updated: int = 0  # items whose note, prompts or timing the newer file changed
    removed: int = 0  # items the sender removed, moved to the Trash (unchanged here)
    # versions kept as conflict copies: {id, kind, uid, collection, key, copy: file|here, clashed}
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""  # e.g. the file is not newer than the copy here

    def summary(self) -> str:
        if self.note:
            return f"{self.name}: {self.note}"
        verb = "Created" if self.created else "Updated"
        parts = [f"{verb} collection {self.name!r}"]
        if self.renamed_from:
            parts.append(f"(renamed from {self.renamed_from!r}: that name was taken)")
        parts.append(f"{self.added} items added, {self.skipped} already there")
        if self.updated:
            parts.append(f"{self.updated} items updated from the file")
        if self.removed:
            parts.append(f"{self.removed} items the sender removed moved to the Trash")
        if self.conflicts:
            parts.append(
                f"{len(self.conflicts)} changed both here and in the file: the later change "
                "was kept and the other is kept as a conflict copy"
            )
        if self.snapshots:
            parts.append(f"{self.snapshots} shown from the file because their report is not here")
        if self.examples_added:
            parts.append(f"{self.examples_added} local examples added")
        return "; ".join(parts)


@dataclass
class TrashEntry(_View):
    id: str
    kind: str
    label: str
    deleted_at: str


View = (
    ReportDetail
    | ThemeInfo
    | AuthorityInfo
    | PracticeInfo
    | CaseStudyInfo
    | Item
    | ExampleInfo
    | PassageInfo
    | DocumentSectionInfo
)
