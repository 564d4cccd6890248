"""Start-up: `main()` for the command line, `run(exec_=False)` for tests (returns the window)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safedesk.ui.main_window import MainWindow

START_ANYWAY_MS = 1000  # open the library by then even if the window has not painted yet
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
    from safedesk.paths import resources_dir
    from safedesk.ui import keyboard, palette
    from safedesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    _route_qt_messages()
    app.setApplicationName("safedesk")
    app.setOrganizationName("safedesk")
    app.setApplicationVersion(__version__)
    icon = resources_dir() / "icons" / "safedesk-256.png"
    if isinstance(app, QApplication):
        palette.apply(app)  # light or dark, every text at 4.5:1 or more
        keyboard.install(app)  # Shift+F10 opens context menus
        app.setDesktopFileName("safedesk")  # matches packaging/safedesk.desktop
        if icon.exists():
            from PySide6.QtGui import QIcon

            app.setWindowIcon(QIcon(str(icon)))
    from safedesk.paths import data_dir as resolve_data_dir
    from safedesk.ui.single_instance import InstanceServer, ask_running_instance, server_name

    name = server_name(resolve_data_dir(data_dir))
    if ask_running_instance(name):
        print("safedesk is already open on this library; its window was brought forward.")
        return 0
    window = MainWindow(data_dir)
    window.instance_server = InstanceServer(name)
    window.instance_server.raise_requested.connect(window.bring_forward)
    window.show()
    _start_after_first_paint(window)  # opens (on first run builds) the library off the GUI thread
    if not exec_:
        return window
    return app.exec()


def _start_after_first_paint(window: MainWindow) -> None:
    """`window.start()` once the window's first frame is painted, so that the library's opening
    (a thread, but one that shares the interpreter) never delays it; at the latest after
    START_ANYWAY_MS, for a window that is not painted (say, opened minimised)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    def start() -> None:
        if not started and window.isVisible():  # not for a window closed before it painted
            started.append(True)
            window.removeEventFilter(watcher)
            window.start()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not started:
                QTimer.singleShot(0, window, start)  # once this frame is finished
            return False

    started: list[bool] = []
    watcher = FirstPaint(window)
    window.installEventFilter(watcher)
    QTimer.singleShot(START_ANYWAY_MS, window, start)


def _route_qt_messages() -> None:
    """Qt's own warnings go to safedesk's log file instead of the terminal."""
    import logging

    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    log = logging.getLogger("safedesk.qt")
    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }  # fmt: skip

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        log.log(levels.get(kind, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def _install_exception_dialog() -> None:
    """An unexpected error is logged and shown in a dialog; the window stays open."""
    import logging

    log = logging.getLogger("safedesk.ui")

    def hook(kind: type[BaseException], error: BaseException, tb: object) -> None:
        log.error("unexpected error", exc_info=(kind, error, tb))  # type: ignore[arg-type]
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is not None:
            QMessageBox.critical(
                None, "safedesk",
                f"Something went wrong ({kind.__name__}). Your work is saved; the details are "
                "in the log file in your library folder.",
            )  # fmt: skip

    sys.excepthook = hook


def launch(data_dir: str | None = None) -> MainWindow | int:
    """All `main` does before the event loop: the shown window, or an exit status.

    Separate so that `benchmarks/bench_startup.py` times exactly this path.
    """
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 1
    from safedesk.logsetup import configure

    configure(data_dir)
    _install_exception_dialog()
    return run(data_dir, exec_=False)


def main(data_dir: str | None = None) -> int:
    window = launch(data_dir)
    if isinstance(window, int):
        return window
    from PySide6.QtWidgets import QApplication

    return QApplication.exec()
