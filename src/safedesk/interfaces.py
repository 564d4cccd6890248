"""What the modules serving `Library` (briefings, collection files, team sync) may ask of it.

They depend on these small protocols, never on `Library` itself or on its private state, so the
service layer can import them without a circle and each can be tested over any object that answers.
`Library` satisfies all of them.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

from safedesk.search.lifecycle import IndexKeeper
from safedesk.store.collections import Snapshot
from safedesk.store.local import LocalStore
from safedesk.views import (
    BookmarkInfo,
    CaseStudyInfo,
    CollectionInfo,
    ExampleInfo,
    Item,
    PracticeInfo,
    ReportDetail,
    ReportInfo,
    SessionRecordInfo,
    ThemeInfo,
    View,
)


class Content(Protocol):
    """The reports' content, read-only."""

    def get(self, key: str) -> View: ...

    def has(self, key: str) -> bool: ...

    def report_detail(self, key: str) -> ReportDetail | None: ...

    def resolve(self, what: str, value: str, report: str | None = None) -> list[str]: ...

    def themes(self, report: str | None = None) -> list[ThemeInfo]: ...

    def practices(
        self, report: str | None = None, theme: str | None = None, authority: str | None = None
    ) -> list[PracticeInfo]: ...

    def case_studies(self, report: str | None = None) -> list[CaseStudyInfo]: ...

    def factors(self, report: str | None = None) -> list[Item]: ...

    def full_account(self, key: str) -> str | None: ...


class UserItems(Protocol):
    """The user's own things that printouts and shared files carry."""

    def bookmarked(self, key: str) -> BookmarkInfo | None: ...

    def collection(self, name: str) -> CollectionInfo: ...

    def item_snapshot(self, collection: str, key: str) -> Snapshot: ...

    def example(self, example_id: str) -> ExampleInfo: ...

    def sessions(self, collection: str | None = None) -> list[SessionRecordInfo]: ...


class Source(Content, UserItems, Protocol):
    """Everything a briefing or a collection file is made from."""


class TeamHost(Protocol):
    """What a team sync needs of the library: its store, the report importer, and the search
    index kept in step afterwards."""

    @property
    def store(self) -> LocalStore: ...

    def import_report(
        self, path: str | os.PathLike[str], progress: Any = None, bundled: bool = False,
        *, in_batch: bool = False,
    ) -> Any: ...  # fmt: skip

    def after_sync(self, before: str, documents: int) -> None: ...


class SharingHost(TeamHost, Protocol):
    """What sharing with a team (`teamlib.TeamLibrary`) needs of the library besides a sync:
    its reports, collections and examples as people see them, and the search index."""

    @property
    def index(self) -> IndexKeeper: ...

    def reports(self) -> list[ReportInfo]: ...

    def collection(self, name: str) -> CollectionInfo: ...

    def example(self, example_id: str) -> ExampleInfo: ...
