"""A damaged library file, met by the window: it offers the newest backup and restores it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from safedesk.library import Library
from safedesk.ui.app import run
from safedesk.ui.main_window import MainWindow
from safedesk.ui.recovery import RecoveryDialog

B = "nfer-2011-safeguarding-children-council-developments/"


def _damage(data_dir: Path) -> None:
    with Library.open(data_dir) as lib:
        lib.bookmark(B + "box-9", note="kept in the backup")
        lib.backup()
    db = data_dir / "library.sqlite3"
    with db.open("r+b") as f:
        f.write(b"this is not a database any more" * 4)


def _answer(qtbot: QtBot, button: str, seen: list[str]) -> None:
    def click() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RecoveryDialog):
            QTimer.singleShot(50, click)
            return
        seen.append(dialog.informativeText())
        getattr(dialog, button).click()

    QTimer.singleShot(50, click)


def _open_damaged(qtbot: QtBot, data_dir: Path, button: str) -> tuple[MainWindow, list[str]]:
    """Damage the library, open the window on it, and answer the recovery dialog with `button`."""
    _damage(data_dir)
    seen: list[str] = []
    _answer(qtbot, button, seen)
    window = run(str(data_dir), exec_=False)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(seen), timeout=20_000)
    return window, seen


def test_the_window_offers_and_restores_the_newest_backup(qtbot: QtBot, data_dir: Path) -> None:
    window, seen = _open_damaged(qtbot, data_dir, "restore_button")
    qtbot.waitUntil(window.is_ready, timeout=20_000)
    assert "moved aside, not deleted" in seen[0] and "backup(s) can replace it" in seen[0]
    assert window.library.bookmarked(B + "box-9").note == "kept in the backup"
    damaged = [p.name for p in data_dir.iterdir() if "damaged" in p.name and p.suffix == ".sqlite3"]
    assert len(damaged) == 1  # the damaged file is still there, beside the restored library


def test_not_now_leaves_everything_as_it_is(qtbot: QtBot, data_dir: Path) -> None:
    window, _seen = _open_damaged(qtbot, data_dir, "later_button")
    qtbot.waitUntil(lambda: "not open" in window.statusBar().currentMessage(), timeout=5000)
    assert window.library is None
    assert not (data_dir / "library.sqlite3").exists()  # no new, empty library was made


def test_library_menu_backs_up_restores_checks_and_reindexes(
    qtbot: QtBot, data_dir: Path, monkeypatch: object
) -> None:
    import pytest
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    window = run(str(data_dir), exec_=False)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.is_ready, timeout=20_000)
    window.action_map["backup"].trigger()  # off the GUI thread
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Backed up to "))
    backup = window.statusBar().currentMessage().removeprefix("Backed up to ")
    assert Path(backup).is_file()
    window.library.bookmark(B + "box-3", note="after the backup")
    window.nav.refresh_sidebar()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (backup, ""))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    window.action_map["restore_backup"].trigger()
    worker = window.background.worker
    assert worker is not None  # the restore and the index rebuild run in the background
    qtbot.waitUntil(worker.worker_thread.isFinished, timeout=20_000)
    qtbot.waitUntil(lambda: "the state before is" in window.statusBar().currentMessage())
    assert window.library.bookmarked(B + "box-3") is None
    assert window.nav.find_node("bookmarks", "").text() == "My bookmarks (0)"
    seen: list[str] = []

    def read() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.close()

    QTimer.singleShot(100, read)
    window.action_map["doctor"].trigger()
    assert "Everything is in order." in seen[0], seen[0]
    window.action_map["reindex"].trigger()
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "The search index was rebuilt",
        timeout=20_000,
    )
    assert window.library.search("reflective").total > 0


def test_a_damaged_index_is_rebuilt_behind_the_progress_dialog(
    qtbot: QtBot, data_dir: Path
) -> None:
    import shutil

    shutil.rmtree(data_dir / "index")
    (data_dir / "index").mkdir()
    (data_dir / "index" / "garbage").write_bytes(b"\x00\xff" * 1000)
    window = run(str(data_dir), exec_=False)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.is_ready, timeout=20_000)
    window.search_box.setText("reflective ")
    qtbot.waitUntil(lambda: window.list_label.text().endswith("results"), timeout=5000)
    assert window.list_model.rows
    assert (
        window.background.progress.labelText() == "Indexing for search"
    )  # what the dialog said last
    assert window.background.progress.isHidden()
