"""The sidebar: each report's themes, authorities, factors and findings, each document's headings;
the practice concepts (the thesaurus as a tree, with the number of items about each); then the
user's things."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QItemSelection,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from safedesk.library import Library
from safedesk.ui.focus_ring import FocusRing
from safedesk.ui.item_views import announce_current_soon, follow_selection
from safedesk.ui.plain import tooltip
from safedesk.ui.result_list import KEY_ROLE, KEYS_MIME, keys_mime, keys_of
from safedesk.views import ConceptNode, DocumentSectionInfo

NODE_ROLE = Qt.ItemDataRole.UserRole + 2  # what kind of node: theme, authority, bookmarks, ...


def _node(text: str, node: str, key: str = "", tip: str = "") -> QStandardItem:
    item = QStandardItem(text)
    item.setData(key, KEY_ROLE)
    item.setData(node, NODE_ROLE)
    item.setEditable(False)
    item.setToolTip(tooltip(tip or text))
    return item


class SidebarModel(QStandardItemModel):
    """The tree's nodes. Findings and factors drag out as library keys; dropping keys on a
    collection announces `dropped_on_collection` (the window adds them)."""

    dropped_on_collection = Signal(str, list)  # collection name, keys

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._library: Library | None = None
        self._documents: dict[str, QStandardItem] = {}  # document key -> its node
        self._unfilled: dict[str, int] = {}  # documents whose headings are not added yet

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index) & ~Qt.ItemFlag.ItemIsDropEnabled
        node = index.data(NODE_ROLE)
        if node in ("item", "theme", "authority", "doc-section") and index.data(KEY_ROLE):
            base |= Qt.ItemFlag.ItemIsDragEnabled
        else:
            base &= ~Qt.ItemFlag.ItemIsDragEnabled
        if node == "collection":
            base |= Qt.ItemFlag.ItemIsDropEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [KEYS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        keyed = [i for i in indexes if i.data(KEY_ROLE)]
        return keys_mime([i.data(KEY_ROLE) for i in keyed], [i.data() for i in keyed])

    def canDropMimeData(
        self, data: QMimeData, _action: Any, _row: int, _column: int, parent: Any
    ) -> bool:
        return parent.data(NODE_ROLE) == "collection" and bool(keys_of(data))

    def dropMimeData(
        self, data: QMimeData, action: Any, row: int, column: int, parent: Any
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        self.dropped_on_collection.emit(parent.data(KEY_ROLE), keys_of(data))
        return False  # nothing is moved inside the tree itself

    # A document's headings are added when its node is first expanded (Qt asks `fetchMore`), or
    # when one is looked for (`fill`): a library of 200 documents has thousands of them.
    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.canFetchMore(parent) or super().hasChildren(parent)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        return parent.isValid() and parent.data(KEY_ROLE) in self._unfilled

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        self.fill(str(parent.data(KEY_ROLE)))

    def fill(self, document: str) -> QStandardItem | None:
        """Add the headings of `document` under its node (once); the node, if there is one."""
        node = self._documents.get(document)
        if node is not None and self._unfilled.pop(document, None) is not None:
            assert self._library is not None
            add_sections(node, self._library.document_sections(document))
        return node

    def refresh(self, library: Library, concepts: list[ConceptNode]) -> None:
        """Fill the tree; `concepts` is the thesaurus tree (a count of -1: not counted yet)."""
        self.clear()
        self._library = library
        self._documents, self._unfilled = {}, {}
        for report in library.reports():
            shared = f" · shared by {report.shared_by}" if report.shared else ""
            if report.kind == "document":
                node = _node(report.title + shared, "document", report.key, report.citation)
                self._documents[report.key] = node
                if report.sections:
                    self._unfilled[report.key] = report.sections
                self.appendRow(node)
                continue
            root = _node(report.title + shared, "report", report.key, report.citation)
            themes = _node("Themes", "group")
            for t in library.themes(report.key):
                themes.appendRow(
                    _node(f"{t.number} {t.title} ({t.practices})", "theme", t.key, t.title)
                )
            authorities = _node("Authorities", "group")
            for a in library.authorities(report.key):
                grades = "; ".join(f"{k}: {v}" for k, v in a.grades.items())
                authorities.appendRow(
                    _node(f"{a.name} ({a.type or '—'})", "authority", a.key, grades or a.name)
                )
            factors = _node("Supporting factors", "group")
            barriers = _node("Barriers", "group")
            for f in library.factors(report.key):
                target = factors if f.kind == "factor" else barriers
                target.appendRow(_node(f.title, "item", f.key, f.title))
            findings = _node("Review findings", "group")
            for t in library.themes(report.key):
                for finding in t.findings:
                    label = f"{finding.review} review: {t.title}"
                    findings.appendRow(_node(label, "item", finding.key, label))
            for group in (themes, authorities, factors, barriers, findings):
                root.appendRow(group)
            self.appendRow(root)
        self.appendRow(concept_branch(concepts))
        self.appendRow(_node(f"My bookmarks ({library.bookmark_count()})", "bookmarks"))
        collections = _node("Collections", "collections")
        for c in library.collections():
            shared = f" · shared by {c.shared_by}" if c.shared else ""
            tip = "\n".join(x for x in (c.description, shared.strip(" ·").capitalize()) if x)
            collections.appendRow(
                _node(f"{c.name} ({len(c.items)}){shared}", "collection", c.name, tip or c.name)
            )
        self.appendRow(collections)
        records = library.sessions()
        overdue = sum(1 for a in library.actions(open_only=True) if a.status == "overdue")
        label = f"Sessions ({len(records)}" + (f" · {overdue} overdue)" if overdue else ")")
        self.appendRow(_node(label, "sessions", tip="Sessions delivered and their actions"))
        examples = library.examples()
        self.appendRow(_node(f"My examples ({len(examples)})", "examples"))
        self.appendRow(_node(f"Trash ({len(library.trash())})", "trash"))


def concept_branch(concepts: list[ConceptNode]) -> QStandardItem:
    """ "Practice concepts": broader concepts above narrower ones, each with its count."""
    branch = _node("Practice concepts", "concepts", tip="The report's practice by idea")

    def add(parent: QStandardItem, concept: ConceptNode) -> None:
        label = concept.label + (f" ({concept.count})" if concept.count >= 0 else "")
        row = _node(label, "concept", concept.id, concept.scope_note)
        for child in concept.children:
            add(row, child)
        parent.appendRow(row)

    for root in concepts:
        add(branch, root)
    return branch


def set_concept_counts(branch: QStandardItem, concepts: list[ConceptNode]) -> None:
    """Put the counts into the branch's labels in place (selection and expansion stay)."""
    counts: dict[str, ConceptNode] = {}
    todo = list(concepts)
    while todo:
        concept = todo.pop()
        counts[concept.id] = concept
        todo += concept.children
    rows = [branch]
    while rows:
        row = rows.pop()
        for r in range(row.rowCount()):
            child = row.child(r)
            found = counts.get(str(child.data(KEY_ROLE)))
            if found is not None:
                child.setText(f"{found.label} ({found.count})")
            rows.append(child)


class SidebarTree(QTreeView):
    """The sidebar's view. Tabbing into it says which node is current; a node selected through
    the accessibility Selection interface opens as a click opens it; a focus ring shows it has
    focus even when no node is current."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setAccessibleName("Library")
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)  # drags and drops
        self.focus_ring = FocusRing(self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)  # makes a node current if none is (not for a click)
        announce_current_soon(self)

    def selectionChanged(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        super().selectionChanged(selected, deselected)
        follow_selection(self, selected)


def add_sections(root: QStandardItem, sections: list[DocumentSectionInfo]) -> None:
    """A document's headings under its node, nested by level (a level-2 heading under the level-1
    heading above it)."""
    parents: list[tuple[int, QStandardItem]] = [(0, root)]
    for s in sections:
        while len(parents) > 1 and parents[-1][0] >= s.level:
            parents.pop()
        tip = f"{s.title} (p. {s.page})" if s.page else s.title
        node = _node(s.title, "doc-section", s.key, tip)
        parents[-1][1].appendRow(node)
        parents.append((s.level, node))
