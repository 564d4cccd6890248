"""The service layer: the one API that the CLI, the GUI and scripts use.

    from safedesk import Library
    lib = Library.open()                      # builds the library from the bundled report if new
    lib.practices(theme="3.2")                # PracticeInfo objects
    lib.search("reflective supervision")      # SearchResult

A façade over the store (`store.local.LocalStore`), the search index (`search.lifecycle`) and the
modules that serve it (briefings, collection files, safekeeping), which ask it for what they need
through `interfaces`. Nothing here imports Qt or ReportLab; Whoosh and SQLAlchemy are imported
only when needed.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk import paths
from safedesk.errors import LibraryError, NotFoundError
from safedesk.search.lifecycle import IndexKeeper
from safedesk.sessionlib import SessionLibraryMixin
from safedesk.store import names, recovery
from safedesk.store.local import LocalStore, opening_error
from safedesk.store.reader import Document
from safedesk.store.userdata import EXAMPLE_PREFIX
from safedesk.userlib import EXAMPLES_REPORT, UserLibraryMixin, title_of
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    CollectionImport,
    ConceptDetail,
    ConceptNode,
    DocumentSectionInfo,
    Item,
    OriginalInfo,
    PassageInfo,
    PracticeInfo,
    Related,
    ReportDetail,
    ReportInfo,
    SearchResult,
    ThemeInfo,
    View,
)

if TYPE_CHECKING:
    from safedesk.briefing.export import BriefResult
    from safedesk.briefing.request import BriefRequest
    from safedesk.report_import import ImportSummary
    from safedesk.safekeeping import DoctorReport
    from safedesk.search.concepts import Thesaurus
    from safedesk.search.glossary import Glossary
    from safedesk.search.index import SearchIndex
    from safedesk.teamlib import TeamLibrary

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
DB_NAME = recovery.DB_NAME


class Library(SessionLibraryMixin, UserLibraryMixin):
    """A user's library: the SQLite store in `data_dir` and its search index."""

    def __init__(self, store: LocalStore) -> None:
        self.store = store
        self.data_dir = store.data_dir
        self.db_path = store.db_path
        self.index = IndexKeeper(store.data_dir / "index", store.index_token, self._documents)
        self._glossary: tuple[int, Glossary] | None = None
        self._seen_version = store.data_version()

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
        from safedesk.safekeeping import daily_backup

        folder = paths.data_dir(data_dir)
        store = LocalStore.open(folder, progress)
        try:
            library = cls(store)
            if bundled:
                library._ensure_bundled(progress)
        except BaseException as exc:
            store.close()
            error = opening_error(folder, exc)
            if error is exc:
                raise
            raise error from None
        daily_backup(store)
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
        from safedesk.store.local import refuse_read_only

        folder = paths.data_dir(data_dir)
        refuse_read_only(folder)
        return recovery.restore_into(folder, Path(backup).expanduser() if backup else None)

    @staticmethod
    def start_empty(data_dir: str | os.PathLike[str] | None = None) -> None:
        """After damage with no backup to restore: let the next `open` make a new library
        (the damaged file stays where it was moved)."""
        recovery.start_empty(paths.data_dir(data_dir))

    def _ensure_bundled(self, progress: Progress | None) -> None:
        source = paths.bundled_report()
        known = self.store.content.bundled_digest(source.name)
        if known == "" or known == hashlib.sha256(source.read_bytes()).hexdigest():
            return  # a different bundled report is here, or this one is up to date
        log.info("importing the bundled report %s", source.name)
        self.import_report(source, progress=progress, bundled=True)

    def close(self) -> None:
        self.index.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def generation(self) -> int:
        """Bumped by every report import (derived data is checked against it)."""
        return self.store.generation()

    def changed_elsewhere(self) -> bool:
        """True once after another process (the command line, another window, a restore) has
        changed the library since the last call. Cheap: a window may ask every second."""
        version = self.store.data_version()
        changed, self._seen_version = version != self._seen_version, version
        return changed

    @property
    def index_lock(self) -> Any:
        """Held around every use of the search index (it is shared between threads)."""
        return self.index.lock

    # -- importing ----------------------------------------------------------------------------
    def import_report(
        self,
        path: str | os.PathLike[str],
        progress: Progress | None = None,
        bundled: bool = False,
        cancelled: Callable[[], bool] | None = None,
        *,
        in_batch: bool = False,
    ) -> ImportSummary:
        """Read a report or document file and store it (replacing an earlier import of it).

        All or nothing: on any error the library is exactly as it was. `cancelled()` returning
        True before it is stored stops the import (`report_import.ImportCancelled`). `in_batch`:
        one of several (a team sync's documents); the index is brought up to date once after them.
        """
        from safedesk.report_import import import_report

        return import_report(
            self.store, self.index, Path(path), progress, bundled, cancelled, in_batch=in_batch
        )

    # -- browsing -----------------------------------------------------------------------------
    def reports(self) -> list[ReportInfo]:
        reports = self.store.content.reports()
        shared = self.store.team.shared_documents()
        if shared:
            names = self.store.team.names()
            for r in reports:
                if r.key in shared:
                    by = shared[r.key]["shared_by"]
                    r.shared, r.shared_by = True, names.get(by, by)
        return reports

    # -- the team library ---------------------------------------------------------------------
    @property
    def team(self) -> TeamLibrary:
        """Sharing with a team (a PostgreSQL team library): join, share, sync, conflicts."""
        from safedesk.teamlib import TeamLibrary

        return TeamLibrary(self)

    def after_sync(self, before: str, documents: int) -> None:
        """A team sync changed the library (the index token was `before`): local examples are
        followed at once; imported documents leave the index to be rebuilt once, when next
        needed (it is stale by its token)."""
        if not documents:
            self.index.follow(EXAMPLES_REPORT, before)
        self._glossary = None

    def report_detail(self, key: str) -> ReportDetail | None:
        """A report's catalogue entry and summaries, or None if it is not in the library."""
        return self.store.content.report_detail(key)

    def themes(self, report: str | None = None) -> list[ThemeInfo]:
        return self.store.content.themes(self._report_key(report))

    def authorities(self, report: str | None = None) -> list[AuthorityInfo]:
        return self.store.content.authorities(self._report_key(report))

    def practices(
        self, report: str | None = None, theme: str | None = None, authority: str | None = None
    ) -> list[PracticeInfo]:
        report_key = self._report_key(report)
        return self.store.content.practices(
            report_key,
            names.resolve(self.store.content, "theme", theme, report_key),
            names.resolve(self.store.content, "authority", authority, report_key),
        )

    def case_studies(self, report: str | None = None) -> list[CaseStudyInfo]:
        return self.store.content.case_studies(self._report_key(report))

    def factors(self, report: str | None = None) -> list[Item]:
        """Supporting factors (kind "factor") and barriers (kind "barrier") from the reports."""
        return self.store.content.factors(self._report_key(report))

    def document_sections(self, report: str | None = None) -> list[DocumentSectionInfo]:
        """Documents' headings in order (each with `level`; passages come with `get`)."""
        return self.store.content.document_sections(self._report_key(report))

    def passages(self, report: str | None = None, section: str | None = None) -> list[PassageInfo]:
        """Documents' passages in order, each with its page and the heading it stands under."""
        return self.store.content.passages(self._report_key(report), section)

    def original(self, key: str) -> OriginalInfo | None:
        """The kept original file of the report or document `key` belongs to, with the page where
        `key` starts; None if no original was kept (the bundled report, an older import)."""
        from safedesk.store.originals import original_path

        item = self.get(key)
        report_key = (
            item.key if isinstance(item, ReportDetail) else str(getattr(item, "report", ""))
        )
        origin = self.store.content.origin(report_key)
        if origin is None or not origin.original_name:
            return None
        path = original_path(self.data_dir, origin.original_name)
        if not path.is_file():
            return None
        text = str(getattr(item, "text", "") or "")
        if isinstance(item, DocumentSectionInfo):
            text = item.passages[0].text if item.passages else item.title
        suffix = path.suffix.lower()
        detail = self.store.content.report_detail(report_key)
        return OriginalInfo(
            key=item.key, report=report_key, title=detail.title if detail else report_key,
            path=str(path), format={".pdf": "pdf", ".docx": "docx"}.get(suffix, "text"),
            page=getattr(item, "page", None) if suffix == ".pdf" else None, text=text,
        )  # fmt: skip

    def edit_report(
        self,
        key: str,
        title: str | None = None,
        authors: list[str] | None = None,
        year: int | None = None,
        publisher: str | None = None,
        reset: bool = False,
    ) -> ReportDetail:
        """Correct a report's or document's citation (the fields given); `reset` first forgets
        earlier corrections. Kept as user data: see `store.corrections` for re-imports."""
        report_key = self._report_key(key) or key
        if reset:
            self.store.corrections.reset(report_key)
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = " ".join(title.split())
        if authors is not None:
            changes["authors"] = [" ".join(a.split()) for a in authors if a.strip()]
        if year is not None:
            if not 1800 <= year <= 2200:
                raise LibraryError(f"{year} does not look like a year of publication")
            changes["year"] = year
        if publisher is not None:
            changes["publisher"] = " ".join(publisher.split()) or None
        if changes:
            self.store.corrections.correct(report_key, changes)
        detail = self.store.content.report_detail(report_key)
        assert detail is not None
        return detail

    def glossary(self, report: str | None = None) -> list[tuple[str, str, str]]:
        """(report key, acronym, expansion) for every acronym the reports define."""
        return self.store.content.glossary(self._report_key(report))

    def get(self, key: str) -> View:
        """Whatever `key` names, in full: a practice, theme, section, local example..."""
        key = key.strip()
        if key.startswith(EXAMPLE_PREFIX):
            return self.example(key)
        return self.store.content.get(key)

    def has(self, key: str) -> bool:
        """True if `key` names something in this library."""
        try:
            self.get(key)
        except NotFoundError:
            return False
        return True

    def resolve(self, what: str, value: str, report: str | None = None) -> list[str]:
        """The keys of the themes or authorities (`what`) that `value` names as a user would type
        it (a key, number, name or title); NotFoundError if none does."""
        return names.resolve(self.store.content, what, value, self._report_key(report)) or []

    def full_account(self, key: str) -> str | None:
        """Where a practice's story is told at length: the case-study section that tells it, else
        its authority's case study; None for anything else, or without a case study."""
        from safedesk.search.related import account_section

        practice = self.get(key)
        if not isinstance(practice, PracticeInfo) or not practice.authority_key:
            return None
        authority = self.get(practice.authority_key)
        if not isinstance(authority, AuthorityInfo) or not authority.case_study:
            return None
        study = self.get(authority.case_study)
        if not isinstance(study, CaseStudyInfo):
            return authority.case_study
        section = account_section(practice, study)
        return section.key if section is not None else study.key

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

        content = self.store.content
        try:
            report_key = self._report_key(report)
            filters = {
                "report": [report_key] if report_key else None,
                "theme": names.resolve(content, "theme", theme, report_key),
                "authority": names.resolve(content, "authority", authority, report_key),
                "kind": [k.strip().lower() for k in kind.split(",")] if kind else None,
            }
        except NotFoundError as exc:
            return SearchResult(query=query, total=0, hits=[], note=f"{exc}.")

        def resolve(field: str, value: str) -> list[str]:
            try:
                if field == "report":
                    return [k for k in [self._report_key(value)] if k]
                return names.resolve(content, field, value, report_key) or []
            except NotFoundError:
                return []

        def attempt() -> SearchResult:
            return run_search(
                self.index.ensure(),
                query,
                self.glossary_index(),
                resolve,
                limit=limit,
                filters=filters,
                typing=typing,
                facets=not typing,
                thesaurus=None if exact else self.thesaurus(),
            )

        with self.index.lock:
            try:
                return attempt()
            except LibraryError:
                raise
            except Exception as exc:  # Whoosh reading a damaged file: rebuild once, then retry
                log.warning("search failed (%s: %s); rebuilding the index", type(exc).__name__, exc)
                self.index.rebuild()
                return attempt()

    def related(self, key: str, limit: int = 5) -> Related:
        """Practices most like the item with `key` ("more like this"), each with the practice
        concepts both are about (`shares`)."""
        from safedesk.search.related import more_like

        item = self.get(key)
        with self.index.lock:
            found = more_like(self.index.ensure(), item.key, limit, self.thesaurus())
        return Related(key=item.key, title=title_of(item, key), related=found)

    def thesaurus(self) -> Thesaurus:
        """The practice concepts shipped in resources/thesaurus (loaded once)."""
        from safedesk.search.concepts import bundled

        return bundled(paths.resources_dir() / "thesaurus" / "practice-concepts.json")

    def concepts(self) -> list[ConceptNode]:
        """The practice concepts as a tree, each with the number of items that match it or a
        narrower concept (counted once per index generation)."""
        from safedesk.search.browse import tree

        with self.index.lock:
            return tree(self.index.ensure(), self.thesaurus())

    def concept(self, term: str, limit: int = 10) -> ConceptDetail:
        """A concept, by id or any of its labels: its labels, relations, scope note, the number
        of items that match it and the best `limit` of them."""
        from safedesk.search.browse import detail

        thesaurus = self.thesaurus()
        found = thesaurus.find(term)
        if found is None:
            raise NotFoundError(f"no practice concept matches {term!r}; see `safedesk concepts`")
        with self.index.lock:
            return detail(self.index.ensure(), thesaurus, found, limit)

    def glossary_index(self) -> Glossary:
        """The curated glossary merged with the acronyms the reports define (cached)."""
        from safedesk.search.glossary import Glossary

        generation = self.generation
        if self._glossary is None or self._glossary[0] != generation:
            curated = paths.resources_dir() / "glossary" / "safeguarding-terms.json"
            self._glossary = (generation, Glossary.load(curated, self.store.content.glossary()))
        return self._glossary[1]

    def ensure_index(self, progress: Progress | None = None) -> SearchIndex:
        """The open search index, rebuilt first if it is missing, stale or damaged."""
        return self.index.ensure(progress)

    def rebuild_index(self, progress: Progress | None = None) -> None:
        """Rebuild the search index from the library (it is derived data)."""
        self.index.rebuild(progress)

    def _documents(self, report: str | None) -> Iterable[Document]:
        """The search documents of one report (local examples: EXAMPLES_REPORT), or of all."""
        if report == EXAMPLES_REPORT:
            return self.example_documents()
        if report is not None:
            return self.store.content.documents(report)
        return [*self.store.content.documents(), *self.example_documents()]

    # -- sharing and safekeeping -------------------------------------------------------------
    def export_collection(
        self, name: str, path: str | os.PathLike[str], with_records: bool = False
    ) -> Path:
        """Write a collection (with its plan and agenda steps) to one self-contained file a
        colleague can import; `with_records` adds the records of its sessions."""
        from safedesk.sharing.collection_file import export_collection

        return export_collection(self, name, Path(path), with_records)

    def import_collection(self, path: str | os.PathLike[str]) -> CollectionImport:
        """Import a collection file (all or nothing; importing it again adds no duplicates)."""
        from safedesk.sharing.importing import read_incoming

        incoming = read_incoming(self, Path(path))  # validated whole before anything is written
        before = self.store.index_token()
        result = self.store.merge_collection(incoming)
        if result.examples_added:
            self.index.follow(EXAMPLES_REPORT, before)
        return result

    def export_brief(
        self,
        output: str | os.PathLike[str],
        request: BriefRequest | None = None,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        **fields: Any,
    ) -> BriefResult:
        """Write a print-ready PDF for `request`, or for a request made of `fields`: a practice
        sheet (`key=`), a theme brief (`theme=`), an authority profile (`authority=`), or a
        session pack from a collection (`collection=`; `handout=True` leaves out the
        facilitator's notes); `paper="a4"` or "letter", `notes_space=True`. `progress` hears
        about long layouts; `cancelled()` returning True stops one, leaving no file."""
        from safedesk.briefing.export import export_brief
        from safedesk.briefing.request import BriefRequest

        try:
            wanted = request or BriefRequest(**fields)
        except TypeError as exc:
            raise LibraryError(f"cannot make that briefing: {exc}") from None
        return export_brief(self, Path(output), wanted, progress, cancelled)

    def backup(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Copy the library (to `path`, or into the backups folder) with SQLite's backup API."""
        from safedesk.safekeeping import backup_to

        return backup_to(self.store, Path(path) if path else None)

    def restore_backup(
        self, path: str | os.PathLike[str], progress: Progress | None = None
    ) -> Path:
        """Replace the library with a backup; the current state is backed up first (returned).
        The search index is rebuilt for the restored library before this returns."""
        from safedesk.safekeeping import restore_backup

        safety = restore_backup(self.store, self.index, Path(path))
        self._glossary = None
        self.index.ensure(progress)
        return safety

    def doctor(self, repair: bool = False) -> DoctorReport:
        """Check the database, the search index and references; with `repair`, rebuild the index."""
        from safedesk.safekeeping import doctor

        return doctor(self.store, self.index, self, repair)

    # -- resolving what users type ------------------------------------------------------------
    def _report_key(self, value: str | None) -> str | None:
        return names.report_key(self.store.content, value)
