"""The service layer: the one API that the CLI, the GUI and scripts use.

    from safedesk import Library
    lib = Library.open()                      # builds the library from the bundled report if new
    lib.practices(theme="3.2")                # PracticeInfo objects
    lib.search("reflective supervision")      # SearchResult

Nothing here imports Qt or ReportLab; Whoosh and SQLAlchemy are imported only when needed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from safedesk import paths
from safedesk.errors import (
    LibraryError,
    NotFoundError,
    ReadOnlyLibraryError,
    ReportFormatError,
)
from safedesk.store import database, recovery
from safedesk.store.reader import Reader
from safedesk.store.userdata import EXAMPLE_PREFIX
from safedesk.userlib import EXAMPLES_REPORT, UserLibraryMixin, title_of
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    ConceptDetail,
    ConceptNode,
    Item,
    PracticeInfo,
    Related,
    ReportInfo,
    SearchResult,
    ThemeInfo,
    View,
)

if TYPE_CHECKING:
    from safedesk.briefing.export import BriefResult
    from safedesk.search.concepts import Thesaurus
    from safedesk.search.glossary import Glossary
    from safedesk.sharing.importing import CollectionImport
    from safedesk.store.maintenance import DoctorReport

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
DB_NAME = recovery.DB_NAME


def _refuse_read_only(folder: Path) -> None:
    """ReadOnlyLibraryError if the folder or the database cannot be written (a read-only mount,
    permissions): safedesk refuses plainly rather than open a library it cannot save to."""
    path = recovery.read_only_part(folder)
    if path is not None:
        raise ReadOnlyLibraryError(
            f"the library {'folder' if path == folder else 'file'} {path} is read-only, so "
            "safedesk cannot save to it; make it writable, or copy the folder somewhere "
            "writable and use --data-dir",
            path,
        )


F = TypeVar("F", bound=Callable[..., Any])


def _holding_index_lock(method: F) -> F:
    """Whoosh's open searcher is shared and not thread-safe: one thread uses the index at a time
    (the window searches on a background thread while it reads on its own)."""

    def locked(self: Library, *args: Any, **kwargs: Any) -> Any:
        with self.index_lock:
            return method(self, *args, **kwargs)

    locked.__name__, locked.__doc__ = method.__name__, method.__doc__
    return locked  # type: ignore[return-value]


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

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class Library(UserLibraryMixin):
    """A user's library: the SQLite store in `data_dir` and its search index."""

    def __init__(self, data_dir: Path, conn: sqlite3.Connection) -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / DB_NAME
        self._conn = conn
        self._reader = Reader(conn)
        self._index: Any = None
        self._glossary: tuple[int, Glossary] | None = None
        self.index_lock = threading.RLock()

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        data_dir: str | os.PathLike[str] | None = None,
        progress: Progress | None = None,
        bundled: bool = True,
    ) -> Library:
        """Open (creating and migrating as needed) the library in `data_dir`.

        On first use the bundled report is imported and indexed; `progress(message, fraction)`
        hears about that work. `bundled=False` opens without the bundled report (for tests).
        """
        folder = paths.data_dir(data_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReadOnlyLibraryError(
                f"cannot create the library folder {folder}: {exc.strerror}; choose another "
                "folder with --data-dir",
                folder,
            ) from None
        _refuse_read_only(folder)
        recovery.refuse_if_damaged(folder)
        db_path = folder / DB_NAME
        conn: sqlite3.Connection | None = None
        try:
            conn = database.connect(db_path)
            database.check_health(conn, db_path)
            if database.needs_migration(conn):
                conn.close()
                if progress:
                    progress("Preparing the library", 0.0)
                database.migrate(db_path, folder / "backups")
                conn = database.connect(db_path)
            library = cls(folder, conn)
            if bundled:
                library._ensure_bundled(progress)
        except BaseException as exc:
            if conn is not None:
                conn.close()
            damaged = isinstance(exc, database.CorruptDatabaseError) or (
                isinstance(exc, sqlite3.DatabaseError) and database.is_damage(exc)
            )
            if damaged:
                raise recovery.quarantine(folder, str(exc)) from None
            if isinstance(exc, sqlite3.DatabaseError):
                raise database.write_error(exc, "open the library") from None
            raise
        from safedesk.store.maintenance import daily_backup

        daily_backup(conn, folder / "backups")
        return library

    # -- when it cannot be opened: usable before (and instead of) `open` ------------------------
    @staticmethod
    def list_backups(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
        """The library's backups, newest first (works when the library cannot be opened)."""
        return recovery.backups(paths.data_dir(data_dir))

    @staticmethod
    def restore_into(
        data_dir: str | os.PathLike[str] | None = None,
        backup: str | os.PathLike[str] | None = None,
    ) -> Path:
        """Restore `backup` (default: the newest healthy backup) as the library in `data_dir`
        without opening it; a damaged database there is moved aside, never overwritten.
        Returns the backup used; `Library.open(data_dir)` then opens it."""
        folder = paths.data_dir(data_dir)
        _refuse_read_only(folder)
        return recovery.restore_into(folder, Path(backup).expanduser() if backup else None)

    @staticmethod
    def start_empty(data_dir: str | os.PathLike[str] | None = None) -> None:
        """After damage with no backup to restore: let the next `open` make a new library
        (the damaged file stays where it was moved)."""
        recovery.start_empty(paths.data_dir(data_dir))

    def _ensure_bundled(self, progress: Progress | None) -> None:
        source = paths.bundled_report()
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        row = self._conn.execute(
            "SELECT source_sha256 FROM report WHERE bundled = 1 AND source_name = ?", (source.name,)
        ).fetchone()
        if row is not None and row[0] == digest:
            return
        if row is None and self._conn.execute("SELECT 1 FROM report WHERE bundled = 1").fetchone():
            return  # a different bundled report is already here
        log.info("importing the bundled report %s", source.name)
        self.import_report(source, progress=progress, bundled=True)

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        self._conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def generation(self) -> int:
        row = self._conn.execute(
            "SELECT value FROM library_meta WHERE name = 'generation'"
        ).fetchone()
        return int(row[0]) if row else 0

    # -- importing ----------------------------------------------------------------------------
    def import_report(
        self, path: str | os.PathLike[str], progress: Progress | None = None, bundled: bool = False
    ) -> ImportSummary:
        """Parse a report file and store it (replacing an earlier import of the same report).

        All or nothing: on any error the library is exactly as it was.
        """
        from safedesk.corpus.parser import parse_report
        from safedesk.corpus.text import MAX_REPORT_BYTES
        from safedesk.store.importer import write_report

        source = Path(path)
        if not source.exists():
            raise LibraryError(f"no such file: {source}")
        if not source.is_file():
            raise LibraryError(f"{source} is not a file")
        size = source.stat().st_size
        if size > MAX_REPORT_BYTES:
            raise ReportFormatError(
                f"{source.name} is {size / 1048576:.1f} MiB; reports are limited to "
                f"{MAX_REPORT_BYTES // 1048576} MiB of text"
            )
        try:
            data = source.read_bytes()
        except OSError as exc:
            raise LibraryError(f"cannot read {source}: {exc.strerror}") from None
        if progress:
            progress(f"Reading {source.name}", 0.05)
        report = parse_report(data, source.name)
        replaced = self._conn.execute(
            "SELECT 1 FROM report WHERE key = ?", (report.slug,)
        ).fetchone()
        if self._conn.execute("SELECT 1 FROM report LIMIT 1").fetchone():
            try:
                database.backup(self._conn, self.data_dir / "backups", "before-import")
            except (OSError, sqlite3.Error) as exc:
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                raise LibraryError(
                    f"cannot import {source.name}: the backup made before every import failed "
                    f"({why}); nothing was changed"
                ) from None
        before = self._index_token()

        def store_progress(message: str, fraction: float) -> None:
            if progress:
                progress(message, 0.1 + 0.3 * fraction)

        write_report(
            self.db_path, report, source, hashlib.sha256(data).hexdigest(), bundled, store_progress
        )

        def index_progress(message: str, fraction: float) -> None:
            if progress:
                progress(message, 0.4 + 0.6 * fraction)

        try:
            self._update_index(report.slug, before, index_progress)
        except OSError as exc:  # the report is stored; the index is derived and rebuilt later
            self._forget_index()
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
            replaced=replaced is not None,
        )

    # -- browsing -----------------------------------------------------------------------------
    def reports(self) -> list[ReportInfo]:
        return self._reader.reports()

    def themes(self, report: str | None = None) -> list[ThemeInfo]:
        return self._reader.themes(self._report_key(report))

    def authorities(self, report: str | None = None) -> list[AuthorityInfo]:
        return self._reader.authorities(self._report_key(report))

    def practices(
        self, report: str | None = None, theme: str | None = None, authority: str | None = None
    ) -> list[PracticeInfo]:
        report_key = self._report_key(report)
        return self._reader.practices(
            report_key,
            self._resolve("theme", theme, report_key),
            self._resolve("authority", authority, report_key),
        )

    def case_studies(self, report: str | None = None) -> list[CaseStudyInfo]:
        return self._reader.case_studies(self._report_key(report))

    def factors(self, report: str | None = None) -> list[Item]:
        """Supporting factors (kind "factor") and barriers (kind "barrier") from the reports."""
        return self._reader.factors(self._report_key(report))

    def glossary(self, report: str | None = None) -> list[tuple[str, str, str]]:
        """(report key, acronym, expansion) for every acronym the reports define."""
        return self._reader.glossary(self._report_key(report))

    def get(self, key: str) -> View:
        """Whatever `key` names, in full: a practice, theme, section, local example..."""
        key = key.strip()
        if key.startswith(EXAMPLE_PREFIX):
            return self.example(key)
        return self._reader.get(key)

    # -- searching ----------------------------------------------------------------------------
    def search(
        self,
        query: str,
        limit: int = 20,
        report: str | None = None,
        theme: str | None = None,
        authority: str | None = None,
        kind: str | None = None,
        exact: bool = False,
    ) -> SearchResult:
        """Search everything. The query language and the result fields are in the README.
        `exact=True` searches the words without the practice concepts they name."""
        return self._search(query, limit, report, theme, authority, kind, False, exact)

    def search_as_you_type(
        self,
        text: str,
        limit: int = 10,
        report: str | None = None,
        theme: str | None = None,
        authority: str | None = None,
        kind: str | None = None,
        exact: bool = False,
    ) -> SearchResult:
        """For every keystroke: the last word counts as unfinished (a prefix); one or two letters
        match title words or an acronym rather than the whole library; no facets, to stay fast."""
        return self._search(text, limit, report, theme, authority, kind, True, exact)

    @_holding_index_lock
    def _search(
        self,
        query: str,
        limit: int,
        report: str | None,
        theme: str | None,
        authority: str | None,
        kind: str | None,
        typing: bool,
        exact: bool = False,
    ) -> SearchResult:
        from safedesk.search.query import run_search

        try:
            report_key = self._report_key(report)
            filters = {
                "report": [report_key] if report_key else None,
                "theme": self._resolve("theme", theme, report_key),
                "authority": self._resolve("authority", authority, report_key),
                "kind": [k.strip().lower() for k in kind.split(",")] if kind else None,
            }
        except NotFoundError as exc:
            return SearchResult(query=query, total=0, hits=[], note=f"{exc}.")

        def resolve(field: str, value: str) -> list[str]:
            try:
                if field == "report":
                    return [k for k in [self._report_key(value)] if k]
                return self._resolve(field, value, report_key) or []
            except NotFoundError:
                return []

        def attempt() -> SearchResult:
            return run_search(
                self.ensure_index(),
                query,
                self.glossary_index(),
                resolve,
                limit=limit,
                filters=filters,
                typing=typing,
                facets=not typing,
                thesaurus=None if exact else self.thesaurus(),
            )

        try:
            return attempt()
        except LibraryError:
            raise
        except Exception as exc:  # Whoosh reading a damaged file: rebuild once, then retry
            log.warning("search failed (%s: %s); rebuilding the index", type(exc).__name__, exc)
            self._rebuild_index(self._index_token(), None)
            return attempt()

    @_holding_index_lock
    def related(self, key: str, limit: int = 5) -> Related:
        """Practices most like the item with `key` ("more like this"), each with the practice
        concepts both are about (`shares`)."""
        from safedesk.search.related import more_like

        item = self.get(key)
        title = title_of(item, key)
        found = more_like(self.ensure_index(), item.key, limit, self.thesaurus())
        return Related(key=item.key, title=title, related=found)

    def thesaurus(self) -> Thesaurus:
        """The practice concepts shipped in resources/thesaurus (loaded once)."""
        from safedesk.search.concepts import bundled

        return bundled(paths.resources_dir() / "thesaurus" / "practice-concepts.json")

    @_holding_index_lock
    def concepts(self) -> list[ConceptNode]:
        """The practice concepts as a tree, each with the number of items that match it or a
        narrower concept (counted once per index generation)."""
        from safedesk.search.browse import tree

        return tree(self.ensure_index(), self.thesaurus())

    @_holding_index_lock
    def concept(self, term: str, limit: int = 10) -> ConceptDetail:
        """A concept, by id or any of its labels: its labels, relations, scope note, the number
        of items that match it and the best `limit` of them."""
        from safedesk.search.browse import detail

        thesaurus = self.thesaurus()
        found = thesaurus.find(term)
        if found is None:
            raise NotFoundError(f"no practice concept matches {term!r}; see `safedesk concepts`")
        return detail(self.ensure_index(), thesaurus, found, limit)

    def glossary_index(self) -> Glossary:
        """The curated glossary merged with the acronyms the reports define (cached)."""
        from safedesk.search.glossary import Glossary

        if self._glossary is None or self._glossary[0] != self.generation:
            curated = paths.resources_dir() / "glossary" / "safeguarding-terms.json"
            self._glossary = (self.generation, Glossary.load(curated, self._reader.glossary()))
        return self._glossary[1]

    @_holding_index_lock
    def ensure_index(self, progress: Progress | None = None) -> Any:
        """The open search index, rebuilt first if it is missing, stale or damaged."""
        from safedesk.search.index import IndexUnavailable, SearchIndex

        token = self._index_token()
        if self._index is not None and self._index.generation == token:
            return self._index
        index = self._index or SearchIndex(self.data_dir / "index")
        try:
            index.open(token)
        except IndexUnavailable as why:
            log.warning("%s; rebuilding it from the library", why)
            self._index = index
            self._rebuild_index(token, progress)
            return self._index
        self._index = index
        return index

    def _index_token(self) -> str:
        """What the index must have been built from: content and local-example generations."""
        return f"{self.generation}.{self._user.generation('examples_generation')}"

    def _rebuild_index(self, token: str, progress: Progress | None) -> None:
        from safedesk.search.index import SearchIndex

        if self._index is None:
            self._index = SearchIndex(self.data_dir / "index")
        documents = [*self._reader.documents(), *self.example_documents()]
        try:
            self._index.rebuild(documents, token, progress)
        except OSError as exc:  # a full disk: the old index (if any) and the library are intact
            self._forget_index()
            raise LibraryError(
                f"cannot build the search index in {self.data_dir / 'index'}: {exc.strerror or exc}"
            ) from None

    @_holding_index_lock
    def _update_index(self, report: str, before: str, progress: Progress | None) -> None:
        """After a change to `report`'s documents: update the index in place if it was current
        before the change, else rebuild it."""
        from safedesk.search.index import IndexUnavailable, SearchIndex

        token = self._index_token()
        if self._index is None:
            self._index = SearchIndex(self.data_dir / "index")
            try:
                self._index.open(before)
            except IndexUnavailable:
                self._rebuild_index(token, progress)
                return
        if self._index.generation != before:
            self._rebuild_index(token, progress)
            return
        documents = (
            self.example_documents()
            if report == EXAMPLES_REPORT
            else self._reader.documents(report)
        )
        self._index.update(report, documents, token, progress)

    @_holding_index_lock
    def _examples_changed(self, before: str) -> None:
        """Keep the index in step with local examples (a stale index is rebuilt by search)."""
        if before == self._index_token():
            return
        if self._index is None and (self.data_dir / "index").is_dir():
            from safedesk.search.index import IndexUnavailable, SearchIndex

            index = SearchIndex(self.data_dir / "index")
            try:
                index.open(before)
            except IndexUnavailable:
                return
            self._index = index
        if self._index is not None and self._index.generation == before:
            self._update_index(EXAMPLES_REPORT, before, None)

    @_holding_index_lock
    def _forget_index(self) -> None:
        """After a failed index write: close it and drop its stamp, so it is rebuilt next time."""
        if self._index is not None:
            self._index.close()
            self._index = None
        (self.data_dir / "index" / "safedesk-stamp.json").unlink(missing_ok=True)

    def rebuild_index(self, progress: Progress | None = None) -> None:
        """Rebuild the search index from the library (it is derived data)."""
        self._rebuild_index(self._index_token(), progress)

    # -- sharing and safekeeping -------------------------------------------------------------
    def export_collection(self, name: str, path: str | os.PathLike[str]) -> Path:
        """Write a collection to one self-contained file a colleague can import."""
        from safedesk.sharing.collection_file import export_collection

        return export_collection(self, name, Path(path))

    def import_collection(self, path: str | os.PathLike[str]) -> CollectionImport:
        """Import a collection file (all or nothing; importing it again adds no duplicates)."""
        from safedesk.sharing.importing import import_collection

        return import_collection(self, Path(path))

    def export_brief(
        self,
        output: str | os.PathLike[str],
        key: str | None = None,
        theme: str | None = None,
        authority: str | None = None,
        collection: str | None = None,
        handout: bool = False,
        paper: str = "a4",
        notes_space: bool = True,
    ) -> BriefResult:
        """Write a print-ready PDF: a practice sheet (`key`), theme brief, authority profile, or a
        session pack from a collection (`handout=True` leaves out the facilitator's notes)."""
        from safedesk.briefing.export import export_brief

        return export_brief(
            self, Path(output), key=key, theme=theme, authority=authority, collection=collection,
            handout=handout, paper=paper, notes_space=notes_space,
        )  # fmt: skip

    def backup(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Copy the library (to `path`, or into the backups folder) with SQLite's backup API."""
        from safedesk.store.maintenance import backup_to

        return backup_to(self, Path(path) if path else None)

    def restore_backup(self, path: str | os.PathLike[str]) -> Path:
        """Replace the library with a backup; the current state is backed up first (returned)."""
        from safedesk.store.maintenance import restore_backup

        return restore_backup(self, Path(path))

    def doctor(self, repair: bool = False) -> DoctorReport:
        """Check the database, the search index and references; with `repair`, rebuild the index."""
        from safedesk.store.maintenance import doctor

        return doctor(self, repair)

    def reopen_after_restore(self) -> None:
        """The database file's contents were replaced: migrate if needed, forget derived state."""
        if database.needs_migration(self._conn):
            self._conn.close()
            database.migrate(self.db_path, self.data_dir / "backups")
            self._conn = database.connect(self.db_path)
            self._reader = Reader(self._conn)
        if self._index is not None:
            self._index.close()
            self._index = None
        (self.data_dir / "index" / "safedesk-stamp.json").unlink(missing_ok=True)
        self._glossary = None

    # -- resolving what users type ------------------------------------------------------------
    def _report_key(self, value: str | None) -> str | None:
        if not value:
            return None
        reports = self._reader.reports()
        for r in reports:
            if value == r.key:
                return r.key
        wanted = value.strip().lower()
        matches = [r.key for r in reports if wanted in r.key or wanted in r.title.lower()]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise NotFoundError(f"no report matches {value!r}; see `safedesk reports`")
        raise NotFoundError(
            f"{value!r} matches several reports ({', '.join(matches)}); give its key"
        )

    def _resolve(self, what: str, value: str | None, report: str | None) -> list[str] | None:
        """Theme/authority keys for a key, number, name or title as a user would type it."""
        if not value:
            return None
        wanted = value.strip().lower()
        if what == "theme":
            options = [
                (t.key, [t.key, t.number, t.title, t.key.split("/")[-1]])
                for t in self._reader.themes(report)
            ]
        else:
            options = [
                (a.key, [a.key, a.name, a.key.split("/")[-1]])
                for a in self._reader.authorities(report)
            ]
        matches = [key for key, names in options if wanted in (n.lower() for n in names)]
        if not matches:
            matches = [
                key for key, names in options if any(wanted in n.lower() for n in names[2:3])
            ]
        if not matches:
            raise NotFoundError(
                f"no {what} matches {value!r}; see `safedesk {what.replace('y', 'ie')}s`"
            )
        return matches
