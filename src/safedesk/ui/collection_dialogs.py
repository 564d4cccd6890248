"""Small forms for collections: a facilitator's note, discussion prompts and timing for an item;
what a collection is for."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from safedesk.views import CollectionItem


class ItemNotesDialog(QDialog):
    """Edit what a facilitator keeps with one item of a collection."""

    def __init__(
        self, collection: str, item: CollectionItem, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Session notes — {collection}")
        title = QLabel(item.title)
        title.setTextFormat(title.textFormat().PlainText)
        title.setWordWrap(True)
        self.note = QPlainTextEdit(item.note)
        self.note.setAccessibleName("Facilitator's note")
        self.note.setPlaceholderText("What to draw out, what to watch for…")
        self.note.setTabChangesFocus(True)
        self.prompts = QPlainTextEdit("\n".join(item.prompts))
        self.prompts.setAccessibleName("Discussion prompts, one per line")
        self.prompts.setPlaceholderText("One question per line")
        self.prompts.setTabChangesFocus(True)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 24 * 60)
        self.minutes.setSuffix(" min")
        self.minutes.setSpecialValueText("no time set")
        self.minutes.setValue(item.minutes or 0)
        self.minutes.setAccessibleName("Minutes for this item")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(title)
        form.addRow("&Note:", self.note)
        form.addRow("&Prompts:", self.prompts)
        form.addRow("&Time:", self.minutes)
        form.addRow(buttons)
        self.resize(520, 420)

    def values(self) -> tuple[str, list[str], int | None]:
        prompts = [p.strip() for p in self.prompts.toPlainText().splitlines() if p.strip()]
        return self.note.toPlainText(), prompts, self.minutes.value() or None


class DescribeDialog(QDialog):
    """What a collection is for, in a few lines. The editor is named by its visible label (its
    buddy), and Tab leaves it for the buttons."""

    def __init__(self, name: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Describe {name}")
        self.editor = QPlainTextEdit(text)
        self.editor.setTabChangesFocus(True)
        label = QLabel("&What this collection is for:")
        label.setBuddy(self.editor)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.editor)
        layout.addWidget(buttons)
        self.resize(480, 260)

    def text(self) -> str:
        return self.editor.toPlainText()
