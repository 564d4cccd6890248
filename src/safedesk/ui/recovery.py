"""What the window says when the library file is damaged, and the choices it offers."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from safedesk.errors import DamagedLibraryError


class RecoveryDialog(QMessageBox):
    """Restore the newest backup (the default when there is one), start an empty library, or
    leave everything as it is. Nothing here deletes the damaged file."""

    def __init__(self, error: DamagedLibraryError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle("safedesk: the library is damaged")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText("Your library could not be opened: its file is damaged.")
        kept = (
            f"The damaged file was moved aside, not deleted:\n{error.moved_to}"
            if error.moved_to
            else f"The damaged file was left where it is:\n{error.path}"
        )
        if error.backups:
            newest = error.backups[0]
            when = dt.datetime.fromtimestamp(newest.stat().st_mtime).strftime("%d %B %Y, %H:%M")
            offer = (
                f"{len(error.backups)} backup(s) can replace it. The newest is from {when}; "
                "restoring it brings back your bookmarks, notes and collections as they were then."
            )
        else:
            offer = "There is no backup to restore. You can start a new, empty library."
        self.setInformativeText(f"{kept}\n\n{offer}")
        self.restore_button = (
            self.addButton("Restore the newest backup", QMessageBox.ButtonRole.AcceptRole)
            if error.backups
            else None
        )
        self.empty_button = self.addButton(
            "Start a new, empty library", QMessageBox.ButtonRole.DestructiveRole
        )
        self.later_button = self.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button or self.later_button)
        self.setEscapeButton(self.later_button)

    def exec_choice(self) -> str:
        """ "restore", "empty" or "later"."""
        self.exec()
        clicked = self.clickedButton()
        if clicked is not None and clicked == self.restore_button:
            return "restore"
        if clicked == self.empty_button:
            return "empty"
        return "later"
