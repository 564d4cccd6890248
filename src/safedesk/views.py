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
    sections: int = 0  # a document's headings
    passages: int = 0  # a document's passages
    original: str | None = None  # the copy of the imported file kept in originals/
    corrected: list[str] = field(default_factory=list)  # citation fields the user corrected
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
    # the typed words this hit has in none of their forms (only hits added to fill up a search
    # in which few results have every word have any)
    lacks: list[str] = field(default_factory=list)


@dataclass
class RelatedHit(SearchHit):
    shares: list[str] = field(default_factory=list)  # the practice concepts both items are about


@dataclass
class SearchResult(_View):
    query: str
    total: int
    hits: list[SearchHit]
    note: str | None = None
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    # what the search also looked for: [{term, expansion, relation}] where relation is "acronym",
    # "synonym" (a concept's other label) or "related" (a related or narrower concept, whose
    # labels were searched at a lower weight); concept entries also name the `concept` id
    expanded: list[dict[str, str]] = field(default_factory=list)
    suggestion: str | None = None  # "did you mean", from the library's own words
    # what the hits were found by, for marking them: index stems, prefixes, phrases as stems
    # {"stems": [..], "prefixes": [..], "phrases": [[..], ..]}
    matched: dict[str, list[Any]] = field(
        default_factory=lambda: {"stems": [], "prefixes": [], "phrases": []}
    )


@dataclass
class Related(_View):
    key: str
    title: str
    related: list[RelatedHit]


@dataclass
class ConceptNode(_View):
    """A concept in the thesaurus tree, with the number of items that match it or a narrower
    concept."""

    id: str
    label: str
    scope_note: str
    count: int
    children: list[ConceptNode] = field(default_factory=list)


@dataclass
class ConceptRef(_View):
    id: str
    label: str


@dataclass
class ConceptDetail(_View):
    id: str
    label: str
    alt_labels: list[str]
    scope_note: str
    broader: list[ConceptRef]
    narrower: list[ConceptRef]
    related: list[ConceptRef]
    count: int  # items that match the concept or a narrower one
    items: list[SearchHit]  # the best of them, practice boxes first
    kind: str = "concept"


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
    context: str = ""  # where it comes from: "3.1 Leadership and management"
    label: str = ""  # how a running order names it: "Laming review · 3.1 Leadership and management"


@dataclass
class PlanEntry(_View):
    """One line of a session's running order: a library item or an agenda step."""

    kind: str  # "item" or "step"
    position: int  # 1 = first
    ref: str  # the item's key, or "step:<id>"
    title: str  # items: their label (with where they come from)
    minutes: int | None
    elapsed: int  # minutes from the start of the session to the start of this entry
    starts_at: str | None = None  # "09:40" when the plan has a start time
    ends_at: str | None = None
    key: str | None = None  # items only
    id: str | None = None  # steps only: the step's id
    instructions: str = ""  # steps only
    context: str = ""  # items only: where it comes from


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
    length: int | None = None  # the session's target length in minutes
    start: str | None = None  # its start time, "09:30"
    total_minutes: int = 0  # the running order's minutes (items without a time count 0)
    over_by: int | None = None  # total minus the target (negative: under); None without one
    ends_at: str | None = None
    steps: list[PlanEntry] = field(default_factory=list)  # the running order
    warnings: list[str] = field(default_factory=list)


@dataclass
class ActionInfo(_View):
    """An action agreed in a session."""

    id: str
    what: str
    who: str
    due: str | None  # "2027-01-15"
    done_at: str | None
    status: str  # "done", "overdue", "due" (within the week), "open"
    record: str = ""  # the id of its session record
    session: str = ""  # "2026-12-10 · March session"


@dataclass
class SessionRecordInfo(_View):
    """A session as it was delivered."""

    id: str
    collection: str  # the collection's name (as it was when recorded, if it has gone since)
    date: str
    team: str
    attendees: int | None
    note: str
    covered: list[str]
    actions: list[ActionInfo]
    linked: bool = True  # False: its collection was deleted
    created_at: str = ""
    updated_at: str = ""


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
    steps_added: int = 0  # agenda steps (welcome, break...) added
    records_added: int = 0  # records of sessions delivered added

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
        if self.steps_added:
            parts.append(f"{self.steps_added} agenda steps added")
        if self.records_added:
            parts.append(f"{self.records_added} session records added")
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


@dataclass
class OriginalInfo(_View):
    """Where to see an item in the file it was imported from (`Library.original`)."""

    key: str  # the item
    report: str
    title: str  # the report's or document's title
    path: str  # the copy kept in the library's originals/ folder
    format: str  # "pdf", "docx" or "text"
    page: int | None  # the 1-based page where the item starts (PDF), else None
    text: str  # the item's words, to find and mark on that page
