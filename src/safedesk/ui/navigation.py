"""Moving around the library: the sidebar node chosen fills the list; the row chosen opens in the
reading pane; Back and Forward; and coming back to where the user was after a restart."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QStandardItem

from safedesk.errors import LibraryError
from safedesk.ui import rows
from safedesk.ui.concept_counts import ConceptCounts, uncounted
from safedesk.ui.concept_listing import ConceptListing
from safedesk.ui.reading import missing_html
from safedesk.ui.result_list import KEY_ROLE
from safedesk.ui.sidebar import NODE_ROLE, set_concept_counts

if TYPE_CHECKING:
    from safedesk.library import Library
    from safedesk.ui.shell import Shell
    from safedesk.views import ConceptDetail


def _place(row: QStandardItem) -> tuple[tuple[str, str], ...]:
    """Where a sidebar node is, from the top: each node's kind and key (a group's label)."""
    out: list[tuple[str, str]] = []
    item: QStandardItem | None = row
    while item is not None:
        node = str(item.data(NODE_ROLE))
        out.append((node, item.text() if node == "group" else str(item.data(KEY_ROLE) or "")))
        item = item.parent()
    return tuple(reversed(out))


class Navigator(QObject):
    """Where the window is: the sidebar node, the item being read, and the way back."""

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.window())
        self.shell = shell
        self.widget = shell.window()  # the parent of its dialogs
        self.history: list[str] = []
        self.place = -1
        self.reading_key: str | None = None  # the item in the reading pane
        self.theme_labels: dict[tuple[str, str], str] = {}  # (report, title) -> "3.2 …"
        self.concept_counts = ConceptCounts(self)  # counted off the GUI thread
        self.concept_counts.counted.connect(self._concepts_counted)
        self.concept_listing = ConceptListing(self)  # a concept's items, found off the GUI thread
        self.concept_listing.listed.connect(self._concept_listed)

    @property
    def library(self) -> Library | None:
        return self.shell.library

    # -- the sidebar ------------------------------------------------------------------------------
    def refresh_sidebar(self) -> None:
        """Rebuild the sidebar's counts and lists, keeping the current node."""
        w = self.shell
        if self.library is None:
            return
        current = w.tree.currentIndex()
        path = (current.data(NODE_ROLE), current.data(KEY_ROLE)) if current.isValid() else None
        expanded = {_place(r) for r in self._all_rows() if w.tree.isExpanded(r.index())}
        concepts = self.concept_counts.latest(self.library) or uncounted()
        w.tree_model.refresh(self.library, concepts)
        # reports open, never a leaf (screen readers would call it expanded); documents closed
        # (their headings are added when one is opened)
        for r in range(w.tree_model.rowCount()):
            item = w.tree_model.item(r)
            if item.hasChildren() and item.data(NODE_ROLE) != "document":
                w.tree.expand(item.index())
        for node in self._all_rows():  # what the user opened stays open (a concept's narrower)
            if node.hasChildren() and _place(node) in expanded:
                w.tree.expand(node.index())
        if path:
            row = self.find_node(*path)
            if row is not None:
                w.tree.selectionModel().blockSignals(True)
                w.tree.setCurrentIndex(row.index())
                w.tree.selectionModel().blockSignals(False)

    def content_changed(self) -> None:
        """Reports were opened, imported or restored: redo what is derived from them. Not on
        every note saved."""
        assert self.library is not None
        self.theme_labels = {  # search hits name a theme by title; the filters add its number
            (t.report, t.title): f"{t.number} {t.title}" for t in self.library.themes()
        }
        self.refresh_sidebar()

    def _concepts_counted(self) -> None:
        if self.library is None:
            return
        counted = self.concept_counts.latest(self.library)
        branch = self.find_node("concepts", "")
        if counted is not None and branch is not None:
            set_concept_counts(branch, counted)

    def close(self) -> None:
        self.concept_counts.close()
        self.concept_listing.close()

    def find_node(self, node: str, key: str) -> QStandardItem | None:
        if node == "doc-section":
            self.shell.tree_model.fill(key.split("/")[0])
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

        model = self.shell.tree_model
        for r in range(model.rowCount()):
            walk(model.item(r))
        return out

    def select_node(self, node: str, key: str) -> None:
        row = self.find_node(node, key)
        if row is not None:
            self.shell.tree.setCurrentIndex(row.index())

    def current_node(self) -> tuple[str, str]:
        index = self.shell.tree.currentIndex()
        if not index.isValid():
            return "bookmarks", ""
        return str(index.data(NODE_ROLE)), str(index.data(KEY_ROLE) or "")

    def selected_collection(self) -> str | None:
        index = self.shell.tree.currentIndex()
        return str(index.data(KEY_ROLE)) if index.data(NODE_ROLE) == "collection" else None

    def tree_changed(self, current: Any, _previous: Any = None) -> None:
        if self.library is None or not current.isValid():
            return
        node, key = current.data(NODE_ROLE), current.data(KEY_ROLE)
        settings = QSettings()
        settings.setValue("window/node", node)
        settings.setValue("window/node-key", key)
        self.shell.search.end()
        self.show_node(node, key)

    def show_current(self) -> None:
        """Show what the sidebar has selected (after a search is cleared)."""
        self.tree_changed(self.shell.tree.currentIndex())

    # -- the list ---------------------------------------------------------------------------------
    def show_node(self, node: str, key: str) -> None:
        lib, pane = self.library, self.shell.pane
        assert lib is not None
        pane.set_accept_drops(node == "collection")
        self.concept_listing.forget()
        if node != "collection":
            self.shell.sessions.hide_bar()
        if node in ("theme", "authority", "report"):
            practices = lib.practices(**{node: key})
            pane.show_rows(f"{len(practices)} practices", [rows.practice_row(p) for p in practices])
            self.open(key, remember=False)
        elif node in ("document", "doc-section"):
            passages = lib.passages(report=key) if node == "document" else lib.passages(section=key)
            pane.show_rows(
                f"{len(passages)} passages", [rows.passage_row(p) for p in passages], filters=False
            )
            self.open(key, remember=node == "doc-section")
        elif node == "item":
            self.open(key)
        elif node == "concept":
            concept = lib.thesaurus().concepts.get(key)
            if concept is not None:
                pane.show_rows(f"Finding the items about {concept.pref_label}…", [])
                self.concept_listing.request(lib, key)
                self.shell.statusBar().showMessage(f"{concept.pref_label}: {concept.scope_note}")
        elif node == "bookmarks":
            marks = lib.bookmarks()
            pane.show_rows(
                f"{len(marks)} bookmarks", [rows.bookmark_row(b) for b in marks], filters=False
            )
        elif node == "collection":
            c = lib.collection(key)
            steps = len(c.steps) - len(c.items)
            label = f"{c.name}: {len(c.items)} items" + (f", {steps} steps" if steps else "")
            pane.show_rows(label, rows.collection_rows(c), filters=False)
            self.shell.sessions.collection_shown(c)
            self.shell.statusBar().showMessage(
                "Drag items to reorder them; drop practice here to add it", 6000
            )
        elif node == "sessions":
            self.shell.sessions.show_sessions()
        elif node == "examples":
            examples = lib.examples()
            pane.show_rows(
                f"{len(examples)} of your own examples", [rows.example_row(e) for e in examples]
            )
        elif node == "trash":
            entries = lib.trash()
            pane.show_rows(
                f"{len(entries)} in the Trash (right-click to restore)",
                [rows.trash_row(t) for t in entries],
                filters=False,
            )

    def _concept_listed(self, concept_id: str, found: ConceptDetail | str) -> None:
        """A concept's items arrived: list them if it is still the one chosen."""
        if self.current_node() != ("concept", concept_id) or self.shell.search.active():
            return
        pane = self.shell.pane
        if isinstance(found, str):
            pane.show_rows(found, [], filters=False)
            return
        hits = [rows.hit_row(h, self.theme_labels) for h in found.items]
        shown = f"top {len(hits)} of " if found.count > len(hits) else ""
        pane.show_rows(f"{found.label}: {shown}{found.count} items", hits, relevance=True)

    def show_cell(self, theme: str, authority: str, label: str) -> None:
        """The practice map asked for one cell (or a whole row or column)."""
        if self.library is None:
            return
        w = self.shell
        report = w.practice_map.report.currentData()
        practices = self.library.practices(
            report=report, theme=theme or None, authority=authority or None
        )
        w.pane.set_accept_drops(False)
        w.pane.show_rows(
            f"{label}: {len(practices)} practices", [rows.practice_row(p) for p in practices]
        )
        if practices:
            w.pane.select_key(practices[0].key)
        w.statusBar().showMessage(f"Practice map: {label}", 4000)

    def list_changed(self, key: str, row_kind: str) -> None:
        self.shell.sessions.row_changed(row_kind)
        if row_kind == "item":
            self.open(key)
        elif row_kind in ("step", "session", "action") and self.library is not None:
            self.reading_key = None
            self.shell.sessions.show_row(key, row_kind)

    # -- reading ----------------------------------------------------------------------------------
    def open(self, key: str, remember: bool = True) -> None:
        """Show `key` in the reading pane (and remember it for Back/Forward)."""
        if self.library is None:
            return
        w = self.shell
        try:
            item = self.library.get(key)
        except LibraryError as exc:
            copy = self.library.saved_copy(key)  # gone (a new edition dropped it): what was kept
            if copy is None:
                w.reader.setPlainText(str(exc))
            else:
                w.reader.setHtml(missing_html(key, copy))
            w.notes.show_item(self.library, None)
            self.reading_key = None
            return
        self.reading_key = key
        w.reader.show_item(self.library, item, w.search.emphasis)
        w.notes.show_item(self.library, key if item.kind not in ("report",) else None)
        QSettings().setValue("window/item", key)
        if remember and (self.place < 0 or self.history[self.place] != key):
            del self.history[self.place + 1 :]
            self.history.append(key)
            self.place = len(self.history) - 1

    def redraw(self) -> None:
        """Draw the item being read again, in place (the palette changed)."""
        if self.library is not None and self.reading_key:
            with contextlib.suppress(LibraryError):
                item = self.library.get(self.reading_key)
                self.shell.reader.show_item(
                    self.library, item, self.shell.search.emphasis, keep_scroll=True
                )

    def on_back(self) -> None:
        if self.place > 0:
            self.place -= 1
            self.open(self.history[self.place], remember=False)

    def on_forward(self) -> None:
        if self.place + 1 < len(self.history):
            self.place += 1
            self.open(self.history[self.place], remember=False)

    def restore_selection(self) -> bool:
        """Back where the user was: the sidebar node, then the item being read."""
        settings = QSettings()
        node, key = settings.value("window/node"), settings.value("window/node-key")
        item = settings.value("window/item")  # read first: showing the node changes it
        row = self.find_node(str(node), str(key or "")) if node else None
        if row is None:
            return False
        self.shell.tree.setCurrentIndex(row.index())
        self.shell.tree.scrollTo(row.index())
        if item and self.library is not None:
            try:
                self.library.get(str(item))
            except LibraryError:
                return True
            if not self.shell.pane.select_key(str(item)):
                self.open(str(item))
        return True
