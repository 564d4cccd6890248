"""The export dialog's left column: what to export, the paper, space for notes and the file
format (each remembered), then the dialog's status line. It scrolls rather than squeeze its
labels, and is as wide as some 44 characters of the current text size."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QRadioButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from safedesk.ui.export.choices import FORMAT_LABELS, PAPER_LABELS, Offer
from safedesk.ui.notice import Notice
from safedesk.ui.plain import label, plain_label


class ExportOptions(QScrollArea):
    """The choices for `offers`; `kind_chosen` when another kind is checked, `changed` when the
    paper or the notes space changes (each already remembered)."""

    kind_chosen = Signal()
    changed = Signal()

    def __init__(self, offers: list[Offer], default_paper: str) -> None:
        super().__init__()
        self.offers = offers
        settings = QSettings()
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(self._kinds())
        layout.addWidget(self._page(settings, default_paper))
        layout.addStretch(1)
        self.status = plain_label(Notice())  # "Saved 2 pages to …"
        self.status.hide()  # until there is something to say
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        hint = label(
            "The preview is the PDF itself: what you see is what is saved and printed.", muted=True
        )
        hint.setAccessibleDescription("About the preview")
        layout.addWidget(hint)
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._fit()

    def _kinds(self) -> QGroupBox:
        group = QGroupBox("What to export")
        group.setAccessibleName("What to export")
        rows = QVBoxLayout(group)
        rows.setSpacing(2)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        indent = self.style().pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + 8
        for n, offer in enumerate(self.offers):
            button = QRadioButton(offer.label)
            button.setAccessibleName(offer.name)
            button.setAccessibleDescription(f"{offer.title}. {offer.detail}".strip(". "))
            self.kind_group.addButton(button, n)
            self.kind_buttons[offer.kind] = button
            rows.addSpacing(6 if n else 0)
            rows.addWidget(button)
            for text, muted in ((offer.title, False), (offer.detail, True)):
                if text:
                    line = label(text, muted)
                    line.setContentsMargins(indent, 0, 0, 0)
                    rows.addWidget(line)
        if not self.offers:
            rows.addWidget(label(
                "Open a practice, or select a theme, an authority or a collection, then export it."
            ))  # fmt: skip
        self.kind_group.idToggled.connect(self._kind_toggled)
        return group

    def _page(self, settings: QSettings, default_paper: str) -> QGroupBox:
        page = QGroupBox("Page")
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper size")
        for key, text in PAPER_LABELS.items():
            self.paper.addItem(text, key)
        remembered = str(settings.value("export/paper", "") or "")
        paper = remembered if remembered in PAPER_LABELS else default_paper
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.paper.currentIndexChanged.connect(self._paper_changed)
        form.addRow(_buddy("&Paper size", self.paper), self.paper)
        self.notes_space = QCheckBox("Space for &notes")
        self.notes_space.setAccessibleName("Space for notes")
        self.notes_space.setToolTip("Leave room at the end of a practice sheet to write on")
        self.notes_space.setChecked(settings.value("export/notes", "true") != "false")
        self.notes_space.toggled.connect(self._notes_changed)
        form.addRow(self.notes_space)
        self.file_format = QComboBox()
        self.file_format.setAccessibleName("Save as")
        self.file_format.setToolTip("Word makes an editable copy with the same content")
        for key, text in FORMAT_LABELS.items():
            self.file_format.addItem(text, key)
        chosen = str(settings.value("export/format", "pdf") or "pdf")
        self.file_format.setCurrentIndex(max(0, self.file_format.findData(chosen)))
        self.file_format.currentIndexChanged.connect(
            lambda _i: QSettings().setValue("export/format", self.chosen_format())
        )
        form.addRow(_buddy("Save &as", self.file_format), self.file_format)
        return page

    @property
    def offer(self) -> Offer | None:
        """The offer whose kind is checked."""
        n = self.kind_group.checkedId()
        return self.offers[n] if 0 <= n < len(self.offers) else None

    def chosen_format(self) -> str:
        """pdf or docx: what Save writes (the preview and printing are always the PDF)."""
        return str(self.file_format.currentData() or "pdf")

    def controls(self) -> list[QWidget]:
        """Its controls in tab order."""
        return [*self.kind_buttons.values(), self.paper, self.notes_space, self.file_format]

    def _kind_toggled(self, _id: int, checked: bool) -> None:
        if not checked:
            return
        offer = self.offer
        if offer is not None:
            QSettings().setValue("export/kind", offer.kind)
            self.notes_space.setEnabled(offer.kind == "sheet")
        self.kind_chosen.emit()

    def _paper_changed(self) -> None:
        QSettings().setValue("export/paper", str(self.paper.currentData()))
        self.changed.emit()

    def _notes_changed(self) -> None:
        QSettings().setValue("export/notes", "true" if self.notes_space.isChecked() else "false")
        self.changed.emit()

    def _fit(self) -> None:
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("x" * 44) + scrollbar)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:  # Ctrl+= zooms the text: the column follows
            self._fit()
        super().changeEvent(event)


def _buddy(text: str, field: QWidget) -> QLabel:
    """The label of `field`, whose mnemonic moves the focus to it."""
    buddy = QLabel(text)
    buddy.setBuddy(field)
    return buddy
