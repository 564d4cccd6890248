"""Keyboard paths that Qt leaves out, for the whole app.

- Shift+F10 opens the focused widget's context menu, as the Menu key does (Qt only knows the
  Menu key): the same keyboard `QContextMenuEvent`, at the widget's cursor (an item view's current
  row, a text field's caret), so a handler that asks `indexAt(pos)` finds the current row.
- Ctrl+Tab and Ctrl+Shift+Tab leave a multi-line text field, as Tab and Shift+Tab do (Qt's
  editors ignore them).
- `opened_by_keyboard()`: whether the context menu being opened was asked for from the keyboard;
  such a menu starts with its first entry current, so that a screen reader names it (a Qt popup
  says nothing until an entry is current).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


class AppKeys(QObject):
    """An application event filter: Shift+F10, Ctrl+Tab out of text fields, and which way the
    last context menu was asked for."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.by_keyboard = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            self.by_keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        widget = QApplication.focusWidget()
        if widget is None or watched is not widget:
            return False  # the same key press passes the filter once per receiver: act once
        key, modifiers = event.key(), event.modifiers()
        shift, control = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
        if key == Qt.Key.Key_F10 and modifiers == shift:
            open_context_menu(widget)
            return True
        editor = widget if isinstance(widget, QPlainTextEdit | QTextEdit) else None
        if (
            editor is not None
            and key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            and modifiers & control
        ):
            leave(editor, backwards=key == Qt.Key.Key_Backtab or bool(modifiers & shift))
            return True
        return False


def leave(editor: QPlainTextEdit | QTextEdit, backwards: bool) -> None:
    """Move focus on from a text editor, as Tab does in one that does not take Tab as text."""
    takes_tab = not editor.tabChangesFocus()
    editor.setTabChangesFocus(True)
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    modifiers = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    QApplication.sendEvent(editor, QKeyEvent(QEvent.Type.KeyPress, key, modifiers))
    if takes_tab:
        editor.setTabChangesFocus(False)


def open_context_menu(widget: QWidget) -> None:
    """Send `widget` the context-menu request the Menu key sends."""
    origin = widget.viewport() if isinstance(widget, QAbstractScrollArea) else widget
    query = widget.inputMethodQuery(Qt.InputMethodQuery.ImCursorRectangle)
    if isinstance(query, QRectF):
        pos = query.toRect().center()
    elif isinstance(query, QRect):
        pos = query.center()
    else:
        pos = QPoint()
    if pos.isNull() or not origin.rect().contains(pos):
        pos = origin.rect().center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, pos, origin.mapToGlobal(pos),
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)


_keys: AppKeys | None = None


def install(app: QApplication) -> None:
    """Install the filter on the app (once)."""
    global _keys
    if _keys is None:
        _keys = AppKeys(app)
        app.installEventFilter(_keys)


def opened_by_keyboard() -> bool:
    return _keys is not None and _keys.by_keyboard


def show_menu(menu: QMenu, where: QPoint) -> None:
    """Run a context menu at `where`; asked for from the keyboard, it starts on its first entry."""
    if opened_by_keyboard():
        first = next((a for a in menu.actions() if not a.isSeparator() and a.isEnabled()), None)
        if first is not None:
            QTimer.singleShot(0, menu, lambda: menu.setActiveAction(first))  # once it is shown
    menu.exec(where)
