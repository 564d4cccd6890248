"""One start-up, timed from launch to first paint; run by `bench_startup.py` in a fresh process.

    python benchmarks/startup_probe.py baseline
    python benchmarks/startup_probe.py safedesk --data-dir DIR

The launching process puts `time.time()` from just before it starts this one in
$SAFEDESK_BENCH_T0. An event filter on the window notes the first `Paint` event; a zero timer
queued from there fires once that whole frame (every child widget, then the flush) is done,
and that is "paint". For safedesk a 2 ms timer then polls `window.is_ready()` (library open,
sidebar filled): "ready". Prints one JSON line of milliseconds and exits at once.

`safedesk` runs what `safedesk --data-dir DIR gui` runs: the command line's parser, then
`safedesk.ui.app.launch` (display check, logging, exception dialog, `run`), then the event loop.
`launch` only returns the shown window instead of entering the loop itself, so that the filter can
be put on the window before any event is processed. Nothing is patched.
"""

from __future__ import annotations

import json
import os
import sys
import time

# the launch time comes first, before any import this script adds to the measured path
T0 = float(os.environ.get("SAFEDESK_BENCH_T0") or time.time())
TIMEOUT_MS = 120_000


def _ms() -> float:
    return (time.time() - T0) * 1000


def _window_baseline() -> object:
    """A bare window: a `QTreeView` over a 700-row `QStandardItemModel`, safedesk's size."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTreeView

    app = QApplication(sys.argv[:1])
    model = QStandardItemModel(app)
    for i in range(700):
        model.appendRow(QStandardItem(f"Row {i + 1}"))
    tree = QTreeView()
    tree.setModel(model)
    window = QMainWindow()
    window.setWindowTitle("baseline")
    window.setCentralWidget(tree)
    window.resize(1200, 760)
    window.show()
    return window


def _window_safedesk(argv: list[str]) -> object:
    """What `safedesk gui` does up to the event loop (see `safedesk.cli.main`)."""
    from safedesk.cli import build_parser

    args = build_parser().parse_args(argv)
    assert args.command in (None, "gui"), "the probe only starts the desktop app"
    from safedesk.ui.app import launch

    window = launch(data_dir=args.data_dir)
    if isinstance(window, int):
        print(json.dumps({"error": f"safedesk exited with status {window}"}), flush=True)
        os._exit(2)
    return window


def main() -> None:
    which, rest = sys.argv[1], sys.argv[2:]
    window = _window_baseline() if which == "baseline" else _window_safedesk([*rest, "gui"])

    from PySide6.QtCore import QEvent, QObject, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    result: dict[str, object] = {}

    def finish() -> None:
        server = getattr(window, "instance_server", None)
        if server is not None:
            server.close()  # removes the lock socket, as closing the window would
        print(json.dumps(result), flush=True)
        os._exit(0)  # at once: no close event, so no saved layout to change the next run

    def poll_ready() -> None:
        if window.is_ready() and window.tree_model.rowCount() > 0:  # type: ignore[attr-defined]
            result["ready_ms"] = _ms()
            finish()

    def frame_done() -> None:
        result["paint_ms"] = _ms()
        if which == "baseline":
            finish()
        poller.start()
        poll_ready()

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "paint_event_ms" not in result:
                result["paint_event_ms"] = _ms()
                QTimer.singleShot(0, frame_done)
            return False

    poller = QTimer(interval=2)
    poller.setTimerType(Qt.TimerType.PreciseTimer)
    poller.timeout.connect(poll_ready)
    first_paint = FirstPaint()
    window.installEventFilter(first_paint)  # type: ignore[attr-defined]

    def give_up() -> None:
        result["error"] = f"no paint or not ready in {TIMEOUT_MS} ms"
        finish()

    QTimer.singleShot(TIMEOUT_MS, give_up)
    QApplication.exec()


if __name__ == "__main__":
    main()
