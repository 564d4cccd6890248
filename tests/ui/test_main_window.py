"""The window on a real library, driven through its widgets (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from safedesk.ui.app import run
from safedesk.ui.main_window import KEY_ROLE, MainWindow


def _open(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = run(str(data_dir), exec_=False)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.is_ready, timeout=20_000)
    return window


def test_opens_on_the_first_theme_with_its_practices(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    assert "safedesk" in window.windowTitle()
    assert window.list_model.rowCount() == 4
    assert window.list_model.rows[0].text.startswith("Box 1:")
    assert "Laming review" in window.reader.toPlainText()


def test_first_run_builds_the_library_behind_a_progress_dialog(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = _open(qtbot, tmp_path / "new")
    assert window.library is not None and window.library.reports()[0].practices == 24
    assert window.background.progress.isHidden()


def test_selecting_a_practice_shows_it_in_the_reading_pane(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    index = window.list_model.index(2, 0)
    window.list.setCurrentIndex(index)
    assert index.data(KEY_ROLE).endswith("/box-3")
    assert window.reader.toPlainText().startswith("Box 3: Restructuring of social care teams")


def test_typing_a_query_lists_the_hits(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "reflective practice")
    qtbot.waitUntil(lambda: window.list_label.text().endswith("results"), timeout=5_000)
    assert window.list_model.rows[0].key.endswith("/box-9")
    assert "[reflective]" in window.list_model.rows[0].text


def test_choosing_an_authority_lists_its_practices(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    authorities = window.tree_model.item(0).child(1)
    window.tree.setCurrentIndex(authorities.child(3).index())  # Authority D
    assert window.list_label.text() == "8 practices"
    assert "London borough" in window.reader.toPlainText()


def test_layout_is_remembered(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    window = _open(qtbot, data_dir)
    window.resize(700, 500)
    qtbot.waitUntil(lambda: window.width() == 700)
    window.splitter.setSizes([150, 250, 280])
    sizes = window.splitter.sizes()
    window.close()
    again = _open(qtbot, data_dir)
    assert again.size() == window.size()
    assert again.splitter.sizes() == sizes


def test_report_text_is_never_interpreted_as_markup(qtbot: QtBot, data_dir: Path) -> None:
    from safedesk.render import render_html
    from safedesk.views import Item

    html = render_html(
        Item("k", "section", "r", "<b>bold</b> & <img src=x>", "<a href='http://x'>x</a>")
    )
    window = _open(qtbot, data_dir)
    window.reader.setHtml(html)
    text = window.reader.toPlainText()
    assert "<b>bold</b> & <img src=x>" in text and "<a href='http://x'>x</a>" in text
    assert window.reader.document().toHtml().count("<img") == 0
    assert Qt.ItemDataRole.UserRole < KEY_ROLE
