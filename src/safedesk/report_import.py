"""Importing a file into the library: a report or any document, PDF, Word or text. All or nothing.

One path for every format: `corpus.reading.read_source` extracts the file and reads it as a report
(themes, boxes...) or a document (sections and passages); then the original is kept in
`originals/` under its content hash, the store is written in one transaction, and the search index
follows. A failure before the store's transaction commits leaves the library, and the originals
folder, exactly as they were. If only the index cannot be written (a full disk), the report stays
imported and the index is rebuilt the next time it is needed.

Importing the same bytes again changes nothing. A new edition (the same report or document, other
bytes) replaces the old one: what the user kept (bookmarks, collection items) keeps pointing at
every passage that is still there, and the summary lists those whose passage is gone
(`missing`); they are shown from the copy saved with them.

`cancelled()` is asked at each safe point up to the commit (after reading, before the backup,
before the original is kept, and between the tables written inside the transaction); once the
transaction has committed the import finishes, so a late Cancel never leaves half an import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk.errors import LibraryError, NotFoundError
from safedesk.search.lifecycle import IndexKeeper
from safedesk.store.local import LocalStore
from safedesk.store.reader import Origin

if TYPE_CHECKING:
    from safedesk.corpus.reading import Source

Progress = Callable[[str, float], None]
Cancelled = Callable[[], bool]  # True once the user has asked to stop


class ImportCancelled(LibraryError):
    """The user stopped the import before it was stored; nothing was changed."""


# the share of the progress bar each stage takes: reading (pages), storing, indexing
READ, STORE, INDEX = (0.0, 0.65), (0.65, 0.1), (0.75, 0.25)


@dataclass
class MissingItem:
    """Something the user kept that pointed at a passage a new edition no longer has."""

    key: str
    title: str  # the copy saved with it
    bookmarked: bool
    collections: list[str] = field(default_factory=list)


@dataclass
class ImportSummary:
    report: str
    title: str
    practices: int
    themes: int
    authorities: int
    case_studies: int
    findings: int
    replaced: bool  # it was in the library before (under the same key)
    kind: str = "report"  # or "document"
    pages: int | None = None  # the original's pages (PDF)
    sections: int = 0  # a document's headings
    passages: int = 0  # a document's passages
    format: str = "text"  # what was read: "pdf", "docx" or "text"
    original: str | None = None  # the copy kept in originals/
    unchanged: bool = False  # the same file was imported before: nothing was changed
    missing: list[MissingItem] = field(default_factory=list)
    replaced_bundled: bool = False  # the user's copy now stands in for the bundled report

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        """One line for people (the CLI, the status bar)."""
        verb = "Re-imported" if self.replaced else "Imported"
        head = f"{verb} {self.title!r} as {self.report}"
        if self.unchanged:
            return f"{head}: the same file as before, so nothing changed"
        pages = f" from {self.pages} pages" if self.pages else ""
        if self.kind == "document":
            body = f"{self.passages} passages in {self.sections} sections{pages}"
        else:
            body = (
                f"{self.practices} practices, {self.themes} themes, {self.authorities} "
                f"authorities, {self.case_studies} case studies, {self.findings} review findings"
                f"{pages}"
            )
        line = f"{head}: {body}"
        if self.replaced_bundled:
            line += (
                "; your copy now stands in for the bundled report (import the original file "
                "to go back)"
            )
        if self.missing:
            line += (
                f"; {len(self.missing)} of your bookmarks or collection items point at passages "
                "this edition no longer has (they are kept, shown from their saved copy)"
            )
        return line


def import_report(
    store: LocalStore,
    index: IndexKeeper,
    path: Path,
    progress: Progress | None = None,
    bundled: bool = False,
    cancelled: Cancelled | None = None,
    *,
    in_batch: bool = False,
) -> ImportSummary:
    """Read the file at `path` (PDF, Word or text) and store it, replacing an earlier import of the
    same report or document, then bring the search index up to date. ImportCancelled if
    `cancelled()` said True before it was stored. `in_batch`: one of several imports (a team
    sync's shared documents): the caller backs up once before them, and the index, left stale,
    is rebuilt once after."""
    from safedesk.corpus.reading import read_source
    from safedesk.store.importer import write_document, write_report
    from safedesk.store.originals import forget_original, keep_original, prune_originals

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled(f"the import of {path.name} was cancelled; nothing was changed")

    if not path.exists():
        raise LibraryError(f"no such file: {path}")
    source = read_source(path, _checked(_part(progress, *READ), check))  # stops between pages
    check()
    extracted = source.extracted
    previous = store.content.origin(source.slug)
    if previous is not None and _same_file(store, previous, extracted.sha256):
        if progress:
            progress("Already in the library", 1.0)
        return _summary(source, True, previous.original_name, unchanged=True)
    if store.content.has_report() and not in_batch:
        check()
        try:
            store.backup("before-import")
        except (OSError, sqlite3.Error) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise LibraryError(
                f"cannot import {path.name}: the backup made before every import failed "
                f"({why}); nothing was changed"
            ) from None
    kept = _kept_items(store, source.slug) if previous is not None else {}
    over_bundled = not bundled and previous is not None and previous.bundled
    known = store.content.original_names()
    check()
    original = None
    if not bundled:
        suffix = {"pdf": ".pdf", "docx": ".docx"}.get(extracted.format, path.suffix)
        original = keep_original(store.data_dir, extracted.data, suffix)
    before = store.index_token()
    stage = _checked(_part(progress, *STORE), check)  # inside the transaction: rolled back
    try:
        if source.report is not None:
            write_report(
                store.db_path, source.report, path, extracted.sha256, bundled, stage,
                pages=source.pages, original_name=original,
            )  # fmt: skip
        else:
            assert source.document is not None
            write_document(
                store.db_path, source.document, path, extracted.sha256, stage,
                original_name=original,
            )  # fmt: skip
    except BaseException:
        if original is not None and original not in known:
            forget_original(store.data_dir, original)
        raise
    prune_originals(store.data_dir, store.content.original_names())  # e.g. the old edition's file
    missing = [item for key, item in kept.items() if not _resolves(store, key)]
    try:
        if not in_batch:
            index.changed(source.slug, before, _part(progress, *INDEX))
    except OSError as exc:  # the report is stored; the index is derived and rebuilt later
        raise LibraryError(
            f"imported {source.title!r}, but the search index could not be updated "
            f"({exc.strerror or exc}); it is rebuilt the next time you search"
        ) from None
    summary = _summary(source, previous is not None, original, missing=missing)
    summary.replaced_bundled = over_bundled
    return summary


def _same_file(store: LocalStore, previous: Origin, sha256: str) -> bool:
    """True if the stored report came from these very bytes, with its original kept."""
    from safedesk.store.originals import original_path

    if previous.sha256 != sha256:
        return False
    if previous.bundled:
        return True
    name = previous.original_name
    return name is not None and original_path(store.data_dir, name).is_file()


def _kept_items(store: LocalStore, slug: str) -> dict[str, MissingItem]:
    """What the user keeps (bookmarks, collection items) inside report `slug`, that is there now."""
    prefix = f"{slug}/"
    found: dict[str, MissingItem] = {}
    for row in store.user.bookmarks():
        if row["key"].startswith(prefix):
            found.setdefault(row["key"], MissingItem(row["key"], row["title"], False))
            found[row["key"]].bookmarked = True
    for collection in store.collections.collections():
        for row in store.collections.items(collection["id"]):
            if row["key"].startswith(prefix):
                item = found.setdefault(row["key"], MissingItem(row["key"], row["title"], False))
                item.collections.append(collection["name"])
    return {key: item for key, item in found.items() if _resolves(store, key)}


def _resolves(store: LocalStore, key: str) -> bool:
    try:
        store.content.get(key)
    except NotFoundError:
        return False
    return True


def _summary(
    source: Source,
    replaced: bool,
    original: str | None,
    unchanged: bool = False,
    missing: list[MissingItem] | None = None,
) -> ImportSummary:
    report, document = source.report, source.document
    return ImportSummary(
        report=source.slug,
        title=source.title,
        practices=len(report.practices) if report else 0,
        themes=len(report.themes) if report else 0,
        authorities=len(report.authorities) if report else 0,
        case_studies=len(report.case_studies) if report else 0,
        findings=sum(len(t.findings) for t in report.themes) if report else 0,
        replaced=replaced,
        kind=source.kind,
        pages=source.pages,
        sections=len(document.sections) if document else 0,
        passages=len(document.passages) if document else 0,
        format=source.extracted.format,
        original=original,
        unchanged=unchanged,
        missing=missing or [],
    )


def _part(progress: Progress | None, start: float, share: float) -> Progress | None:
    """Progress for one stage of the import, scaled into [start, start + share]."""
    if progress is None:
        return None
    report = progress

    def scaled(message: str, fraction: float) -> None:
        report(message, start + share * fraction)

    return scaled


def _checked(progress: Progress | None, check: Callable[[], None]) -> Progress:
    """Progress that first checks for a cancel (raising out of the caller's transaction)."""

    def report(message: str, fraction: float) -> None:
        check()
        if progress is not None:
            progress(message, fraction)

    return report
