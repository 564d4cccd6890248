"""The form for adding or editing one of the user's own examples of good practice."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from safedesk.library import Library
from safedesk.views import ExampleInfo


class ExampleDialog(QDialog):
    def __init__(
        self, library: Library, example: ExampleInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit my example" if example else "Add my example")
        self.title = QLineEdit(example.title if example else "")
        self.title.setAccessibleName("Title")
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        self.theme.addItem("(no theme)", "")
        for t in library.themes():
            self.theme.addItem(f"{t.number} {t.title}", t.key)
        if example and example.theme_key:
            self.theme.setCurrentIndex(max(0, self.theme.findData(example.theme_key)))
        self.team = QLineEdit(example.team if example else "")
        self.team.setAccessibleName("Team or authority")
        self.text = QPlainTextEdit(example.text if example else "")
        self.text.setAccessibleName("What the team does")
        self.text.setTabChangesFocus(True)  # Tab leaves the field, as in every other field
        self.outcomes = QPlainTextEdit(example.outcomes if example else "")
        self.outcomes.setAccessibleName("Outcomes")
        self.outcomes.setTabChangesFocus(True)
        note = QLabel("Your own example is marked as not from a report wherever it appears.")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.title.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        self.ok_button.setEnabled(bool(self.title.text().strip()))
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow("&Title", self.title)
        form.addRow("T&heme", self.theme)
        form.addRow("Team or &authority", self.team)
        form.addRow("What the team &does", self.text)
        form.addRow("&Outcomes", self.outcomes)
        form.addRow(buttons)
        self.resize(560, 480)

    def _accept(self) -> None:
        if self.title.text().strip():
            self.accept()

    def values(self) -> dict[str, str]:
        return {
            "title": self.title.text().strip(),
            "theme": str(self.theme.currentData() or ""),
            "team": self.team.text().strip(),
            "text": self.text.toPlainText(),
            "outcomes": self.outcomes.toPlainText(),
        }
