"""The open window never overwrites changes made elsewhere, and notices them.

Red-team finding: the note panel saved its stale note and tags when you moved to another item or
closed the window, even if you typed nothing, silently undoing a note set from the command line, a
bookmark added elsewhere or a `restore-backup`. Each test here has the window (pytest-qt, real
widgets) and a real second process (the CLI) working on the same library.
"""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from safedesk.ui.main_window import MainWindow
from tests.reliability.conftest import B, cli
from tests.ui.test_main_window import _open

BOX9, BOX3 = B + "box-9", B + "box-3"


def _note_on_disk(data_dir: Path, key: str) -> tuple[str, list[str]] | None:
    listed = json.loads(cli(data_dir, "bookmarks", "--json").stdout)
    found = [b for b in listed if b["key"] == key]
    return (found[0]["note"], found[0]["tags"]) if found else None


def _window_on(qtbot: QtBot, data_dir: Path, key: str) -> MainWindow:
    window = _open(qtbot, data_dir)
    window.nav.open(key)
    return window


def test_leaving_an_item_never_writes_over_a_note_set_elsewhere(
    qtbot: QtBot, data_dir: Path
) -> None:
    assert cli(data_dir, "bookmark", "add", BOX9, "--note", "old", "--tag", "a").returncode == 0
    window = _window_on(qtbot, data_dir, BOX9)
    assert window.notes.note.toPlainText() == "old"
    assert cli(data_dir, "bookmark", "add", BOX9, "--note", "set from the CLI").returncode == 0
    window.nav.open(BOX3)  # moving on saves only what the user changed: nothing
    assert _note_on_disk(data_dir, BOX9) == ("set from the CLI", ["a"])
    window.nav.open(BOX9)
    assert window.notes.note.toPlainText() == "set from the CLI"
    assert cli(data_dir, "bookmark", "add", BOX9, "--note", "again from the CLI").returncode == 0
    window.close()  # closing saves nothing either
    assert _note_on_disk(data_dir, BOX9) == ("again from the CLI", ["a"])


def test_a_bookmark_added_or_restored_elsewhere_is_not_undone(qtbot: QtBot, data_dir: Path) -> None:
    window = _window_on(qtbot, data_dir, BOX9)  # not bookmarked when the window loaded it
    assert cli(data_dir, "bookmark", "add", BOX9, "--note", "from elsewhere").returncode == 0
    window.nav.open(BOX3)
    assert _note_on_disk(data_dir, BOX9) == ("from elsewhere", [])
    backup = data_dir.parent / "before.sqlite3"
    assert cli(data_dir, "backup", "-o", str(backup)).returncode == 0
    window.nav.open(BOX9)
    assert cli(data_dir, "bookmark", "remove", BOX9).returncode == 0
    assert cli(data_dir, "restore-backup", str(backup)).returncode == 0
    window.close()
    assert _note_on_disk(data_dir, BOX9) == ("from elsewhere", [])


def test_the_window_notices_changes_made_elsewhere(qtbot: QtBot, data_dir: Path) -> None:
    window = _window_on(qtbot, data_dir, BOX9)
    assert not window.notes.toggle.isChecked()
    assert cli(data_dir, "bookmark", "add", BOX9, "--note", "noticed").returncode == 0
    qtbot.waitUntil(lambda: window.notes.note.toPlainText() == "noticed", timeout=10_000)
    assert window.notes.toggle.isChecked()
    bookmarks = window.nav.find_node("bookmarks", "")
    assert bookmarks is not None and bookmarks.text() == "My bookmarks (1)"


def test_a_real_conflict_keeps_both_versions(qtbot: QtBot, data_dir: Path) -> None:
    assert cli(data_dir, "bookmark", "add", BOX9, "--note", "start").returncode == 0
    window = _window_on(qtbot, data_dir, BOX9)
    window.notes.timer.setInterval(60_000)  # the user is still typing when the change arrives
    window.notes.note.setPlainText("what I typed in the window")
    assert cli(data_dir, "bookmark", "add", BOX9, "--note", "what the CLI wrote").returncode == 0
    window.notes.save()
    note, _tags = _note_on_disk(data_dir, BOX9) or ("", [])
    assert "what I typed in the window" in note and "what the CLI wrote" in note
    assert "kept both" in window.notes.status.text()
