"""What the window's parts (navigation, collection and library commands) may ask of the window and
of each other. They depend on these protocols, not on `MainWindow`, which satisfies them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QListView, QStatusBar, QTreeView, QWidget

from safedesk.library import Library
from safedesk.ui.background import Background
from safedesk.ui.note_panel import NotePanel
from safedesk.ui.practice_map import PracticeMap
from safedesk.ui.reading_pane import ReadingPane
from safedesk.ui.result_list import ListPane
from safedesk.ui.search_controller import SearchController
from safedesk.ui.sidebar import SidebarModel

if TYPE_CHECKING:
    from safedesk.ui.collection_commands import CollectionCommands
    from safedesk.ui.session_commands import SessionCommands


class Navigation(Protocol):
    reading_key: str | None

    def refresh_sidebar(self) -> None: ...

    def select_node(self, node: str, key: str) -> None: ...

    def selected_collection(self) -> str | None: ...

    def current_node(self) -> tuple[str, str]: ...

    def show_node(self, node: str, key: str) -> None: ...

    def open(self, key: str, remember: bool = True) -> None: ...


class FileCommands(Protocol):
    def on_import_collection(self) -> None: ...

    def export_collection(self, name: str) -> None: ...


class Shell(Protocol):
    """The window as its parts see it."""

    @property
    def data_dir(self) -> str | None: ...

    @property
    def library(self) -> Library | None: ...

    @property
    def background(self) -> Background: ...

    @property
    def tree(self) -> QTreeView: ...

    @property
    def tree_model(self) -> SidebarModel: ...

    @property
    def pane(self) -> ListPane: ...

    @property
    def list(self) -> QListView: ...

    @property
    def reader(self) -> ReadingPane: ...

    @property
    def notes(self) -> NotePanel: ...

    @property
    def search(self) -> SearchController: ...

    @property
    def practice_map(self) -> PracticeMap: ...

    @property
    def nav(self) -> Navigation: ...

    @property
    def commands(self) -> FileCommands: ...

    @property
    def collections(self) -> CollectionCommands: ...

    @property
    def sessions(self) -> SessionCommands: ...

    def window(self) -> QWidget: ...

    def statusBar(self) -> QStatusBar: ...

    def guarded(self, method: Callable[[], None]) -> None: ...

    def opened(self, library: Library) -> None: ...

    def content_changed(self) -> None: ...
