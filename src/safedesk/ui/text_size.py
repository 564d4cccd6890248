"""Text size for the whole app (Ctrl+= / Ctrl+- / Ctrl+0): every pane, menu and dialog follows the
application font, so zooming scales them all, and the layouts grow with their text."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

STEPS = (0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)  # of the system's text size
NORMAL = STEPS.index(1.0)
SETTING = "view/text-size"


class TextSize:
    """The app font scaled by one of STEPS; remembered between runs. `restore_system()` puts the
    system's font back (the window closing)."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.system = QFont(app.font())
        try:
            remembered = float(QSettings().value(SETTING, 1.0))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            remembered = 1.0
        self.step = min(range(len(STEPS)), key=lambda n: abs(STEPS[n] - remembered))
        if self.step != NORMAL:
            self._apply()

    @property
    def factor(self) -> float:
        return STEPS[self.step]

    def bigger(self) -> None:
        self._go(self.step + 1)

    def smaller(self) -> None:
        self._go(self.step - 1)

    def normal(self) -> None:
        self._go(NORMAL)

    def _go(self, step: int) -> None:
        step = max(0, min(step, len(STEPS) - 1))
        if step != self.step:
            self.step = step
            self._apply()
            QSettings().setValue(SETTING, self.factor)

    def _apply(self) -> None:
        font = QFont(self.system)
        if self.system.pointSizeF() > 0:
            font.setPointSizeF(self.system.pointSizeF() * self.factor)
        else:
            font.setPixelSize(round(self.system.pixelSize() * self.factor))
        self.app.setFont(font)

    def restore_system(self) -> None:
        self.app.setFont(self.system)
