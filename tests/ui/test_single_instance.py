"""One window per library; a second launch brings it forward; a killed instance never blocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from safedesk.ui.app import run
from safedesk.ui.main_window import MainWindow
from safedesk.ui.single_instance import InstanceServer, ask_running_instance, server_name


def test_a_second_launch_raises_the_first_window(qtbot: QtBot, data_dir: Path) -> None:
    first = run(str(data_dir), exec_=False)
    assert isinstance(first, MainWindow)
    qtbot.addWidget(first)
    with qtbot.waitSignal(first.instance_server.raise_requested, timeout=5000):
        assert run(str(data_dir), exec_=False) == 0  # the second launch hands over and exits
    qtbot.waitUntil(lambda: "already open" in first.statusBar().currentMessage(), timeout=5000)


def test_other_libraries_are_not_affected(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    first = InstanceServer(server_name(data_dir))
    try:
        assert first.listening
        assert not ask_running_instance(server_name(tmp_path / "another"))
    finally:
        first.close()


HOLDER = """
import sys, time
from PySide6.QtCore import QCoreApplication
from safedesk.ui.single_instance import InstanceServer
app = QCoreApplication([])
server = InstanceServer(sys.argv[1])
print("listening" if server.listening else "failed", flush=True)
while True:
    app.processEvents()
    time.sleep(0.01)
"""


def test_a_killed_instance_leaves_no_lock_that_blocks(qtbot: QtBot, tmp_path: Path) -> None:
    name = server_name(tmp_path / "library")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, name], stdout=subprocess.PIPE,
                              text=True, env=env)  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "listening"
    assert ask_running_instance(name)  # it is really there
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    time.sleep(0.1)
    assert not ask_running_instance(name)  # nobody answers on the stale socket
    server = InstanceServer(name)
    try:
        assert server.listening  # the leftover was cleared and we took over
    finally:
        server.close()
