"""Importing a report file into the library: read, parse, back up, store, index. All or nothing.

The store is written in one transaction (a failure leaves the library exactly as it was); the
search index follows. `cancelled()` is asked at each safe point up to the commit (after reading,
after parsing, before the backup, and between the tables written inside the transaction); once
the transaction has committed the import finishes, so a late Cancel never leaves half an import.
If only the index cannot be written (a full disk), the report stays imported and the index is
rebuilt the next time it is needed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from safedesk.errors import LibraryError, ReportFormatError
from safedesk.search.lifecycle import IndexKeeper
from safedesk.store.local import LocalStore

Progress = Callable[[str, float], None]
Cancelled = Callable[[], bool]  # True once the user has asked to stop


class ImportCancelled(LibraryError):
    """The user stopped the import before it was stored; nothing was changed."""


@dataclass
class ImportSummary:
    report: str
    title: str
    practices: int
    themes: int
    authorities: int
    case_studies: int
    findings: int
    replaced: bool
    replaced_bundled: bool = False  # the user's copy now stands in for the bundled report

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def import_report(
    store: LocalStore,
    index: IndexKeeper,
    path: Path,
    progress: Progress | None = None,
    bundled: bool = False,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    """Parse the report file at `path` and store it (replacing an earlier import of the same
    report), then bring the search index up to date. ImportCancelled if `cancelled()` said True
    before the report was stored."""
    from safedesk.corpus.parser import parse_report
    from safedesk.corpus.text import MAX_REPORT_BYTES
    from safedesk.store.importer import write_report

    def check() -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled(f"the import of {path.name} was cancelled; nothing was changed")

    data = _read(path, MAX_REPORT_BYTES)
    check()
    if progress:
        progress(f"Reading {path.name}", 0.05)
    report = parse_report(data, path.name)
    check()
    replaced = store.content.has_report(report.slug)
    over_bundled = not bundled and store.content.is_bundled(report.slug)
    if store.content.has_report():
        check()
        try:
            store.backup("before-import")
        except (OSError, sqlite3.Error) as exc:
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise LibraryError(
                f"cannot import {path.name}: the backup made before every import failed "
                f"({why}); nothing was changed"
            ) from None
    before = store.index_token()
    check()
    write_report(
        store.db_path, report, path, hashlib.sha256(data).hexdigest(), bundled,
        _checked(_part(progress, 0.1, 0.3), check),  # inside the transaction: rolled back
    )  # fmt: skip
    if bundled or over_bundled:  # a user's copy of the bundled report is never put back
        store.mark_bundled_replaced(report.slug if over_bundled else None)
    try:
        index.changed(report.slug, before, _part(progress, 0.4, 0.6))
    except OSError as exc:  # the report is stored; the index is derived and rebuilt later
        raise LibraryError(
            f"imported {report.title!r}, but the search index could not be updated "
            f"({exc.strerror or exc}); it is rebuilt the next time you search"
        ) from None
    return ImportSummary(
        report=report.slug,
        title=report.title,
        practices=len(report.practices),
        themes=len(report.themes),
        authorities=len(report.authorities),
        case_studies=len(report.case_studies),
        findings=sum(len(t.findings) for t in report.themes),
        replaced=replaced,
        replaced_bundled=over_bundled,
    )


def _read(source: Path, cap: int) -> bytes:
    if not source.exists():
        raise LibraryError(f"no such file: {source}")
    if not source.is_file():
        raise LibraryError(f"{source} is not a file")
    size = source.stat().st_size
    if size > cap:
        from safedesk.sizes import over_cap

        raise ReportFormatError(
            f"{source.name} is {over_cap(size, cap)} of text (reports are capped)"
        )
    try:
        return source.read_bytes()
    except OSError as exc:
        raise LibraryError(f"cannot read {source}: {exc.strerror}") from None


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
