"""The session planner and the Sessions view, driven through the real widgets (pytest-qt): start
time and length typed in, steps added, edited, moved and removed with the bar's buttons, the
item's form opened from the button drawn on its row, a session recorded and its action done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from safedesk.ui.main_window import MainWindow
from safedesk.ui.sidebar import NODE_ROLE
from tests.ui.test_main_window import _open

B = "nfer-2011-safeguarding-children-council-developments/"


def _node(window: MainWindow, node: str, key: str = "") -> None:
    found = window.nav.find_node(node, key)
    assert found is not None, (node, key)
    window.tree.setCurrentIndex(found.index())


def _titles(window: MainWindow) -> list[str]:
    return [r.title for r in window.list_model.rows]


def _later(qtbot: QtBot, action: Callable[[], None]) -> None:
    """Run `action` once the dialog about to open is showing (it blocks until closed)."""
    QTimer.singleShot(150, action)


def _planned(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = _open(qtbot, data_dir)
    with qtbot.waitExposed(window):
        window.show()
    lib = window.library
    assert lib is not None
    lib.create_collection("Oversight")
    lib.add_to_collection("Oversight", B + "box-3", minutes=20)
    lib.add_to_collection("Oversight", B + "theme-3.1/laming-review", minutes=15)
    window.nav.refresh_sidebar()
    _node(window, "collection", "Oversight")
    return window


def test_start_time_and_length_give_clock_times_and_a_warning(qtbot: QtBot, data_dir: Path) -> None:
    window = _planned(qtbot, data_dir)
    bar = window.sessions.bar
    assert bar.isVisible() and not bar.buttons["edit"].isEnabled()
    assert _titles(window)[1] == "2. Laming review · 3.1 Leadership and management"
    qtbot.keyClicks(bar.start, "9.30")
    qtbot.keyClick(bar.start, Qt.Key.Key_Return)
    bar.length.setFocus()
    bar.length.selectAll()
    qtbot.keyClicks(bar.length, "30")
    qtbot.keyClick(bar.length, Qt.Key.Key_Return)
    plan = window.library.collection("Oversight")  # type: ignore[union-attr]
    assert (plan.start, plan.length) == ("09:30", 30)
    assert _titles(window) == [
        "09:30  1. Box 3: Restructuring of social care teams to increase management oversight",
        "09:50  2. Laming review · 3.1 Leadership and management",
    ]
    assert bar.status.text() == "Total 35 of 30 min (5 over) · 09:30–10:05"
    assert bar.warnings.isVisible()
    assert bar.warnings.text() == "The plan runs 5 minutes over the 30-minute target."
    _node(window, "sessions")
    assert not bar.isVisible()  # the bar is for collections only


def test_steps_are_added_edited_moved_and_removed_with_the_bar(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _planned(qtbot, data_dir)
    bar = window.sessions.bar
    window.list.setCurrentIndex(window.list_model.index(0, 0))
    assert bar.buttons["edit"].isEnabled()

    def add_break() -> None:
        dialog = window.sessions.step_dialog
        dialog.title.setCurrentText("Break")
        dialog.minutes.setValue(10)
        qtbot.keyClicks(dialog.instructions, "Tea in the kitchen")
        dialog.ok_button.click()

    _later(qtbot, add_break)
    qtbot.mouseClick(bar.buttons["add_step"], Qt.MouseButton.LeftButton)
    assert [t.split(". ", 1)[1] for t in _titles(window)][:2] == [
        "Box 3: Restructuring of social care teams to increase management oversight", "Break"
    ]  # fmt: skip
    assert window.list.currentIndex().row() == 1  # the new step is chosen
    assert window.list_model.rows[1].meta == "Agenda step · 10 min · Tea in the kitchen"

    def rename() -> None:
        dialog = window.sessions.step_dialog
        assert dialog.title.currentText() == "Break"
        dialog.title.setCurrentText("Coffee break")
        dialog.ok_button.click()

    _later(qtbot, rename)
    qtbot.mouseClick(bar.buttons["edit"], Qt.MouseButton.LeftButton)
    assert _titles(window)[1] == "2. Coffee break"
    qtbot.mouseClick(bar.buttons["move_down"], Qt.MouseButton.LeftButton)
    assert _titles(window)[2] == "3. Coffee break"
    qtbot.mouseClick(bar.buttons["move_up"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bar.buttons["move_up"], Qt.MouseButton.LeftButton)
    assert _titles(window)[0] == "1. Coffee break"
    assert "Agenda step" in window.reader.toPlainText()  # the step is shown when chosen
    window.list.setCurrentIndex(window.list_model.index(0, 0))
    qtbot.mouseClick(bar.buttons["remove"], Qt.MouseButton.LeftButton)
    assert len(window.list_model.rows) == 2
    [trashed] = window.library.trash()  # type: ignore[union-attr]
    window.library.restore(trashed.id)  # type: ignore[union-attr]
    window.nav.show_node("collection", "Oversight")
    assert _titles(window)[0] == "1. Coffee break"  # back in its place


def test_the_item_form_opens_from_the_button_on_its_row(qtbot: QtBot, data_dir: Path) -> None:
    window = _planned(qtbot, data_dir)
    view = window.list
    index = window.list_model.index(1, 0)
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.rect = view.visualRect(index)
    button = window.pane.delegate.button_rect(option, index)
    assert not button.isEmpty() and window.list_model.rows[1].button.startswith("Notes")

    def fill() -> None:
        dialog = window.collections.item_dialog
        qtbot.keyClicks(dialog.note, "Ask who chairs it")
        dialog.prompts.setPlainText("What would Laming ask of us?")
        dialog.minutes.setValue(25)
        dialog.accept()

    _later(qtbot, fill)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    item = window.library.collection("Oversight").items[1]  # type: ignore[union-attr]
    assert (item.note, item.prompts, item.minutes) == (
        "Ask who chairs it", ["What would Laming ask of us?"], 25
    )  # fmt: skip
    assert window.list_model.rows[1].snippet == "? What would Laming ask of us?"
    assert view.visualRect(index).contains(QPoint(button.center()))


def test_record_a_session_then_follow_up_its_action(qtbot: QtBot, data_dir: Path) -> None:
    window = _planned(qtbot, data_dir)

    def fill() -> None:
        dialog = window.sessions.record_dialog
        qtbot.keyClicks(dialog.team, "North <locality>")
        dialog.attendees.setValue(8)
        dialog.note.setPlainText("We agreed to protect supervision time.")
        dialog.agreed.setPlainText("Book group supervision | Sam | 2020-01-15\nRead Box 3")
        dialog.ok_button.click()

    _later(qtbot, fill)
    qtbot.mouseClick(window.sessions.bar.buttons["record"], Qt.MouseButton.LeftButton)
    [record] = window.library.sessions()  # type: ignore[union-attr]
    assert (record.team, record.attendees, len(record.actions)) == ("North <locality>", 8, 2)
    labels = [window.tree_model.item(r).text() for r in range(window.tree_model.rowCount())]
    assert "Sessions (1 · 1 overdue)" in labels
    _node(window, "sessions")
    assert window.list_label.text() == "1 session · 2 actions open, 1 overdue"
    assert [r.row_kind for r in window.list_model.rows] == ["action", "action", "session"]
    first = window.list_model.rows[0]
    assert first.title == "Book group supervision" and first.meta.startswith("Overdue · Sam")
    window.list.setCurrentIndex(window.list_model.index(0, 0))
    assert "North <locality>" in window.reader.toPlainText()  # shown as text, not markup
    done = window.action_map["action_done"]  # Edit ▸ Mark action done
    assert done.shortcut().toString() == "Ctrl+Shift+K"
    done.trigger()
    assert [a.status for a in window.library.sessions()[0].actions] == ["done", "open"]  # type: ignore[union-attr]
    assert window.list_model.rows[0].title == "Read Box 3"
    assert any(window.tree_model.item(r).data(NODE_ROLE) == "sessions"
               for r in range(window.tree_model.rowCount()))  # fmt: skip


def test_the_records_export_from_the_file_menu(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: object
) -> None:
    from docx import Document
    from PySide6.QtWidgets import QFileDialog

    window = _planned(qtbot, data_dir)
    window.library.record_session("Oversight", "2026-12-10", team="North", attendees=8)  # type: ignore[union-attr]
    target = tmp_path / "evidence"
    monkeypatch.setattr(  # type: ignore[attr-defined]
        QFileDialog, "getSaveFileName", lambda *_a: (str(target), "Word (*.docx)")
    )
    window.action_map["export_sessions"].trigger()
    text = "\n".join(p.text for p in Document(str(tmp_path / "evidence.docx")).paragraphs)
    assert "Sessions delivered" in text and "10 December 2026 · Oversight" in text
