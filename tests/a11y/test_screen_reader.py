"""safedesk as a screen reader meets it: the accessibility tree, the text and structure of the
reading pane, the keyboard walks and the announcements, all read over AT-SPI from a separate
process (what Orca reads), on a private desktop with real key presses.

The tests share one app and run in order; each says where it starts and leaves the app there."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.a11y.session import Desktop

pytestmark = pytest.mark.slow

DOC = {"role": "document frame", "name": "Reading pane"}
FRAME_CHARACTERS = ("\ufdd0", "\ufdd1", "\ufffc")  # Qt's table frame marks, object placeholder
NAMED_ROLES = {
    "push button", "toggle button", "check box", "radio button", "text", "combo box", "list",
    "tree", "document frame", "spin button", "table", "menu item", "page tab", "slider",
}  # fmt: skip
Event = dict[str, Any]


def _where(desktop: Desktop) -> list[tuple[str, str]]:
    return [(x["role"], x["name"]) for x in desktop.focused()]


def _wait_event(desktop: Desktop, wanted: Callable[[Event], bool], timeout: float = 5) -> Event:
    event: Event = desktop.next_event(wanted, timeout)
    return event


def _focused_on(role: str, name: str = "") -> Callable[[Event], bool]:
    def check(e: Event) -> bool:
        return (
            e["type"] == "object:state-changed:focused"
            and e["detail1"] == 1
            and e["role"] == role
            and e["name"].startswith(name)
        )

    return check


def _notified(pattern: str) -> Callable[[Event], bool]:
    """A notification shown with a matching text: what Orca speaks."""

    def check(e: Event) -> bool:
        return (
            e["type"] == "object:state-changed:showing"
            and e["detail1"] == 1
            and e["role"] == "notification"
            and re.search(pattern, e["name"]) is not None
        )

    return check


def _heading(desktop: Desktop) -> str:
    """The reading pane's first line: the title of what it shows."""
    text: str = desktop.ask("get", **DOC)["text"]
    return text.split("\n", 1)[0]


def test_every_control_has_a_role_and_a_name_and_labels_show_their_text(desktop: Desktop) -> None:
    shown = desktop.ask("find", showing=True)
    unnamed = [(x["role"], x["path"]) for x in shown if x["role"] in NAMED_ROLES
               and not x["name"].strip()]  # fmt: skip
    assert unnamed == []
    combos = [x for x in shown if x["role"] == "combo box"]
    assert len(combos) == 4  # theme, authority, kind, sort: named by their visible labels
    assert sorted(c["relations"]["labelled-by"][0] for c in combos) == [
        "label:Authority", "label:Kind", "label:Sort by", "label:Theme",
    ]  # fmt: skip
    labels = [x["name"] for x in shown if x["role"] == "label"]
    assert "4 practices" in labels  # the list's label says what it shows, not a fixed name
    assert not any(x["role"] == "label" and x["name"] == "Reading pane" for x in shown)
    clear = desktop.ask("find", role="push button", name="Clear the search")
    assert clear, "the search box's clear button has a name"


def test_the_reading_pane_is_a_document_with_headings_links_and_lines(desktop: Desktop) -> None:
    pane = desktop.ask("get", **DOC)
    assert "Text" in pane["interfaces"] and "read-only" in pane["states"]
    assert pane["text"].startswith("3.1 Leadership and management\nLaming review\n")
    kids = desktop.ask("children", **DOC)
    headings = [(k["name"], k["attributes"]["level"]) for k in kids if k["role"] == "heading"]
    assert headings[:3] == [
        ("3.1 Leadership and management", "2"), ("Laming review", "3"), ("Munro review", "3"),
    ]  # fmt: skip
    links = [k for k in kids if k["role"] == "link"]
    assert links[0]["name"].startswith("Box 1: Enhancing lines of communication")
    assert all(k["actions"] == ["Press", "SetFocus"] for k in links)
    # a valid run of text attributes: without one Orca reads no line
    run = desktop.ask("attributes_at", offset=3, **DOC)
    assert run["start"] <= 3 < run["end"] and run["attributes"]
    # a caret that arrow keys move, line by line
    desktop.ask("focus", **DOC)
    desktop.key("ctrl+Home", "Down")
    caret = desktop.ask("caret", **DOC)
    line = desktop.ask("text_at", offset=caret, granularity="line", **DOC)
    assert line["text"].strip() == "Laming review"
    _wait_event(desktop, lambda e: e["type"] == "object:text-caret-moved" and e["detail1"] > 0)


def test_tab_reaches_links_and_enter_or_press_follows_them(desktop: Desktop) -> None:
    """From the theme's page: Tab to its first link (announced as focused), Enter follows it;
    a screen reader's Press on a link does what a click does."""
    desktop.ask("focus", **DOC)
    desktop.key("ctrl+Home")
    desktop.events()
    desktop.key("Tab")
    link = _wait_event(desktop, _focused_on("link"))
    assert link["name"].startswith("Box 1: Enhancing lines of communication")
    desktop.key("Return")
    desktop.wait_for("get", lambda pane: pane["text"].startswith("Box 1: Enhancing"), **DOC)
    desktop.ask("do", role="link", name="Authority A", action="Press")
    pane = desktop.wait_for("get", lambda pane: pane["text"].startswith("Authority A\n"), **DOC)
    # the grades read as a list, with no frame characters in the text
    assert "Staying safe grade: Inadequate" in pane["text"].replace("\n", " ")
    assert not any(ch in pane["text"] for ch in FRAME_CHARACTERS)
    desktop.key("alt+Left")  # back to the practice, then on to its theme
    desktop.wait_for("get", lambda pane: pane["text"].startswith("Box 1: Enhancing"), **DOC)
    desktop.ask("do", role="link", name="3.1 Leadership and management", action="Press")
    desktop.wait_for("get", lambda pane: pane["text"].startswith("3.1 Leadership"), **DOC)


def test_tabbing_into_the_sidebar_says_its_current_item(desktop: Desktop) -> None:
    desktop.ask("focus", role="text", name="Search")
    time.sleep(0.3)
    desktop.events()
    desktop.key("Tab")  # the toggle beside the box comes first
    _wait_event(desktop, _focused_on("check box", "Exact words"))
    desktop.key("Tab")
    _wait_event(desktop, _focused_on("table cell", "3.1 Leadership and management"))
    assert _where(desktop) == [
        ("tree", "Library"),
        ("table cell", "3.1 Leadership and management (4)"),
    ]
    leaves = desktop.ask("find", role="table cell", name_re=r"^(My bookmarks|My examples|Trash) ")
    assert len(leaves) == 3
    assert all("expanded" not in x["states"] and "expandable" not in x["states"] for x in leaves)


def test_shift_f10_and_the_menu_key_open_the_context_menu_on_its_first_entry(
    desktop: Desktop,
) -> None:
    for key in ("shift+F10", "Menu"):
        desktop.ask("focus", role="tree", name="Library")
        time.sleep(0.3)
        desktop.events()
        desktop.key(key)
        _wait_event(desktop, lambda e: e["role"] == "popup menu" and e["detail1"] == 1)
        entry = _wait_event(desktop, _focused_on("menu item"))
        assert entry["name"] == "Bookmark", key
        desktop.key("Escape")
    assert _where(desktop)[0] == ("tree", "Library")


def test_down_and_enter_lead_from_the_search_box_into_the_results(desktop: Desktop) -> None:
    desktop.ask("focus", role="text", name="Search")
    desktop.type("LAC")
    notice = _wait_event(desktop, _notified(r"^\d+ results\. Also searched for: LAC"), timeout=8)
    notes = desktop.ask("find", role="label", name_re="^Also searched for: LAC = looked after")
    assert notes, "the notes under the search box are read as shown"
    desktop.key("Down")
    place = _where(desktop)
    assert place[0] == ("list", "Results") and place[1][0] == "list item"
    desktop.ask("focus", role="text", name="Search")
    time.sleep(0.3)
    desktop.key("Return")  # the full search; its results take the focus
    desktop.wait_for("focused", lambda where: where and where[0]["role"] == "list", timeout=8)
    assert notice["name"].split(" ")[0].isdigit()
    desktop.ask("focus", role="text", name="Search")
    desktop.key("ctrl+a", "BackSpace")  # the search ends: the theme again
    desktop.wait_for("find", lambda found: bool(found), role="label", name="4 practices")


def test_a_result_selected_through_the_selection_interface_opens(desktop: Desktop) -> None:
    rows = desktop.ask("children", role="list", name="Results")
    assert rows[2]["name"].startswith("Box 3: ")
    desktop.ask("select", role="list", name="Results", child=2)
    desktop.wait_for("get", lambda pane: pane["text"].startswith("Box 3: "), **DOC)


def test_bookmarking_is_announced(desktop: Desktop) -> None:
    desktop.ask("focus", role="list", name="Results")
    time.sleep(0.3)
    desktop.events()
    desktop.key("ctrl+d")
    _wait_event(desktop, _notified("^Bookmarked$"))
    desktop.key("ctrl+d")
    _wait_event(desktop, _notified(r"^Removed \(in the Trash\)$"))


def test_describe_dialog_names_its_editor_and_tab_leaves_it(desktop: Desktop) -> None:
    """Every context-menu entry is in a menu too: the collection is described from the
    Collection menu, in a dialog whose editor is named by its visible label."""
    desktop.ask("focus", role="tree", name="Library")
    desktop.type("Team")  # the tree's type-ahead: the collection becomes current
    desktop.wait_for(
        "find", lambda found: bool(found), role="label", name_re="^Team session: 1 item"
    )
    desktop.key("alt+c")
    _wait_event(desktop, _focused_on("menu item", "New collection…"))  # the Collection menu
    desktop.key("d")  # &Describe…
    desktop.wait_for("focused", lambda where: where and where[0]["role"] == "text", timeout=8)
    editor = desktop.focused()[0]
    assert editor["name"] == "What this collection is for:"
    assert editor["relations"]["labelled-by"] == ["label:What this collection is for:"]
    desktop.type("For the team")
    desktop.key("Tab")
    assert _where(desktop)[0] == ("push button", "Save")
    desktop.key("Escape")
    desktop.wait_for("focused", lambda where: where and where[0]["role"] == "tree")


def test_the_guide_is_a_document_with_headings_links_tables_and_pictures(desktop: Desktop) -> None:
    desktop.key("F1")
    guide = {"role": "document frame", "name": "safedesk guide", "showing": True}
    desktop.wait_for("find", lambda found: bool(found), **guide)
    kids = desktop.ask("children", **guide)
    headings = [k["name"] for k in kids if k["role"] == "heading"]
    assert headings[:3] == ["The safedesk guide", "Finding your way", "Searching"]
    assert headings[-1] == "Keys"  # the whole guide, to its end
    links = [k["name"] for k in kids if k["role"] == "link"]
    assert links[:3] == ["Finding your way", "Searching", "Reading"]  # its contents, as links
    images = [k["name"] for k in kids if k["role"] == "image"]
    assert len(images) == 1 and images[0].startswith("The safedesk window")  # its alt text
    cells = desktop.ask("find", role="table cell", within=desktop.ask("get", **guide)["path"])
    assert any(c["name"] == "Ctrl+F or Ctrl+K" and c["cell"][1] == 1 for c in cells)
    desktop.key("Escape")
    desktop.wait_for("find", lambda found: not found, **guide)
