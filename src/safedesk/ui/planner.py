"""The session planner's bar, shown above a collection's running order: its start time and
target length, the total against the target with any warnings, and buttons for the row chosen
(its form, up, down, remove), for a new agenda step, and for recording the session."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from safedesk.ui.rows import plan_status
from safedesk.views import CollectionInfo


class PlannerBar(QWidget):
    """Edits announce `plan_changed(length, start)`; buttons announce `command(name)`:
    add_step, edit, move_up, move_down, remove, record."""

    plan_changed = Signal(int, str)  # length in minutes (0: none), start ("" clears it)
    command = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Session plan")
        self.start = QLineEdit()
        self.start.setPlaceholderText("09:30")
        self.start.setMaximumWidth(70)
        self.start.setAccessibleName("Start time")
        self.start.setToolTip("When the session starts (24-hour clock); clear it for none")
        self.start.editingFinished.connect(self._edited)
        self.length = QSpinBox()
        self.length.setRange(0, 24 * 60)
        self.length.setSingleStep(5)
        self.length.setSuffix(" min")
        self.length.setSpecialValueText("no target")
        self.length.setAccessibleName("Target length")
        self.length.editingFinished.connect(self._edited)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Total against the target")
        self.warnings = QLabel()
        self.warnings.setTextFormat(Qt.TextFormat.PlainText)
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("Warnings about the plan")
        font = self.warnings.font()
        font.setBold(True)
        self.warnings.setFont(font)
        start_label, length_label = QLabel("Sta&rts"), QLabel("Le&ngth")
        start_label.setBuddy(self.start)
        length_label.setBuddy(self.length)

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for name, text, tip in (
            ("add_step", "Add &step…", "Add a welcome, break, activity... after the chosen row"),
            ("edit", "&Edit…", "The chosen item's notes, prompts and time, or the step's"),
            ("move_up", "Up", "Move the chosen row up (Ctrl+Shift+Up)"),
            ("move_down", "Down", "Move the chosen row down (Ctrl+Shift+Down)"),
            ("remove", "Remove", "Move the chosen row to the Trash (Ctrl+Del)"),
            ("record", "&Record session…", "After the session: who came, notes, actions"),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.clicked.connect(lambda _c=False, name=name: self.command.emit(name))
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 2, 0, 2)
        times = QHBoxLayout()
        for widget in (start_label, self.start, length_label, self.length, self.status):
            times.addWidget(widget)
        times.addStretch(1)
        grid.addLayout(times, 0, 0)
        grid.addWidget(self.warnings, 1, 0)
        grid.addLayout(row, 2, 0)
        self._shown: tuple[int, str] = (0, "")

    def show_plan(self, c: CollectionInfo) -> None:
        """Show the collection's plan (without announcing a change)."""
        self._shown = (c.length or 0, c.start or "")
        self.length.blockSignals(True)
        self.length.setValue(c.length or 0)
        self.length.blockSignals(False)
        self.start.setText(c.start or "")
        self.status.setText(plan_status(c))
        self.warnings.setText("\n".join(c.warnings))
        self.warnings.setVisible(bool(c.warnings))

    def set_row(self, row_kind: str | None) -> None:
        """Enable the buttons that act on a row for the row chosen (None: no row)."""
        for name in ("edit", "move_up", "move_down", "remove"):
            self.buttons[name].setEnabled(row_kind in ("item", "step"))

    def _edited(self) -> None:
        wanted = (self.length.value(), self.start.text().strip())
        if wanted != self._shown:
            self._shown = wanted
            self.plan_changed.emit(*wanted)
