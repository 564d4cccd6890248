"""The practice map: themes down, authorities across, how many practices each cell holds.

The picture a facilitator would sketch on a flipchart. Activating a cell (click, or Enter) asks
the window to list that cell's practices; a row or column header lists the whole theme or authority.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from safedesk.library import Library
from safedesk.ui.colours import mix
from safedesk.ui.focus_ring import FocusRing
from safedesk.ui.plain import tooltip

FILTER_ROLE = Qt.ItemDataRole.UserRole + 5  # (theme key, authority key); either may be ""


class PracticeMap(QWidget):
    cell_chosen = Signal(str, str, str)  # theme key, authority key, a label for the list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = QComboBox()
        self.report.setAccessibleName("Report shown in the map")
        self.report.activated.connect(lambda _i: self._fill())
        self.hint = QLabel(
            "Each cell counts the examples of good practice an authority gave under a theme. "
            "Click a cell (or press Enter) to list them."
        )
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableWidget()
        self.table.setAccessibleName("Practice map: themes by authorities")
        self.focus_ring = FocusRing(self.table)  # visible focus even with no current cell
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self.table.cellActivated.connect(self._chosen)
        self.table.cellClicked.connect(self._chosen)
        self.table.horizontalHeader().sectionClicked.connect(lambda c: self._chosen(-1, c))
        self.table.verticalHeader().sectionClicked.connect(lambda r: self._chosen(r, -1))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.report)
        layout.addWidget(self.hint)
        layout.addWidget(self.table)
        layout.addStretch(1)
        self._library: Library | None = None
        self._themes: list[tuple[str, str]] = []
        self._authorities: list[tuple[str, str]] = []

    def refresh(self, library: Library) -> None:
        self._library = library
        chosen = self.report.currentData()
        self.report.clear()
        for r in library.reports():
            self.report.addItem(r.title, r.key)
        self.report.setVisible(self.report.count() > 1)
        at = self.report.findData(chosen) if chosen else 0
        self.report.setCurrentIndex(max(at, 0))
        self._fill()

    def count(self, theme: str, authority: str) -> int:
        """What the cell for `theme` and `authority` shows (for tests and screen readers)."""
        row = [k for k, _ in self._themes].index(theme)
        column = [k for k, _ in self._authorities].index(authority)
        item = self.table.item(row, column)
        return int(item.text() or 0) if item else 0

    def _fill(self) -> None:
        library, report = self._library, self.report.currentData()
        if library is None or report is None:
            return
        themes = library.themes(report)
        authorities = library.authorities(report)
        self._themes = [(t.key, f"{t.number} {t.title}") for t in themes]
        self._authorities = [(a.key, a.name) for a in authorities]
        cells: dict[tuple[str, str], int] = {}
        for p in library.practices(report=report):
            cells[(p.theme_key, p.authority_key)] = cells.get((p.theme_key, p.authority_key), 0) + 1
        most = max(cells.values(), default=1)
        table = self.table
        table.clear()
        table.setRowCount(len(themes) + 1)
        table.setColumnCount(len(authorities) + 1)
        table.setHorizontalHeaderLabels([name for _, name in self._authorities] + ["All"])
        table.setVerticalHeaderLabels([label for _, label in self._themes] + ["All themes"])
        base = self.palette().color(QPalette.ColorRole.Base)
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        for r, (theme, theme_label) in enumerate([*self._themes, ("", "All themes")]):
            for c, (authority, name) in enumerate([*self._authorities, ("", "All")]):
                n = sum(
                    v
                    for (t, a), v in cells.items()
                    if (not theme or t == theme) and (not authority or a == authority)
                )
                item = QTableWidgetItem(str(n) if n else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setData(FILTER_ROLE, (theme, authority))
                says = f"{theme_label} × {name}: {n} practice{'s' * (n != 1)}"
                item.setToolTip(tooltip(says))
                item.setData(Qt.ItemDataRole.AccessibleTextRole, says)
                if theme and authority and n:
                    item.setBackground(mix(base, accent, 0.12 + 0.33 * n / most))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, c, item)

    def _chosen(self, row: int, column: int) -> None:
        theme = self._themes[row][0] if 0 <= row < len(self._themes) else ""
        authority = self._authorities[column][0] if 0 <= column < len(self._authorities) else ""
        names = [
            label
            for label, key in (
                (self._themes[row][1] if theme else "", theme),
                (self._authorities[column][1] if authority else "", authority),
            )
            if key
        ]
        self.cell_chosen.emit(theme, authority, " × ".join(names) or "All practice")
