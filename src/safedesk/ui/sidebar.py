"""The sidebar: each report's themes, authorities, factors and findings, each document's headings;
then the user's things."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from safedesk.library import Library
from safedesk.ui.plain import tooltip
from safedesk.ui.result_list import KEY_ROLE, KEYS_MIME, keys_mime, keys_of
from safedesk.views import DocumentSectionInfo

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

    def refresh(self, library: Library) -> None:
        self.clear()
        reports = library.reports()
        sections = document_sections(library) if any(r.kind == "document" for r in reports) else {}
        for report in reports:
            if report.kind == "document":
                self.appendRow(document_node(report.title, report.key, report.citation,
                                             sections.get(report.key, [])))  # fmt: skip
                continue
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
        marks = library.bookmarks()
        self.appendRow(_node(f"My bookmarks ({len(marks)})", "bookmarks"))
        collections = _node("Collections", "collections")
        for c in library.collections():
            collections.appendRow(
                _node(f"{c.name} ({len(c.items)})", "collection", c.name, c.description)
            )
        self.appendRow(collections)
        examples = library.examples()
        self.appendRow(_node(f"My examples ({len(examples)})", "examples"))
        self.appendRow(_node(f"Trash ({len(library.trash())})", "trash"))


def document_sections(library: Library) -> dict[str, list[DocumentSectionInfo]]:
    """Every document's headings, by document (one query for all of them)."""
    found: dict[str, list[DocumentSectionInfo]] = {}
    for section in library.document_sections():
        found.setdefault(section.report, []).append(section)
    return found


def document_node(
    title: str, key: str, citation: str, sections: list[DocumentSectionInfo]
) -> QStandardItem:
    """A document and its headings, nested by level (a level-2 heading under the level-1 above)."""
    root = _node(title, "document", key, citation)
    parents: list[tuple[int, QStandardItem]] = [(0, root)]
    for s in sections:
        while len(parents) > 1 and parents[-1][0] >= s.level:
            parents.pop()
        tip = f"{s.title} (p. {s.page})" if s.page else s.title
        node = _node(s.title, "doc-section", s.key, tip)
        parents[-1][1].appendRow(node)
        parents.append((s.level, node))
    return root
