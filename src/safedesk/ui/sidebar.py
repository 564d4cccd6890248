"""The sidebar: each report's themes, authorities, factors and findings; the practice concepts
(the thesaurus as a tree, with the number of items about each); then the user's things."""

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
from safedesk.views import ConceptNode

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

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = super().flags(index) & ~Qt.ItemFlag.ItemIsDropEnabled
        node = index.data(NODE_ROLE)
        if node in ("item", "theme", "authority") and index.data(KEY_ROLE):
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

    def refresh(self, library: Library, concepts: list[ConceptNode]) -> None:
        """Fill the tree; `concepts` is the thesaurus tree (a count of -1: not counted yet)."""
        self.clear()
        for report in library.reports():
            root = _node(report.title, "report", report.key, report.citation)
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
            collections.appendRow(
                _node(f"{c.name} ({len(c.items)})", "collection", c.name, c.description)
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
