"""A visible focus indicator for scrolling panes (the reading pane, the sidebar, the list, the
guide): Fusion draws none around a QTextBrowser or an item view, so a keyboard user could not
tell where focus is when no item is current."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

RING_WIDTH = 2


class FocusRing(QWidget):
    """Draws a highlight-coloured frame over `area`'s viewport while `area` has focus.

    It is a child of the area laid over the viewport (not a child of the viewport, which would
    scroll it), transparent to the mouse, drops and tooltips."""

    def __init__(self, area: QAbstractScrollArea) -> None:
        super().__init__(area)
        self.area = area
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        area.installEventFilter(self)
        area.viewport().installEventFilter(self)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self.update()
        elif kind in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.Show):
            self._place()
        return False

    def _place(self) -> None:
        self.setGeometry(self.area.viewport().geometry())
        self.raise_()

    def paintEvent(self, _event: QPaintEvent) -> None:
        if not self.area.hasFocus():
            return
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), RING_WIDTH)
        pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(pen)
        half = RING_WIDTH // 2
        painter.drawRect(self.rect().adjusted(half, half, -half, -half))
        painter.end()
