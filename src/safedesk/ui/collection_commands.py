"""Bookmarks and collections from the window: the context menus (declared as data, like
`actions.py`), adding, reordering and removing items, and the collection's own commands."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPoint
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMenu, QMessageBox

from safedesk.ui.keyboard import show_menu
from safedesk.ui.plain import message
from safedesk.ui.result_list import KEY_ROLE, ROW_ROLE
from safedesk.ui.shell import Target
from safedesk.ui.sidebar import NODE_ROLE

if TYPE_CHECKING:
    from safedesk.library import Library
    from safedesk.ui.shell import Shell
    from safedesk.views import CollectionItem

NEW_COLLECTION = "New collection…"


@dataclass(frozen=True)
class Entry:
    text: str
    command: str  # CollectionCommands.<command>(target); "collections": the add-to submenu
    also: str  # the menu-bar action (actions.py) that does the same, for the keyboard
    separator_before: bool = False


# Mnemonics are unique within each menu as shown (the list's is LIST_ITEM + LIST_IN_COLLECTION).
LIST_TRASH = (Entry("&Restore", "restore", "restore_item"),)
LIST_ITEM = (
    Entry("&Bookmark", "bookmark", "toggle_bookmark"),
    Entry("Add to &collection", "collections", "add_to_collection"),
)
LIST_IN_COLLECTION = (
    Entry("Session notes and &prompts…", "edit_item_notes", "item_notes", separator_before=True),
    Entry("Move &up", "move_up", "move_up"),
    Entry("Move do&wn", "move_down", "move_down"),
    Entry("Re&move from collection", "remove_item", "remove_item"),
)
LIST_CONFLICT = (
    Entry("Compare &versions…", "compare_versions", "compare_versions", separator_before=True),
)
TREE: dict[str, tuple[Entry, ...]] = {
    "collection": (
        Entry("&Rename…", "rename", "rename_collection"),
        Entry("&Describe…", "describe", "describe_collection"),
        Entry("Dup&licate", "duplicate", "duplicate_collection"),
        Entry("&Export…", "export", "export_collection"),
        Entry("Dele&te (to the Trash)", "delete", "delete_collection", separator_before=True),
    ),
    "collections": (
        Entry("&New collection…", "new_collection", "new_collection"),
        Entry("&Import collection…", "import_collection", "import_collection"),
    ),
    "item": (
        Entry("&Bookmark", "bookmark", "toggle_bookmark"),
        Entry("Add to &collection…", "choose_collection", "add_to_collection"),
    ),
}
TREE["theme"] = TREE["authority"] = TREE["item"]


class CollectionCommands(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.window())
        self.shell = shell
        self.widget = shell.window()  # the parent of its dialogs

    @property
    def library(self) -> Library:
        assert self.shell.library is not None
        return self.shell.library

    def _status(self, text: str, msecs: int = 4000) -> None:
        self.shell.statusBar().showMessage(text, msecs)

    # -- context menus ----------------------------------------------------------------------------
    @staticmethod
    def menu_target(view: QAbstractItemView, pos: QPoint) -> tuple[QModelIndex, QPoint]:
        """The row a context menu is for: the one clicked, or (the menu key) the current one."""
        index = view.indexAt(pos)
        if index.isValid():
            return index, pos
        current = view.currentIndex()
        return current, view.visualRect(current).center()

    def list_menu(self, pos: QPoint) -> None:
        view = self.shell.list
        index, pos = self.menu_target(view, pos)
        if not index.isValid() or self.shell.library is None:
            return
        key, kind = str(index.data(KEY_ROLE)), index.data(ROW_ROLE)
        if kind in ("step", "session", "action"):
            self.shell.sessions.menu(key, kind, view.viewport().mapToGlobal(pos))
            return
        collection = self.shell.nav.selected_collection()
        entries: tuple[Entry, ...] = LIST_TRASH if kind == "trash" else LIST_ITEM
        if kind != "trash" and collection is not None:
            entries += LIST_IN_COLLECTION
            if self._item(collection, key).conflicts:
                entries += LIST_CONFLICT
        self._popup(entries, Target(key, collection), view.viewport().mapToGlobal(pos))

    def tree_menu(self, pos: QPoint) -> None:
        view = self.shell.tree
        index, pos = self.menu_target(view, pos)
        if not index.isValid() or self.shell.library is None:
            return
        node, key = index.data(NODE_ROLE), str(index.data(KEY_ROLE) or "")
        entries = TREE.get(node, ())
        if not entries or (node in ("item", "theme", "authority") and not key):
            return
        target = Target(key, key if node == "collection" else None)
        self._popup(entries, target, view.viewport().mapToGlobal(pos))

    def _popup(self, entries: tuple[Entry, ...], target: Target, where: QPoint) -> None:
        menu = QMenu(self.widget)
        for entry in entries:
            if entry.separator_before:
                menu.addSeparator()
            if entry.command == "collections":
                self._add_to_menu(menu.addMenu(entry.text), target.key)
            else:
                menu.addAction(entry.text, self._command(entry.command, target))
        show_menu(menu, where)

    def _add_to_menu(self, menu: QMenu, key: str) -> None:
        for c in self.library.collections():
            text = c.name.replace("&", "&&")  # a user's name: "&" is a letter, not a mnemonic
            menu.addAction(text, self._command("add_to", Target(key, c.name)))
        menu.addSeparator()
        menu.addAction("&New collection…", self._command("add_to", Target(key)))

    def _command(self, name: str, target: Target) -> partial[None]:
        return partial(self.shell.guarded, partial(getattr(self, name), target))

    # -- the commands -----------------------------------------------------------------------------
    def bookmark(self, target: Target) -> None:
        self.library.bookmark(target.key)
        self.shell.nav.refresh_sidebar()
        notes = self.shell.notes
        if target.key == notes.key:
            notes.show_item(self.library, target.key)
        self._status("Bookmarked", 3000)

    def ask_new_collection(self) -> str | None:
        """Ask for a name and make the collection; its name as made (None if cancelled)."""
        name, ok = QInputDialog.getText(
            self.widget, "New collection", "Name of the new collection:"
        )
        if not ok or not name.strip():
            return None
        return self.library.create_collection(name).name

    def new_collection(self, _target: Target | None = None) -> None:
        made = self.ask_new_collection()
        if made is not None:
            self.shell.nav.refresh_sidebar()
            self.shell.nav.select_node("collection", made)

    def import_collection(self, _target: Target) -> None:
        self.shell.commands.on_import_collection()

    def add_to(self, target: Target) -> None:
        """Add the key to the collection (none named: a new one, asked for)."""
        name = target.collection if target.collection is not None else self.ask_new_collection()
        if name is None:
            return
        self.library.add_to_collection(name, target.key)
        self.shell.nav.refresh_sidebar()
        self._status(f"Added to {name}", 3000)

    def choose_collection(self, target: Target) -> None:
        names = [c.name for c in self.library.collections()] + [NEW_COLLECTION]
        name, ok = QInputDialog.getItem(
            self.widget, "Add to collection", "Collection:", names, 0, False
        )
        if ok:
            self.add_to(Target(target.key, None if name == NEW_COLLECTION else name))

    def add_keys(self, name: str, keys: list[str]) -> None:
        """Practice dropped on a collection in the sidebar."""
        for key in keys:
            self.library.add_to_collection(name, key)
        self.shell.nav.refresh_sidebar()
        if self.shell.nav.selected_collection() == name:
            self.shell.nav.show_node("collection", name)
        self._status(f"Added {len(keys)} to {name}")

    def dropped_on_list(self, keys: list[str], row: int) -> None:
        """Rows dropped on the open collection before `row` (-1: at the end): reorder them, or
        add what was not in it yet."""
        name = self.shell.nav.selected_collection()
        if name is None or self.shell.library is None:
            return
        self.library.place_in_collection(name, keys, row + 1 if row >= 0 else None)
        self.shell.nav.refresh_sidebar()
        self._show_collection(name, keys[0])

    def move_up(self, target: Target) -> None:
        self._step(target, -1)

    def move_down(self, target: Target) -> None:
        self._step(target, +1)

    def _step(self, target: Target, step: int) -> None:
        assert target.collection is not None
        self.library.step_in_collection(target.collection, target.key, step)
        self._show_collection(target.collection, target.key)

    def edit_item_notes(self, target: Target) -> None:
        from safedesk.ui.collection_dialogs import ItemNotesDialog

        name = target.collection
        assert name is not None
        item = next(i for i in self.library.collection(name).items if i.key == target.key)
        dialog = ItemNotesDialog(name, item, self.widget)
        self.item_dialog = dialog  # reachable for tests while it is open
        if dialog.exec() == ItemNotesDialog.DialogCode.Accepted:
            note, prompts, minutes = dialog.values()
            self.library.add_to_collection(name, target.key, note, prompts, minutes or 0)
            self._show_collection(name, target.key)
            self._status("Session notes saved", 3000)

    def compare_versions(self, target: Target) -> None:
        """The item's conflict copy beside its version here (a teammate's words, or yours)."""
        from safedesk.ui.team_dialog import open_conflict

        assert target.collection is not None
        name = target.collection
        dialog = open_conflict(self.library, self._item(name, target.key).uid, self.widget)
        if dialog is not None:
            self.conflict_dialog = dialog  # reachable for tests while it is open
            dialog.finished.connect(lambda _result: self._show_collection(name, target.key))

    def _item(self, collection: str, key: str) -> CollectionItem:
        from safedesk.views import CollectionItem

        found = (i for i in self.library.collection(collection).items if i.key == key)
        return next(found, CollectionItem(key=key, title="", note="", prompts=[]))

    def remove_item(self, target: Target) -> None:
        assert target.collection is not None
        self.library.remove_from_collection(target.collection, target.key)
        self.shell.nav.refresh_sidebar()
        self.shell.nav.show_node("collection", target.collection)
        self._status("Moved to the Trash (right-click it there to restore)", 5000)

    def rename(self, target: Target) -> None:
        name = target.key
        new, ok = QInputDialog.getText(self.widget, "Rename collection", "New name:", text=name)
        if ok and new.strip() and new != name:
            renamed = self.library.rename_collection(name, new).name
            self.shell.nav.refresh_sidebar()
            self.shell.nav.select_node("collection", renamed)

    def describe(self, target: Target) -> None:
        from safedesk.ui.collection_dialogs import DescribeDialog

        name = target.key
        dialog = DescribeDialog(name, self.library.collection(name).description, self.widget)
        self.describe_dialog = dialog  # reachable for tests while it is open
        if dialog.exec() == DescribeDialog.DialogCode.Accepted:
            self.library.describe_collection(name, dialog.text())
            self.shell.nav.refresh_sidebar()
            self._status(f"Saved the description of {name}", 4000)

    def duplicate(self, target: Target) -> None:
        copy = self.library.duplicate_collection(target.key).name
        self.shell.nav.refresh_sidebar()
        self.shell.nav.select_node("collection", copy)
        self._status(f"Made {copy}")

    def export(self, target: Target) -> None:
        self.shell.commands.export_collection(target.key)

    def delete(self, target: Target) -> None:
        self.library.delete_collection(target.key)
        self.shell.nav.refresh_sidebar()
        self.shell.nav.select_node("collections", "")
        self._status(f"{target.key} moved to the Trash (right-click it there to restore)", 6000)

    def restore(self, target: Target) -> None:
        what = self.library.restore(target.key)
        self.shell.nav.refresh_sidebar()
        self.shell.nav.show_node("trash", "")
        self._status(f"Restored {what}", 5000)

    # -- the Edit menu's collection actions (Ctrl+Shift+Up/Down, Ctrl+Del) ----------------------
    def current_row(self) -> Target | None:
        """The collection's item that is the list's current row, if a collection is open."""
        name = self.shell.nav.selected_collection()
        key = self.shell.list.currentIndex().data(KEY_ROLE)
        return Target(str(key), name) if name is not None and key else None

    def on_move_up(self) -> None:
        target = self.current_row()
        if target is not None:
            self.move_up(target)

    def on_move_down(self) -> None:
        target = self.current_row()
        if target is not None:
            self.move_down(target)

    def on_remove_item(self) -> None:
        target = self.current_row()
        if target is not None:
            self.remove_item(target)

    def on_new_collection(self) -> None:
        if self.shell.library is not None:
            self.new_collection()

    # -- the Collection menu: the context menus' entries, for the keyboard ------------------------
    def _chosen_collection(self) -> Target | None:
        """The collection selected in the sidebar; None (and a word why) if there is none."""
        name = self.shell.nav.selected_collection()
        if name is None or self.shell.library is None:
            self._explain("Select a collection in the sidebar first.")
            return None
        return Target(name, name)

    def _explain(self, text: str) -> None:
        message(self.widget, text, QMessageBox.Icon.Information)

    def on_rename_collection(self) -> None:
        target = self._chosen_collection()
        if target is not None:
            self.rename(target)

    def on_describe_collection(self) -> None:
        target = self._chosen_collection()
        if target is not None:
            self.describe(target)

    def on_duplicate_collection(self) -> None:
        target = self._chosen_collection()
        if target is not None:
            self.duplicate(target)

    def on_delete_collection(self) -> None:
        target = self._chosen_collection()
        if target is not None:
            self.delete(target)

    def on_item_notes(self) -> None:
        target = self.current_row()
        if target is None:
            self._explain("Open a collection and select one of its items in the list first.")
        elif self.shell.library is not None:
            self.edit_item_notes(target)

    def on_compare_versions(self) -> None:
        target = self.current_row()
        if target is None or not self._item(target.collection or "", target.key).conflicts:
            self._explain(
                "Open a collection and select an item marked “another version was kept” first."
            )
        elif self.shell.library is not None:
            self.compare_versions(target)

    def on_restore_item(self) -> None:
        key = self.shell.list.currentIndex().data(KEY_ROLE)
        in_trash = self.shell.list.currentIndex().data(ROW_ROLE) == "trash"
        if not key or not in_trash or self.shell.library is None:
            self._explain("Open the Trash in the sidebar and select what to restore first.")
            return
        self.restore(Target(str(key)))

    def on_add_to_collection(self) -> None:
        key = self.shell.notes.key
        if self.shell.library is not None and key is not None:
            self.choose_collection(Target(key))

    def _show_collection(self, name: str, select: str) -> None:
        self.shell.nav.show_node("collection", name)
        self.shell.pane.select_key(select)
        self.shell.sessions.row_changed(str(self.shell.list.currentIndex().data(ROW_ROLE)))
