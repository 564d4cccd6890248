"""Unexpected errors in the GUI: logged to the rotating file and shown, never a dead window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from safedesk.logsetup import configure
from safedesk.ui.app import _install_exception_dialog


def test_an_unexpected_error_is_logged_and_shown(qtbot: QtBot, tmp_path: Path) -> None:
    configure(tmp_path)
    previous = sys.excepthook
    shown: list[str] = []

    def close_dialog() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            shown.append(box.text())
            box.done(0)

    try:
        _install_exception_dialog()
        QTimer.singleShot(200, close_dialog)
        try:
            raise ValueError("boom in a slot")
        except ValueError as exc:
            sys.excepthook(ValueError, exc, exc.__traceback__)
    finally:
        sys.excepthook = previous
        root = logging.getLogger("safedesk")
        for handler in list(root.handlers):
            handler.flush()
            root.removeHandler(handler)
            handler.close()
    assert shown and "Something went wrong (ValueError)" in shown[0]
    log = (tmp_path / "logs" / "safedesk.log").read_text("utf-8")
    assert "unexpected error" in log and "boom in a slot" in log and "Traceback" in log
