"""The Qt binding itself must survive a long session: PySide6 6.12.0 on Python 3.11 drops a
reference to None on every call that returns nothing and aborts after a few thousand."""

from __future__ import annotations

import os
import subprocess
import sys

LONG_SESSION = """
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
widget = QWidget()
for _ in range(200_000):
    widget.hide()
print("alive")
"""


def test_two_hundred_thousand_void_calls_do_not_crash_the_process() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", LONG_SESSION], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "alive"
