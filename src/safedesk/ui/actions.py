"""Every menu item and shortcut, declared as data; the window only says what each one does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu


@dataclass(frozen=True)
class ActionSpec:
    name: str  # also the MainWindow method called: on_<name>
    text: str
    menu: str
    shortcuts: tuple[str | QKeySequence.StandardKey, ...] = ()
    tip: str = ""
    separator_before: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("import_report", "&Import report or document…", "&File",
               tip="Add a report or document (PDF, Word or text)"),
    ActionSpec("import_collection", "Import &collection…", "&File", tip="Open a shared file"),
    ActionSpec("export_collection", "&Export collection…", "&File", tip="Save one as a file"),
    ActionSpec("export_sessions", "Export session &records…", "&File",
               tip="The sessions delivered and their actions, as evidence (Word or CSV)"),
    ActionSpec("export_pdf", "Export P&DF…", "&File", ("Ctrl+E",), "Save a briefing",
               separator_before=True),
    ActionSpec("print", "&Print…", "&File", (QKeySequence.StandardKey.Print,), "Print a briefing"),
    ActionSpec("quit", "&Quit", "&File", (QKeySequence.StandardKey.Quit,), separator_before=True),
    ActionSpec("find", "&Find", "&Edit", ("Ctrl+F", "Ctrl+K"), "Search the library"),
    ActionSpec("toggle_bookmark", "&Bookmark", "&Edit", ("Ctrl+D",), "Bookmark this item"),
    ActionSpec("add_to_collection", "Add to &collection…", "&Edit", ("Ctrl+Shift+D",)),
    ActionSpec("example", "My &example…", "&Edit", ("Ctrl+Shift+E",), "Add (or edit) your own"),
    ActionSpec("restore_item", "&Restore from the Trash", "&Edit", separator_before=True,
               tip="Put back the item selected in the Trash"),
    # the collection selected in the sidebar, and its item selected in the list (every entry of
    # the collection context menus is here too, for the keyboard)
    ActionSpec("new_collection", "&New collection…", "&Collection", ("Ctrl+N",)),
    ActionSpec("rename_collection", "&Rename…", "&Collection",
               tip="Rename the collection selected in the sidebar"),
    ActionSpec("describe_collection", "&Describe…", "&Collection",
               tip="Say what the selected collection is for"),
    ActionSpec("duplicate_collection", "Dup&licate", "&Collection",
               tip="Make a copy of the selected collection"),
    ActionSpec("delete_collection", "Dele&te (to the Trash)", "&Collection",
               tip="Move the selected collection to the Trash"),
    ActionSpec("item_notes", "Session notes and &prompts…", "&Collection", separator_before=True,
               tip="For the item selected in the collection's list"),
    ActionSpec("move_up", "Move &up in collection", "&Collection", ("Ctrl+Shift+Up",)),
    ActionSpec("move_down", "Move do&wn in collection", "&Collection", ("Ctrl+Shift+Down",)),
    ActionSpec("remove_item", "Re&move from collection", "&Collection", ("Ctrl+Del",),
               "To the Trash; restore it from there"),
    ActionSpec("compare_versions", "Compare &versions…", "&Collection",
               tip="The selected item's conflict copy beside the version here"),
    ActionSpec("record_session", "Record a &session…", "&Edit", ("Ctrl+Shift+R",),
               "After a session of the open collection: who came, notes, actions",
               separator_before=True),
    ActionSpec("action_done", "Mark action &done", "&Edit", ("Ctrl+Shift+K",),
               "In Sessions: the chosen action is done"),
    ActionSpec("zoom_in", "Bigger &text", "&View", ("Ctrl+=", "Ctrl++"), "Every pane and dialog"),
    ActionSpec("zoom_out", "&Smaller text", "&View", ("Ctrl+-",)),
    ActionSpec("zoom_reset", "&Normal text size", "&View", ("Ctrl+0",)),
    ActionSpec("practice_map", "Practice &map", "&View", ("Ctrl+M",), "Themes by authorities",
               separator_before=True),
    ActionSpec("back", "&Back", "&Go", ("Alt+Left",)),
    ActionSpec("forward", "&Forward", "&Go", ("Alt+Right",)),
    ActionSpec("backup", "&Back up now", "&Library", tip="Copy the library into its backups"),
    ActionSpec("restore_backup", "&Restore a backup…", "&Library",
               tip="Go back to a backup (the current state is backed up first)"),
    ActionSpec("doctor", "&Check the library", "&Library", separator_before=True,
               tip="Check the database, search index and references"),
    ActionSpec("reindex", "Rebuild the search &index", "&Library",
               tip="Make the search index again from the library"),
    ActionSpec("team", "&Team…", "&Library", separator_before=True,
               tip="Share with your team: join, sync now, conflict copies, leave"),
    ActionSpec("help", "safedesk &guide", "&Help", (QKeySequence.StandardKey.HelpContents,),
               "How to use safedesk"),
    ActionSpec("shortcuts", "&Keyboard shortcuts", "&Help", ("Ctrl+/",)),
    ActionSpec("about", "&About safedesk", "&Help", separator_before=True),
)  # fmt: skip


def install(
    window: QMainWindow, handler: Callable[[str], Callable[[], None]]
) -> dict[str, QAction]:
    """Create the actions and menus on `window`; `handler(name)` gives each action's slot."""
    actions: dict[str, QAction] = {}
    menus: dict[str, QMenu] = {}
    for spec in ACTIONS:
        menu = menus.get(spec.menu)
        if menu is None:
            menu = menus[spec.menu] = window.menuBar().addMenu(spec.menu)
        if spec.separator_before:
            menu.addSeparator()
        action = QAction(spec.text, window)
        action.setObjectName(spec.name)
        if spec.shortcuts:
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
        if spec.tip:
            action.setStatusTip(spec.tip)
        action.triggered.connect(handler(spec.name))
        menu.addAction(action)
        window.addAction(action)
        actions[spec.name] = action
    return actions
