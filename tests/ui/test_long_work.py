"""Long work in the app shows how far it is and stops when asked (pytest-qt, real widgets, a real
pack of hundreds of items and a real slow report import): Cancel stops the worker within a
second or two, writes nothing, and the window keeps answering."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from safedesk.library import Library
from safedesk.ui.app import run
from safedesk.ui.export.dialog import ExportDialog, ExportTargets
from safedesk.ui.main_window import MainWindow
from safedesk.ui.workers import Worker
from tests.reliability.worst_case import REPORTS, big_collection

PROMPT_MS = 2_000  # "within a second or two"
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _fresh_export_settings() -> Iterator[None]:
    QSettings().remove("export")
    yield
    QSettings().remove("export")


@pytest.fixture
def pack_library(data_dir: Path, tmp_path: Path) -> Iterator[Library]:
    """A library holding a collection of 400 items: its pack lays out for many seconds."""
    library = Library.open(data_dir)
    library.import_collection(big_collection(tmp_path / "big.json", items=400, chars=3000))
    yield library
    library.close()


class Ticks:
    """Counts a 50 ms timer on the GUI thread: the window answers while work runs."""

    def __init__(self) -> None:
        self.count = 0
        self.timer = QTimer(interval=50)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        self.count += 1


def _pack_dialog(qtbot: QtBot, lib: Library) -> ExportDialog:
    dialog = ExportDialog(lib, ExportTargets(collection="Worst case"), kind="pack")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _laying_out(qtbot: QtBot, dialog: ExportDialog, after: Worker | None = None) -> Worker:
    """Wait until a render (not `after`'s) has placed some of the pack; its worker."""
    renderer = dialog.renderer
    qtbot.waitUntil(lambda: renderer._current not in (None, after), timeout=10_000)
    worker = renderer._current
    assert worker is not None
    qtbot.waitSignal(renderer.progressed, timeout=30_000).wait()
    qtbot.waitUntil(lambda: dialog.busy.maximum() == 100 and dialog.busy.value() > 0)
    assert worker.running() and renderer._current is worker
    return worker


def _stops_promptly(qtbot: QtBot, worker: Worker) -> None:
    """The worker's thread ends within PROMPT_MS (the window handling events meanwhile)."""
    qtbot.waitUntil(worker.worker_thread.isFinished, timeout=PROMPT_MS)


def _answers(qtbot: QtBot, worker: Worker) -> None:
    """While the worker lays out, a 50 ms timer on the GUI thread keeps ticking."""
    ticks = Ticks()
    qtbot.wait(1000)
    assert worker.running()
    assert ticks.count >= 8, ticks.count  # of 20: the window answers during the work


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_stale_pack_preview_stops_when_the_paper_changes(
    qtbot: QtBot, pack_library: Library
) -> None:
    dialog = _pack_dialog(qtbot, pack_library)
    first = dialog.current_choice()
    stale = _laying_out(qtbot, dialog)
    assert dialog.stop_button.isVisible()
    assert "Laying out pages" in dialog.page_count.text()  # what is being done, and how far
    paper = "letter" if first is not None and first.paper == "a4" else "a4"
    with qtbot.waitSignal(dialog.renderer.stopped, timeout=PROMPT_MS + 1000):
        dialog.choose("pack", paper)
    _stops_promptly(qtbot, stale)
    assert first not in dialog.renderer._rendered  # it stopped; it did not finish
    assert dialog.renderer.renders_stopped == 1
    # the new choice renders at once; stop it too, by the Stop button
    fresh = _laying_out(qtbot, dialog, after=stale)
    _answers(qtbot, fresh)
    with qtbot.waitSignal(dialog.cancelled, timeout=PROMPT_MS) as said:
        dialog.stop_button.click()
    _stops_promptly(qtbot, fresh)
    assert said.args == ["Cancelled: the preview was stopped"]
    assert dialog.status.text() == "Cancelled: the preview was stopped"
    assert "stopped" in dialog.message.text()
    tmp = Path(dialog.renderer._temp_dir())
    assert _files(tmp) == []  # no half-written preview anywhere
    dialog.close()


def test_cancelling_a_save_stops_the_pack_and_writes_nothing(
    qtbot: QtBot, pack_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    dialog = _pack_dialog(qtbot, pack_library)
    dialog.save_button.click()  # the pack is not ready: a progress dialog waits for it
    qtbot.waitUntil(
        lambda: dialog._progress is not None and dialog._progress.isVisible(), timeout=10_000
    )
    progress = dialog._progress
    assert isinstance(progress, QProgressDialog)
    qtbot.waitUntil(lambda: progress.maximum() == 100 and progress.value() > 0, timeout=30_000)
    worker = dialog.renderer._current
    assert worker is not None
    _answers(qtbot, worker)
    started = time.perf_counter()
    [cancel] = [b for b in progress.findChildren(QPushButton) if b.text() == "Cancel"]
    cancel.click()
    _stops_promptly(qtbot, worker)
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Cancelled"), timeout=PROMPT_MS)
    assert time.perf_counter() - started < PROMPT_MS / 1000 + 1
    assert dialog.status.text() == "Cancelled: nothing was saved"
    assert dialog._progress is None  # the waiting dialog is gone
    assert _files(out_dir) == []  # neither the PDF nor a temporary beside it
    assert _files(Path(dialog.renderer._temp_dir())) == []
    dialog.close()


def test_cancelling_a_slow_report_import_in_the_window_imports_nothing(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / "slow-report.txt"
    source.write_text(REPORTS["evidence"][1](2_000_000), "utf-8")  # seconds to read
    window = run(str(data_dir), exec_=False)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.is_ready, timeout=20_000)
    assert window.library is not None
    reports = [r.key for r in window.library.reports()]
    backups = _files(data_dir / "backups") if (data_dir / "backups").exists() else []
    window.commands.import_report(str(source))
    progress, worker = window.background.progress, window.background.worker
    assert progress is not None and worker is not None
    qtbot.waitUntil(progress.isVisible, timeout=5_000)  # after half a second
    assert "slow-report.txt" in progress.labelText()
    assert worker.running()  # the window answered (it showed the dialog) while the work ran
    [cancel] = [b for b in progress.findChildren(QPushButton) if b.text() == "Cancel"]
    cancel.click()
    assert window.statusBar().currentMessage() == "Cancelling…"
    # Cancel takes effect at the next step of the reading (a text file's is one step), before
    # any write
    qtbot.waitUntil(worker.worker_thread.isFinished, timeout=30_000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Cancelled"))
    assert window.statusBar().currentMessage() == ("Cancelled: slow-report.txt was not imported")
    assert [r.key for r in window.library.reports()] == reports
    now = _files(data_dir / "backups") if (data_dir / "backups").exists() else []
    assert now == backups  # it stopped before even the backup made before every import
    window.close()
