"""What Qt's accessibility layer says about a widget: the name a screen reader gets and the labels
that name it (the AT-SPI tests check the same through the bridge)."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QWidget


def name_of(widget: QWidget) -> str:
    """The accessible name as exposed (a label's is its text unless one was set)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name) if iface is not None else ""


def labels_of(widget: QWidget) -> list[str]:
    """The names of the labels that label `widget` (buddy labels: AT-SPI `labelled-by`)."""
    iface = QAccessible.queryAccessibleInterface(widget)
    if iface is None:
        return []
    return [
        other.text(QAccessible.Text.Name)
        for other, _ in iface.relations(QAccessible.Relation.Label)
    ]


def unnamed(widgets: list[QWidget]) -> list[str]:
    """Widgets a screen reader could not name for what they are. A combo box on Linux is named by
    its current value, so it needs a label (its buddy) besides."""
    out = []
    for w in widgets:
        if isinstance(w, QComboBox):
            if not labels_of(w):
                out.append(f"{type(w).__name__} {name_of(w)!r} has no label")
        elif not name_of(w).strip():
            out.append(f"{type(w).__name__} {w.objectName()!r} has no name")
    return out
