"""Forms for sessions: an agenda step (title, minutes, instructions) and the record of a session
delivered (date, team, attendance, notes, actions agreed)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

COMMON_STEPS = ("Welcome", "Check-in", "Break", "Activity", "Reflection", "Close")


def _minutes(value: int, special: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 24 * 60)
    box.setSuffix(" min")
    if special:
        box.setSpecialValueText(special)
    box.setValue(value)
    return box


def _text(value: str, name: str, hint: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(value)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(hint)
    edit.setTabChangesFocus(True)
    return edit


class StepDialog(QDialog):
    """Add or change an agenda step that is not a library item."""

    def __init__(
        self,
        collection: str,
        title: str = "",
        minutes: int = 10,
        instructions: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{'Edit' if title else 'Add'} a step — {collection}")
        self.title = QComboBox()
        self.title.setEditable(True)
        self.title.addItems(COMMON_STEPS)
        self.title.setCurrentText(title or COMMON_STEPS[0])
        self.title.setAccessibleName("Step title")
        self.minutes = _minutes(minutes)
        self.minutes.setAccessibleName("Minutes for this step")
        self.instructions = _text(
            instructions, "Instructions for the facilitator", "What to do (optional)"
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.title.currentTextChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        form = QFormLayout(self)
        form.addRow("&Title:", self.title)
        form.addRow("&Minutes:", self.minutes)
        form.addRow("&Instructions:", self.instructions)
        form.addRow(buttons)
        self.resize(460, 300)

    def values(self) -> tuple[str, int, str]:
        return (
            self.title.currentText().strip(),
            self.minutes.value(),
            self.instructions.toPlainText(),
        )


class RecordDialog(QDialog):
    """Record a session as it was delivered."""

    def __init__(self, collection: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record a session — {collection}")
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMMM yyyy")
        self.date.setAccessibleName("Date of the session")
        self.team = QLineEdit()
        self.team.setAccessibleName("Team")
        self.team.setPlaceholderText("The team or group")
        self.attendees = QSpinBox()
        self.attendees.setRange(0, 10_000)
        self.attendees.setAccessibleName("How many attended")
        self.note = _text("", "Discussion notes", "What was discussed and learnt")
        self.agreed = _text(
            "", "Actions agreed, one per line",
            "One per line: what | who | by when (2027-01-15)",
        )  # fmt: skip
        help_text = QLabel("One action per line: what | who | by when, e.g.\n"
                           "Book group supervision | Sam | 2027-01-15")  # fmt: skip
        help_text.setTextFormat(Qt.TextFormat.PlainText)
        help_text.setForegroundRole(help_text.foregroundRole().PlaceholderText)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = QPushButton("&Record")
        self.ok_button.setDefault(True)
        buttons.addButton(self.ok_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Date:", self.date)
        form.addRow("&Team:", self.team)
        form.addRow("&Attended:", self.attendees)
        form.addRow("&Notes:", self.note)
        form.addRow("A&ctions:", self.agreed)
        form.addRow(help_text)
        form.addRow(buttons)
        self.resize(560, 520)

    def values(self) -> dict[str, object]:
        lines = [line for line in self.agreed.toPlainText().splitlines() if line.strip()]
        return {
            "held_on": self.date.date().toString("yyyy-MM-dd"),
            "team": self.team.text(),
            "attendees": self.attendees.value(),
            "note": self.note.toPlainText(),
            "actions": lines,
        }
