"""The list's filters and sort, the reading pane's links and tooltips, search off the GUI thread,
drag and drop, the practice map, and what the window remembers (pytest-qt, real widgets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from safedesk.ui.collection_commands import Target
from safedesk.ui.main_window import MainWindow
from safedesk.ui.sidebar import NODE_ROLE
from tests.ui.test_main_window import _open

B = "nfer-2011-safeguarding-children-council-developments/"


def _node(window: MainWindow, node: str, key: str = "") -> None:
    found = window.nav.find_node(node, key)
    assert found is not None, (node, key)
    window.tree.setCurrentIndex(found.index())


def _keys(window: MainWindow) -> list[str]:
    return [r.key for r in window.list_model.rows]


def _choose(window: MainWindow, facet: str, label_start: str) -> None:
    box = window.pane.facets[facet]
    for i in range(box.count()):
        if box.itemText(i).startswith(label_start):
            box.setCurrentIndex(i)
            box.activated.emit(i)
            return
    raise AssertionError([box.itemText(i) for i in range(box.count())])


def test_filters_count_and_narrow_the_list_and_sort_reorders_it(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    _node(window, "theme", B + "theme-3.2")
    assert len(_keys(window)) == 7
    authority = window.pane.facets["authority"]
    texts = [authority.itemText(i) for i in range(authority.count())]
    assert texts == [
        "All authorities (7)", "Authority A (1)", "Authority B (2)", "Authority D (2)",
        "Authority E (2)",
    ]  # fmt: skip
    _choose(window, "authority", "Authority B")
    assert [r.authority_label for r in window.list_model.rows] == ["Authority B"] * 2
    assert window.list_label.text() == "7 practices: 2 shown"
    _choose(window, "authority", "All authorities")
    window.pane.sort.setCurrentText("Title")
    window.pane.sort.activated.emit(window.pane.sort.currentIndex())
    titles = [r.title.split(": ", 1)[1].casefold() for r in window.list_model.rows]
    assert titles == sorted(titles) and len(titles) == 7
    window.pane.sort.setCurrentText("Box number")
    window.pane.sort.activated.emit(window.pane.sort.currentIndex())
    assert [r.number for r in window.list_model.rows] == sorted(
        r.number for r in window.list_model.rows
    )


def test_search_runs_off_the_gui_thread_and_only_the_latest_text_is_shown(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    window.search_box.setFocus()
    typed = "multi-agency training"
    qtbot.keyClicks(window.search_box, typed)
    qtbot.waitUntil(lambda: window.list_label.text().endswith("results"), timeout=5000)
    assert window.search.searcher is not None and window.search.searcher.runs < len(typed)
    expected = window.library.search_as_you_type(typed, limit=200)
    assert _keys(window) == [h.key for h in expected.hits]
    first = _keys(window)[0]
    # a result for older text that arrives late is dropped, not shown
    serial = window.search.serial
    stale = window.library.search("supervision")
    from safedesk.ui.search_controller import SearchRequest

    window.search.arrived(SearchRequest("supervision", serial - 1), stale)
    assert _keys(window)[0] == first
    kinds = window.pane.facets["kind"]
    assert kinds.itemText(0).startswith("All kinds (")


def test_facets_filter_search_hits_by_kind(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    window.search_box.setText("supervision")
    window.search_box.returnPressed.emit()  # Enter: the full search, not the as-you-type one
    qtbot.waitUntil(lambda: window.list_label.text().endswith("results"), timeout=5000)
    kinds = {r.kind for r in window.list_model.rows}
    assert "practice" in kinds and len(kinds) > 1
    _choose(window, "kind", "Practice (boxes)")
    assert {r.kind for r in window.list_model.rows} == {"practice"}
    assert window.pane.sort.currentText() == "Relevance"


def test_reading_pane_links_lead_to_theme_authority_full_account_and_related(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    window.nav.open(B + "box-21")
    html = window.reader.toHtml()
    assert "Read the full account" in window.reader.toPlainText()
    assert "Related practice" in window.reader.toPlainText()

    def follow(text: str) -> None:
        """Click the link that says `text`."""
        cursor = window.reader.document().find(text)
        while not cursor.isNull() and not cursor.charFormat().isAnchor():
            cursor = window.reader.document().find(text, cursor)
        assert not cursor.isNull(), text
        href = cursor.charFormat().anchorHref()
        assert href.startswith("safedesk:"), href
        window.reader.anchorClicked.emit(QUrl(href))

    follow("Read the full account")
    assert "case-study" in window.nav.reading_key
    window.nav.on_back()
    follow("Authority C")
    assert window.nav.reading_key == B + "authority-c"
    assert "Practice in this authority" in window.reader.toPlainText()
    window.nav.on_back()
    follow("3.5 Referral and assessment")
    assert window.nav.reading_key == B + "theme-3.5" and "review" in window.reader.toPlainText()
    assert "<img" not in html


def test_acronyms_have_tooltips_and_searched_words_are_marked(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    window.search_box.setText("referral ")
    qtbot.waitUntil(lambda: window.list_label.text().endswith("results"), timeout=5000)
    window.pane.select_key(B + "box-21")
    cursor = window.reader.document().find("CAF")
    assert "common assessment framework" in cursor.charFormat().toolTip().lower()
    document = window.reader.document()
    body = document.find("In order to achieve")  # past the title, which is never marked
    marked = document.find("referral", body)
    assert marked.charFormat().hasProperty(marked.charFormat().Property.BackgroundBrush)
    plain = window.reader.document().find("interviewee")
    assert not plain.charFormat().hasProperty(plain.charFormat().Property.BackgroundBrush)


def test_practice_is_dragged_into_a_collection_and_reordered_by_dropping(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    lib.create_collection("Team day")
    window.nav.refresh_sidebar()
    _node(window, "theme", B + "theme-3.2")
    drag = window.list_model.mimeData([window.list_model.index(0), window.list_model.index(2)])
    target = window.nav.find_node("collection", "Team day")
    assert target is not None
    sidebar = window.tree_model
    assert sidebar.canDropMimeData(drag, Qt.DropAction.CopyAction, -1, 0, target.index())
    sidebar.dropMimeData(drag, Qt.DropAction.CopyAction, -1, 0, target.index())
    first, third = window.list_model.rows[0].key, window.list_model.rows[2].key
    assert [i.key for i in lib.collection("Team day").items] == [first, third]
    # a finding dragged from the sidebar tree joins too
    finding = window.nav.find_node("item", B + "theme-3.1/laming-review")
    assert finding is not None
    target = window.nav.find_node("collection", "Team day")  # the sidebar was rebuilt
    assert target is not None
    sidebar.dropMimeData(sidebar.mimeData([finding.index()]), Qt.DropAction.CopyAction, -1, 0,
                         target.index())  # fmt: skip
    _node(window, "collection", "Team day")
    assert _keys(window) == [first, third, B + "theme-3.1/laming-review"]
    # drag the last row to the top of the open collection
    model = window.list_model
    moving = model.mimeData([model.index(2)])
    assert model.canDropMimeData(moving, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    model.dropMimeData(moving, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert [i.key for i in lib.collection("Team day").items] == [
        B + "theme-3.1/laming-review", first, third,
    ]  # fmt: skip
    assert _keys(window)[0] == B + "theme-3.1/laming-review"
    # and the first to the end
    model.dropMimeData(model.mimeData([model.index(0)]), Qt.DropAction.MoveAction, -1, 0,
                       QModelIndex())  # fmt: skip
    assert [i.key for i in lib.collection("Team day").items][-1] == B + "theme-3.1/laming-review"
    bookmarks = window.nav.find_node("bookmarks", "")
    assert bookmarks is not None  # only collections take a drop
    assert not sidebar.canDropMimeData(drag, Qt.DropAction.CopyAction, -1, 0, bookmarks.index())


def _drop_files(window: MainWindow, *paths: Path) -> None:
    """Drag files over the window and drop them. (Qt only delivers a drop during a real
    drag-and-drop session, which a test cannot start, so the events go to the handlers.)"""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where, action = QPointF(50, 50), Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(where.toPoint(), action, data, buttons, keys)
    enter.ignore()
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(QDropEvent(where, action, data, buttons, keys))


def test_dropping_a_collection_file_on_the_window_imports_it(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    lib.create_collection("<b>Shared</b> & sent")
    lib.add_to_collection("<b>Shared</b> & sent", B + "box-9", prompts=["What helps?"])
    path = tmp_path / "shared.json"
    lib.export_collection("<b>Shared</b> & sent", path)
    lib.delete_collection("<b>Shared</b> & sent")
    lib.empty_trash()
    _drop_files(window, path)
    assert [c.name for c in lib.collections()] == ["<b>Shared</b> & sent"]
    assert window.commands.notice.textFormat() == Qt.TextFormat.PlainText
    assert "<b>Shared</b> & sent" in window.commands.notice.text()
    assert window.nav.find_node("collection", "<b>Shared</b> & sent") is not None
    window.commands.notice.close()


def test_the_practice_map_counts_and_clicking_a_cell_lists_its_practice(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    window.action_map["practice_map"].trigger()
    assert window.map_dock.isVisible()
    lib = window.library
    grid = window.practice_map
    for theme in lib.themes():
        for authority in lib.authorities():
            expected = len(lib.practices(theme=theme.key, authority=authority.key))
            assert grid.count(theme.key, authority.key) == expected
    row = [t.key for t in lib.themes()].index(B + "theme-3.4")
    column = [a.key for a in lib.authorities()].index(B + "authority-d")
    rect = grid.table.visualRect(grid.table.model().index(row, column))
    qtbot.mouseClick(grid.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(_keys(window)) == 4
    assert {r.theme for r in window.list_model.rows} == {B + "theme-3.4"}
    assert {r.authority for r in window.list_model.rows} == {B + "authority-d"}
    assert window.list_label.text().startswith("3.4 Partnership working × Authority D")
    window.action_map["practice_map"].trigger()
    assert not window.map_dock.isVisible()


def test_the_last_place_and_item_are_there_after_a_restart(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    _node(window, "authority", B + "authority-d")
    window.pane.select_key(B + "box-18")
    window.close()
    again = _open(qtbot, data_dir)
    current = again.tree.currentIndex()
    assert (current.data(NODE_ROLE), current.data(Qt.ItemDataRole.UserRole + 1)) == (
        "authority", B + "authority-d",
    )  # fmt: skip
    assert again.reader.toPlainText().startswith("Box 18:")
    assert again.list.currentIndex().row() == _keys(again).index(B + "box-18")


def test_collection_item_session_notes_are_edited_in_a_form(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    lib.create_collection("March")
    lib.add_to_collection("March", B + "box-9", prompts=["old prompt"], minutes=10)
    window.nav.refresh_sidebar()
    _node(window, "collection", "March")

    def fill() -> None:
        dialog = window.collections.item_dialog
        assert dialog.prompts.toPlainText() == "old prompt"
        dialog.note.setPlainText("Start with <i>pods</i>")
        dialog.prompts.setPlainText("What would we copy?\n\nWho chairs?")
        dialog.minutes.setValue(25)
        dialog.accept()

    QTimer.singleShot(100, fill)
    window.collections.edit_item_notes(Target(B + "box-9", "March"))
    [item] = lib.collection("March").items
    assert (item.note, item.prompts, item.minutes) == (
        "Start with <i>pods</i>", ["What would we copy?", "Who chairs?"], 25,
    )  # fmt: skip
    assert "Start with <i>pods</i>" in window.list_model.rows[0].text


def test_the_guide_and_the_shortcuts_are_in_the_help_menu(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    window.action_map["help"].trigger()
    guide = window.help_dialog.browser.toPlainText()
    assert guide.startswith("The safedesk guide") and "Planning a session" in guide
    assert "7-minute briefings" in guide and "After a session" in guide
    for developers in ("pip install", "pytest", "PyInstaller", "venv"):
        assert developers not in guide  # the app's guide is for people using it
    browser = window.help_dialog.browser
    assert browser.horizontalScrollBar().maximum() == 0  # nothing scrolls sideways
    from safedesk.ui.help import shortcuts_html

    assert "Ctrl+K" in shortcuts_html() and "Ctrl+M" in shortcuts_html()
    window.help_dialog.close()


def test_the_reading_pane_follows_a_dark_palette(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    window.nav.open(B + "box-9")
    light = window.reader.document().defaultStyleSheet()
    dark = QPalette(window.palette())
    for role, colour in (
        (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Window, "#2b2b2b"), (QPalette.ColorRole.Link, "#8ab4f8"),
    ):  # fmt: skip
        dark.setColor(role, QColor(colour))
    window.setPalette(dark)
    assert window.reader.document().defaultStyleSheet() != light
    assert "#8ab4f8" in window.reader.document().defaultStyleSheet()
    assert window.reader.toPlainText().startswith("Box 9:")


def test_every_control_a_keyboard_reaches_has_an_accessible_name(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    window.on_practice_map()
    unnamed = [
        f"{type(w).__name__} {w.objectName()}"
        for w in window.findChildren(QWidget)
        if w.isVisibleTo(window)
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not w.accessibleName()
        and type(w).__name__ not in ("QTableCornerButton",)
    ]
    assert unnamed == []


def test_hostile_text_in_an_example_stays_plain_text(qtbot: QtBot, data_dir: Path) -> None:
    """Hostile text in a user's own example never becomes markup or a link in the reader."""
    window = _open(qtbot, data_dir)
    hostile = '<a href="http://evil.example/">click</a> <img src="http://x/y.png"> &amp; <script>'
    example = window.library.add_example(title=hostile, text=hostile)
    window.nav.refresh_sidebar()
    window.nav.open(example.key)
    text = window.reader.toPlainText()
    assert text.count(hostile) == 2
    cursor = window.reader.document().find("click")
    assert not cursor.charFormat().isAnchor()
    assert "<img" not in window.reader.toHtml()
    assert window.reader.document().find("evil").charFormat().anchorHref() == ""


def test_ctrl_e_offers_what_is_open_and_saves_the_previewed_pdf(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader
    from PySide6.QtWidgets import QFileDialog

    window = _open(qtbot, data_dir)
    window.nav.open(B + "box-21")
    window.action_map["export_pdf"].trigger()
    dialog = window.commands.export_dialog
    assert sorted(dialog.kind_buttons) == ["authority", "seven", "sheet", "theme"]
    with qtbot.waitSignal(dialog.preview_ready, timeout=20_000):
        pass
    assert dialog.current_choice().kind == "sheet"
    target = tmp_path / "box-21.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(target), "PDF (*.pdf)"))
    with qtbot.waitSignal(dialog.saved, timeout=20_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "Co-locating of staff" in text.replace("\n", " ")
    assert window.statusBar().currentMessage() == f"Saved {target}"
    dialog.close()
    # a selected collection offers its session pack and handout first
    window.library.create_collection("Pack")
    window.library.add_to_collection("Pack", B + "box-9")
    window.nav.refresh_sidebar()
    _node(window, "collection", "Pack")
    window.action_map["export_pdf"].trigger()
    assert {"pack", "handout"} <= set(window.commands.export_dialog.kind_buttons)
    assert window.commands.export_dialog.current_choice().kind == "pack"
    window.commands.export_dialog.close()


def test_tooltips_and_error_messages_show_user_text_literally(qtbot: QtBot, data_dir: Path) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from safedesk.errors import LibraryError

    window = _open(qtbot, data_dir)
    name = '<img src="file:///etc/passwd"> <b>Team</b>'
    window.library.create_collection(name, description="<a href='http://x'>go</a>")
    window.nav.refresh_sidebar()
    node = window.nav.find_node("collection", name)
    assert node is not None
    assert node.toolTip() == "<p>&lt;a href=&#x27;http://x&#x27;&gt;go&lt;/a&gt;</p>"
    seen: list[tuple[str, Qt.TextFormat]] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), box.textFormat()))
        box.close()

    QTimer.singleShot(100, read_and_close)

    def fail() -> None:
        raise LibraryError(f"collection {name!r} already exists")

    window.guarded(fail)
    assert seen == [(f"collection {name!r} already exists", Qt.TextFormat.PlainText)]


def test_only_a_clicked_web_link_leaves_the_app(
    qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtGui import QDesktopServices

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    window = _open(qtbot, data_dir)
    window.nav.open(B + "box-9")
    for url in ("file:///etc/passwd", "javascript:alert(1)", "smb://server/share"):
        window.reader.anchorClicked.emit(QUrl(url))
    assert opened == [] and window.nav.reading_key == B + "box-9"
    assert window.statusBar().currentMessage() == "That link was not followed."
    window.reader.anchorClicked.emit(QUrl("https://www.nfer.ac.uk/"))
    assert opened == ["https://www.nfer.ac.uk/"]


def test_hostile_bookmark_notes_are_drawn_as_text_in_the_list(qtbot: QtBot, data_dir: Path) -> None:
    from PySide6.QtWidgets import QStyleOptionViewItem

    from safedesk.ui.result_list import RowDelegate

    window = _open(qtbot, data_dir)
    note = '<img src="http://example.com/x.png"> <b>bold</b> &amp; <a href="http://x">x</a>'
    window.library.bookmark(B + "box-2", note=note, tags=["<i>t</i>"])
    window.nav.refresh_sidebar()
    _node(window, "bookmarks")
    option = QStyleOptionViewItem()
    option.initFrom(window.list)
    option.rect = window.list.visualRect(window.list_model.index(0))
    document = RowDelegate()._document(option, window.list_model.index(0))
    assert note in document.toPlainText() and "<i>t</i>" in document.toPlainText()
    assert "<img" not in document.toHtml().replace("&lt;img", "")
    assert not document.find("bold").charFormat().isAnchor()


def test_a_collection_is_reordered_from_the_keyboard(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    with qtbot.waitExposed(window):
        window.show()
    lib = window.library
    lib.create_collection("Keys")
    for box in ("box-1", "box-2", "box-3"):
        lib.add_to_collection("Keys", B + box)
    window.nav.refresh_sidebar()
    _node(window, "collection", "Keys")
    window.pane.select_key(B + "box-3")
    window.activateWindow()
    window.list.setFocus()
    up = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.list, Qt.Key.Key_Up, up)
    qtbot.keyClick(window.list, Qt.Key.Key_Up, up)
    qtbot.keyClick(window.list, Qt.Key.Key_Up, up)  # already first: stays there
    assert [i.key for i in lib.collection("Keys").items] == [B + "box-3", B + "box-1", B + "box-2"]
    assert window.list.currentIndex().row() == 0
    qtbot.keyClick(window.list, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert [i.key for i in lib.collection("Keys").items] == [B + "box-1", B + "box-2"]
    assert [t.label for t in lib.trash()] == [
        "Item in Keys: Restructuring of social care teams to increase management oversight"
    ]


def test_a_new_item_opens_at_its_top_and_a_palette_change_keeps_the_place(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    window.resize(900, 500)
    window.nav.open(B + "case-study-1")
    bar = window.reader.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    window.setPalette(QPalette(QColor("#303030")))  # drawn again: the reader stays where it was
    assert bar.value() == bar.maximum() > 0
    window.nav.open(B + "case-study-2")
    assert bar.value() == 0
