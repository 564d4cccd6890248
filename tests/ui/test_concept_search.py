"""Concept search in the window: what the search also looked for, "Exact words", the practice
concepts in the sidebar with their counts, Enter on a half-typed word, and what related practice
shares (pytest-qt, real widgets, the bundled library)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from safedesk.library import Library
from safedesk.ui.concept_counts import uncounted
from safedesk.ui.help import shortcuts_html
from safedesk.ui.main_window import MainWindow
from safedesk.ui.sidebar import NODE_ROLE
from safedesk.views import ConceptNode
from tests.ui.accessible import name_of
from tests.ui.test_main_window import _open

B = "nfer-2011-safeguarding-children-council-developments/"


def _keys(window: MainWindow) -> list[str]:
    return [r.key for r in window.list_model.rows]


def _search(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type `text` into an empty box and wait for its results (as you type)."""
    window.search_box.clear()
    window.search_box.setFocus()
    _type(qtbot, window, text)


def _type(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type `text` where the box's caret is and wait for the results."""
    qtbot.keyClicks(window.search_box, text)
    serial = window.search.serial + 1  # the debounced search the typing starts
    qtbot.waitUntil(lambda: window.search.serial >= serial, timeout=5_000)
    _settled(qtbot, window)


def _settled(qtbot: QtBot, window: MainWindow) -> None:
    """The newest search has run and its results are in the list."""
    searcher = window.search.searcher
    assert searcher is not None
    qtbot.waitUntil(lambda: searcher.idle(0.01), timeout=10_000)
    qtbot.wait(50)  # the delivery is a queued signal


def _enter(qtbot: QtBot, window: MainWindow) -> None:
    """Enter in the box; done when focus moves into what it shows."""
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(window.list.hasFocus, timeout=10_000)


def test_the_notes_say_what_the_concepts_added(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    _search(qtbot, window, "supervision ")
    hint = window.search_hint
    assert hint.text().startswith("Also searched for: supervisor, supervisory; related ideas: ")
    assert "management oversight" in hint.text() and "reflective practice" in hint.text()
    assert hint.textFormat() == Qt.TextFormat.PlainText and "\n" not in hint.text()
    assert name_of(hint) == hint.text()  # what a screen reader reads
    assert "Related ideas, ranked lower: appraisal" in hint.toolTip()
    # acronyms are spelt out first, as before, then the concept's other terms
    _search(qtbot, window, "LAC ")
    assert hint.text().startswith("Also searched for: LAC = looked after children, ")
    assert "children in care" in hint.text()


def test_exact_words_searches_without_the_concepts_until_the_box_is_emptied(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    assert lib is not None
    exact = window.search.exact
    assert exact.text() == "E&xact words" and name_of(exact) == "Exact words"
    key = QKeySequence.mnemonic(exact.text()).toString()
    assert key == "Alt+X" and key in exact.toolTip()
    assert "Exact words (beside the search box)</td><td><b>Alt+X" in shortcuts_html()
    _search(qtbot, window, "morale ")
    expanded = lib.search_as_you_type("morale ", limit=200)
    assert _keys(window) == [h.key for h in expanded.hits]
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.search_box.setFocus()
    # through the window, as a key press from the system is, so that shortcuts see it
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(exact.isChecked)  # a mnemonic clicks the button as a press would
    assert exact.hasFocus()
    _settled(qtbot, window)
    only_words = lib.search_as_you_type("morale ", limit=200, exact=True)
    assert only_words.total < expanded.total
    assert _keys(window) == [h.key for h in only_words.hits]
    assert "Also searched for" not in window.search_hint.text()
    # editing the words refines the same search: still exact
    _type(qtbot, window, "staff")
    assert exact.isChecked()
    assert _keys(window) == [
        h.key for h in lib.search_as_you_type("morale staff", limit=200, exact=True).hits
    ]
    # an emptied box starts a new search: concepts again
    window.search_box.clear()
    qtbot.waitUntil(lambda: not exact.isChecked(), timeout=5_000)
    _search(qtbot, window, "morale ")
    assert _keys(window) == [h.key for h in expanded.hits]
    # switching it off again reruns the search with the concepts, and choosing a place ends it
    exact.setChecked(True)
    _settled(qtbot, window)
    assert _keys(window) == [h.key for h in only_words.hits]
    window.nav.select_node("bookmarks", "")
    assert not exact.isChecked() and window.search_box.text() == ""


def _flat(nodes: list[ConceptNode]) -> dict[str, ConceptNode]:
    out: dict[str, ConceptNode] = {}
    for node in nodes:
        out[node.id] = node
        out.update(_flat(node.children))
    return out


def test_the_sidebar_browses_the_practice_concepts_with_counts(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    assert lib is not None
    branch = window.nav.find_node("concepts", "")
    assert branch is not None and branch.text() == "Practice concepts"
    assert window.tree.isExpanded(branch.index())  # its broadest concepts show at once
    counted = lib.concepts()
    roots = [branch.child(r) for r in range(branch.rowCount())]
    # counted off the GUI thread once the window is ready
    qtbot.waitUntil(lambda: roots[0].text() == f"{counted[0].label} ({counted[0].count})")
    assert [r.text() for r in roots] == [f"{c.label} ({c.count})" for c in counted]
    nodes = _flat(counted)
    supervision = window.nav.find_node("concept", "supervision")
    assert supervision is not None
    assert supervision.text() == f"supervision ({nodes['supervision'].count})"
    # narrower concepts sit under their broader one
    parent = supervision.parent()
    assert parent is not None and "supervision" in [
        c.id for c in nodes[str(parent.data(Qt.ItemDataRole.UserRole + 1))].children
    ]
    assert supervision.toolTip() and nodes["supervision"].scope_note in supervision.toolTip()
    # choosing one lists its items, as `safedesk concept supervision` does
    window.tree.setCurrentIndex(supervision.index())
    qtbot.waitUntil(lambda: window.list_label.text().startswith("supervision: "), timeout=10_000)
    detail = lib.concept("supervision", limit=200)
    assert _keys(window) == [h.key for h in detail.items] and len(detail.items) > 5
    assert window.list_label.text() == f"supervision: {detail.count} items"
    assert detail.scope_note in window.statusBar().currentMessage()
    assert window.tree_model.itemFromIndex(window.tree.currentIndex()).data(NODE_ROLE) == "concept"
    # bookmarking an item refreshes the sidebar; the concepts the user opened stay open
    broader = window.nav.find_node("concept", "workforce")
    assert broader is not None
    window.tree.expand(broader.index())
    window.list.setCurrentIndex(window.list_model.index(0, 0))
    window.action_map["toggle_bookmark"].trigger()
    bookmarks = window.nav.find_node("bookmarks", "")
    assert bookmarks is not None and bookmarks.text() == "My bookmarks (1)"
    for key in ("workforce", "leadership-and-management"):
        again = window.nav.find_node("concept", key)
        assert again is not None and window.tree.isExpanded(again.index()), key
    assert window.nav.current_node() == ("concept", "supervision")


def test_concept_counts_are_counted_again_off_the_gui_thread_when_reports_change(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    assert lib is not None
    before = window.nav.find_node("concept", "early-help")
    assert before is not None
    count_before = _flat(lib.concepts())["early-help"].count
    lib.import_report(Path("tests/fixtures/reports/northfield-2019-early-help.txt"))
    window.content_changed()
    # the GUI thread did not count: the concepts are there, without numbers until counted
    uncounted = window.nav.find_node("concept", "early-help")
    assert uncounted is not None and uncounted.text() == "early help"
    after = _flat(lib.concepts())["early-help"].count
    assert after > count_before

    def recounted() -> bool:
        node = window.nav.find_node("concept", "early-help")
        return node is not None and node.text() == f"early help ({after})"

    qtbot.waitUntil(recounted, timeout=20_000)


def test_enter_on_a_half_typed_word_keeps_the_typed_results(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    assert lib is not None
    for text in ("management over", "management overs", "supervi"):
        typed = lib.search_as_you_type(text, limit=200)
        full = lib.search(text, limit=200)
        assert sum(1 for h in full.hits if not h.lacks) < typed.total  # Enter alone is worse
        _search(qtbot, window, text)
        assert _keys(window) == [h.key for h in typed.hits]
        _enter(qtbot, window)
        assert _keys(window) == [h.key for h in typed.hits], text
        assert "Did you mean" not in window.search_hint.text(), text
    assert lib.search("management overs", limit=200).suggestion == "management over"
    # a finished word, or a full search that finds more with every word, is shown as before
    for text in ("front do", "multi-agency work", "supervision "):
        _search(qtbot, window, text)
        _enter(qtbot, window)
        assert _keys(window) == [h.key for h in lib.search(text, limit=200).hits], text


def test_related_practice_says_what_it_shares(qtbot: QtBot, data_dir: Path) -> None:
    window = _open(qtbot, data_dir)
    lib = window.library
    assert lib is not None
    key = B + "box-3"
    window.nav.open(key)
    text = window.reader.toPlainText()
    shared = [h for h in lib.related(key, limit=5).related if h.shares]
    assert shared
    for hit in shared:
        assert f"shares: {', '.join(hit.shares)}" in text


def test_the_uncounted_tree_has_the_shape_of_the_counted_one(library: Library) -> None:
    """Until the counts come, the sidebar shows the tree read from the thesaurus file."""

    def shape(nodes: list[ConceptNode]) -> list[object]:
        return [(n.id, n.label, n.scope_note, shape(n.children)) for n in nodes]

    before = uncounted()
    assert shape(before) == shape(library.concepts())
    assert all(n.count == -1 for n in _flat(before).values())
