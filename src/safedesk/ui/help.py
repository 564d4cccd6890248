"""Help: the app's own user guide (`resources/guide/guide.md`: how to use safedesk, without the
installation and developer sections of the README), shown offline, and the keyboard shortcuts."""

from __future__ import annotations

import re
from html import escape

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from safedesk.paths import resources_dir
from safedesk.ui.actions import ACTIONS
from safedesk.ui.document_view import DocumentView


def guide() -> str:
    """The user guide's Markdown (it travels with the package, the wheel and the bundle)."""
    path = resources_dir() / "guide" / "guide.md"
    try:
        return path.read_text("utf-8")
    except OSError:
        return "The safedesk guide is not available in this installation."


# Markdown as GitHub shows it, but HTML in it is text: otherwise a word like "<version>" in the
# guide is taken for a tag and the whole guide after it goes missing.
GUIDE_MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)


def guide_markdown(text: str) -> str:
    """The guide for reading in the app: without HTML comments (markers for tools)."""
    return re.sub(r"<!--.*?-->\n?", "", text, flags=re.DOTALL)


class HelpDialog(QDialog):
    """The guide, a document to screen readers (headings, links, tables, pictures by their alt
    text). Web links open in the browser when followed (a click, Enter, a screen reader's Press);
    links within the guide scroll to their place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("safedesk guide")
        self.browser = DocumentView()
        self.browser.setAccessibleName("safedesk guide")
        self.browser.anchorClicked.connect(self._follow)
        folder = resources_dir() / "guide"
        self.browser.document().setBaseUrl(QUrl.fromLocalFile(f"{folder}/"))  # its pictures
        self.browser.document().setMarkdown(guide_markdown(guide()), GUIDE_MARKDOWN)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(820, 640)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)
        elif url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())


# keys that belong to a control, not to a menu entry
CONTROL_KEYS = (("Exact words (beside the search box)", "Alt+X"),)


def shortcuts_html() -> str:
    """Every shortcut the menus declare, and the controls' own keys, as a table."""
    rows = []
    for spec in ACTIONS:
        if not spec.shortcuts:
            continue
        keys = ", ".join(
            QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in spec.shortcuts
        )
        name = spec.text.replace("&", "").rstrip("…")
        rows.append(f"<tr><td>{escape(name)}</td><td><b>{escape(keys)}</b></td></tr>")
    for name, keys in CONTROL_KEYS:
        rows.append(f"<tr><td>{escape(name)}</td><td><b>{escape(keys)}</b></td></tr>")
    return "<table cellpadding='3'>" + "".join(rows) + "</table>"
