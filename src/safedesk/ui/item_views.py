"""What the sidebar tree and the result list share for keyboard and screen-reader users."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QTimer
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView


def announce_current(view: QAbstractItemView) -> None:
    """Tell screen readers which item is current (Qt says so only when the current item
    changes, so tabbing into a view announced the view and not where one is in it)."""
    current = view.currentIndex()
    if not current.isValid() or not QAccessible.isActive():
        return
    iface = QAccessible.queryAccessibleInterface(view)
    if iface is None:
        return
    centre = view.viewport().mapToGlobal(view.visualRect(current).center())
    item = iface.childAt(centre.x(), centre.y())
    if item is not None:
        QAccessible.updateAccessibility(QAccessibleEvent(item, QAccessible.Event.Focus))


def announce_current_soon(view: QAbstractItemView) -> None:
    """`announce_current` once Qt's own focus event for the view has gone out (sent first, the
    item would be announced and then talked over by the view's name)."""
    QTimer.singleShot(0, view, lambda: announce_current(view))


def follow_selection(view: QAbstractItemView, selected: QItemSelection) -> None:
    """A single row selected without becoming current (the accessibility Selection interface
    selects that way) becomes current, so that it opens exactly as a click opens it."""
    rows = {index.siblingAtColumn(0) for index in selected.indexes()}
    if len(rows) != 1:
        return
    row = rows.pop()
    if row != view.currentIndex().siblingAtColumn(0):
        view.selectionModel().setCurrentIndex(row, QItemSelectionModel.SelectionFlag.NoUpdate)


def expand_parents(view: QTreeView) -> None:
    """Expand the top-level rows that have children (expandToDepth(0) also marks leaves
    "expanded", and screen readers say so)."""
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if model.hasChildren(index):
            view.expand(index)
