"""The main window: browse by theme or authority, search, and read.

A thin view: every piece of data comes from `Library`; the window only arranges it.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from safedesk.library import Library
from safedesk.render import render_html
from safedesk.ui.workers import Worker

log = logging.getLogger(__name__)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 150


class MainWindow(QMainWindow):
    def __init__(self, data_dir: str | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.library: Library | None = None
        self._worker: Worker | None = None
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

        self.tree_model = QStandardItemModel(self)
        self.tree = QTreeView(headerHidden=True)
        self.tree.setModel(self.tree_model)
        self.tree.setAccessibleName("Library")
        self.tree.selectionModel().currentChanged.connect(self._tree_changed)

        self.list_model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setModel(self.list_model)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setAccessibleName("Practices")
        self.list.selectionModel().currentChanged.connect(self._list_changed)
        self.list_label = QLabel()

        self.reader = QTextBrowser()
        self.reader.setOpenLinks(False)
        self.reader.setAccessibleName("Reading pane")
        self.reader.document().setDefaultStyleSheet(
            "h2 { margin-bottom: 4px; } p.meta { color: palette(mid); } p { line-height: 140%; }"
        )

        middle = QWidget()
        layout = QVBoxLayout(middle)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list_label)
        layout.addWidget(self.list)
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.reader)
        self.splitter.setSizes([260, 380, 560])

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addWidget(self.search_box)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        for keys in ("Ctrl+K", "Ctrl+F"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.search_box.setFocus)
        self._restore_layout()
        self.statusBar().showMessage("Opening your library…")

    # -- opening the library off the GUI thread -------------------------------------------------
    def start(self) -> None:
        dialog = QProgressDialog("Opening your library…", "", 0, 100, self)
        dialog.setWindowTitle("safedesk")
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(300)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress = dialog

        def job(progress: Any) -> Library:
            library = Library.open(self.data_dir, progress=progress)
            library.ensure_index(progress)
            return library

        self._worker = Worker(job)
        self._worker.progressed.connect(self._on_progress)
        self._worker.finished.connect(self._on_opened)
        self._worker.failed.connect(self._on_failed)
        self._worker.start()

    def _on_progress(self, message: str, fraction: float) -> None:
        self._progress.setLabelText(message)
        self._progress.setValue(int(fraction * 100))

    def _on_failed(self, message: str) -> None:
        self._progress.close()
        log.error("could not open the library: %s", message)
        QMessageBox.critical(self, "safedesk", f"Your library could not be opened:\n\n{message}")
        self.statusBar().showMessage("The library could not be opened.")

    def _on_opened(self, library: Library) -> None:
        self._progress.close()
        self.library = library
        self._fill_tree()
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

    # -- browsing -------------------------------------------------------------------------------
    def _fill_tree(self) -> None:
        assert self.library is not None
        self.tree_model.clear()
        for report in self.library.reports():
            root = QStandardItem(report.title)
            root.setData(report.key, KEY_ROLE)
            themes = QStandardItem("Themes")
            for theme in self.library.themes(report.key):
                item = QStandardItem(f"{theme.number} {theme.title} ({theme.practices})")
                item.setData(theme.key, KEY_ROLE)
                item.setToolTip(theme.title)
                themes.appendRow(item)
            authorities = QStandardItem("Authorities")
            for authority in self.library.authorities(report.key):
                grades = "; ".join(f"{k}: {v}" for k, v in authority.grades.items())
                item = QStandardItem(f"{authority.name} ({authority.type or '—'})")
                item.setData(authority.key, KEY_ROLE)
                item.setToolTip(grades)
                authorities.appendRow(item)
            for group in (themes, authorities):
                group.setSelectable(False)
                root.appendRow(group)
            self.tree_model.appendRow(root)
        self.tree.expandToDepth(1)

    def _tree_changed(self, current: Any, _previous: Any) -> None:
        key = current.data(KEY_ROLE)
        if not key or self.library is None:
            return
        item = self.library.get(key)
        if item.kind == "theme":
            practices = self.library.practices(theme=key)
        elif item.kind == "authority":
            practices = self.library.practices(authority=key)
        else:
            practices = self.library.practices(report=key)
        self._show_list(
            f"{len(practices)} practices",
            [(p.key, f"Box {p.number}: {p.title}\n{p.authority} · {p.theme}") for p in practices],
        )
        self.reader.setHtml(render_html(item))

    def _show_list(self, label: str, rows: list[tuple[str, str]]) -> None:
        self.list_label.setText(label)
        self.list_model.clear()
        for key, text in rows:
            row = QStandardItem(text)
            row.setData(key, KEY_ROLE)
            row.setEditable(False)
            self.list_model.appendRow(row)

    def _list_changed(self, current: Any, _previous: Any) -> None:
        key = current.data(KEY_ROLE)
        if key and self.library is not None:
            self.reader.setHtml(render_html(self.library.get(key)))

    def _run_search(self) -> None:
        text = self.search_box.text().strip()
        if self.library is None:
            return
        if not text:
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

    # -- remembering the layout -----------------------------------------------------------------
    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        splitter = settings.value("window/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        if self._worker is not None:
            self._worker.worker_thread.wait(5000)
        if self.library is not None:
            self.library.close()
            self.library = None
        super().closeEvent(event)
