"""The export & print dialog: choose a briefing and paper, see the real PDF, save or print it.

    dialog = ExportDialog(library, ExportTargets(key=..., collection=...), parent)
    dialog.open()                                   # Ctrl+E
    print_now(library, ExportTargets(key=...), parent)   # Ctrl+P: the same dialog, printing

What is offered is `choices.py`; the preview is rendered by `preview.py`; printing is `printing.py`.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import (
    QEvent,
    QLocale,
    QMargins,
    QPointF,
    QSettings,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QCloseEvent, QKeySequence, QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from safedesk.briefing.request import BriefRequest
from safedesk.errors import LibraryError
from safedesk.fileio import write_atomically
from safedesk.library import Library
from safedesk.ui.export.choices import (
    FORMAT_LABELS,
    PAPER_LABELS,
    ExportTargets,
    Offer,
    offers_for,
    slug,
)
from safedesk.ui.export.preview import PreviewRenderer
from safedesk.ui.export.printing import make_printer, pages_to_print, print_document
from safedesk.ui.focus_ring import FocusRing
from safedesk.ui.notice import Notice
from safedesk.ui.plain import message
from safedesk.ui.wording import for_the_app

log = logging.getLogger(__name__)
__all__ = ["ExportDialog", "ExportTargets", "default_paper", "print_now", "slug"]

Label = TypeVar("Label", bound=QLabel)
PREVIEW_DELAY_MS = 250  # debounce: a burst of changes makes one render
LETTER_TERRITORIES = {QLocale.Country.UnitedStates, QLocale.Country.Canada}


def default_paper(locale: QLocale | None = None) -> str:
    """US Letter where people use it (the US and Canada), else A4."""
    territory = (locale or QLocale()).territory()
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def _plain_label(text: str = "", muted: bool = False) -> QLabel:
    """A label of plain text (user text is never rich text), with no accessible name of its own:
    a screen reader reads what it shows. `muted`: the quieter colour (4.5:1 on the dialog's
    background in the app's palettes)."""
    return _plain(QLabel(text), muted)


def _notice(muted: bool = False) -> Notice:
    """A plain label whose new texts are said to screen-reader users (`say`)."""
    return _plain(Notice(), muted)


def _plain(label: Label, muted: bool) -> Label:
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


class ExportDialog(QDialog):
    """Ctrl+E: pick a briefing and paper, see the real PDF, Save… (Ctrl+S) or Print… (Ctrl+P)."""

    preview_ready = Signal(int)  # pages in the preview now shown
    preview_failed = Signal(str)  # why the current choice could not be rendered
    saved = Signal(str)  # the path a PDF was saved to
    printed = Signal(int)  # pages sent to the printer
    cancelled = Signal(str)  # what was stopped ("Cancelled: …"), for the window's status bar

    def __init__(
        self,
        library: Library,
        targets: ExportTargets,
        parent: QWidget | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.offers = offers_for(library, targets)
        self.close_after_print = False
        self.renderer = PreviewRenderer(library, self)
        self.renderer.ready.connect(self._show)
        self.renderer.failed.connect(self._fail)
        self.renderer.progressed.connect(self._progressed)
        self.renderer.stopped.connect(self._stopped)
        self._shown: BriefRequest | None = None  # the choice the preview shows
        self._shown_path: Path | None = None
        self._waiting: tuple[BriefRequest, Callable[[], None]] | None = (
            None  # save/print, once ready
        )
        self._progress: QProgressDialog | None = None
        self._closed = False

        self.setObjectName("exportDialog")
        self.setAccessibleName("Export and print")
        self.setSizeGripEnabled(True)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_now)
        self.document = QPdfDocument(self)

        settings = QSettings()
        left = self._build_options(settings)
        right = self._build_preview()
        buttons = self._build_buttons()

        columns = QHBoxLayout()
        columns.setSpacing(18)
        columns.addWidget(left)
        columns.addWidget(right, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 18, 18, 14)
        outer.setSpacing(12)
        outer.addLayout(columns, 1)
        outer.addWidget(buttons)
        self._set_tab_order()

        screen = self.screen().availableGeometry()
        self.resize(min(1020, int(screen.width() * 0.9)), min(780, int(screen.height() * 0.9)))
        self._choose_initial(kind or str(settings.value("export/kind", "") or ""))

    # -- building -----------------------------------------------------------------------------
    def _build_options(self, settings: QSettings) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)

        group = QGroupBox("What to export")
        group.setAccessibleName("What to export")
        rows = QVBoxLayout(group)
        rows.setSpacing(2)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        indent = self.style().pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + 8
        for n, offer in enumerate(self.offers):
            label, name = offer.label, offer.name
            button = QRadioButton(label)
            button.setAccessibleName(name)
            button.setAccessibleDescription(f"{offer.title}. {offer.detail}".strip(". "))
            self.kind_group.addButton(button, n)
            self.kind_buttons[offer.kind] = button
            title = _plain_label(offer.title)
            title.setContentsMargins(indent, 0, 0, 0)
            rows.addSpacing(6 if n else 0)
            rows.addWidget(button)
            rows.addWidget(title)
            if offer.detail:
                detail = _plain_label(offer.detail, muted=True)
                detail.setContentsMargins(indent, 0, 0, 0)
                rows.addWidget(detail)
        if not self.offers:
            rows.addWidget(_plain_label(
                "Open a practice, or select a theme, an authority or a collection, then export it."
            ))  # fmt: skip
        self.kind_group.idToggled.connect(self._kind_toggled)
        layout.addWidget(group)

        page = QGroupBox("Page")
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.paper = QComboBox()
        self.paper.setAccessibleName("Paper size")
        for key, text in PAPER_LABELS.items():
            self.paper.addItem(text, key)
        remembered = str(settings.value("export/paper", "") or "")
        paper = remembered if remembered in PAPER_LABELS else default_paper()
        self.paper.setCurrentIndex(max(0, self.paper.findData(paper)))
        self.paper.currentIndexChanged.connect(self._paper_changed)
        paper_label = QLabel("&Paper size")
        paper_label.setBuddy(self.paper)
        form.addRow(paper_label, self.paper)
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
        format_label = QLabel("Save &as")
        format_label.setBuddy(self.file_format)
        form.addRow(format_label, self.file_format)
        layout.addWidget(page)

        layout.addStretch(1)
        self.status = _notice()  # "Saved 2 pages to …"
        self.status.hide()  # until there is something to say
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        hint = _plain_label(
            "The preview is the PDF itself: what you see is what is saved and printed.", muted=True
        )
        hint.setAccessibleDescription("About the preview")
        layout.addWidget(hint)
        # a column as wide as some 44 characters of the current text size (Ctrl+= zooms it);
        # a column taller than the dialog scrolls rather than squeezing its labels
        self.options = QScrollArea()
        self.options.setWidget(panel)
        self.options.setWidgetResizable(True)
        self.options.setFrameShape(QFrame.Shape.NoFrame)
        self.options.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.options.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._fit_options()
        return self.options

    def _fit_options(self) -> None:
        scrollbar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.options.setFixedWidth(self.fontMetrics().horizontalAdvance("x" * 44) + scrollbar)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange and hasattr(self, "options"):
            self._fit_options()
        super().changeEvent(event)

    def _build_preview(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        header = QHBoxLayout()
        heading = QLabel("Preview")
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.page_count = _notice(muted=True)  # said when a preview is ready
        self.page_count.setWordWrap(False)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(90, 6)
        self.busy.setAccessibleName("Making the preview")
        self.busy.setVisible(False)
        self.stop_button = QPushButton("S&top")
        self.stop_button.setAccessibleName("Stop making the preview")
        self.stop_button.setToolTip("Stop making this preview (a long pack can take a while)")
        self.stop_button.setVisible(False)
        self.stop_button.clicked.connect(self.stop_preview)
        header.addWidget(heading)
        header.addStretch(1)
        header.addWidget(self.busy)
        header.addWidget(self.page_count)
        header.addWidget(self.stop_button)
        layout.addLayout(header)

        self.view = QPdfView()
        self.view.setAccessibleName("PDF preview")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(14)
        self.view.setDocumentMargins(QMargins(18, 18, 18, 18))
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.setFrameShape(QFrame.Shape.StyledPanel)
        self.focus_ring = FocusRing(self.view)  # a visible focus indicator on the preview
        self.message = _notice()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setContentsMargins(40, 40, 40, 40)
        self.message.setFrameShape(QFrame.Shape.StyledPanel)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.message)
        layout.addWidget(self.stack, 1)
        return panel

    def _build_buttons(self) -> QDialogButtonBox:
        box = QDialogButtonBox()
        self.save_button = QPushButton("&Save…")
        self.save_button.setAccessibleName("Save the PDF")
        self.save_button.setToolTip("Save this PDF (Ctrl+S)")
        self.save_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.print_button = QPushButton("Pr&int…")
        self.print_button.setAccessibleName("Print")
        self.print_button.setToolTip("Print this PDF (Ctrl+P)")
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.close_button = box.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        box.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        box.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.on_save)
        self.print_button.clicked.connect(self.on_print)
        box.rejected.connect(self.reject)
        enabled = bool(self.offers)
        self.save_button.setEnabled(enabled)
        self.print_button.setEnabled(enabled)
        return box

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            *self.kind_buttons.values(),
            self.paper,
            self.notes_space,
            self.file_format,
        ]
        chain += [
            self.stop_button,
            self.view,
            self.save_button,
            self.print_button,
            self.close_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _choose_initial(self, kind: str) -> None:
        if not self.offers:
            self._show_message("Nothing to export yet.")
            self.setWindowTitle("Export — safedesk")
            return
        button = self.kind_buttons.get(kind) or self.kind_group.button(0)
        button.setChecked(True)  # -> _kind_toggled -> a render
        self._sync_controls()
        self.refresh_now()  # the first preview without the debounce delay

    # -- what the user chose ------------------------------------------------------------------
    @property
    def offer(self) -> Offer | None:
        """The offer whose kind is checked."""
        n = self.kind_group.checkedId()
        return self.offers[n] if 0 <= n < len(self.offers) else None

    def current_choice(self) -> BriefRequest | None:
        offer = self.offer
        if offer is None:
            return None
        notes = self.notes_space.isChecked() if offer.kind == "sheet" else False
        return offer.request(str(self.paper.currentData()), notes)

    def choose(self, kind: str, paper: str | None = None) -> None:
        """Select a kind (and paper) as a user would; the preview follows after the delay."""
        self.kind_buttons[kind].setChecked(True)
        if paper is not None:
            self.paper.setCurrentIndex(self.paper.findData(paper))

    def _kind_toggled(self, _id: int, checked: bool) -> None:
        if not checked:
            return
        offer = self.offer
        if offer is not None:
            QSettings().setValue("export/kind", offer.kind)
        self._sync_controls()
        self._changed()

    def _paper_changed(self) -> None:
        QSettings().setValue("export/paper", str(self.paper.currentData()))
        self._changed()

    def _notes_changed(self) -> None:
        QSettings().setValue("export/notes", "true" if self.notes_space.isChecked() else "false")
        self._changed()

    def _sync_controls(self) -> None:
        offer = self.offer
        if offer is None:
            return
        self.notes_space.setEnabled(offer.kind == "sheet")
        name = offer.name
        self.setWindowTitle(f"Export {name.lower()}: {offer.title}")

    def _changed(self) -> None:
        choice = self.current_choice()
        if choice is not None and choice != self._shown:
            self._set_busy(True)
        self._timer.start()

    # -- rendering off the GUI thread -----------------------------------------------------------
    def refresh_now(self) -> None:
        """Ask for the current choice's preview now (skipping the debounce delay)."""
        self._timer.stop()
        choice = self.current_choice()
        if choice is None or self._closed:
            return
        if choice == self._shown:
            self.renderer.wanted = choice
            self.renderer.forget_pending()
            self._set_busy(False)
            return
        cached = self.renderer.want(choice)
        if cached is not None:
            self._show(choice, cached)
        else:
            self._set_busy(True)

    @property
    def renders_started(self) -> int:
        return self.renderer.renders_started

    # -- showing ------------------------------------------------------------------------------
    def _show(self, choice: BriefRequest, path: Path) -> None:
        self.document.close()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            self._fail(choice, f"the PDF could not be opened ({error.name})")
            return
        self._shown, self._shown_path = choice, path
        pages = self.document.pageCount()
        paper = PAPER_LABELS[choice.paper].split(" (")[0]
        self.page_count.say(f"{pages} page{'' if pages == 1 else 's'} · {paper}")
        self.stack.setCurrentWidget(self.view)
        self.view.pageNavigator().jump(0, QPointF(), 0)
        self._set_busy(False)
        self.preview_ready.emit(pages)
        if self._waiting is not None and self._waiting[0] == choice:
            action = self._waiting[1]
            self._end_waiting()
            action()

    def _fail(self, choice: BriefRequest, message: str) -> None:
        message = for_the_app(message)
        self._shown, self._shown_path = None, None
        self.document.close()
        self.page_count.setText("")
        self._show_message(f"The preview could not be made:\n\n{message}")
        self._set_busy(False)
        self.preview_failed.emit(message)
        if self._waiting is not None and self._waiting[0] == choice:
            self._end_waiting()
            self._error(f"The PDF could not be made:\n\n{message}")

    def _show_message(self, text: str) -> None:
        self.stack.setCurrentWidget(self.message)
        self.message.say(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.stop_button.setVisible(busy)
        self.stop_button.setEnabled(busy)
        if busy:
            if not self.renderer.busy:  # until the render says how far it is
                self.busy.setRange(0, 0)
            self.page_count.setText("Updating…" if self._shown else "Making the preview…")
        else:
            self.busy.setRange(0, 0)

    def _progressed(self, choice: BriefRequest, message: str, fraction: float) -> None:
        """A long render says how far it is: in the header, and in a waiting Save's dialog."""
        if choice != self.current_choice() or self._closed:
            return
        percent = int(fraction * 100)
        self.busy.setRange(0, 100)
        self.busy.setValue(percent)
        self.busy.setVisible(True)
        self.stop_button.setVisible(True)
        self.page_count.setText(f"{message}… {percent}%")
        if self._progress is not None:
            self._progress.setRange(0, 100)
            self._progress.setValue(percent)

    def stop_preview(self) -> None:
        """Stop (and the Cancel of a waiting Save or Print): stop the render now; nothing is
        written. The preview is made again when a choice changes, or on Save or Print."""
        if not self.renderer.busy:
            return
        self.stop_button.setEnabled(False)
        self.page_count.setText("Stopping…")
        self.renderer.stop()

    def _stopped(self, choice: BriefRequest) -> None:
        if self._closed or choice != self.current_choice() or self.renderer.busy:
            return  # a stale render that was stopped for a newer choice
        self._set_busy(False)
        self._shown, self._shown_path = None, None
        self.document.close()
        self.page_count.setText("")
        self._show_message(
            "The preview was stopped before it was finished.\n\n"
            "Change a choice, or press Save or Print, to make it again."
        )
        waiting = self._waiting is not None
        self._end_waiting()
        text = "Cancelled: nothing was saved" if waiting else "Cancelled: the preview was stopped"
        self.status.say(text)
        self.cancelled.emit(text)

    @property
    def shown(self) -> BriefRequest | None:
        """The choice whose PDF the preview shows (it may lag behind `current_choice()`)."""
        return self._shown

    @property
    def preview_path(self) -> Path | None:
        """The PDF the preview shows, while it matches the current choice."""
        return self._shown_path if self._shown == self.current_choice() else None

    # -- save and print -----------------------------------------------------------------------
    def chosen_format(self) -> str:
        """pdf or docx: what Save writes (the preview and printing are always the PDF)."""
        return str(self.file_format.currentData() or "pdf")

    def suggested_name(self) -> str:
        offer = self.offer
        suffix = self.chosen_format()
        return offer.suggested_name(suffix) if offer is not None else f"briefing.{suffix}"

    def on_save(self) -> None:
        """Save…: ask where, then copy the rendered PDF there, or write the Word copy (all or
        nothing)."""
        if self.current_choice() is None:
            return
        settings = QSettings()
        folder = str(settings.value("export/folder", "") or "") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        word = self.chosen_format() == "docx"
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the Word copy" if word else "Save the PDF",
            str(Path(folder) / self.suggested_name()),
            "Word (*.docx)" if word else "PDF (*.pdf)",
        )  # fmt: skip
        if not path:
            return
        target = Path(path)
        suffix = ".docx" if word else ".pdf"
        if target.suffix.lower() != suffix:
            target = target.with_name(target.name + suffix)
        settings.setValue("export/folder", str(target.parent))
        if word:
            self.save_word(target)
            return
        self._when_ready(partial(self.save_to, target), "Making the PDF…")

    def save_word(self, target: Path) -> None:
        """Write the current choice as an editable Word document at `target`."""
        choice = self.current_choice()
        if choice is None:
            return
        try:
            self.library.export_brief(target, replace(choice, format="docx"))
        except LibraryError as exc:
            self._error(f"The Word copy could not be saved:\n\n{exc}")
            return
        self.status.setText(f"Saved a Word copy to {target}")
        self.saved.emit(str(target))

    def save_to(self, target: Path) -> None:
        """Write the current preview's PDF to `target` atomically (it must be ready)."""
        source = self.preview_path
        if source is None:
            raise LibraryError("the PDF is not ready yet")
        try:
            write_atomically(target, lambda tmp: shutil.copyfile(source, tmp), "the PDF")
        except LibraryError as exc:
            self._error(f"The PDF could not be saved:\n\n{exc}")
            return
        pages = self.document.pageCount()
        self.status.say(f"Saved {pages} page{'' if pages == 1 else 's'} to {target}")
        self.saved.emit(str(target))

    def on_print(self) -> None:
        """Print… (Ctrl+P): the print dialog, once the current choice's PDF is ready."""
        if self.current_choice() is None:
            return
        self._when_ready(self._print_with_dialog, "Preparing to print…")

    def make_printer(self) -> QPrinter:
        """A printer set up for the chosen paper, named after the document."""
        choice = self.current_choice()
        offer = self.offer
        return make_printer(choice.paper if choice else "a4", offer.title if offer else "safedesk")

    def _print_with_dialog(self) -> None:
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print")
        dialog.setMinMax(1, max(1, self.document.pageCount()))
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintCurrentPage, True)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintShowPageSize, True)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        if accepted:
            try:
                pages = self.print_to(printer)
            except LibraryError as exc:
                self._error(f"The PDF could not be printed:\n\n{exc}")
            else:
                self.status.say(f"Sent {pages} page{'' if pages == 1 else 's'} to the printer")
        if self.close_after_print:
            self.done(QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected)

    def print_to(self, printer: QPrinter) -> int:
        """Paint the preview's pages (the range `printer` asks for) onto it; returns the count."""
        if self.preview_path is None or self.document.status() != QPdfDocument.Status.Ready:
            raise LibraryError("the PDF is not ready to print yet")
        current = self.view.pageNavigator().currentPage() + 1
        pages = pages_to_print(printer, self.document.pageCount(), current)
        printed = print_document(self.document, printer, pages)
        if printed:
            self.printed.emit(printed)
        return printed

    def _when_ready(self, action: Callable[[], None], label: str) -> None:
        """Run `action` now if the preview is current, else once it is (with a progress dialog)."""
        choice = self.current_choice()
        if choice is None:
            return
        if self.preview_path is not None:
            action()
            return
        self._waiting = (choice, action)
        progress = QProgressDialog(label, "Cancel", 0, 0, self)
        progress.setWindowTitle("safedesk")
        progress.setAccessibleName(label.rstrip("…"))
        progress.setMinimumDuration(500)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.canceled.connect(self._cancel_waiting)
        self._progress = progress
        self.refresh_now()

    def _cancel_waiting(self) -> None:
        """Cancel in the waiting dialog: the save (or print) and the render it waits for stop."""
        if self.renderer.busy:
            self.stop_preview()  # -> _stopped ends the waiting and says so
        else:
            self._end_waiting()

    def _end_waiting(self) -> None:
        self._waiting = None
        if self._progress is not None:
            progress, self._progress = self._progress, None
            progress.canceled.disconnect(self._cancel_waiting)
            progress.close()
            progress.deleteLater()

    def _error(self, text: str) -> None:
        log.warning("%s", text.replace("\n\n", " "))
        message(self, text, QMessageBox.Icon.Warning)

    # -- closing ------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """Closing (Close, Esc, the window's close button): finish renders, remove temp files."""
        self._shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._shutdown()
        super().closeEvent(event)

    def _shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self._end_waiting()
        self.renderer.shutdown()
        self.document.close()
        self._shown = self._shown_path = None


def print_now(
    library: Library, targets: ExportTargets, parent: QWidget | None = None, kind: str | None = None
) -> ExportDialog:
    """Ctrl+P: open the export dialog straight into the print dialog; it closes after printing.

    Returns the (window-modal, self-deleting) dialog, already shown.
    """
    dialog = ExportDialog(library, targets, parent, kind)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.close_after_print = True
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    if dialog.offers:
        dialog.on_print()
    return dialog
