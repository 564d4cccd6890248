"""The reading pane: one item as rich text (built by `reading.py`), its links and colours. It is a
`DocumentView`: a document to screen readers, with a caret and keyboard links."""

from __future__ import annotations

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QPalette, QTextCharFormat, QTextCursor

from safedesk.library import Library
from safedesk.ui.colours import quiet_text, search_mark
from safedesk.ui.document_view import DocumentView
from safedesk.ui.reading import Emphasis, TextMarker, key_of_link, reading_html
from safedesk.views import View


class ReadingPane(DocumentView):
    """Shows an item. Following a library link (a click, Enter on a link highlighted with Tab, or
    a screen reader's Press) asks for that key (`open_requested`); web links (http and https
    only) open in the browser; any other link is refused (`refused`)."""

    open_requested = Signal(str)
    refused = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Reading pane")
        self.anchorClicked.connect(self._follow)
        self.style_text()

    def show_item(
        self, library: Library, item: View, emphasis: Emphasis, keep_scroll: bool = False
    ) -> None:
        """Show `item`; `keep_scroll` when the same item is drawn again (a palette change)."""
        highlight = search_mark(self.window().palette()).name()  # the window's: set first
        marker = TextMarker(emphasis, library.glossary_index(), highlight)
        scroll = self.verticalScrollBar().value() if keep_scroll else 0
        self.setHtml(reading_html(library, item, marker))
        self._dot_underline_tooltips()
        self.verticalScrollBar().setValue(scroll)

    def style_text(self) -> None:
        """Colours from the window's palette (light or dark): call again when it changes (the
        window's palette changes before its children's)."""
        p = self.window().palette()
        quiet = quiet_text(p).name()
        link = p.color(QPalette.ColorRole.Link).name()
        self.document().setDefaultStyleSheet(
            f"h2 {{ margin-bottom: 4px; }} .meta {{ color: {quiet}; }} p {{ line-height: 140%; }}"
            f" a {{ color: {link}; }} p.links {{ margin-top: 12px; }}"
        )

    def _follow(self, url: QUrl) -> None:
        key = key_of_link(url.toString())
        if key is not None:
            self.open_requested.emit(key)
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
        else:
            self.refused.emit("That link was not followed.")

    def _dot_underline_tooltips(self) -> None:
        """Words with a tooltip (explained acronyms) get a dotted underline: HTML cannot ask."""
        document = self.document()
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.isValid() and fragment.charFormat().toolTip():
                    cursor = QTextCursor(document)
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(
                        fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
                    )
                    underline = QTextCharFormat()
                    underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                    cursor.mergeCharFormat(underline)
                it += 1
            block = block.next()
