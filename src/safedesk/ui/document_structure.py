"""The structure a screen reader needs from a rich-text document: its headings, links, images and
tables in reading order, with the document positions each one covers.

Works on any `QTextDocument` (set by `setHtml` or `setMarkdown`), so the reading pane's items, the
guide and whatever else a document view shows get the same treatment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtGui import QTextCursor, QTextDocument, QTextFormat, QTextTable


@dataclass
class Node:
    """One part of a document. `start`..`end` are document (cursor) positions."""

    kind: str  # heading, link, image, table, row, cell
    start: int
    end: int
    text: str
    level: int = 0  # a heading's level (2 for <h2>)
    href: str = ""  # a link's target
    row: int = 0  # a cell's place in its table
    column: int = 0
    children: list[Node] = field(default_factory=list)


def structure(document: QTextDocument) -> list[Node]:
    """Headings, links, images and tables of `document` in reading order. Links and images inside
    a table come after the table; a link split into fragments by formatting is one link."""
    nodes: list[Node] = []
    tables: set[int] = set()
    block = document.begin()
    while block.isValid():
        frame = document.frameAt(block.position())
        if isinstance(frame, QTextTable):
            if frame.firstPosition() not in tables:
                tables.add(frame.firstPosition())
                nodes.append(_table(document, frame))
        elif block.blockFormat().headingLevel() > 0 and block.text().strip():
            start = block.position()
            nodes.append(
                Node("heading", start, start + block.length() - 1, block.text(),
                     level=block.blockFormat().headingLevel())
            )  # fmt: skip
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            it += 1
            if not fragment.isValid():
                continue
            fmt = fragment.charFormat()
            start, end = fragment.position(), fragment.position() + fragment.length()
            if fmt.isImageFormat():
                alt = fmt.property(QTextFormat.Property.ImageAltText)
                nodes.append(Node("image", start, start + 1, str(alt or "")))
            elif fmt.isAnchor() and fmt.anchorHref():
                last = nodes[-1] if nodes else None
                href = fmt.anchorHref()
                if last and last.kind == "link" and last.href == href and last.end == start:
                    last.end, last.text = end, last.text + fragment.text()
                else:
                    nodes.append(Node("link", start, end, fragment.text(), href=href))
        block = block.next()
    for node in nodes:
        _tidy(node)
    return nodes


def _table(document: QTextDocument, table: QTextTable) -> Node:
    node = Node("table", table.firstPosition(), table.lastPosition(), "")
    for r in range(table.rows()):
        row = Node("row", table.cellAt(r, 0).firstPosition(), table.cellAt(r, 0).lastPosition(), "",
                   row=r)  # fmt: skip
        for c in range(table.columns()):
            cell = table.cellAt(r, c)
            if cell.row() != r or cell.column() != c:
                continue  # covered by a cell spanning rows or columns
            cursor = QTextCursor(document)
            cursor.setPosition(cell.firstPosition())
            cursor.setPosition(cell.lastPosition(), QTextCursor.MoveMode.KeepAnchor)
            text = cursor.selectedText()
            row.children.append(
                Node("cell", cell.firstPosition(), cell.lastPosition(), text, row=r, column=c)
            )
            row.end = cell.lastPosition()
        node.children.append(row)
    return node


def _tidy(node: Node) -> None:
    """Names read aloud: line and paragraph separators and runs of spaces become one space."""
    node.text = " ".join(node.text.replace("\u2028", " ").replace("\u2029", " ").split())
    for child in node.children:
        _tidy(child)
