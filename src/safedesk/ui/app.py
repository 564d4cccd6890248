"""Start-up: `main()` for the command line, `run(exec_=False)` for tests (returns the window)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safedesk.ui.main_window import MainWindow

NO_DISPLAY_MESSAGE = (
    "safedesk: no display found, so the desktop app cannot open here (for example over SSH).\n"
    "Use the command line instead, for example `safedesk reports` or\n"
    "`safedesk search 'reflective practice'`; `safedesk --help` lists every command."
)


def has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(
    data_dir: str | None = None, argv: list[str] | None = None, exec_: bool = True
) -> MainWindow | int:
    from PySide6.QtWidgets import QApplication

    from safedesk import __version__
    from safedesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("safedesk")
    app.setOrganizationName("safedesk")
    app.setApplicationVersion(__version__)
    window = MainWindow(data_dir)
    window.show()
    window.start()  # opens (and on first run builds) the library off the GUI thread
    if not exec_:
        return window
    return app.exec()


def main(data_dir: str | None = None) -> int:
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 1
    result = run(data_dir)
    return result if isinstance(result, int) else 0
