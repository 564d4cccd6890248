"""How a `DocumentView` (the reading pane, the guide) looks to a screen reader: a read-only
document whose text is Qt's own (visual lines, attribute runs, caret, selection), with one child
object per heading (with its level), link (Press follows it exactly as a click does), image (named
by its alt text) and table (rows and cells with their positions).

Qt 6.11 exposes a QTextBrowser as a "label" with none of these, and the AT-SPI bridge has no
Hypertext support, so links are child objects: a reader meets one when Tab highlights it (a Focus
event on the link) or by walking the document's children.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import (
    QAccessible,
    QAccessibleActionInterface,
    QAccessibleAttributesInterface,
    QAccessibleEvent,
    QAccessibleInterface,
    QAccessibleTableCellInterface,
    QTextCursor,
    QWindow,
)
from PySide6.QtWidgets import QAccessibleWidget

from safedesk.ui.accessibility import NULL, pointer_to, stock_interface
from safedesk.ui.document_structure import Node, structure

if TYPE_CHECKING:
    from safedesk.ui.document_view import DocumentView

Role = QAccessible.Role
IType = QAccessible.InterfaceType
PRESS = QAccessibleActionInterface.pressAction()
SET_FOCUS = QAccessibleActionInterface.setFocusAction()


class DocumentAccessible(QAccessibleWidget):
    """The view as a document; its structure nodes are its first children."""

    def __init__(self, view: DocumentView) -> None:
        super().__init__(view, Role.Document)
        self.view = view
        # Qt's QTextBrowser interface for the same widget: its Text interface is C++ (Python cannot
        # provide attribute runs, without which Orca reads no line). Made before ours is registered.
        self.stock = stock_interface(view)
        self._nodes: list[NodeAccessible] | None = None
        self._focused_link: LinkAccessible | None = None
        self._announcing = False
        view.document().contentsChanged.connect(self._contents_changed)
        view.cursorPositionChanged.connect(self._highlight_moved)
        view.link_highlight_changed.connect(self._highlight_moved)

    # -- QAccessibleInterface ------------------------------------------------------------------
    def interface_cast(self, t: IType) -> Any:
        if t == IType.TextInterface and self.stock is not None:
            return shiboken6.VoidPtr(self.stock.interface_cast(t))
        return shiboken6.VoidPtr(super().interface_cast(t))

    def role(self) -> Role:
        return Role.Document

    def state(self) -> QAccessible.State:
        state = super().state()
        state.readOnly = True
        state.multiLine = True
        state.focusable = True
        return state

    def nodes(self) -> list[NodeAccessible]:
        if self._nodes is None:
            self._nodes = [make_node(self, None, n) for n in structure(self.view.document())]
        return self._nodes

    def childCount(self) -> int:
        return len(self.nodes()) + super().childCount()

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        nodes = self.nodes()
        if 0 <= index < len(nodes):
            return nodes[index]
        return super().child(index - len(nodes))

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        nodes = self.nodes()
        for n, node in enumerate(nodes):
            if node is child:
                return n
        own = super().indexOfChild(child)
        return own + len(nodes) if own >= 0 else -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        for node in self.nodes():
            if node.rect().contains(x, y):
                return node.childAt(x, y) or node
        return super().childAt(x, y)

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        return self._focused_link

    # -- keeping the children and the focused link in step with the document -------------------
    def _contents_changed(self) -> None:
        """The document was replaced or edited: the old nodes go (told to the bridge); the new
        ones are announced once the burst of changes (a page and its formatting) is over."""
        old, self._nodes, self._focused_link = self._nodes, None, None
        if not old:
            return
        for node in old:
            _tell(node, QAccessible.Event.ObjectDestroyed)
            node.release()
        if not self._announcing:
            self._announcing = True
            QTimer.singleShot(0, self.view, self._announce_new)

    def _announce_new(self) -> None:
        self._announcing = False
        for node in self.nodes():
            _tell(node, QAccessible.Event.ObjectCreated)

    def _highlight_moved(self) -> None:
        """Tab highlights a link by selecting it: that link is now the focused child."""
        cursor = self.view.textCursor()
        link = None
        if cursor.hasSelection():
            span = (cursor.selectionStart(), cursor.selectionEnd())
            link = next(
                (n for n in self.nodes()
                 if isinstance(n, LinkAccessible) and (n.node.start, n.node.end) == span),
                None,
            )  # fmt: skip
        if link is not self._focused_link:
            self._focused_link = link
            if link is not None and self.view.hasFocus():
                _tell(link, QAccessible.Event.Focus)


def _tell(iface: QAccessibleInterface, event: QAccessible.Event) -> None:
    QAccessible.updateAccessibility(QAccessibleEvent(iface, event))


def screen_rect(view: DocumentView, start: int, end: int) -> QRect:
    """Screen rectangle of document positions `start`..`end` (their first line, if they wrap)."""
    first, last = QTextCursor(view.document()), QTextCursor(view.document())
    first.setPosition(start)
    last.setPosition(max(start, end))
    a, b = view.cursorRect(first), view.cursorRect(last)
    right = b.right() if b.top() == a.top() else view.viewport().width()
    rect = QRect(QPoint(a.left(), a.top()), QPoint(max(a.left(), right), a.bottom()))
    return QRect(view.viewport().mapToGlobal(rect.topLeft()), rect.size())


class NodeAccessible(QAccessibleInterface):
    """A part of the document (no QObject of its own): a table, a row, an image."""

    ROLES: ClassVar[dict[str, QAccessible.Role]] = {
        "heading": Role.Heading, "link": Role.Link, "image": Role.Graphic, "table": Role.Table,
        "row": Role.Row, "cell": Role.Cell,
    }  # fmt: skip

    def __init__(self, doc: DocumentAccessible, up: NodeAccessible | None, node: Node) -> None:
        QAccessibleInterface.__init__(self)
        self.doc, self.up, self.node = doc, up, node
        self.kids = [make_node(doc, self, n) for n in node.children]
        self.alive = True

    def release(self) -> None:
        """Take this node (and its children) out of Qt's registry: the document changed."""
        for kid in self.kids:
            kid.release()
        self.alive = False
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(self))

    def isValid(self) -> bool:
        return self.alive and shiboken6.isValid(self.doc.view)

    def object(self) -> QObject | None:  # type: ignore[override]  # None is Qt's nullptr
        return None

    def window(self) -> QWindow | None:  # type: ignore[override]  # None is Qt's nullptr
        return self.doc.window()

    def parent(self) -> QAccessibleInterface:
        return self.up if self.up is not None else self.doc

    def childCount(self) -> int:
        return len(self.kids)

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        return self.kids[index] if 0 <= index < len(self.kids) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return next((n for n, kid in enumerate(self.kids) if kid is child), -1)

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        return next((kid for kid in self.kids if kid.rect().contains(x, y)), None)

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # None is Qt's nullptr
        return None

    def text(self, kind: QAccessible.Text) -> str:
        return self.node.text if kind == QAccessible.Text.Name else ""

    def setText(self, kind: QAccessible.Text, text: str) -> None:
        pass  # read-only

    def rect(self) -> QRect:
        return screen_rect(self.doc.view, self.node.start, self.node.end)

    def role(self) -> Role:
        return self.ROLES[self.node.kind]

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.readOnly = True
        viewport = self.doc.view.viewport()
        rect = self.rect()
        local = QRect(viewport.mapFromGlobal(rect.topLeft()), rect.size())
        state.offscreen = not viewport.rect().intersects(local)
        return state

    def relations(self, _match: Any = None) -> list[Any]:
        return []

    def interface_cast(self, t: IType) -> Any:
        return NULL


class HeadingAccessible(NodeAccessible, QAccessibleAttributesInterface):
    """A heading, with its level (AT-SPI object attribute `level`)."""

    def __init__(self, doc: DocumentAccessible, up: NodeAccessible | None, node: Node) -> None:
        NodeAccessible.__init__(self, doc, up, node)
        QAccessibleAttributesInterface.__init__(self)

    def interface_cast(self, t: IType) -> Any:
        return pointer_to(self, 1) if t == IType.AttributesInterface else NULL

    def attributeKeys(self) -> list[QAccessible.Attribute]:
        return [QAccessible.Attribute.Level]

    def attributeValue(self, key: QAccessible.Attribute) -> Any:
        return self.node.level if key == QAccessible.Attribute.Level else None


class LinkAccessible(NodeAccessible, QAccessibleActionInterface):
    """A link: Press follows it (the view's `anchorClicked`, as a click or Enter does); SetFocus
    highlights it as Tab does."""

    def __init__(self, doc: DocumentAccessible, up: NodeAccessible | None, node: Node) -> None:
        NodeAccessible.__init__(self, doc, up, node)
        QAccessibleActionInterface.__init__(self)

    def interface_cast(self, t: IType) -> Any:
        return pointer_to(self, 1) if t == IType.ActionInterface else NULL

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self.node.text
        if kind == QAccessible.Text.Value:
            return self.node.href  # no Hyperlink interface on this bridge: the target, as a value
        return ""

    def state(self) -> QAccessible.State:
        state = NodeAccessible.state(self)
        state.focusable = True
        state.linked = True
        state.focused = self.doc.focusChild() is self and self.doc.view.hasFocus()
        return state

    def actionNames(self) -> list[str]:
        return [PRESS, SET_FOCUS]

    def localizedActionDescription(self, name: str) -> str:
        return "Follow the link" if name == PRESS else "Highlight the link"

    def keyBindingsForAction(self, name: str) -> list[str]:
        return ["Return"] if name == PRESS else []

    def doAction(self, name: str) -> None:
        if name == PRESS:
            self.doc.view.follow(self.node.href)
        elif name == SET_FOCUS:
            self.doc.view.setFocus(Qt.FocusReason.OtherFocusReason)
            self.doc.view.select_range(self.node.start, self.node.end)


class CellAccessible(NodeAccessible, QAccessibleTableCellInterface):
    """A table cell and its place in the table (the bridge's TableCell interface)."""

    def __init__(self, doc: DocumentAccessible, up: NodeAccessible | None, node: Node) -> None:
        NodeAccessible.__init__(self, doc, up, node)
        QAccessibleTableCellInterface.__init__(self)

    def interface_cast(self, t: IType) -> Any:
        return pointer_to(self, 1) if t == IType.TableCellInterface else NULL

    def rowIndex(self) -> int:
        return self.node.row

    def columnIndex(self) -> int:
        return self.node.column

    def rowExtent(self) -> int:
        return 1

    def columnExtent(self) -> int:
        return 1

    def isSelected(self) -> bool:
        return False

    def rowHeaderCells(self) -> list[QAccessibleInterface]:
        return []

    def columnHeaderCells(self) -> list[QAccessibleInterface]:
        return []

    def table(self) -> QAccessibleInterface:
        row = self.up
        return row.up if row is not None and row.up is not None else self.doc


_KINDS: dict[str, type[NodeAccessible]] = {
    "heading": HeadingAccessible, "link": LinkAccessible, "cell": CellAccessible,
}  # fmt: skip


def make_node(doc: DocumentAccessible, up: NodeAccessible | None, node: Node) -> NodeAccessible:
    return _KINDS.get(node.kind, NodeAccessible)(doc, up, node)
