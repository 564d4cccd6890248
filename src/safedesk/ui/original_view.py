"""The original PDF, in the app's own PDF view (QtPdf), at the page where an item starts, with the
item's words marked where QtPdf's search finds them.

"Open the original at page N" in the reading pane opens it. The words searched for are the
longest run of the item's words that the page's own text layer holds (from its first words on),
so that small differences between the cleaned text and the page (a word hyphenated at a line end,
a ligature) shorten what is marked rather than lose it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, Qt
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from safedesk.views import OriginalInfo

MAX_WORDS = 60  # what is marked: at most this many words from the start of the item
MIN_WORDS = 3


def words_on_page(item_text: str, page_text: str) -> str:
    """The longest run of `item_text`'s words (starting within its first few) that `page_text`
    holds word for word; "" if not even MIN_WORDS of them do."""
    page = " " + " ".join(page_text.split()) + " "
    words = item_text.split()[: MAX_WORDS + 8]
    best = ""
    for start in range(min(8, len(words))):
        low, high = start, min(len(words), start + MAX_WORDS)
        if f" {' '.join(words[start : start + MIN_WORDS])} " not in page:
            continue
        while low < high:  # the longest prefix from `start` that the page holds
            middle = (low + high + 1) // 2
            if f" {' '.join(words[start:middle])} " in page:
                low = middle
            else:
                high = middle - 1
        found = " ".join(words[start:low])
        if len(found) > len(best):
            best = found
        if low == len(words):
            break
    return best


class OriginalView(QDialog):
    """A window showing one kept original at a time; `show_original` moves it to another item."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("originalView")
        self.setWindowTitle("Original")
        self.setAccessibleName("Original document")
        self.setSizeGripEnabled(True)
        self.resize(760, 900)
        self.document = QPdfDocument(self)
        self.search = QPdfSearchModel(self)
        self.search.setDocument(self.document)
        self.view = QPdfView()
        self.view.setAccessibleName("Original PDF")
        self.view.setDocument(self.document)
        self.view.setSearchModel(self.search)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)  # titles are the file's text
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName("Where you are in the original")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.path: Path | None = None
        self.page = 0  # 0-based, as QtPdf counts
        self.search.countChanged.connect(self._found)

    def show_original(self, original: OriginalInfo) -> None:
        """Show `original` at its page and mark its words there."""
        path = Path(original.path)
        if path != self.path:
            self.document.close()
            error = self.document.load(str(path))
            if error != QPdfDocument.Error.None_:
                self.path = None
                self.caption.setText(f"The original could not be opened ({error.name}).")
                return
            self.path = path
        self.page = max(0, min((original.page or 1) - 1, self.document.pageCount() - 1))
        wanted = words_on_page(original.text, self.document.getAllText(self.page).text())
        self.setWindowTitle(f"Original: {original.title}")
        found = "the passage is marked" if wanted else "its words could not be found to mark"
        self.caption.setText(
            f"{original.title}, page {self.page + 1} of {self.document.pageCount()}: {found}."
        )
        self.view.pageNavigator().jump(self.page, QPointF(), 0)
        self.search.setSearchString(wanted)
        self.show()
        self.raise_()
        self.activateWindow()

    def current_page(self) -> int:
        """The page shown, 1-based."""
        return self.view.pageNavigator().currentPage() + 1

    def marks_on_page(self) -> int:
        """How many places on the page shown QtPdf's search marked."""
        return len(self.search.resultsOnPage(self.page))

    def _found(self) -> None:
        """Results arrive page by page: make the first one on our page the current one, and
        scroll to it."""
        for i in range(self.search.count()):
            link = self.search.resultAtIndex(i)
            if link.page() == self.page:
                if self.view.currentSearchResultIndex() != i:
                    self.view.setCurrentSearchResultIndex(i)
                    self.view.pageNavigator().jump(link)
                    rects = link.rectangles()
                    self._scroll_to(min(r.top() for r in rects) if rects else 0.0)
                return

    def _scroll_to(self, y: float) -> None:
        """Scroll so that `y` points down the current page shows near the top of the view. (The
        view scrolls to a page, not to a place on it: its pages are laid out here as QPdfView
        lays them out to fit the width.)"""
        margins = self.view.documentMargins()
        widths = [self.document.pagePointSize(n).width() for n in range(self.document.pageCount())]
        usable = self.view.viewport().width() - margins.left() - margins.right()
        if not widths or max(widths) <= 0 or usable <= 0:
            return
        scale = usable / max(widths)
        top = margins.top() + sum(
            self.document.pagePointSize(n).height() * scale + self.view.pageSpacing()
            for n in range(self.page)
        )
        bar = self.view.verticalScrollBar()
        bar.setValue(int(top + y * scale - self.view.viewport().height() / 5))
