"""The database schema, as SQLModel tables: the one definition that migrations are checked against.

Content tables hold what a report import writes; they are replaced whole when the report is
imported again. Every row is addressed by a stable text key (``<report-slug>/box-9``) so that user
data can point at content without foreign keys that a re-import would break.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel


def _report_fk() -> Any:
    return Field(
        sa_column=Column(
            String, ForeignKey("report.key", ondelete="CASCADE"), nullable=False, index=True
        )
    )


def _json(default: Any) -> Any:
    return Field(default_factory=default, sa_column=Column(JSON, nullable=False))


def _flag() -> Any:
    """A boolean that existing rows get as false (added by a migration)."""
    return Field(default=False, sa_column_kwargs={"server_default": "0"})


def _shared_by() -> Any:
    return Field(default="", sa_column_kwargs={"server_default": ""})


class LibraryMeta(SQLModel, table=True):
    __tablename__ = "library_meta"
    name: str = Field(primary_key=True)
    value: str


class ReportRow(SQLModel, table=True):
    __tablename__ = "report"
    key: str = Field(primary_key=True)
    title: str
    authors: list[str] = _json(list)
    year: int | None = None
    isbn: str | None = None
    publisher: str | None = None
    publisher_short: str | None = None
    citation: str
    series: str | None = None
    executive_summary: str = ""
    key_findings: list[str] = _json(list)
    summary: str = ""
    factors_intro: str = ""
    barriers_intro: str = ""
    authority_columns: list[str] = _json(list)
    references: list[str] = _json(list)
    source_name: str
    source_sha256: str
    imported_at: str
    bundled: bool = False
    position: int = 0
    kind: str = Field(default="report", sa_column_kwargs={"server_default": "report"})
    pages: int | None = None  # the original's page count (PDF), else None
    original_sha256: str | None = None  # the original file kept in originals/, by content hash
    original_name: str | None = None  # its file name there ("<sha256>.pdf")
    sections: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # a document's
    passages: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # headings, passages


class ThemeRow(SQLModel, table=True):
    __tablename__ = "theme"
    key: str = Field(primary_key=True)
    report_key: str = _report_fk()
    number: str
    title: str
    evidence_title: str = ""
    evidence_intro: str = ""
    evidence: list[str] = _json(list)
    position: int


class FindingRow(SQLModel, table=True):
    __tablename__ = "finding"
    key: str = Field(primary_key=True)
    report_key: str = _report_fk()
    theme_key: str = Field(index=True)
    review: str
    text: str
    position: int


class AuthorityRow(SQLModel, table=True):
    __tablename__ = "authority"
    key: str = Field(primary_key=True)
    report_key: str = _report_fk()
    name: str
    type: str | None = None
    grades: dict[str, str] = _json(dict)
    position: int


class PracticeRow(SQLModel, table=True):
    __tablename__ = "practice"
    key: str = Field(primary_key=True)
    report_key: str = _report_fk()
    number: int
    title: str
    authority_key: str = Field(index=True)
    theme_key: str = Field(index=True)
    text: str
    page: int | None = None  # where the box starts in the original (PDF)


class CaseStudyRow(SQLModel, table=True):
    __tablename__ = "case_study"
    key: str = Field(primary_key=True)
    report_key: str = _report_fk()
    number: int
    authority_key: str = Field(index=True)
    introduction: str = ""
    key_learning: list[str] = _json(list)
    background: str = ""
    improvement_areas: list[str] = _json(list)
    enablers: list[str] = _json(list)
    barriers: list[str] = _json(list)
    outcomes: str = ""
    could_do_better: str = ""
    next_steps: str = ""


class CaseSectionRow(SQLModel, table=True):
    __tablename__ = "case_section"
    key: str = Field(primary_key=True)
    report_key: str = _report_fk()
    case_study_key: str = Field(index=True)
    title: str
    text: str
    position: int
    page: int | None = None  # where the section starts in the original (PDF)


class FactorRow(SQLModel, table=True):
    __tablename__ = "factor"
    key: str = Field(primary_key=True)
    report_key: str = _report_fk()
    kind: str  # "factor" | "barrier"
    number: str
    title: str
    text: str
    position: int


class DocumentSectionRow(SQLModel, table=True):
    """A heading of a document (any file not laid out as a report)."""

    __tablename__ = "document_section"
    key: str = Field(primary_key=True)  # "<doc-slug>/s-<heading slug>"
    report_key: str = _report_fk()
    title: str
    level: int
    page: int | None = None
    position: int


class PassageRow(SQLModel, table=True):
    """A paragraph (with its list, or a table) of a document; see corpus.document for keys."""

    __tablename__ = "passage"
    key: str = Field(primary_key=True)  # "<doc-slug>/p-<hash of its words>"
    report_key: str = _report_fk()
    section_key: str | None = Field(default=None, index=True)
    number: str | None = None
    text: str
    page: int | None = None
    position: int


class GlossaryRow(SQLModel, table=True):
    __tablename__ = "glossary_term"
    id: int | None = Field(default=None, primary_key=True)
    report_key: str = _report_fk()
    term: str = Field(index=True)
    expansion: str


CONTENT_TABLES: list[type[SQLModel]] = [
    PassageRow,
    DocumentSectionRow,
    GlossaryRow,
    FactorRow,
    CaseSectionRow,
    CaseStudyRow,
    PracticeRow,
    AuthorityRow,
    FindingRow,
    ThemeRow,
]


# -- user data: precious, never touched by a report import --------------------------------------
# Rows point at content by stable key (no foreign keys into content, which imports replace) and
# keep a snapshot of the title and text, so they still make sense if a report goes away.
# Deleting sets `deleted_at` (the trash); emptying the trash removes rows for good.


class BookmarkRow(SQLModel, table=True):
    __tablename__ = "bookmark"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True)
    title: str = ""
    note: str = ""
    tags: list[str] = _json(list)
    created_at: str
    updated_at: str
    deleted_at: str | None = Field(default=None, index=True)


class CollectionRow(SQLModel, table=True):
    __tablename__ = "collection"
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True)  # stays the same across export and import
    name: str = Field(index=True)
    description: str = ""
    created_at: str
    updated_at: str
    deleted_at: str | None = Field(default=None, index=True)
    shared: bool = _flag()  # shared with the team (store/outbox.py logs its changes)
    shared_by: str = _shared_by()  # the teammate's role; "" for this library's own
    plan_length: int | None = None  # the session's target length in minutes
    plan_start: str | None = None  # its start time, "09:30"


class CollectionItemRow(SQLModel, table=True):
    __tablename__ = "collection_item"
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True)
    collection_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("collection.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    position: int
    key: str
    title: str = ""  # snapshot
    text: str = ""  # snapshot
    report_key: str = ""
    report_title: str = ""
    note: str = ""  # the facilitator's note
    prompts: list[str] = _json(list)
    minutes: int | None = None
    created_at: str
    deleted_at: str | None = Field(default=None, index=True)
    team_position: float | None = None  # its place among the team's copy (a shared collection)
    updated_at: str | None = None  # the last change to its note, prompts, timing or place


class ExampleRow(SQLModel, table=True):
    __tablename__ = "example"
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True)
    title: str
    theme_key: str = ""
    theme_title: str = ""
    team: str = ""
    text: str = ""
    outcomes: str = ""
    origin: str = ""  # "" for the user's own, else where it came from (a shared collection)
    created_at: str
    updated_at: str
    deleted_at: str | None = Field(default=None, index=True)
    shared: bool = _flag()
    shared_by: str = _shared_by()


# -- the team library's local half (see docs/team-sync-design.md) -------------------------------
# All of it is user data in the same file, so a sync's writes commit with the library's own and
# backups carry them.


class TeamLinkRow(SQLModel, table=True):
    """The one team this library is joined to (at most one row, id 1)."""

    __tablename__ = "team_link"
    id: int | None = Field(default=None, primary_key=True)
    url: str  # the libpq URL without a password (libpq finds it: .pgpass, PGPASSFILE)
    server: str  # host and database, for people
    team_name: str
    member_role: str
    display_name: str
    team_schema: int
    editor: bool = _flag()  # may change what anyone shared (as of the last sync)
    cursor: int  # the last pulled revision that was applied
    state: str  # "joined" | "left"
    joined_at: str
    last_sync_at: str | None = None
    last_attempt_at: str | None = None
    last_error: str | None = None


class TeamShadowRow(SQLModel, table=True):
    """The server's version of a shared row as this library last saw it (pulled or pushed)."""

    __tablename__ = "team_shadow"
    kind: str = Field(primary_key=True)
    uid: str = Field(primary_key=True)
    revision: int
    fields: dict[str, Any] = _json(dict)
    shared_by: str
    updated_by: str
    changed_at: str
    deleted: bool


class TeamChangeRow(SQLModel, table=True):
    """A change to a shared row not yet acknowledged by the server (the outbox), oldest first.
    Unsent entries (`sent_at` NULL) absorb later edits of the same row; sent ones are frozen."""

    __tablename__ = "team_change"
    __table_args__ = (
        UniqueConstraint("change_id"),
        Index("ix_team_change_kind", "kind", "uid"),
        {"sqlite_autoincrement": True},
    )
    seq: int | None = Field(default=None, primary_key=True)
    change_id: str
    kind: str
    uid: str
    op: str  # "put" | "delete"
    fields: dict[str, Any] = _json(dict)
    base: dict[str, Any] = _json(dict)
    base_revision: int | None = None
    changed_at: str
    sent_at: str | None = None
    outcome: str | None = None  # only "invalid" entries are kept after their receipt
    error: str | None = None


class TeamConflictRow(SQLModel, table=True):
    """A version that lost (or was refused), kept whole so nobody's words are lost."""

    __tablename__ = "team_conflict"
    __table_args__ = (Index("ix_team_conflict_kind", "kind", "uid"),)
    id: str = Field(primary_key=True)
    kind: str
    uid: str
    reason: str  # "stale" | "not-permitted" | "deleted"
    fields: dict[str, Any] = _json(dict)
    clashed: list[str] = _json(list)
    author: str  # a team role, or "file" for a collection file's sender
    authored_at: str
    resolved: bool
    resolved_here: bool = _flag()  # resolved in this library; the server is told at the next sync
    source: str  # "team" | "file"
    arrived_at: str


class TeamMemberRow(SQLModel, table=True):
    __tablename__ = "team_member"
    role: str = Field(primary_key=True)
    display_name: str
    left_team: bool


class TeamRejectedRow(SQLModel, table=True):
    """A pulled row that failed validation: never applied, counted in `team status`."""

    __tablename__ = "team_rejected"
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    uid: str
    revision: int
    reason: str
    at: str


class SharedDocumentRow(SQLModel, table=True):
    """A report or document shared with the team, with its original file's hash. Kept apart from
    the report table, which a re-import replaces."""

    __tablename__ = "shared_document"
    report_key: str = Field(primary_key=True)
    shared: bool = _flag()
    shared_by: str
    title: str
    document_type: str
    source_name: str
    sha256: str
    size: int
    state: str  # "here" | "wanted" (its file is still to fetch and import) | "failed"
    error: str | None = None


class FileShadowRow(SQLModel, table=True):
    """What the last imported collection file held (item_uid "" for the collection itself): the
    base a newer file from the same collection is merged against."""

    __tablename__ = "file_shadow"
    collection_uid: str = Field(primary_key=True)
    item_uid: str = Field(primary_key=True)
    fields: dict[str, Any] = _json(dict)
    exported_at: str


def _collection_fk(ondelete: str, nullable: bool) -> Any:
    return Field(
        default=None if nullable else ...,
        sa_column=Column(
            Integer, ForeignKey("collection.id", ondelete=ondelete), nullable=nullable, index=True
        ),
    )


class SessionStepRow(SQLModel, table=True):
    """An agenda step that is not a library item (welcome, break, activity...). Steps and items
    share one running order: `position` counts both."""

    __tablename__ = "session_step"
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True)
    collection_id: int = _collection_fk("CASCADE", nullable=False)
    position: int
    title: str
    minutes: int
    instructions: str = ""
    created_at: str
    updated_at: str
    deleted_at: str | None = Field(default=None, index=True)


class SessionRecordRow(SQLModel, table=True):
    """A session as it was delivered; it keeps the collection's name and what was covered, so it
    still says what happened if the collection is changed or deleted."""

    __tablename__ = "session_record"
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True)
    collection_id: int | None = _collection_fk("SET NULL", nullable=True)
    collection_uid: str
    collection_name: str
    held_on: str  # "2026-12-10"
    team: str = ""
    attendees: int | None = None
    note: str = ""
    covered: list[str] = _json(list)  # the running order's titles
    created_at: str
    updated_at: str
    deleted_at: str | None = Field(default=None, index=True)


class SessionActionRow(SQLModel, table=True):
    """An action agreed in a session: what, who, by when, and when it was done."""

    __tablename__ = "session_action"
    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(index=True)
    record_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("session_record.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    position: int
    what: str
    who: str = ""
    due: str | None = None  # "2027-01-15"
    done_at: str | None = None
    created_at: str
    updated_at: str
    deleted_at: str | None = Field(default=None, index=True)


class CitationCorrectionRow(SQLModel, table=True):
    """The user's correction of one field of a report's citation (title, authors, year,
    publisher); `was` is what the file said then (see store/corrections.py)."""

    __tablename__ = "citation_correction"
    report_key: str = Field(primary_key=True)
    field: str = Field(primary_key=True)
    was: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    updated_at: str
