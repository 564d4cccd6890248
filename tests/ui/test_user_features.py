"""Bookmarks, notes, collections, history and text size, driven through the real widgets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from safedesk.library import Library
from safedesk.ui.collection_commands import Target
from safedesk.ui.main_window import MainWindow
from safedesk.ui.sidebar import NODE_ROLE
from tests.ui.test_main_window import _open

B = "nfer-2011-safeguarding-children-council-developments/"


def _select_list_row(window: MainWindow, row: int) -> None:
    window.list.setCurrentIndex(window.list_model.index(row, 0))


def _sidebar(window: MainWindow, node: str) -> None:
    for r in range(window.tree_model.rowCount()):
        item = window.tree_model.item(r)
        if item.data(NODE_ROLE) == node:
            window.tree.setCurrentIndex(item.index())
            return
    raise AssertionError(node)


def test_ctrl_d_bookmarks_and_the_sidebar_counts_it(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    with qtbot.waitExposed(window):
        window.show()
    _select_list_row(window, 1)  # Box 2
    window.activateWindow()
    window.list.setFocus()
    qtbot.keyClick(window.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.notes.toggle.isChecked() and window.notes.toggle.text() == "★ Bookmarked"
    assert window.library.bookmarked(B + "box-2") is not None
    _sidebar(window, "bookmarks")
    assert window.list_model.rowCount() == 1
    assert any(
        window.tree_model.item(r).text() == "My bookmarks (1)"
        for r in range(window.tree_model.rowCount())
    )


def test_a_note_saves_as_you_type_and_is_there_after_a_restart(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    _select_list_row(window, 2)  # Box 3
    typed, composed = "Ask the team: <b>who</b> chairs & when? ", "— Ελληνικά"
    note = typed + composed
    qtbot.keyClicks(window.notes.note, typed)  # QTest can only type Latin-1 keys;
    window.notes.note.insertPlainText(composed)  # the rest arrives as an input method would
    qtbot.waitUntil(lambda: window.notes.status.text() == "Saved", timeout=5000)
    window.close()
    with Library.open(data_dir) as lib:
        saved = lib.bookmarked(B + "box-3")
        assert saved is not None and saved.note == note
    again = _open(qtbot, data_dir)
    _select_list_row(again, 2)
    assert again.notes.note.toPlainText() == note and again.notes.toggle.isChecked()


def test_collections_appear_in_the_sidebar_and_list_their_items(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    window.library.create_collection("March session")
    window.collections.add_to(Target(B + "box-9", "March session"))
    window.collections.add_to(Target(B + "box-11", "March session"))
    collections = next(
        window.tree_model.item(r) for r in range(window.tree_model.rowCount())
        if window.tree_model.item(r).data(NODE_ROLE) == "collections"
    )  # fmt: skip
    assert collections.child(0).text() == "March session (2)"
    window.tree.setCurrentIndex(collections.child(0).index())
    assert window.list_label.text() == "March session: 2 items"
    window.collections.move_up(Target(B + "box-11", "March session"))
    assert window.list_model.rows[0].text.startswith("1. Box 11: Enhancing training")
    window.collections.remove_item(Target(B + "box-9", "March session"))
    _sidebar(window, "trash")
    assert window.list_model.rowCount() == 1
    window.collections.restore(Target(window.list_model.rows[0].key))
    assert len(window.library.collection("March session").items) == 2


def test_back_forward_and_zoom(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    for row in (0, 1, 2):
        _select_list_row(window, row)
    assert window.reader.toPlainText().startswith("Box 3")
    window.nav.on_back()
    assert window.reader.toPlainText().startswith("Box 2")
    window.nav.on_back()
    window.nav.on_forward()
    assert window.reader.toPlainText().startswith("Box 2")
    size = window.reader.font().pointSizeF()
    panes = (window.reader, window.list, window.tree, window.search_box, window.list_label)
    window.on_zoom_in()
    window.on_zoom_in()  # every pane, not only the reading pane
    qtbot.waitUntil(lambda: all(p.font().pointSizeF() == size * 1.25 for p in panes))
    window.on_zoom_reset()
    qtbot.waitUntil(lambda: all(p.font().pointSizeF() == size for p in panes))


def test_search_shows_the_expansions_and_suggestions(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    qtbot.keyClicks(window.search_box, "NQSW support")
    qtbot.waitUntil(lambda: "Also searched for: NQSW" in window.search_hint.text(), timeout=5000)
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, "supervison ")
    qtbot.waitUntil(lambda: "Did you mean: supervision" in window.search_hint.text(), timeout=5000)


def test_menus_hold_the_declared_actions(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    assert window.action_map["toggle_bookmark"].shortcut().toString() == "Ctrl+D"
    assert window.action_map["export_pdf"].shortcut().toString() == "Ctrl+E"
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Collection", "&View", "&Go", "&Library", "&Help"]


def test_my_example_form_adds_and_edits(qtbot: QtBot, data_dir: Path) -> None:
    from PySide6.QtCore import QTimer

    window = _open(qtbot, data_dir)

    def fill_and_save() -> None:
        dialog = window.commands.example_dialog
        assert not dialog.ok_button.isEnabled()  # a title is required
        qtbot.keyClicks(dialog.title, "Peer supervision circles")
        dialog.theme.setCurrentIndex(2)  # 3.2
        qtbot.keyClicks(dialog.team, "North locality")
        dialog.text.setPlainText("Fortnightly circles for <NQSWs> & mentors.")
        dialog.ok_button.click()

    QTimer.singleShot(100, fill_and_save)
    window.commands.on_example()
    [example] = window.library.examples()
    assert (example.title, example.team) == ("Peer supervision circles", "North locality")
    assert example.theme.startswith("Recruiting") and example.text.startswith(
        "Fortnightly circles for <NQSWs>"
    )
    assert window.reader.toPlainText().startswith("My example: not from a report")

    def rename() -> None:
        dialog = window.commands.example_dialog
        assert dialog.title.text() == "Peer supervision circles"
        dialog.title.setText("Peer circles")
        dialog.ok_button.click()

    QTimer.singleShot(100, rename)
    window.commands.on_example()  # the example is the item being read, so this edits it
    assert [e.title for e in window.library.examples()] == ["Peer circles"]
    assert window.library.search("fortnightly circles").hits[0].title == "Peer circles"
