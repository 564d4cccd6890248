"""Saying what changed to screen-reader users: "Saved", result counts, status-bar messages.

Orca 43 (Debian 12) speaks none of Qt's quieter signals: not an accessible-name change of a label
or of the status bar, and not `QAccessibleAnnouncementEvent` (it has no handler for
`object:announcement`). It does speak an object with the role Notification when it is shown. So a
`Notice` is a label exposed as a notification, and `say(text)` shows it anew with the text.

    announce(widget, "Saved")     # through the window's announcer (the status bar's notice)

A window gets its announcer from `install_announcer(window)`: a notice in the status bar that
says every status-bar message (hover tips excepted), so `statusBar().showMessage(...)` is heard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QStatusTipEvent
from PySide6.QtWidgets import QAccessibleWidget, QLabel, QMainWindow, QWidget

from safedesk.ui import accessibility

ANNOUNCER = "announcements"  # the object name of a window's announcer


class Notice(QLabel):
    """A label that screen readers present (role Notification) each time `say` shows it."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        accessibility.register(Notice, NoticeAccessible)
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def say(self, text: str) -> None:
        """Show `text`, presented to screen readers even when it is the same text again."""
        self.hide()
        self.setText(text)
        self.show()


class NoticeAccessible(QAccessibleWidget):
    def __init__(self, notice: Notice) -> None:
        super().__init__(notice, QAccessible.Role.Notification)
        self.notice = notice

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self.notice.text()
        return super().text(kind)


def announce(source: QWidget, text: str) -> None:
    """Have screen readers say `text`: through `source`'s window's announcer if it has one, else
    as an accessibility announcement (which newer screen readers speak)."""
    announcer = source.window().findChild(Notice, ANNOUNCER)
    if announcer is not None:
        announcer.say(text)
    elif text:
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(source, text))


class _StatusAnnouncer(QObject):
    """Says the status bar's messages, except the tips shown while hovering menus and buttons."""

    def __init__(self, window: QMainWindow, notice: Notice) -> None:
        super().__init__(window)
        self.notice = notice
        self.tip = ""
        window.installEventFilter(self)
        window.statusBar().messageChanged.connect(self._message)

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.StatusTip and isinstance(event, QStatusTipEvent):
            self.tip = event.tip()
        return False

    def _message(self, text: str) -> None:
        if text and text != self.tip:
            self.notice.say(text)
        self.tip = ""


def install_announcer(window: QMainWindow) -> Notice:
    """Give `window` its announcer: a notice in the status bar, without a visible width of its
    own (the status bar shows the message itself) but shown to screen readers."""
    notice = Notice()
    notice.setObjectName(ANNOUNCER)
    notice.setFixedSize(0, 0)
    window.statusBar().addPermanentWidget(notice)
    _StatusAnnouncer(window, notice)
    return notice
