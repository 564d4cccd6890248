"""The main window: sidebar, list, reading pane with the note panel, search, and the practice map.

A thin view: all data comes from `Library`; menus and shortcuts are declared in `actions.py`, the
list pane is `result_list.py`, what the reading pane says is `reading.py`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QModelIndex,
    QObject,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QPalette,
    QStandardItem,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from safedesk import __version__
from safedesk.errors import DamagedLibraryError, LibraryError
from safedesk.library import Library
from safedesk.search.typeahead import LatestOnly
from safedesk.ui import actions
from safedesk.ui.colours import quiet_text, search_mark
from safedesk.ui.note_panel import NotePanel
from safedesk.ui.plain import message as show
from safedesk.ui.practice_map import PracticeMap
from safedesk.ui.reading import (
    Emphasis,
    TextMarker,
    emphasis_for,
    hit_title,
    key_of_link,
    reading_html,
)
from safedesk.ui.result_list import KEY_ROLE, ROW_ROLE, ListPane, Row
from safedesk.ui.sidebar import NODE_ROLE, SidebarModel
from safedesk.ui.workers import Worker
from safedesk.views import PracticeInfo, SearchHit, SearchResult

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 200  # hits fetched per search; the filters and their counts work over these
__all__ = ["KEY_ROLE", "ROW_ROLE", "MainWindow"]


@dataclass(frozen=True)
class SearchRequest:
    text: str
    serial: int
    typing: bool = True


class _Delivery(QObject):
    """Carries search results from the search thread to the window's thread."""

    arrived = Signal(object, object)  # SearchRequest, SearchResult or an error message


class MainWindow(QMainWindow):
    def __init__(self, data_dir: str | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.library: Library | None = None
        self._worker: Worker | None = None
        self.instance_server: Any = None  # set by app.run: later launches ask through it
        self._history: list[str] = []
        self._done: Callable[[Any], None] = lambda _result: None
        self._failure = ""
        self._place = -1
        self._zoom = 0
        self._reading_key: str | None = None
        self._emphasis = Emphasis()
        self._theme_labels: dict[tuple[str, str], str] = {}  # (report, theme title) -> "3.2 …"
        self._search_serial = 0
        self._searcher: LatestOnly[SearchRequest, Any] | None = None
        self._delivery = _Delivery(self)
        self._delivery.arrived.connect(self._search_arrived)
        self.setWindowTitle("safedesk")
        self.setAcceptDrops(True)  # a collection file or a report dropped on the window imports
        screen = self.screen().availableGeometry()
        self.resize(min(1200, int(screen.width() * 0.9)), min(760, int(screen.height() * 0.9)))

        self.search_box = QLineEdit(
            placeholderText="Search practice, findings and case studies  (Ctrl+K)"
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search")
        self.search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._run_search)
        self.search_box.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_box.returnPressed.connect(lambda: self._run_search(typing=False))
        self.search_hint = QLabel()
        self.search_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.search_hint.setAccessibleName("Search notes")
        self.search_hint.setVisible(False)

        self.tree_model = SidebarModel(self)
        self.tree_model.dropped_on_collection.connect(
            lambda name, keys: self._guarded(lambda: self._add_keys(name, keys))
        )
        self.tree = QTreeView(headerHidden=True)
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName("Library")
        self.tree.setDropIndicatorShown(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)  # drags and drops
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.tree.selectionModel().currentChanged.connect(self._tree_changed)

        self.pane = ListPane()
        self.pane.current_changed.connect(self._list_changed)
        self.pane.sort_changed.connect(
            lambda mode, name: QSettings().setValue(f"list/sort-{mode}", name)
        )
        self.pane.model.dropped.connect(
            lambda keys, row: self._guarded(lambda: self._dropped_on_list(keys, row))
        )
        self.list = self.pane.view
        self.list_model = self.pane.model
        self.list_label = self.pane.label
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._list_menu)

        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)  # links are followed by _follow, after a click only
        self.reader.setAccessibleName("Reading pane")
        self.reader.anchorClicked.connect(self._follow)
        self.notes = NotePanel()
        self.notes.changed.connect(self._refresh_sidebar)

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
        outer.addWidget(self.search_box)
        outer.addWidget(self.search_hint)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.practice_map = PracticeMap()
        self.practice_map.cell_chosen.connect(self._show_cell)
        self.map_dock = QDockWidget("Practice map", self)
        self.map_dock.setObjectName("practice-map")
        self.map_dock.setWidget(self.practice_map)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.map_dock)
        self.map_dock.hide()

        self.action_map = actions.install(self, self._handler)
        self.action_map["practice_map"].setCheckable(True)
        self.map_dock.visibilityChanged.connect(self.action_map["practice_map"].setChecked)
        self._style_reader()
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _s: self._palette_changed())
        self._restore_layout()
        self.statusBar().showMessage("Opening your library…")

    def _handler(self, name: str) -> Callable[[], None]:
        method: Callable[[], None] = getattr(self, f"on_{name}")
        return lambda: self._guarded(method)

    def _guarded(self, method: Callable[[], None]) -> None:
        """Run an action; a failure becomes a clear dialog and a log entry, never a crash."""
        try:
            method()
        except LibraryError as exc:
            show(self, str(exc), QMessageBox.Icon.Warning)
        except Exception:
            log.exception("action failed")
            QMessageBox.critical(
                self, "safedesk", "Something went wrong; details are in the log file."
            )

    # -- opening the library off the GUI thread -------------------------------------------------
    def start(self) -> None:
        self._progress = self._progress_dialog("Opening your library…")

        def job(progress: Any) -> Library:
            library = Library.open(self.data_dir, progress=progress)
            library.ensure_index(progress)
            library.glossary_index()  # loaded here, not on the GUI thread at the first reading
            return library

        self._run_in_background(job, self._on_opened, "Your library could not be opened")

    def _progress_dialog(self, label: str) -> QProgressDialog:
        dialog = QProgressDialog(label, "", 0, 100, self)
        dialog.setWindowTitle("safedesk")
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(300)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        return dialog

    def _run_in_background(self, job: Any, done: Callable[[Any], None], failure: str) -> None:
        """Run `job(progress)` on a worker thread; `done(result)` runs on the GUI thread after."""
        worker = Worker(job)
        self._done, self._failure = done, failure
        # bound methods of this window, so that Qt delivers them on the GUI thread
        worker.progressed.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.failed.connect(self._on_worker_failed)
        self._worker = worker
        worker.start()

    def _on_finished(self, result: Any) -> None:
        self._progress.close()
        self._done(result)

    def _on_worker_failed(self, message: str) -> None:
        error = self._worker.error if self._worker is not None else None
        if isinstance(error, DamagedLibraryError):
            self._progress.close()
            self._offer_recovery(error)
            return
        self._on_failed(self._failure, message)

    def _offer_recovery(self, error: DamagedLibraryError) -> None:
        """The library file is damaged (and was moved aside, never overwritten): offer to restore
        the newest backup, or to start an empty library, or to leave things as they are."""
        from safedesk.ui.recovery import RecoveryDialog

        log.error("library damaged: %s", error)
        dialog = RecoveryDialog(error, self)
        self._recovery_dialog = dialog  # reachable for tests while it is open
        choice = dialog.exec_choice()
        if choice == "restore":
            try:
                used = Library.restore_into(self.data_dir)  # the newest healthy backup
            except LibraryError as exc:
                show(self, f"The backup could not be restored: {exc}", QMessageBox.Icon.Critical)
                return
            self.statusBar().showMessage(f"Restored the backup {used.name}", 8000)
            self.start()
        elif choice == "empty":
            Library.start_empty(self.data_dir)
            self.start()
        else:
            self.statusBar().showMessage(
                "The library is not open. Its damaged file was kept; see Help for "
                "`safedesk restore-backup`."
            )

    def _on_progress(self, message: str, fraction: float) -> None:
        self._progress.setLabelText(message)
        self._progress.setValue(int(fraction * 100))

    def _on_failed(self, what: str, message: str) -> None:
        self._progress.close()
        log.error("%s: %s", what, message)
        show(self, f"{what}:\n\n{message}", QMessageBox.Icon.Critical)
        self.statusBar().showMessage(f"{what}.")

    def _on_opened(self, library: Library) -> None:
        self.library = library
        self._searcher = LatestOnly(self._search_job, self._delivery.arrived.emit)
        self._content_changed()
        reports = library.reports()
        if reports:
            self.setWindowTitle(f"{reports[0].title} — safedesk")
        count = sum(r.practices for r in reports)
        self.statusBar().showMessage(
            f"{count} examples of good practice in {len(reports)} report(s)"
        )
        if not self._restore_selection():
            report = self.tree_model.item(0)
            themes = report.child(0) if report is not None else None
            if themes is not None and themes.rowCount():
                self.tree.setCurrentIndex(themes.child(0).index())

    def is_ready(self) -> bool:
        return self.library is not None

    def bring_forward(self) -> None:
        """Another launch on the same library asked for this window."""
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()
        self.statusBar().showMessage("safedesk was already open: here it is.", 5000)

    # -- browsing -------------------------------------------------------------------------------
    def _refresh_sidebar(self) -> None:
        if self.library is None:
            return
        current = self.tree.currentIndex()
        path = (current.data(NODE_ROLE), current.data(KEY_ROLE)) if current.isValid() else None
        self.tree_model.refresh(self.library)
        self.tree.expandToDepth(0)
        if path:
            row = self._find_node(*path)
            if row is not None:
                self.tree.selectionModel().blockSignals(True)
                self.tree.setCurrentIndex(row.index())
                self.tree.selectionModel().blockSignals(False)

    def _content_changed(self) -> None:
        """Reports were opened, imported or restored: redo what is derived from them (the
        sidebar, the filters' theme labels, the practice map). Not on every note saved."""
        assert self.library is not None
        self._theme_labels = {  # search hits name a theme by title; the filters add its number
            (t.report, t.title): f"{t.number} {t.title}" for t in self.library.themes()
        }
        if self.map_dock.isVisible():
            self.practice_map.refresh(self.library)
        self._refresh_sidebar()

    def _find_node(self, node: str, key: str) -> QStandardItem | None:
        for row in self._all_rows():
            if (row.data(NODE_ROLE), row.data(KEY_ROLE)) == (node, key):
                return row
        return None

    def _all_rows(self) -> list[QStandardItem]:
        out: list[QStandardItem] = []

        def walk(item: QStandardItem) -> None:
            out.append(item)
            for r in range(item.rowCount()):
                walk(item.child(r))

        for r in range(self.tree_model.rowCount()):
            walk(self.tree_model.item(r))
        return out

    def _tree_changed(self, current: Any, _previous: Any) -> None:
        if self.library is None or not current.isValid():
            return
        node, key = current.data(NODE_ROLE), current.data(KEY_ROLE)
        settings = QSettings()
        settings.setValue("window/node", node)
        settings.setValue("window/node-key", key)
        if self.search_box.text().strip():
            self.search_box.blockSignals(True)  # choosing a place in the library ends a search
            self.search_box.clear()
            self.search_box.blockSignals(False)
            self._show_search_hints(None)
        self._show_node(node, key)

    def _show_node(self, node: str, key: str) -> None:
        lib = self.library
        assert lib is not None
        self.pane.set_accept_drops(node == "collection")
        if node in ("theme", "authority", "report"):
            practices = lib.practices(**{node: key})
            self._show_practices(f"{len(practices)} practices", practices)
            self._open(key, remember=False)
        elif node == "item":
            self._open(key)
        elif node == "bookmarks":
            marks = lib.bookmarks()
            self.pane.show_rows(
                f"{len(marks)} bookmarks",
                [Row(b.key, b.title, ", ".join(b.tags), b.note[:160]) for b in marks],
                filters=False,
            )
        elif node == "collection":
            c = lib.collection(key)
            rows = []
            for n, i in enumerate(c.items, start=1):
                meta = " · ".join(
                    x for x in (f"{i.minutes} min" if i.minutes else "", i.note[:120]) if x
                )
                rows.append(
                    Row(i.key, f"{n}. {i.title}", meta, "\n".join(f"? {p}" for p in i.prompts))
                )
            self.pane.show_rows(f"{c.name}: {len(c.items)} items", rows, filters=False)
            self.statusBar().showMessage(
                "Drag items to reorder them; drop practice here to add it", 6000
            )
        elif node == "examples":
            examples = lib.examples()
            self.pane.show_rows(
                f"{len(examples)} of your own examples",
                [
                    Row(
                        e.key,
                        e.title,
                        f"{e.team or 'own team'} · {e.theme or 'no theme'}",
                        kind="example",
                        theme=e.theme_key,
                        theme_label=e.theme,
                    )
                    for e in examples
                ],
            )
        elif node == "trash":
            entries = lib.trash()
            self.pane.show_rows(
                f"{len(entries)} in the Trash (right-click to restore)",
                [
                    Row(t.id, t.label, t.deleted_at[:16].replace("T", " "), row_kind="trash")
                    for t in entries
                ],
                filters=False,
            )

    def _show_practices(self, label: str, practices: list[PracticeInfo]) -> None:
        self.pane.show_rows(label, [_practice_row(p) for p in practices])

    def _show_cell(self, theme: str, authority: str, label: str) -> None:
        """The practice map asked for one cell (or a whole row or column)."""
        if self.library is None:
            return
        report = self.practice_map.report.currentData()
        practices = self.library.practices(
            report=report, theme=theme or None, authority=authority or None
        )
        self.pane.set_accept_drops(False)
        self._show_practices(f"{label}: {len(practices)} practices", practices)
        if practices:
            self.pane.select_key(practices[0].key)
        self.statusBar().showMessage(f"Practice map: {label}", 4000)

    def _list_changed(self, key: str, row_kind: str) -> None:
        if row_kind == "item":
            self._open(key)

    def _open(self, key: str, remember: bool = True) -> None:
        """Show `key` in the reading pane (and remember it for Back/Forward)."""
        if self.library is None:
            return
        try:
            item = self.library.get(key)
        except LibraryError as exc:
            self.reader.setPlainText(str(exc))
            return
        self._reading_key = key
        self._render(item, keep_scroll=False)
        self.notes.show_item(self.library, key if item.kind not in ("report",) else None)
        QSettings().setValue("window/item", key)
        if remember and (self._place < 0 or self._history[self._place] != key):
            del self._history[self._place + 1 :]
            self._history.append(key)
            self._place = len(self._history) - 1

    def _render(self, item: Any, keep_scroll: bool) -> None:
        """Show `item`; `keep_scroll` when the same item is drawn again (a palette change)."""
        assert self.library is not None
        marker = TextMarker(self._emphasis, self.library.glossary_index(), self._highlight())
        scroll = self.reader.verticalScrollBar().value() if keep_scroll else 0
        self.reader.setHtml(reading_html(self.library, item, marker))
        _dot_underline_tooltips(self.reader)
        self.reader.verticalScrollBar().setValue(scroll)

    def _follow(self, url: QUrl) -> None:
        """A link in the reading pane was clicked: library links open here; web links (http and
        https only) open in the browser; anything else is refused."""
        key = key_of_link(url.toString())
        if key is not None:
            self._open(key)
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
        else:
            self.statusBar().showMessage("That link was not followed.", 4000)

    # -- palette --------------------------------------------------------------------------------
    def _highlight(self) -> str:
        return search_mark(self.palette()).name()

    def _style_reader(self) -> None:
        p = self.palette()
        quiet = quiet_text(p).name()
        link = p.color(QPalette.ColorRole.Link).name()
        self.reader.document().setDefaultStyleSheet(
            f"h2 {{ margin-bottom: 4px; }} .meta {{ color: {quiet}; }} p {{ line-height: 140%; }}"
            f" a {{ color: {link}; }} p.links {{ margin-top: 12px; }}"
        )

    def _palette_changed(self) -> None:
        """Light or dark: the reading pane's colours come from the palette, so re-render."""
        self._style_reader()
        if self.library is not None and self._reading_key:
            with contextlib.suppress(LibraryError):
                self._render(self.library.get(self._reading_key), keep_scroll=True)
        self.list.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._palette_changed()
        super().changeEvent(event)

    # -- searching ------------------------------------------------------------------------------
    def _run_search(self, typing: bool = True) -> None:
        """Hand the text to the search thread; only the newest text's results are ever shown."""
        text = self.search_box.text()  # a trailing space says the last word is finished
        if self.library is None or self._searcher is None:
            return
        self.search_timer.stop()
        self._search_serial += 1
        if not text.strip():
            self._emphasis = Emphasis()
            self._show_search_hints(None)
            self._tree_changed(self.tree.currentIndex(), None)
            return
        self._searcher.submit(SearchRequest(text, self._search_serial, typing))

    def _search_job(self, request: SearchRequest) -> SearchResult | str:
        """On the search thread."""
        library = self.library
        if library is None:
            return "The library is closed."
        try:
            if request.typing:
                return library.search_as_you_type(request.text, limit=SEARCH_LIMIT)
            return library.search(request.text, limit=SEARCH_LIMIT)
        except Exception as exc:  # shown under the search box; the window carries on
            log.exception("search failed")
            return f"The search failed: {exc}"

    def _search_arrived(self, request: SearchRequest, result: SearchResult | str) -> None:
        if request.serial != self._search_serial or self.library is None:
            return  # the text has changed since: a newer search is on its way
        if isinstance(result, str):
            self.pane.show_rows(result, [], filters=False)
            return
        self._emphasis = emphasis_for(request.text, result.expanded, typing=request.typing)
        rows = [self._hit_row(h) for h in result.hits]
        shown = f"top {len(rows)} of " if result.total > len(rows) else ""
        label = f"{shown}{result.total} results" + (f" ({result.note})" if result.note else "")
        self.pane.show_rows(label, rows, relevance=True)
        self._show_search_hints(result)

    def _hit_row(self, hit: SearchHit) -> Row:
        theme = self._theme_labels.get((hit.report, hit.theme or ""), hit.theme or "")
        authority = hit.authority or ""
        where = " · ".join(x for x in (authority, theme) if x)
        return Row(
            hit.key, hit_title(hit.kind, hit.number, hit.title), where, hit.snippet, kind=hit.kind,
            theme=f"{hit.report}|{hit.theme}" if hit.theme else "", theme_label=theme,
            authority=f"{hit.report}|{authority}" if authority else "", authority_label=authority,
            number=hit.number if isinstance(hit.number, int) else None,
        )  # fmt: skip

    def _show_search_hints(self, result: SearchResult | None) -> None:
        hints = []
        if result is not None and result.expanded:
            hints.append("Also searched for: " + ", ".join(
                f"{e['term']} = {e['expansion']}" for e in result.expanded
            ))  # fmt: skip
        if result is not None and result.suggestion:
            hints.append(f"Did you mean: {result.suggestion}?")
        self.search_hint.setText("   ".join(hints))
        self.search_hint.setVisible(bool(hints))

    # -- context menus --------------------------------------------------------------------------
    @staticmethod
    def _menu_target(view: QAbstractItemView, pos: QPoint) -> tuple[QModelIndex, QPoint]:
        """The row a context menu is for: the one clicked, or (the menu key) the current one."""
        index = view.indexAt(pos)
        if index.isValid():
            return index, pos
        current = view.currentIndex()
        return current, view.visualRect(current).center()

    def _list_menu(self, pos: QPoint) -> None:
        index, pos = self._menu_target(self.list, pos)
        if not index.isValid() or self.library is None:
            return
        key, kind = index.data(KEY_ROLE), index.data(ROW_ROLE)
        menu = QMenu(self)
        if kind == "trash":
            menu.addAction("Restore", lambda: self._guarded(lambda: self._restore(key)))
        else:
            menu.addAction("Bookmark", lambda: self._guarded(lambda: self._bookmark(key)))
            add = menu.addMenu("Add to collection")
            for c in self.library.collections():
                add.addAction(c.name, partial(self._guarded, partial(self._add_to, c.name, key)))
            add.addSeparator()
            add.addAction("New collection…", lambda: self._guarded(lambda: self._add_to(None, key)))
            name = self._selected_collection()
            if name is not None:
                menu.addSeparator()
                menu.addAction(
                    "Session notes and prompts…",
                    lambda: self._guarded(lambda: self._edit_item_notes(name, key)),
                )
                menu.addAction("Move up", lambda: self._guarded(lambda: self._move(name, key, -1)))
                menu.addAction(
                    "Move down", lambda: self._guarded(lambda: self._move(name, key, +1))
                )
                menu.addAction("Remove from collection", lambda: self._guarded(
                    lambda: self._remove_item(name, key)))  # fmt: skip
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def _tree_menu(self, pos: QPoint) -> None:
        index, pos = self._menu_target(self.tree, pos)
        if not index.isValid() or self.library is None:
            return
        node, key = index.data(NODE_ROLE), index.data(KEY_ROLE)
        menu = QMenu(self)
        if node == "collection":
            menu.addAction("Rename…", lambda: self._guarded(lambda: self._rename(key)))
            menu.addAction("Description…", lambda: self._guarded(lambda: self._describe(key)))
            menu.addAction("Duplicate", lambda: self._guarded(lambda: self._duplicate(key)))
            menu.addAction("Export…", lambda: self._guarded(lambda: self._export_collection(key)))
            menu.addSeparator()
            menu.addAction("Delete (to the Trash)", lambda: self._guarded(
                lambda: self._delete_collection(key)))  # fmt: skip
        elif node == "collections":
            menu.addAction("New collection…", lambda: self._guarded(self.on_new_collection))
            menu.addAction("Import collection…", lambda: self._guarded(self.on_import_collection))
        elif node in ("item", "theme", "authority") and key:
            menu.addAction("Bookmark", lambda: self._guarded(lambda: self._bookmark(key)))
            menu.addAction("Add to collection…", lambda: self._guarded(
                lambda: self._choose_collection_for(key)))  # fmt: skip
        else:
            return
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    # -- user data ------------------------------------------------------------------------------
    def _bookmark(self, key: str) -> None:
        assert self.library is not None
        self.library.bookmark(key)
        self._refresh_sidebar()
        if key == self.notes.key:
            self.notes.show_item(self.library, key)
        self.statusBar().showMessage("Bookmarked", 3000)

    def _ask_new_collection(self) -> str | None:
        """Ask for a name and make the collection; its name as made (None if cancelled)."""
        assert self.library is not None
        name, ok = QInputDialog.getText(self, "New collection", "Name of the new collection:")
        if not ok or not name.strip():
            return None
        return self.library.create_collection(name).name

    def _add_to(self, name: str | None, key: str) -> None:
        """Add `key` to the collection `name` (None: a new one, asked for)."""
        assert self.library is not None
        name = name if name is not None else self._ask_new_collection()
        if name is None:
            return
        self.library.add_to_collection(name, key)
        self._refresh_sidebar()
        self.statusBar().showMessage(f"Added to {name}", 3000)

    def _choose_collection_for(self, key: str) -> None:
        assert self.library is not None
        names = [c.name for c in self.library.collections()] + ["New collection…"]
        name, ok = QInputDialog.getItem(self, "Add to collection", "Collection:", names, 0, False)
        if ok:
            self._add_to(None if name == "New collection…" else name, key)

    def _add_keys(self, name: str, keys: list[str]) -> None:
        """Practice dropped on a collection in the sidebar."""
        assert self.library is not None
        for key in keys:
            self.library.add_to_collection(name, key)
        self._refresh_sidebar()
        if self._selected_collection() == name:
            self._show_node("collection", name)
        self.statusBar().showMessage(f"Added {len(keys)} to {name}", 4000)

    def _dropped_on_list(self, keys: list[str], row: int) -> None:
        """Rows dropped on the open collection: reorder them, or add what was not in it yet.
        `row` is the row they were dropped before (-1: at the end)."""
        name = self._selected_collection()
        if name is None or self.library is None:
            return
        for key in keys:
            current = [i.key for i in self.library.collection(name).items]
            if key not in current:
                self.library.add_to_collection(name, key)
                current.append(key)
            at = current.index(key)
            target = len(current) if row < 0 else (row if row <= at else row - 1) + 1
            target = min(max(target, 1), len(current))
            self.library.move_in_collection(name, key, target)
            if row >= 0:
                row = target  # the next dropped key goes after this one
        self._refresh_sidebar()
        self._show_node("collection", name)
        self.pane.select_key(keys[0])

    def _move(self, name: str, key: str, step: int) -> None:
        assert self.library is not None
        keys = [i.key for i in self.library.collection(name).items]
        position = min(max(keys.index(key) + 1 + step, 1), len(keys))
        self.library.move_in_collection(name, key, position)
        self._show_node("collection", name)
        self.pane.select_key(key)

    def _edit_item_notes(self, name: str, key: str) -> None:
        from safedesk.ui.collection_dialogs import ItemNotesDialog

        assert self.library is not None
        item = next(i for i in self.library.collection(name).items if i.key == key)
        dialog = ItemNotesDialog(name, item, self)
        self._item_dialog = dialog  # reachable for tests while it is open
        if dialog.exec() == ItemNotesDialog.DialogCode.Accepted:
            note, prompts, minutes = dialog.values()
            self.library.add_to_collection(name, key, note, prompts, minutes or 0)
            self._show_node("collection", name)
            self.pane.select_key(key)
            self.statusBar().showMessage("Session notes saved", 3000)

    def _remove_item(self, name: str, key: str) -> None:
        assert self.library is not None
        self.library.remove_from_collection(name, key)
        self._refresh_sidebar()
        self._show_node("collection", name)
        self.statusBar().showMessage("Moved to the Trash (right-click it there to restore)", 5000)

    def _rename(self, name: str) -> None:
        assert self.library is not None
        new, ok = QInputDialog.getText(self, "Rename collection", "New name:", text=name)
        if ok and new.strip() and new != name:
            renamed = self.library.rename_collection(name, new).name
            self._refresh_sidebar()
            self._select_node("collection", renamed)

    def _describe(self, name: str) -> None:
        assert self.library is not None
        current = self.library.collection(name).description
        text, ok = QInputDialog.getMultiLineText(
            self, f"Describe {name}", "What this collection is for:", current
        )
        if ok:
            self.library.describe_collection(name, text)
            self._refresh_sidebar()

    def _duplicate(self, name: str) -> None:
        assert self.library is not None
        copy = self.library.duplicate_collection(name).name
        self._refresh_sidebar()
        self._select_node("collection", copy)
        self.statusBar().showMessage(f"Made {copy}", 4000)

    def _delete_collection(self, name: str) -> None:
        assert self.library is not None
        self.library.delete_collection(name)
        self._refresh_sidebar()
        self._select_node("collections", "")
        self.statusBar().showMessage(
            f"{name} moved to the Trash (right-click it there to restore)", 6000
        )

    def _restore(self, trash_id: str) -> None:
        assert self.library is not None
        what = self.library.restore(trash_id)
        self._refresh_sidebar()
        self._show_node("trash", "")
        self.statusBar().showMessage(f"Restored {what}", 5000)

    def _select_node(self, node: str, key: str) -> None:
        row = self._find_node(node, key)
        if row is not None:
            self.tree.setCurrentIndex(row.index())

    def _restore_selection(self) -> bool:
        """Back where the user was: the sidebar node, then the item being read."""
        settings = QSettings()
        node, key = settings.value("window/node"), settings.value("window/node-key")
        item = settings.value("window/item")  # read first: showing the node changes it
        row = self._find_node(str(node), str(key or "")) if node else None
        if row is None:
            return False
        self.tree.setCurrentIndex(row.index())
        self.tree.scrollTo(row.index())
        if item and self.library is not None:
            try:
                self.library.get(str(item))
            except LibraryError:
                return True
            if not self.pane.select_key(str(item)):
                self._open(str(item))
        return True

    # -- dropping files on the window -----------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _dropped_files(event.mimeData())
        if not paths:
            return
        event.acceptProposedAction()
        for path in paths:
            load = (
                self._import_collection if path.suffix.lower() == ".json" else self._import_report
            )
            self._guarded(partial(load, str(path)))

    # -- actions (see actions.py) ---------------------------------------------------------------
    def on_find(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def on_toggle_bookmark(self) -> None:
        if self.notes.key is not None:
            self.notes.toggle.toggle()

    def on_add_to_collection(self) -> None:
        if self.library is not None and self.notes.key is not None:
            self._choose_collection_for(self.notes.key)

    def on_new_collection(self) -> None:
        if self.library is None:
            return
        made = self._ask_new_collection()
        if made is not None:
            self._refresh_sidebar()
            self._select_node("collection", made)

    def on_example(self) -> None:
        """Add an example of your own, or edit the one you are reading."""
        from safedesk.ui.example_dialog import ExampleDialog

        if self.library is None:
            return
        key = self.notes.key
        current = self.library.example(key) if key and key.startswith("my-examples/") else None
        dialog = ExampleDialog(self.library, current, self)
        self._example_dialog = dialog  # reachable for tests while it is open
        if dialog.exec() != ExampleDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        values["theme"] = values["theme"] or ""
        if current is None:
            saved = self.library.add_example(
                **{k: v for k, v in values.items() if v or k == "title"}
            )
        else:
            theme = values.pop("theme")
            saved = self.library.edit_example(current.id, **values)
            if theme and theme != current.theme_key:
                saved = self.library.edit_example(current.id, theme=theme)
        self._refresh_sidebar()
        self._open(saved.key)
        self.statusBar().showMessage(f"Saved your example {saved.title!r}", 5000)

    def _current_collection_row(self) -> tuple[str, str] | None:
        """(collection name, item key) when a collection's item is the current row."""
        name = self._selected_collection()
        key = self.list.currentIndex().data(KEY_ROLE)
        return (name, str(key)) if name is not None and key else None

    def on_move_up(self) -> None:
        found = self._current_collection_row()
        if found is not None:
            self._move(*found, -1)

    def on_move_down(self) -> None:
        found = self._current_collection_row()
        if found is not None:
            self._move(*found, +1)

    def on_remove_item(self) -> None:
        found = self._current_collection_row()
        if found is not None:
            self._remove_item(*found)

    def on_zoom_in(self) -> None:
        self.reader.zoomIn(1)
        self._zoom += 1

    def on_zoom_out(self) -> None:
        self.reader.zoomOut(1)
        self._zoom -= 1

    def on_zoom_reset(self) -> None:
        self.reader.zoomOut(self._zoom)
        self._zoom = 0

    def on_practice_map(self) -> None:
        if self.map_dock.isVisible():
            self.map_dock.hide()
            return
        if self.library is not None:
            self.practice_map.refresh(self.library)
        self.map_dock.show()
        self.map_dock.raise_()
        self.practice_map.table.setFocus()

    def on_back(self) -> None:
        if self._place > 0:
            self._place -= 1
            self._open(self._history[self._place], remember=False)

    def on_forward(self) -> None:
        if self._place + 1 < len(self._history):
            self._place += 1
            self._open(self._history[self._place], remember=False)

    def on_import_report(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a report", "", "Report text (*.txt *.md)"
        )
        if path:
            self._import_report(path)

    def _import_report(self, path: str) -> None:
        if self.library is None:
            return
        library = self.library
        self._progress = self._progress_dialog("Importing the report…")

        def done(summary: Any) -> None:
            self._content_changed()
            self.statusBar().showMessage(f"Imported {summary.title}: {summary.practices} practices")

        self._run_in_background(
            lambda progress: library.import_report(path, progress=progress), done,
            "The report could not be imported",
        )  # fmt: skip

    def on_import_collection(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a collection", "", "Collections (*.json)"
        )
        if path:
            self._import_collection(path)

    def _import_collection(self, path: str) -> None:
        if self.library is None:
            return
        result = self.library.import_collection(path)
        self._refresh_sidebar()
        self.statusBar().showMessage(result.summary(), 8000)
        notice = QMessageBox(QMessageBox.Icon.Information, "safedesk", result.summary())
        notice.setParent(self, notice.windowFlags())
        notice.setTextFormat(Qt.TextFormat.PlainText)  # names in the file are the sender's text
        self._notice = notice
        notice.open()  # not modal: a dropped file must not block the drop

    def on_export_collection(self) -> None:
        name = self._selected_collection()
        if name is None or self.library is None:
            show(self, "Select a collection in the sidebar first.", QMessageBox.Icon.Information)
            return
        self._export_collection(name)

    def _export_collection(self, name: str) -> None:
        assert self.library is not None
        path, _ = QFileDialog.getSaveFileName(
            self, "Export collection", f"{name}.json", "Collections (*.json)"
        )
        if path:
            self.library.export_collection(name, path)
            self.statusBar().showMessage(f"Saved {path}", 5000)

    def on_export_pdf(self) -> None:
        """Ctrl+E: the export dialog, offering what fits what is open, with a live preview."""
        from safedesk.ui.export_dialog import ExportDialog

        targets = self._export_targets()
        if targets is None or self.library is None:
            return
        dialog = ExportDialog(self.library, targets[0], self, kind=targets[1])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda path: self.statusBar().showMessage(f"Saved {path}", 6000))
        self._export_dialog = dialog  # reachable for tests while it is open
        dialog.open()

    def on_print(self) -> None:
        """Ctrl+P: the same dialog, going straight on to the print dialog."""
        from safedesk.ui.export_dialog import print_now

        targets = self._export_targets()
        if targets is None or self.library is None:
            return
        dialog = print_now(self.library, targets[0], self, kind=targets[1])
        dialog.printed.connect(
            lambda pages: self.statusBar().showMessage(f"Sent {pages} pages to the printer", 6000)
        )
        self._export_dialog = dialog

    def _export_targets(self) -> tuple[Any, str | None] | None:
        """What can be exported from here (the item read, its theme and authority, the selected
        collection) and which of those to offer first."""
        from safedesk.ui.export_dialog import ExportTargets

        if self.library is None:
            return None
        collection = self._selected_collection()
        key = self.notes.key or self._reading_key
        theme = authority = None
        first: str | None = "pack" if collection else None
        if key:
            item = self.library.get(key)
            if item.kind == "theme":
                theme, first = key, first or "theme"
            elif item.kind == "authority":
                authority, first = key, first or "authority"
            else:
                theme = getattr(item, "theme_key", None) or None
                authority = getattr(item, "authority_key", None) or None
                first = first or "sheet"
        if not (collection or key):
            show(
                self,
                "Open a practice, or select a collection, first.",
                QMessageBox.Icon.Information,
            )
            return None
        sheet = key if key and first != "theme" and first != "authority" else None
        return ExportTargets(
            key=sheet, theme=theme, authority=authority, collection=collection
        ), first

    def _selected_collection(self) -> str | None:
        index = self.tree.currentIndex()
        return str(index.data(KEY_ROLE)) if index.data(NODE_ROLE) == "collection" else None

    def on_backup(self) -> None:
        if self.library is not None:
            path = self.library.backup()
            self.statusBar().showMessage(f"Backed up to {path}", 8000)

    def on_restore_backup(self) -> None:
        """Choose a backup; the library as it is now is backed up first, so this can be undone."""
        if self.library is None:
            return
        folder = self.library.data_dir / "backups"
        path, _ = QFileDialog.getOpenFileName(
            self, "Restore a backup", str(folder), "safedesk backups (*.sqlite3)"
        )
        if not path:
            return
        answer = QMessageBox.question(
            self, "Restore a backup",
            "Replace your library with this backup? Your library as it is now is backed up "
            "first, so you can come back to it.",
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.notes.save()
        library = self.library
        safety = library.restore_backup(path)
        self._content_changed()
        self._show_node(*self._current_node())
        restored = f"Restored {Path(path).name}; the state before is {safety.name}"
        self.statusBar().showMessage(restored)
        self._progress = self._progress_dialog("Bringing the search index up to date…")
        self._run_in_background(
            library.ensure_index, lambda _index: self.statusBar().showMessage(restored),
            "The search index could not be rebuilt",
        )  # fmt: skip

    def on_doctor(self) -> None:
        if self.library is None:
            return
        report = self.library.doctor()
        icon = QMessageBox.Icon.Information if report.healthy else QMessageBox.Icon.Warning
        show(self, report.text(), icon)

    def on_reindex(self) -> None:
        if self.library is None:
            return
        library = self.library
        self._progress = self._progress_dialog("Rebuilding the search index…")
        self._run_in_background(
            library.rebuild_index,
            lambda _result: self.statusBar().showMessage("The search index was rebuilt", 6000),
            "The search index could not be rebuilt",
        )

    def _current_node(self) -> tuple[str, str]:
        index = self.tree.currentIndex()
        if not index.isValid():
            return "bookmarks", ""
        return str(index.data(NODE_ROLE)), str(index.data(KEY_ROLE) or "")

    def on_help(self) -> None:
        from safedesk.ui.help import HelpDialog

        dialog = HelpDialog(self)
        self._help_dialog = dialog  # kept open beside the window
        dialog.show()

    def on_shortcuts(self) -> None:
        from safedesk.ui.help import shortcuts_html

        box = QMessageBox(self)
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_html())
        box.exec()

    def on_about(self) -> None:
        where = str(self.library.data_dir) if self.library else "(not open)"
        cite = self.library.reports()[0].citation if self.library and self.library.reports() else ""
        QMessageBox.about(
            self, "About safedesk",
            f"<h3>safedesk {escape(__version__)}</h3>"
            "<p>A library of children's safeguarding practice.</p>"
            f"<p>Your library: {escape(where)}</p>"
            f"<p>Bundled report:<br>{escape(cite)}</p>",
        )  # fmt: skip

    def on_quit(self) -> None:
        self.close()

    # -- remembering the layout -----------------------------------------------------------------
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
        self.notes.save()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("window/reading", self.reading.saveState())
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._worker is not None:
            self._worker.worker_thread.wait(10000)
        if self.library is not None:
            self.library.close()
            self.library = None
        if self.instance_server is not None:
            self.instance_server.close()
        super().closeEvent(event)


def _practice_row(p: PracticeInfo) -> Row:
    theme = f"{p.theme_number} {p.theme}".strip()
    return Row(
        p.key, f"Box {p.number}: {p.title}", f"{p.authority} · {theme}", kind="practice",
        theme=p.theme_key, theme_label=theme, authority=p.authority_key,
        authority_label=p.authority, number=p.number,
    )  # fmt: skip


def _dropped_files(data: Any) -> list[Path]:
    """Local files a drop carries that safedesk can import: collections (.json), reports."""
    if not data.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in (".json", ".txt", ".md") and p.is_file()]


def _dot_underline_tooltips(reader: QTextBrowser) -> None:
    """Words with a tooltip (explained acronyms) get a dotted underline: HTML cannot ask for it."""
    document = reader.document()
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid() and fragment.charFormat().toolTip():
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position())
                cursor.setPosition(
                    fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                )
                underline = QTextCharFormat()
                underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                cursor.mergeCharFormat(underline)
            it += 1
        block = block.next()
