"""The list pane: practices or search hits, with facet filters (theme, authority, kind), sorting,
and drag and drop (rows drag out as library keys; a collection's rows can be reordered)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QEvent,
    QItemSelection,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFocusEvent,
    QMouseEvent,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionButton,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from safedesk.ui.colours import quiet_text
from safedesk.ui.focus_ring import FocusRing
from safedesk.ui.item_views import announce_current_soon, follow_selection
from safedesk.ui.notice import announce
from safedesk.ui.plain import tooltip
from safedesk.ui.rows import SORTS, Row, label_of, marked, passes

KEYS_MIME = "application/x-safedesk-keys"  # newline-separated library keys
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # the library key a row (or a sidebar node) stands for
ROW_ROLE = Qt.ItemDataRole.UserRole + 3  # what a row is: "item" or "trash"
ModelIndex = QModelIndex | QPersistentModelIndex


def keys_mime(keys: Sequence[str], titles: Sequence[str] = ()) -> QMimeData:
    data = QMimeData()
    data.setData(KEYS_MIME, QByteArray("\n".join(keys).encode("utf-8")))
    data.setText("\n".join(titles or keys))
    return data


def keys_of(data: QMimeData) -> list[str]:
    if not data.hasFormat(KEYS_MIME):
        return []
    raw = bytes(data.data(KEYS_MIME).data()).decode("utf-8", "replace")
    return [k for k in raw.split("\n") if k.strip()]


class ResultModel(QAbstractListModel):
    """Rows shown in the list. With `accept_drops`, dropped keys are announced by `dropped`."""

    dropped = Signal(list, int)  # keys, the row they were dropped before (-1: at the end)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Row] = []
        self.accept_drops = False

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return row.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(row.title)
        if role == KEY_ROLE:
            return row.key
        if role == ROW_ROLE:
            return row.row_kind
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled if self.accept_drops else base
        if self.rows[index.row()].row_kind in ("item", "step"):
            base |= Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [KEYS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = [self.rows[i.row()] for i in indexes if i.isValid()]
        return keys_mime([r.key for r in rows], [r.title for r in rows])

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data: QMimeData, *_args: Any) -> bool:
        return self.accept_drops and bool(keys_of(data))

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: ModelIndex
    ) -> bool:
        keys = keys_of(data)
        if not self.accept_drops or not keys:
            return False
        if row < 0 and parent.isValid():
            row = parent.row()  # dropped onto a row: place before it
        self.dropped.emit(keys, row)
        return False  # the window updates the library and reloads; Qt must not remove rows


class RowDelegate(QStyledItemDelegate):
    """Title in bold, where it comes from in a quieter colour, then the snippet with matches; a
    row with a `button` (a collection's item or step) has it drawn at its right, and a click on
    it announces `button_clicked` (key, row kind)."""

    button_clicked = Signal(str, str)

    @staticmethod
    def _row(index: ModelIndex) -> Row | None:
        model = index.model()
        return model.rows[index.row()] if isinstance(model, ResultModel) else None

    def button_rect(self, option: QStyleOptionViewItem, index: ModelIndex) -> QRect:
        """Where the row's button is drawn (an empty rect if it has none)."""
        row = self._row(index)
        if row is None or not row.button:
            return QRect()
        metrics = option.fontMetrics
        width, height = metrics.horizontalAdvance(row.button) + 18, metrics.height() + 8
        return QRect(option.rect.right() - width - 6, option.rect.top() + 5, width, height)

    def _document(self, option: QStyleOptionViewItem, index: ModelIndex) -> QTextDocument:
        row = self._row(index)
        doc = QTextDocument()
        doc.setDocumentMargin(6)
        doc.setDefaultFont(option.font)
        room = self.button_rect(option, index).width()
        doc.setTextWidth(max(120, option.rect.width() - (room + 12 if room else 0)))
        if row is None:
            doc.setPlainText(str(index.data()))
            return doc
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        quiet = quiet_text(option.palette, selected).name()
        parts = [f"<b>{escape(row.title)}</b>"]
        if row.meta:
            parts.append(f"<span style='color:{quiet}'>{escape(row.meta)}</span>")
        if row.snippet:
            parts.append(marked(row.snippet).replace("\n", "<br>"))  # one prompt a line
        doc.setHtml("<br>".join(parts))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        options = QStyleOptionViewItem(option)
        self.initStyleOption(options, index)
        options.text = ""
        style = options.widget.style() if options.widget else None
        if style is not None:
            style.drawControl(
                QStyle.ControlElement.CE_ItemViewItem, options, painter, options.widget
            )
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.topLeft())
        painter.setClipRect(option.rect.translated(-option.rect.topLeft()))
        doc.documentLayout().draw(painter, context)
        painter.restore()
        rect = self.button_rect(option, index)
        row = self._row(index)
        if not rect.isEmpty() and row is not None and style is not None:
            button = QStyleOptionButton()
            button.rect = rect
            button.text = row.button
            button.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Raised
            style.drawControl(QStyle.ControlElement.CE_PushButton, button, painter, options.widget)

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: ModelIndex
    ) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            rect = self.button_rect(option, index)
            row = self._row(index)
            if row is not None and rect.contains(event.position().toPoint()):
                self.button_clicked.emit(row.key, row.row_kind)
                return True
        return super().editorEvent(event, model, option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        doc = self._document(option, index)
        least = self.button_rect(option, index).height() + 10
        return QSize(int(doc.idealWidth()), max(int(doc.size().height()) + 2, least))


FACETS = (("theme", "All themes"), ("authority", "All authorities"), ("kind", "All kinds"))
# the visible label of each filter and of the sort (a combo box is named by its label's buddy
# relation; on Linux its accessible name is always its current text). Their mnemonics are not
# used by the menu bar.
LABELS = {"theme": "&Theme", "authority": "&Authority", "kind": "&Kind", "sort": "&Sort by"}


class ResultView(QListView):
    """The list itself. Tabbing into it says which row is current; a row selected through the
    accessibility Selection interface opens as a click opens it; a focus ring shows focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.focus_ring = FocusRing(self)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        announce_current_soon(self)

    def selectionChanged(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        super().selectionChanged(selected, deselected)
        follow_selection(self, selected)


class ListPane(QWidget):
    """The label, facet filters, sort, and the list itself."""

    current_changed = Signal(str, str)  # key, row kind
    sort_changed = Signal(str, str)  # browse or search, the sort chosen
    button_clicked = Signal(str, str)  # the button drawn on a row: key, row kind

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)  # no accessible name: screen readers read what it shows
        self.facets: dict[str, QComboBox] = {}
        bar = QGridLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setColumnStretch(1, 1)
        bar.setColumnStretch(3, 1)
        for n, (name, everything) in enumerate(FACETS):
            box = QComboBox()
            box.setAccessibleName(f"Filter by {name}")
            box.setToolTip(f"Show only one {name}")
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(8)
            box.addItem(everything, "")
            box.activated.connect(lambda _i, name=name: self._facet_chosen(name))
            self.facets[name] = box
            self._add_labelled(bar, n, LABELS[name], box)
        self.sort = QComboBox()
        self.sort.setAccessibleName("Sort by")
        self.sort.setToolTip("Sort the list")
        self.sort.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.sort.setMinimumContentsLength(8)
        self.sort.addItems(list(SORTS))
        self.sort.activated.connect(lambda _i: self._sort_chosen())
        self._add_labelled(bar, len(FACETS), LABELS["sort"], self.sort)
        self.filter_bar = QWidget()
        self.filter_bar.setLayout(bar)

        self.model = ResultModel(self)
        self.view = ResultView()
        self.view.setModel(self.model)
        self.delegate = RowDelegate(self.view)
        self.delegate.button_clicked.connect(self.button_clicked)
        self.view.setItemDelegate(self.delegate)
        self.view.setUniformItemSizes(False)
        self.view.setWordWrap(True)
        self.view.setAccessibleName("Results")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)  # accepts drops too
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.selectionModel().currentChanged.connect(self._current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.view, 1)
        self._layout = layout
        self._rows: list[Row] = []
        self._label = ""
        self._mode = "browse"
        self._chosen: dict[str, str] = {name: "" for name, _ in FACETS}
        self.sorts = {"browse": "Box number", "search": "Relevance"}  # the user's choice for each

    @staticmethod
    def _add_labelled(grid: QGridLayout, n: int, text: str, box: QComboBox) -> None:
        """Two label-and-box pairs a row: the label names the box for screen readers too."""
        label = QLabel(text)
        label.setBuddy(box)
        row, column = divmod(n, 2)
        grid.addWidget(label, row, column * 2)
        grid.addWidget(box, row, column * 2 + 1)

    # -- filling ----------------------------------------------------------------------------
    def show_rows(
        self, label: str, rows: list[Row], relevance: bool = False, filters: bool = True
    ) -> None:
        """Show `rows`. Search hits (`relevance`) and browsing each keep their own sort order;
        lists of bookmarks, collections and the Trash keep their order and have no filters."""
        self._label = label
        self._rows = [replace(r, order=n) for n, r in enumerate(rows)]
        self._mode = "search" if relevance else "browse"
        self.filter_bar.setVisible(filters)
        self.sort.setCurrentText(self.sorts[self._mode])
        for name, value in list(self._chosen.items()):  # a filter nothing matches any more goes
            if value and not any(getattr(r, name) == value for r in self._rows):
                self._chosen[name] = ""
        self._apply()

    def add_header(self, widget: QWidget) -> None:
        """A bar shown between the label and the list (the session planner)."""
        self._layout.insertWidget(1, widget)

    def set_accept_drops(self, accept: bool) -> None:
        """Whether rows dropped here are announced (the view always takes the drag; the model
        refuses it unless this is on)."""
        self.model.accept_drops = accept

    def _facet_chosen(self, name: str) -> None:
        self._chosen[name] = self.facets[name].currentData() or ""
        self._apply()
        announce(self, self.label.text())

    def _sort_chosen(self) -> None:
        self.sorts[self._mode] = self.sort.currentText()
        self.sort_changed.emit(self._mode, self.sort.currentText())
        self._apply()

    # -- filtering and sorting ----------------------------------------------------------------
    def _apply(self) -> None:
        filtering = not self.filter_bar.isHidden()
        if filtering:
            self._refill_facets(self._chosen)
        rows = [r for r in self._rows if not filtering or passes(r, self._chosen)]
        if filtering:
            rows.sort(key=SORTS.get(self.sort.currentText(), SORTS["Relevance"]))
        current = self.view.currentIndex().data(KEY_ROLE)
        self.model.set_rows(rows)
        shown, total = len(rows), len(self._rows)
        self.label.setText(self._label if shown == total else f"{self._label}: {shown} shown")
        if current:
            for n, r in enumerate(rows):
                if r.key == current:
                    self.view.selectionModel().blockSignals(True)
                    self.view.setCurrentIndex(self.model.index(n))
                    self.view.selectionModel().blockSignals(False)
                    break

    def _refill_facets(self, chosen: dict[str, str]) -> None:
        """Each filter lists its values with counts among the rows the *other* filters let by."""
        for name, everything in FACETS:
            others = {k: v for k, v in chosen.items() if k != name}
            counts: Counter[str] = Counter()
            labels: dict[str, str] = {}
            for r in self._rows:
                if passes(r, others):
                    value = getattr(r, name)
                    if value:
                        counts[value] += 1
                        labels[value] = label_of(r, name)
            box = self.facets[name]
            box.blockSignals(True)
            box.clear()
            box.addItem(f"{everything} ({sum(counts.values())})", "")
            for value in sorted(counts, key=lambda v: labels[v].casefold()):
                box.addItem(f"{labels[value]} ({counts[value]})", value)
            at = box.findData(chosen.get(name, "")) if chosen.get(name) else 0
            box.setCurrentIndex(max(at, 0))
            box.setEnabled(len(counts) > 1 or bool(chosen.get(name)))
            box.blockSignals(False)

    def _current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.current_changed.emit(current.data(KEY_ROLE), current.data(ROW_ROLE))

    def select_key(self, key: str) -> bool:
        for n, r in enumerate(self.model.rows):
            if r.key == key:
                self.view.setCurrentIndex(self.model.index(n))
                return True
        return False
