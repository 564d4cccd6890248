"""The window's team commands: Library ▸ Team…, and bringing the window up to date after a sync
brought something (keeping the user's place)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from safedesk.errors import LibraryError
from safedesk.ui.result_list import KEY_ROLE
from safedesk.ui.team_sync import TeamSync

if TYPE_CHECKING:
    from safedesk.ui.shell import Shell


class TeamCommands(QObject):
    def __init__(self, shell: Shell, sync: TeamSync) -> None:
        super().__init__(shell.window())
        self.shell = shell
        self.sync = sync
        sync.synced.connect(self.after_sync)

    def on_team(self) -> None:
        from safedesk.ui.team_dialog import TeamDialog

        library = self.shell.library
        if library is None:
            return
        dialog = TeamDialog(library, self.sync, self.shell.window())
        self.team_dialog = dialog  # reachable for tests while it is open
        dialog.open()

    def after_sync(self, report: Any) -> None:
        """A sync finished: show what it brought, keeping the user's place."""
        if report.documents:
            self.shell.content_changed()
        if report.pulled or report.documents:
            self.refresh()
        parts = []
        if report.pulled:
            parts.append(f"received {report.pulled} changes from your team")
        if report.trashed:
            parts.append(f"a teammate deleted {', '.join(report.trashed)} (it is in the Trash)")
        if report.conflicts:
            n = len(report.conflicts)
            parts.append(f"{n} conflict cop{'ies' if n != 1 else 'y'} kept (Library ▸ Team…)")
        if parts:
            text = "; ".join(parts)
            self.shell.statusBar().showMessage(text[0].upper() + text[1:], 8000)

    def refresh(self) -> None:
        """The sidebar, and the list if it shows the user's things, without losing the place."""
        nav = self.shell.nav
        nav.refresh_sidebar()
        node, key = nav.current_node()
        if node in ("collection", "examples", "trash", "collections"):
            selected = self.shell.list.currentIndex().data(KEY_ROLE)
            try:
                nav.show_node(node, key)
            except LibraryError:  # the collection went (a teammate deleted it)
                nav.select_node("collections", "")
                return
            if selected:
                self.shell.pane.select_key(str(selected))
