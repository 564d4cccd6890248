"""The main window's shell: the sidebar, list, reading pane with the note panel, the search box and
the practice map laid out; its menus (declared in `actions.py`); its remembered layout.

The jobs live in their own modules: `navigation.py` (sidebar → list → reading pane, Back and
Forward), `search_controller.py`, `collection_commands.py` (bookmarks, collections, context menus)
and `library_commands.py` (opening, imports, export and print, backups). All data comes from
`Library`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from safedesk import __version__
from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.ui import actions
from safedesk.ui.background import Background
from safedesk.ui.collection_commands import CollectionCommands
from safedesk.ui.library_commands import LibraryCommands, importable_files
from safedesk.ui.navigation import Navigator
from safedesk.ui.note_panel import NotePanel
from safedesk.ui.notice import install_announcer
from safedesk.ui.plain import message as show
from safedesk.ui.practice_map import PracticeMap
from safedesk.ui.reading_pane import ReadingPane
from safedesk.ui.result_list import KEY_ROLE, ROW_ROLE, ListPane
from safedesk.ui.search_controller import SearchController
from safedesk.ui.session_commands import SessionCommands
from safedesk.ui.sidebar import SidebarModel, SidebarTree
from safedesk.ui.team_commands import TeamCommands
from safedesk.ui.team_sync import TeamSync
from safedesk.ui.text_size import TextSize
from safedesk.ui.wording import for_the_app

log = logging.getLogger(__name__)
WATCH_MS = 1000  # how often the window asks whether another process changed the library
__all__ = ["KEY_ROLE", "ROW_ROLE", "MainWindow"]


class MainWindow(QMainWindow):
    def __init__(self, data_dir: str | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.library: Library | None = None
        self.instance_server: Any = None  # set by app.run: later launches ask through it
        self._generation = -1  # the reports' generation the window shows
        self.setWindowTitle("safedesk")
        self.setAcceptDrops(True)  # a collection file or a report dropped on the window imports
        screen = self.screen().availableGeometry()
        self.resize(min(1200, int(screen.width() * 0.9)), min(760, int(screen.height() * 0.9)))

        self.background = Background(self, lambda text: self.statusBar().showMessage(text))
        self.announcer = install_announcer(self)  # status-bar messages are spoken
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.text_size = TextSize(app)  # Ctrl+= / Ctrl+- / Ctrl+0 scale every pane
        self.nav = Navigator(self)
        self.collections = CollectionCommands(self)
        self.commands = LibraryCommands(self)
        self.team = TeamSync(self)  # the status-bar indicator; syncs in the background
        self.team_commands = TeamCommands(self, self.team)

        self.pane = ListPane()
        self.pane.current_changed.connect(self.nav.list_changed)
        self.pane.sort_changed.connect(
            lambda mode, name: QSettings().setValue(f"list/sort-{mode}", name)
        )
        self.pane.model.dropped.connect(
            lambda keys, row: self.guarded(lambda: self.collections.dropped_on_list(keys, row))
        )
        self.list = self.pane.view
        self.list_model = self.pane.model
        self.list_label = self.pane.label
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self.collections.list_menu)

        self.sessions = SessionCommands(self)  # the planner's bar over a collection; Sessions

        self.search = SearchController(self, self.pane, lambda: self.nav.theme_labels)
        self.search.cleared.connect(self.nav.show_current)
        self.search_box = self.search.box
        self.search_hint = self.search.hint

        self.tree_model = SidebarModel(self)
        self.tree_model.dropped_on_collection.connect(
            lambda name, keys: self.guarded(lambda: self.collections.add_keys(name, keys))
        )
        self.tree = SidebarTree()
        self.tree.setModel(self.tree_model)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self.collections.tree_menu)
        self.tree.selectionModel().currentChanged.connect(self.nav.tree_changed)

        self.reader = ReadingPane()
        self.reader.open_requested.connect(self.nav.open)
        self.reader.original_requested.connect(
            lambda key: self.guarded(lambda: self.commands.open_original(key))
        )
        self.reader.refused.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.notes = NotePanel()
        self.notes.changed.connect(self.nav.refresh_sidebar)
        self.watch = QTimer(self, interval=WATCH_MS)  # changes made by another process
        self.watch.timeout.connect(self._watch)

        self.reading = QSplitter(Qt.Orientation.Vertical)
        self.reading.addWidget(self.reader)
        self.reading.addWidget(self.notes)
        self.reading.setSizes([560, 150])
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.pane)
        self.splitter.addWidget(self.reading)
        self.splitter.setSizes([260, 380, 560])

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addWidget(self.search.bar)  # the box and its "Exact words" toggle
        outer.addWidget(self.search_hint)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.practice_map = PracticeMap()
        self.practice_map.cell_chosen.connect(self.nav.show_cell)
        self.map_dock = QDockWidget("Practice map", self)
        self.map_dock.setObjectName("practice-map")
        self.map_dock.setWidget(self.practice_map)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.map_dock)
        self.map_dock.hide()

        self.action_map = actions.install(self, self._handler)
        self.action_map["practice_map"].setCheckable(True)
        self.map_dock.visibilityChanged.connect(self.action_map["practice_map"].setChecked)
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _s: self._palette_changed())
        self._restore_layout()
        self.statusBar().showMessage("Opening your library…")

    def _handler(self, name: str) -> Callable[[], None]:
        """The slot for action `name`: `on_<name>` of the window or of the part that does it."""
        for owner in (
            self, self.nav, self.collections, self.sessions, self.commands, self.team_commands,
        ):  # fmt: skip
            method = getattr(owner, f"on_{name}", None)
            if method is not None:
                return lambda: self.guarded(method)
        raise AttributeError(f"no handler for the action {name!r}")

    def guarded(self, method: Callable[[], None]) -> None:
        """Run an action; a failure becomes a clear dialog and a log entry, never a crash."""
        try:
            method()
        except LibraryError as exc:
            show(self, for_the_app(str(exc)), QMessageBox.Icon.Warning)
        except Exception:
            log.exception("action failed")
            QMessageBox.critical(
                self, "safedesk", "Something went wrong; details are in the log file."
            )

    # -- the library ------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the library off the GUI thread (called once the window has painted)."""
        self.commands.start()

    def opened(self, library: Library) -> None:
        self.library = library
        self.search.attach(library)
        self.watch.start()
        self.content_changed()
        reports = library.reports()
        if reports:
            self.setWindowTitle(f"{reports[0].title} — safedesk")
        count = sum(r.practices for r in reports)
        documents = sum(1 for r in reports if r.kind == "document")
        also = f" and {documents} document{'s' * (documents != 1)}" if documents else ""
        self.statusBar().showMessage(
            f"{count} examples of good practice in {len(reports) - documents} report(s){also}"
        )
        self.team.attach(library)
        if not self.nav.restore_selection():
            report = self.tree_model.item(0)
            themes = report.child(0) if report is not None else None
            if themes is not None and themes.rowCount():
                self.tree.setCurrentIndex(themes.child(0).index())

    def content_changed(self) -> None:
        """Reports were opened, imported or restored: the sidebar, filters and map follow."""
        if self.library is not None:
            self._generation = self.library.generation
        self.nav.content_changed()
        if self.map_dock.isVisible() and self.library is not None:
            self.practice_map.refresh(self.library)

    def _watch(self) -> None:
        if self.library is not None and self.library.changed_elsewhere():
            self.guarded(self.changed_elsewhere)

    def changed_elsewhere(self) -> None:
        """Another process changed the library: show what is there now. What the user is typing
        stays; the note panel keeps both versions if they differ."""
        if self.library is None:
            return
        generation = self.library.generation
        if generation != self._generation:
            self._generation = generation
            self.content_changed()
        else:
            self.nav.refresh_sidebar()
        node, key = self.nav.current_node()
        if node in ("bookmarks", "collection", "examples", "trash") and not self.search.active():
            reading = self.nav.reading_key
            self.nav.show_node(node, key)
            if reading:
                self.pane.select_key(reading)
        self.notes.reload()
        self.nav.redraw()

    def is_ready(self) -> bool:
        return self.library is not None

    def bring_forward(self) -> None:
        """Another launch on the same library asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self.statusBar().showMessage("safedesk was already open: here it is.", 5000)

    # -- palette ----------------------------------------------------------------------------------
    def _palette_changed(self) -> None:
        """Light or dark: the reading pane's colours come from the palette, so re-render."""
        self.reader.style_text()
        self.nav.redraw()
        self.list.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._palette_changed()
        super().changeEvent(event)

    # -- dropping files on the window -------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if importable_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = importable_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.commands.import_files(paths)

    # -- actions the window does itself (see actions.py) -------------------------------------------
    def on_find(self) -> None:
        self.search.focus()

    def on_toggle_bookmark(self) -> None:
        if self.notes.key is not None:
            self.notes.toggle.toggle()

    def on_zoom_in(self) -> None:
        self.text_size.bigger()

    def on_zoom_out(self) -> None:
        self.text_size.smaller()

    def on_zoom_reset(self) -> None:
        self.text_size.normal()

    def on_practice_map(self) -> None:
        if self.map_dock.isVisible():
            self.map_dock.hide()
            return
        if self.library is not None:
            self.practice_map.refresh(self.library)
        self.map_dock.show()
        self.map_dock.raise_()
        self.practice_map.table.setFocus()

    def on_help(self) -> None:
        from safedesk.ui.help import HelpDialog

        dialog = HelpDialog(self)
        self.help_dialog = dialog  # kept open beside the window
        dialog.show()

    def on_shortcuts(self) -> None:
        from safedesk.ui.help import shortcuts_html

        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_html())
        box.exec()

    def on_about(self) -> None:
        library = self.library
        where = str(library.data_dir) if library else "(not open)"
        reports = library.reports() if library else []
        cite = reports[0].citation if reports else ""
        QMessageBox.about(
            self, "About safedesk",
            f"<h3>safedesk {escape(__version__)}</h3>"
            "<p>A library of children's safeguarding practice.</p>"
            f"<p>Your library: {escape(where)}</p>"
            f"<p>Bundled report:<br>{escape(cite)}</p>",
        )  # fmt: skip

    def on_quit(self) -> None:
        self.close()

    # -- remembering the layout -------------------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for name, splitter in (("splitter", self.splitter), ("reading", self.reading)):
            state = settings.value(f"window/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        for mode in ("browse", "search"):
            sort = settings.value(f"list/sort-{mode}")
            if isinstance(sort, str):
                self.pane.sorts[mode] = sort

    def closeEvent(self, event: QCloseEvent) -> None:
        self.watch.stop()
        self.notes.save()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("window/reading", self.reading.saveState())
        self.search.close()
        self.team.wait()
        self.nav.close()
        self.background.wait()
        if self.library is not None:
            self.library.close()
            self.library = None
        if self.instance_server is not None:
            self.instance_server.close()
        self.text_size.restore_system()
        super().closeEvent(event)
