"""The main window: sidebar, list, reading pane with the note panel, and search.

A thin view: all data comes from `Library`; menus and shortcuts are declared in `actions.py`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from html import escape
from typing import Any

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListView,
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
from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.render import render_html
from safedesk.ui import actions
from safedesk.ui.note_panel import NotePanel
from safedesk.ui.sidebar import KEY_ROLE, NODE_ROLE, SidebarModel
from safedesk.ui.workers import Worker

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 150
ROW_ROLE = Qt.ItemDataRole.UserRole + 3  # what a list row is: item, trash entry, ...


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
        self.setWindowTitle("safedesk")
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
        self.search_hint = QLabel()
        self.search_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.search_hint.setVisible(False)

        self.tree_model = SidebarModel(self)
        self.tree = QTreeView(headerHidden=True)
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName("Library")
        self.tree.selectionModel().currentChanged.connect(self._tree_changed)

        self.list_model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setModel(self.list_model)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setAccessibleName("Results")
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._list_menu)
        self.list.selectionModel().currentChanged.connect(self._list_changed)
        self.list_label = QLabel()
        self.list_label.setTextFormat(Qt.TextFormat.PlainText)

        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)
        self.reader.setAccessibleName("Reading pane")
        self.reader.document().setDefaultStyleSheet(
            "h2 { margin-bottom: 4px; } p.meta { color: palette(mid); } p { line-height: 140%; }"
        )
        self.notes = NotePanel()
        self.notes.changed.connect(self._refresh_sidebar)

        middle = QWidget()
        layout = QVBoxLayout(middle)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list_label)
        layout.addWidget(self.list)
        self.reading = QSplitter(Qt.Orientation.Vertical)
        self.reading.addWidget(self.reader)
        self.reading.addWidget(self.notes)
        self.reading.setSizes([560, 150])
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.reading)
        self.splitter.setSizes([260, 380, 560])

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addWidget(self.search_box)
        outer.addWidget(self.search_hint)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.action_map = actions.install(self, self._handler)
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
            QMessageBox.warning(self, "safedesk", str(exc))
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
        self._on_failed(self._failure, message)

    def _on_progress(self, message: str, fraction: float) -> None:
        self._progress.setLabelText(message)
        self._progress.setValue(int(fraction * 100))

    def _on_failed(self, what: str, message: str) -> None:
        self._progress.close()
        log.error("%s: %s", what, message)
        QMessageBox.critical(self, "safedesk", f"{what}:\n\n{message}")
        self.statusBar().showMessage(f"{what}.")

    def _on_opened(self, library: Library) -> None:
        self.library = library
        self._refresh_sidebar()
        reports = library.reports()
        if reports:
            self.setWindowTitle(f"{reports[0].title} — safedesk")
        count = sum(r.practices for r in reports)
        self.statusBar().showMessage(
            f"{count} examples of good practice in {len(reports)} report(s)"
        )
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
            for row in self._all_rows():
                if (row.data(NODE_ROLE), row.data(KEY_ROLE)) == path:
                    self.tree.selectionModel().blockSignals(True)
                    self.tree.setCurrentIndex(row.index())
                    self.tree.selectionModel().blockSignals(False)
                    break

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
        lib = self.library
        if node in ("theme", "authority", "report"):
            filters = {node: key} if node != "report" else {"report": key}
            practices = lib.practices(**filters)
            self._show_list(f"{len(practices)} practices", [
                (p.key, f"Box {p.number}: {p.title}\n{p.authority} · {p.theme}") for p in practices
            ])  # fmt: skip
            self._open(key, remember=False)
        elif node == "item":
            self._open(key)
        elif node == "bookmarks":
            marks = lib.bookmarks()
            self._show_list(f"{len(marks)} bookmarks", [
                (b.key, b.title + (f"\nNote: {b.note[:80]}" if b.note else "")) for b in marks
            ])  # fmt: skip
        elif node == "collection":
            c = lib.collection(key)
            self._show_list(f"{c.name}: {len(c.items)} items", [
                (i.key, f"{n}. {i.title}" + (f" · {i.minutes} min" if i.minutes else "")
                 + ("".join(f"\n? {p}" for p in i.prompts)))
                for n, i in enumerate(c.items, start=1)
            ])  # fmt: skip
        elif node == "examples":
            examples = lib.examples()
            self._show_list(f"{len(examples)} of your own examples", [
                (e.key, f"{e.title}\n{e.team or 'own team'} · {e.theme or 'no theme'}")
                for e in examples
            ])  # fmt: skip
        elif node == "trash":
            entries = lib.trash()
            self._show_list(f"{len(entries)} in the Trash (right-click to restore)", [
                (t.id, t.label) for t in entries
            ], row_kind="trash")  # fmt: skip

    def _show_list(self, label: str, rows: list[tuple[str, str]], row_kind: str = "item") -> None:
        self.list_label.setText(label)
        self.list_model.clear()
        for key, text in rows:
            row = QStandardItem(text)
            row.setData(key, KEY_ROLE)
            row.setData(row_kind, ROW_ROLE)
            row.setEditable(False)
            self.list_model.appendRow(row)

    def _list_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid() and current.data(ROW_ROLE) == "item":
            self._open(current.data(KEY_ROLE))

    def _open(self, key: str, remember: bool = True) -> None:
        """Show `key` in the reading pane (and remember it for Back/Forward)."""
        if self.library is None:
            return
        try:
            item = self.library.get(key)
        except LibraryError as exc:
            self.reader.setPlainText(str(exc))
            return
        self.reader.setHtml(render_html(item))
        self.notes.show_item(self.library, key if item.kind not in ("report",) else None)
        if remember and (self._place < 0 or self._history[self._place] != key):
            del self._history[self._place + 1 :]
            self._history.append(key)
            self._place = len(self._history) - 1

    def _run_search(self) -> None:
        text = self.search_box.text()  # a trailing space says the last word is finished
        if self.library is None:
            return
        if not text.strip():
            self.search_hint.setText("")
            self.search_hint.setVisible(False)
            self._tree_changed(self.tree.currentIndex(), None)
            return
        result = self.library.search_as_you_type(text, limit=50)
        rows = []
        for hit in result.hits:
            where = " · ".join(x for x in (hit.authority, hit.theme) if x)
            label = (
                f"Box {hit.number}: {hit.title}"
                if hit.kind == "practice"
                else f"{hit.title} ({hit.kind})"
            )
            rows.append((hit.key, f"{label}\n{where}\n{hit.snippet}"))
        self._show_list(
            f"{result.total} results" + (f" — {result.note}" if result.note else ""), rows
        )
        hints = []
        if result.expanded:
            hints.append("Also searched for: " + ", ".join(
                f"{e['term']} = {e['expansion']}" for e in result.expanded
            ))  # fmt: skip
        if result.suggestion:
            hints.append(f"Did you mean: {result.suggestion}?")
        self.search_hint.setText("   ".join(hints))
        self.search_hint.setVisible(bool(hints))

    # -- context menu ---------------------------------------------------------------------------
    def _list_menu(self, pos: QPoint) -> None:
        index = self.list.indexAt(pos)
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
            node = self.tree.currentIndex().data(NODE_ROLE)
            if node == "collection":
                name = self.tree.currentIndex().data(KEY_ROLE)
                menu.addSeparator()
                menu.addAction("Move up", lambda: self._guarded(lambda: self._move(name, key, -1)))
                menu.addAction(
                    "Move down", lambda: self._guarded(lambda: self._move(name, key, +1))
                )
                menu.addAction("Remove from collection", lambda: self._guarded(
                    lambda: self._remove_item(name, key)))  # fmt: skip
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def _bookmark(self, key: str) -> None:
        assert self.library is not None
        self.library.bookmark(key)
        self._refresh_sidebar()
        self.statusBar().showMessage("Bookmarked", 3000)

    def _add_to(self, name: str | None, key: str) -> None:
        assert self.library is not None
        if name is None:
            name, ok = QInputDialog.getText(self, "New collection", "Name of the new collection:")
            if not ok or not name.strip():
                return
            name = self.library.create_collection(name).name
        self.library.add_to_collection(name, key)
        self._refresh_sidebar()
        self.statusBar().showMessage(f"Added to {name}", 3000)

    def _move(self, name: str, key: str, step: int) -> None:
        assert self.library is not None
        keys = [i.key for i in self.library.collection(name).items]
        self.library.move_in_collection(name, key, keys.index(key) + 1 + step)
        self._tree_changed(self.tree.currentIndex(), None)

    def _remove_item(self, name: str, key: str) -> None:
        assert self.library is not None
        self.library.remove_from_collection(name, key)
        self._refresh_sidebar()
        self._tree_changed(self.tree.currentIndex(), None)
        self.statusBar().showMessage("Moved to the Trash (right-click it there to restore)", 5000)

    def _restore(self, trash_id: str) -> None:
        assert self.library is not None
        what = self.library.restore(trash_id)
        self._refresh_sidebar()
        self._tree_changed(self.tree.currentIndex(), None)
        self.statusBar().showMessage(f"Restored {what}", 5000)

    # -- actions (see actions.py) ---------------------------------------------------------------
    def on_find(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def on_toggle_bookmark(self) -> None:
        if self.notes.key is not None:
            self.notes.toggle.toggle()

    def on_add_to_collection(self) -> None:
        if self.library is None or self.notes.key is None:
            return
        names = [c.name for c in self.library.collections()] + ["New collection…"]
        name, ok = QInputDialog.getItem(self, "Add to collection", "Collection:", names, 0, False)
        if ok:
            self._add_to(None if name == "New collection…" else name, self.notes.key)

    def on_new_collection(self) -> None:
        if self.library is None:
            return
        name, ok = QInputDialog.getText(self, "New collection", "Name of the new collection:")
        if ok and name.strip():
            self.library.create_collection(name)
            self._refresh_sidebar()

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

    def on_zoom_in(self) -> None:
        self.reader.zoomIn(1)
        self._zoom += 1

    def on_zoom_out(self) -> None:
        self.reader.zoomOut(1)
        self._zoom -= 1

    def on_zoom_reset(self) -> None:
        self.reader.zoomOut(self._zoom)
        self._zoom = 0

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
        if not path or self.library is None:
            return
        library = self.library
        self._progress = self._progress_dialog("Importing the report…")

        def done(summary: Any) -> None:
            self._refresh_sidebar()
            self.statusBar().showMessage(f"Imported {summary.title}: {summary.practices} practices")

        self._run_in_background(
            lambda progress: library.import_report(path, progress=progress), done,
            "The report could not be imported",
        )  # fmt: skip

    def on_import_collection(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import a collection", "", "Collections (*.json)"
        )
        if path and self.library is not None:
            result = self.library.import_collection(path)
            self._refresh_sidebar()
            QMessageBox.information(self, "safedesk", result.summary())

    def on_export_collection(self) -> None:
        name = self._selected_collection()
        if name is None or self.library is None:
            QMessageBox.information(self, "safedesk", "Select a collection in the sidebar first.")
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export collection", f"{name}.json", "Collections (*.json)"
        )
        if path:
            self.library.export_collection(name, path)
            self.statusBar().showMessage(f"Saved {path}", 5000)

    def on_export_pdf(self) -> None:
        if self.library is None:
            return
        collection = self._selected_collection()
        key = self.notes.key
        if collection is None and key is None:
            QMessageBox.information(
                self, "safedesk", "Open a practice, or select a collection, first."
            )
            return
        suggested = f"{collection or 'briefing'}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Export PDF", suggested, "PDF (*.pdf)")
        if not path:
            return
        library = self.library
        self._progress = self._progress_dialog("Making the PDF…")
        kind = self.tree.currentIndex().data(NODE_ROLE)
        options: dict[str, Any] = {"collection": collection} if collection else (
            {"theme": key} if kind == "theme" and key == self.tree.currentIndex().data(KEY_ROLE)
            else {"key": key}
        )  # fmt: skip
        self._run_in_background(
            lambda _progress: library.export_brief(path, **options),
            lambda result: self.statusBar().showMessage(f"Saved {result.pages} pages to {path}"),
            "The PDF could not be made",
        )  # fmt: skip

    def _selected_collection(self) -> str | None:
        index = self.tree.currentIndex()
        return str(index.data(KEY_ROLE)) if index.data(NODE_ROLE) == "collection" else None

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
        for name, splitter in (("splitter", self.splitter), ("reading", self.reading)):
            state = settings.value(f"window/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.notes.save()
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("window/reading", self.reading.saveState())
        if self._worker is not None:
            self._worker.worker_thread.wait(10000)
        if self.library is not None:
            self.library.close()
            self.library = None
        if self.instance_server is not None:
            self.instance_server.close()
        super().closeEvent(event)
