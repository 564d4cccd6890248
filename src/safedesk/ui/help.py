"""Help: the README shown inside the app (it works offline), and the keyboard shortcuts."""

from __future__ import annotations

import re
import sys
from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QTextDocument
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from safedesk.ui.actions import ACTIONS
from safedesk.ui.document_view import DocumentView


def readme() -> tuple[str, Path | None]:
    """The README's Markdown and the folder its pictures are relative to (None if unknown).

    From a source checkout it is the file itself; a bundle carries a copy; an installed wheel has
    it as the package's long description."""
    here = Path(__file__).resolve()
    folders = [here.parents[3]]  # the source checkout
    if hasattr(sys, "_MEIPASS"):
        folders.append(Path(sys._MEIPASS))  # the PyInstaller bundle's copy
    for folder in folders:
        path = folder / "README.md"
        if path.is_file():
            return path.read_text("utf-8"), folder
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        description = metadata("safedesk").get_payload()  # type: ignore[attr-defined]
    except PackageNotFoundError:
        description = ""
    return str(description or "The safedesk guide is not available in this installation."), None


# Markdown as GitHub shows it, but HTML in it is text: otherwise a word like "<version>" in the
# README is taken for a tag and the whole guide after it goes missing.
GUIDE_MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)


def guide_markdown(text: str) -> str:
    """The README for reading in the app: without its HTML comments (markers for tools)."""
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
        text, folder = readme()
        if folder is not None:
            self.browser.setSearchPaths([str(folder)])
        self.browser.document().setMarkdown(guide_markdown(text), GUIDE_MARKDOWN)
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


def shortcuts_html() -> str:
    """Every shortcut the menus declare, as a table."""
    rows = []
    for spec in ACTIONS:
        if not spec.shortcuts:
            continue
        keys = ", ".join(
            QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in spec.shortcuts
        )
        name = spec.text.replace("&", "").rstrip("…")
        rows.append(f"<tr><td>{escape(name)}</td><td><b>{escape(keys)}</b></td></tr>")
    return "<table cellpadding='3'>" + "".join(rows) + "</table>"
