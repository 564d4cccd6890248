"""Keyboard and screen-reader use, widget by widget (pytest-qt, offscreen): names and labels,
mnemonics, keyboard paths, the reading pane's accessible structure, announcements, palette
contrast and text size. `tests/a11y/` checks the same through the AT-SPI bridge."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, QUrl
from PySide6.QtGui import QAccessible, QColor, QImage, QPalette, QPixmap, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from safedesk.ui import keyboard, palette
from safedesk.ui.actions import ACTIONS
from safedesk.ui.collection_commands import LIST_IN_COLLECTION, LIST_ITEM, LIST_TRASH, TREE
from safedesk.ui.collection_dialogs import DescribeDialog, ItemNotesDialog
from safedesk.ui.colours import contrast, quiet_text, search_mark
from safedesk.ui.document_accessible import PRESS
from safedesk.ui.example_dialog import ExampleDialog
from safedesk.ui.help import HelpDialog
from safedesk.ui.result_list import KEY_ROLE
from tests.ui.accessible import labels_of, name_of, unnamed
from tests.ui.test_browsing import B, _node
from tests.ui.test_main_window import _open

AA = 4.5
R = QPalette.ColorRole


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _clashes(texts: list[str]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        letter = _mnemonic(text)
        assert letter is not None, f"{text!r} has no mnemonic"
        seen[letter].append(text)
    return {k: v for k, v in seen.items() if len(v) > 1}


def _shown(window: QWidget) -> None:
    window.show()
    window.activateWindow()


# -- names, labels and mnemonics ------------------------------------------------------------------
def test_every_control_is_named_and_combos_are_labelled(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    window.on_practice_map()
    focusable = [
        w for w in window.findChildren(QWidget)
        if w.isVisibleTo(window) and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and type(w).__name__ != "QTableCornerButton"
    ]  # fmt: skip
    assert len(focusable) > 10 and unnamed(focusable) == []
    assert sorted(labels_of(c)[0] for c in window.pane.facets.values()) == [
        "Authority", "Kind", "Theme",
    ]  # fmt: skip
    assert labels_of(window.pane.sort) == ["Sort by"]
    # labels whose text changes are named by it (a fixed name would hide "4 practices")
    assert name_of(window.list_label) == window.list_label.text() == "4 practices"
    window.search.show_hints(None)
    window.search_hint.setText("Also searched for: LAC = looked after children")
    assert name_of(window.search_hint) == "Also searched for: LAC = looked after children"
    clear = [b for b in window.search_box.findChildren(QAbstractButton)]
    assert [name_of(b) for b in clear] == ["Clear the search"]


def test_mnemonics_are_unique_in_every_menu(qtbot: QtBot, data_dir: Path) -> None:
    by_menu: dict[str, list[str]] = defaultdict(list)
    for spec in ACTIONS:
        by_menu[spec.menu].append(spec.text)
    assert _clashes(list(by_menu)) == {}
    for menu, texts in by_menu.items():
        assert _clashes(texts) == {}, menu
    context_menus = [*TREE.values(), LIST_TRASH, LIST_ITEM + LIST_IN_COLLECTION]
    for entries in context_menus:
        assert _clashes([e.text for e in entries]) == {}
    # the menus as built, and the window's own mnemonics (the filters' labels) beside them
    window = _open(qtbot, data_dir)
    bar = window.menuBar().actions()
    labels = [w.text() for w in window.findChildren(QLabel) if w.buddy() is not None]
    labels.append(window.search.exact.text())  # "Exact words" beside the search box
    assert _clashes([a.text() for a in bar] + labels) == {}
    for action in bar:
        menu = action.menu()
        assert isinstance(menu, QMenu)
        assert _clashes([a.text() for a in menu.actions() if not a.isSeparator()]) == {}


def test_every_context_menu_entry_is_in_the_menu_bar_too() -> None:
    names = {spec.name for spec in ACTIONS}
    entries = [e for group in [*TREE.values(), LIST_TRASH, LIST_ITEM, LIST_IN_COLLECTION]
               for e in group]  # fmt: skip
    assert {e.also for e in entries} <= names


def test_the_collection_menu_acts_on_the_selected_collection(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    assert lib is not None
    lib.create_collection("March")
    lib.add_to_collection("March", B + "box-9")
    window.nav.refresh_sidebar()
    _node(window, "collection", "March")

    def describe() -> None:
        dialog = window.collections.describe_dialog
        qtbot.keyClicks(dialog.editor, "For the team")
        dialog.accept()

    QTimer.singleShot(50, describe)
    window.action_map["describe_collection"].trigger()
    assert lib.collection("March").description == "For the team"
    window.action_map["duplicate_collection"].trigger()
    assert sorted(c.name for c in lib.collections()) == ["March", "March (copy)"]
    window.pane.select_key(B + "box-9")
    _node(window, "collection", "March (copy)")
    window.action_map["delete_collection"].trigger()
    assert [c.name for c in lib.collections()] == ["March"]
    _node(window, "trash")
    window.list.setCurrentIndex(window.list_model.index(0))
    window.action_map["restore_item"].trigger()
    assert sorted(c.name for c in lib.collections()) == ["March", "March (copy)"]


# -- text fields and dialogs ----------------------------------------------------------------------
def test_tab_leaves_every_text_field(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    assert lib is not None
    lib.create_collection("March")
    lib.add_to_collection("March", B + "box-9")
    forms: list[QWidget] = [
        window,
        ExampleDialog(lib, None, window),
        ItemNotesDialog("March", lib.collection("March").items[0], window),
        DescribeDialog("March", "", window),
    ]
    editors: list[QPlainTextEdit | QTextEdit] = []
    for form in forms:
        editors += form.findChildren(QPlainTextEdit) + form.findChildren(QTextEdit)
    editors = [e for e in editors if not e.isReadOnly()]
    assert len(editors) >= 6
    assert [
        e.accessibleName() or type(e).__name__ for e in editors if not e.tabChangesFocus()
    ] == []


def test_the_describe_dialog_labels_its_editor_and_tab_leaves_it(qtbot: QtBot) -> None:
    dialog = DescribeDialog("March", "Before")
    qtbot.addWidget(dialog)
    _shown(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.editor.setFocus()
    assert name_of(dialog.editor) == "What this collection is for:"
    assert labels_of(dialog.editor) == ["What this collection is for:"]
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Tab)
    assert dialog.editor.toPlainText() == "Before" and not dialog.editor.hasFocus()
    assert isinstance(QApplication.focusWidget(), QAbstractButton)
    # Ctrl+Tab leaves it too, even an editor that takes Tab as text
    keyboard.install(QApplication.instance())  # type: ignore[arg-type]
    dialog.editor.setTabChangesFocus(False)
    dialog.editor.setFocus()
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(QApplication.focusWidget(), QAbstractButton)
    dialog.editor.setFocus()
    back = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(dialog.editor, Qt.Key.Key_Backtab, back)
    assert not dialog.editor.hasFocus() and dialog.editor.toPlainText() == "Before"
    assert not dialog.editor.tabChangesFocus()  # as it was


# -- keyboard paths -------------------------------------------------------------------------------
def test_down_and_enter_lead_from_the_search_box_into_the_results(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    _shown(window)
    qtbot.waitUntil(window.isActiveWindow)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, "reflective")
    qtbot.waitUntil(lambda: window.list_label.text().endswith("results"), timeout=5_000)
    qtbot.keyClick(window.search_box, Qt.Key.Key_Down)
    assert window.list.hasFocus() and window.list.currentIndex().row() == 0
    assert window.reader.toPlainText().startswith(window.list_model.rows[0].title)
    window.search_box.setFocus()
    qtbot.keyClicks(window.search_box, " practice")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)  # the full search, then its results
    qtbot.waitUntil(window.list.hasFocus, timeout=5_000)
    assert "reflective practice" in window.search_box.text()


def test_shift_f10_opens_the_context_menu_on_its_first_entry(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    _shown(window)
    qtbot.waitUntil(window.isActiveWindow)
    window.tree.setFocus()
    seen: list[tuple[str, str]] = []

    def look() -> None:
        popup = QApplication.activePopupWidget()
        if not isinstance(popup, QMenu) or popup.activeAction() is None:
            QTimer.singleShot(20, look)
            return
        seen.append((popup.actions()[0].text(), popup.activeAction().text()))
        popup.close()

    QTimer.singleShot(20, look)
    qtbot.keyClick(window.tree, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert seen == [("&Bookmark", "&Bookmark")]  # the current theme's menu, its first entry


def test_the_sidebar_never_calls_a_leaf_expanded(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    model = window.tree_model
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        assert window.tree.isExpanded(index) == model.hasChildren(index), index.data()


def test_a_row_selected_without_becoming_current_opens(qtbot: QtBot, data_dir: Path) -> None:
    """The accessibility Selection interface selects rows that way."""
    window = _open(qtbot, data_dir)
    row = window.list_model.index(2)
    window.list.selectionModel().select(row, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    assert window.list.currentIndex() == row
    assert window.nav.reading_key == row.data(KEY_ROLE)
    node = window.nav.find_node("bookmarks", "")
    assert node is not None
    window.tree.selectionModel().select(
        node.index(), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert window.list_label.text() == "0 bookmarks"


# -- the reading pane as a document ---------------------------------------------------------------
def test_the_reading_pane_is_a_document_of_headings_and_links(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    iface = QAccessible.queryAccessibleInterface(window.reader)
    assert iface is not None and iface.role() == QAccessible.Role.Document
    kids = [iface.child(n) for n in range(iface.childCount())]
    headings = [k.text(QAccessible.Text.Name) for k in kids if k.role() == QAccessible.Role.Heading]
    assert headings[:2] == ["3.1 Leadership and management", "Laming review"]
    links = [k for k in kids if k.role() == QAccessible.Role.Link]
    assert links[0].text(QAccessible.Text.Name).startswith("Box 1: Enhancing lines")
    links[0].doAction(PRESS)  # a screen reader's Press: followed as a click is
    assert window.nav.reading_key == B + "box-1"
    assert window.reader.toPlainText().startswith("Box 1: Enhancing lines")
    for _ in range(30):  # pages come and go; their accessible parts with them
        window.nav.on_back()
        window.nav.on_forward()
        iface = QAccessible.queryAccessibleInterface(window.reader)
        assert iface is not None and iface.childCount() > 3
    authority = B + "authority-a"
    window.nav.open(authority)
    text = window.reader.toPlainText()
    assert "APA (2008) Staying safe grade: Inadequate" in text  # a list, not a flattened table
    assert not any(ch in window.reader.document().toRawText() for ch in "\ufdd0\ufdd1")


def test_document_views_come_and_go_with_their_accessible_parts(qtbot: QtBot) -> None:
    """Qt's own interface lent to each view is deleted after it; nothing is left dangling."""
    from safedesk.ui.document_view import DocumentView

    for n in range(25):
        view = DocumentView()
        view.setHtml(f"<h2>Page {n}</h2><p><a href='x:{n}'>link {n}</a></p>")
        iface = QAccessible.queryAccessibleInterface(view)
        assert iface is not None and iface.role() == QAccessible.Role.Document
        assert iface.textInterface() is not None  # Qt's, borrowed
        assert iface.textInterface().text(0, 6) == f"Page {n}"[:6]
        assert [iface.child(k).role() for k in range(2)] == [
            QAccessible.Role.Heading, QAccessible.Role.Link,
        ]  # fmt: skip
        view.deleteLater()
        qtbot.wait(5)


def test_the_guide_shows_the_whole_guide_with_its_picture(qtbot: QtBot) -> None:
    from safedesk.paths import resources_dir

    guide = HelpDialog()
    qtbot.addWidget(guide)
    text = guide.browser.toPlainText()
    source = (resources_dir() / "guide" / "guide.md").read_text("utf-8")
    headings = re.findall(r"^#+ (.+)$", source, flags=re.MULTILINE)
    assert len(headings) > 10 and all(h in text for h in headings)  # to its last heading
    picture = re.search(r"!\[[^]]*\]\(([^)]+)\)", source)
    assert picture is not None
    image = guide.browser.document().resource(
        QTextDocument.ResourceType.ImageResource, QUrl(picture.group(1))
    )
    assert isinstance(image, QImage | QPixmap) and not image.isNull()  # found beside the guide
    iface = QAccessible.queryAccessibleInterface(guide.browser)
    assert iface is not None and iface.role() == QAccessible.Role.Document


def test_focus_is_visible_on_the_reading_pane_the_sidebar_and_the_list(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    _shown(window)
    qtbot.waitUntil(window.isActiveWindow)
    highlight = window.palette().color(R.Highlight)
    window.tree.setCurrentIndex(window.tree_model.index(0, 0).parent())  # no current node
    areas: list[QAbstractScrollArea] = [window.reader, window.tree, window.list]

    def ring(area: QAbstractScrollArea) -> bool:
        """The ring laid over the viewport is drawn: highlight on its edges."""
        overlay = area.focus_ring  # type: ignore[attr-defined]
        assert overlay.geometry() == area.viewport().geometry() and overlay.isVisible()
        image = overlay.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
        y, right = image.height() // 2, image.width() - 1
        return all(image.pixelColor(x, y) == highlight for x in (0, 1, right - 1, right))

    for area in areas:
        window.search_box.setFocus()
        qtbot.waitUntil(lambda area=area: not area.hasFocus())
        assert not ring(area), area.accessibleName()
        area.setFocus()
        qtbot.waitUntil(area.hasFocus)
        assert ring(area), area.accessibleName()


def test_every_pane_that_takes_focus_has_a_focus_ring(qtbot: QtBot, data_dir: Path) -> None:
    """Scroll areas other than text editors (whose caret shows focus); Fusion draws no focus
    frame around them."""
    from safedesk.ui.document_view import DocumentView
    from safedesk.ui.export.dialog import ExportDialog, ExportTargets
    from safedesk.ui.focus_ring import FocusRing

    window = _open(qtbot, data_dir)
    window.on_practice_map()
    assert window.library is not None
    dialog = ExportDialog(window.library, ExportTargets(key=B + "box-3"), window)
    qtbot.addWidget(dialog)
    dialog.show()

    def caret_shows_focus(area: QAbstractScrollArea) -> bool:
        return isinstance(area, QPlainTextEdit | QTextEdit) and not isinstance(area, DocumentView)

    areas = [
        a for top in (window, dialog) for a in top.findChildren(QAbstractScrollArea)
        if a.isVisible() and a.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not caret_shows_focus(a)
    ]  # fmt: skip
    assert len(areas) >= 5
    assert [a.accessibleName() for a in areas if not a.findChildren(FocusRing)] == []


# -- announcements --------------------------------------------------------------------------------
def test_status_messages_and_saves_are_shown_anew_as_notices(qtbot: QtBot, data_dir: Path) -> None:
    from PySide6.QtCore import QEvent, QObject

    window = _open(qtbot, data_dir)
    shown: list[str] = []

    class Watch(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Show and isinstance(watched, QLabel):
                shown.append(watched.text())
            return False

    watch = Watch(window)
    for notice in (window.announcer, window.notes.status):
        notice.installEventFilter(watch)
        assert QAccessible.queryAccessibleInterface(notice).role() == QAccessible.Role.Notification
    window.statusBar().showMessage("Backed up")
    window.announcer.say("Backed up")  # the same text again is said again
    window.on_toggle_bookmark()
    window.notes.note.setPlainText("Worth copying")
    qtbot.waitUntil(lambda: window.notes.status.text() == "Saved", timeout=3_000)
    assert shown == ["Backed up", "Backed up", "Bookmarked", "Saved"]


# -- colours and text size ------------------------------------------------------------------------
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_text_colour_reaches_aa_in_both_palettes(dark: bool) -> None:
    p = palette.palette(dark)
    ratios = {f"{text.name}/{on.name}": contrast(p.color(text), p.color(on))
              for text, on in palette.TEXT_ON}  # fmt: skip
    ratios["quiet/Base"] = contrast(quiet_text(p), p.color(R.Base))
    ratios["selected quiet/Highlight"] = contrast(quiet_text(p, True), p.color(R.Highlight))
    ratios["Text/search mark"] = contrast(p.color(R.Text), search_mark(p))
    assert {k: round(v, 2) for k, v in ratios.items() if v < AA} == {}
    assert contrast(p.color(R.Highlight), p.color(R.Base)) >= 3  # the selected row stands out


def test_fusion_defaults_failed_and_the_app_sets_its_palette(qtbot: QtBot, data_dir: Path) -> None:
    fusion_highlight, white = QColor("#308cc6"), QColor("#ffffff")
    assert contrast(white, fusion_highlight) < AA  # what the issue measured: 3.7
    window = _open(qtbot, data_dir)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    wanted = palette.palette(palette.is_dark())
    for role in (R.Highlight, R.HighlightedText, R.PlaceholderText, R.Window, R.Text):
        assert window.palette().color(role) == wanted.color(role) == app.palette().color(role)


def test_at_twice_the_text_size_nothing_is_clipped(qtbot: QtBot, data_dir: Path) -> None:
    from safedesk.ui.export.dialog import ExportDialog, ExportTargets
    from safedesk.ui.text_size import STEPS

    window = _open(qtbot, data_dir)
    window.resize(1280, 800)
    _shown(window)
    base = window.reader.font().pointSizeF()
    while window.text_size.factor < 2.0:
        window.on_zoom_in()
    assert window.text_size.factor == 2.0 and 2.0 in STEPS
    qtbot.waitUntil(lambda: window.list.font().pointSizeF() == base * 2)
    assert window.library is not None
    dialog = ExportDialog(window.library, ExportTargets(key=B + "box-3", theme=B + "theme-3.1"),
                          window)  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.show()
    for top in (window, dialog):
        qtbot.wait(50)
        qtbot.wait(50)
        clipped = [
            f"{type(w).__name__} {w.text() if hasattr(w, 'text') else ''!r} {w.size()} "
            f"{w.minimumSizeHint()} {w.heightForWidth(w.width())}"
            for w in top.findChildren(QWidget)
            if w.window() is top
            if isinstance(w, QLabel | QAbstractButton | QComboBox) and w.isVisible()
            and w.width() > 0 and _clipped(w)
        ]  # fmt: skip
        assert clipped == [], type(top).__name__
    assert dialog.page_count.font().pointSizeF() == base * 2
    window.on_zoom_reset()
    qtbot.waitUntil(lambda: window.list.font().pointSizeF() == base)


def _clipped(w: QWidget) -> bool:
    if isinstance(w, QLabel) and w.wordWrap():
        return w.height() < w.heightForWidth(w.width())
    return w.width() < w.minimumSizeHint().width() or w.height() < w.minimumSizeHint().height()


def test_the_export_dialogs_quiet_text_reads_on_its_background(
    qtbot: QtBot, data_dir: Path
) -> None:
    from safedesk.ui.export.dialog import ExportDialog, ExportTargets

    window = _open(qtbot, data_dir)
    assert window.library is not None
    dialog = ExportDialog(window.library, ExportTargets(key=B + "box-3"), window)
    qtbot.addWidget(dialog)
    quiet = [w for w in dialog.findChildren(QLabel) if w.foregroundRole() == R.PlaceholderText]
    assert dialog.page_count in quiet and len(quiet) >= 3
    for label in quiet:
        p = label.palette()
        assert contrast(p.color(R.PlaceholderText), p.color(R.Window)) >= AA
    hint = next(w for w in quiet if w.text().startswith("The preview is the PDF itself"))
    assert name_of(hint) == hint.text() and hint.accessibleDescription() == "About the preview"
