"""What the window's parts (navigation, collection and library commands) may ask of the window and
of each other. They depend on these protocols, not on `MainWindow`, which satisfies them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QListView, QStatusBar, QTreeView, QWidget

from safedesk.library import Library
from safedesk.ui.background import Background
from safedesk.ui.note_panel import NotePanel
from safedesk.ui.practice_map import PracticeMap
from safedesk.ui.reading_pane import ReadingPane
from safedesk.ui.result_list import ListPane
from safedesk.ui.search_controller import SearchController
from safedesk.ui.sidebar import SidebarModel
from safedesk.views import CollectionInfo


@dataclass(frozen=True)
class Target:
    """What a menu entry acts on: a library key, and the collection it is in (or is)."""

    key: str
    collection: str | None = None


class CollectionEditing(Protocol):
    """What other parts ask of `collection_commands.CollectionCommands`."""

    def edit_item_notes(self, target: Target) -> None: ...

    def move_up(self, target: Target) -> None: ...

    def move_down(self, target: Target) -> None: ...

    def remove_item(self, target: Target) -> None: ...


class SessionViews(Protocol):
    """What other parts ask of `session_commands.SessionCommands`: the planner bar, the
    Sessions view, and the menus of steps, records and actions."""

    def collection_shown(self, c: CollectionInfo) -> None: ...

    def hide_bar(self) -> None: ...

    def row_changed(self, row_kind: str) -> None: ...

    def show_sessions(self) -> None: ...

    def show_row(self, key: str, kind: str) -> None: ...

    def menu(self, key: str, kind: str, where: QPoint) -> None: ...


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
    def collections(self) -> CollectionEditing: ...

    @property
    def sessions(self) -> SessionViews: ...

    def window(self) -> QWidget: ...

    def statusBar(self) -> QStatusBar: ...

    def guarded(self, method: Callable[[], None]) -> None: ...

    def opened(self, library: Library) -> None: ...

    def content_changed(self) -> None: ...
