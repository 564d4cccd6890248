"""Sessions in the window: the planner's bar over an open collection (start, length, totals,
agenda steps, the item form), recording a session, and the Sessions view (records of sessions
delivered, with the actions due and overdue first)."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QMenu

from safedesk.store.running_order import is_step
from safedesk.ui.collection_commands import Target
from safedesk.ui.planner import PlannerBar
from safedesk.ui.result_list import KEY_ROLE, ROW_ROLE
from safedesk.ui.rows import Row
from safedesk.views import ActionInfo, CollectionInfo, SessionRecordInfo

if TYPE_CHECKING:
    from safedesk.library import Library
    from safedesk.ui.shell import Shell

STATUS_WORDS = {"overdue": "Overdue", "due": "Due this week", "open": "Open", "done": "Done"}


def action_row(a: ActionInfo) -> Row:
    when = f"by {a.due}" if a.due else "no date"
    meta = " · ".join(x for x in (STATUS_WORDS[a.status], a.who, when, a.session) if x)
    return Row(f"action:{a.id}", a.what, meta, kind="action", row_kind="action")


def record_row(r: SessionRecordInfo) -> Row:
    who = " · ".join(x for x in (r.team, f"{r.attendees} attended" if r.attendees is not None
                                 else "") if x)  # fmt: skip
    done = sum(1 for a in r.actions if a.status == "done")
    meta = " · ".join(x for x in (who, f"{done} of {len(r.actions)} actions done") if x)
    return Row(f"session:{r.id}", f"{r.date} · {r.collection}", meta, r.note[:160],
               kind="session", row_kind="session")  # fmt: skip


def record_html(r: SessionRecordInfo) -> str:
    """A record in the reading pane; every piece of user text escaped."""
    who = " · ".join(escape(x) for x in (r.team, f"{r.attendees} attended"
                                         if r.attendees is not None else "") if x)  # fmt: skip
    parts = [f"<h2>{escape(r.date)} · {escape(r.collection)}</h2><p class='meta'>{who}</p>"]
    if not r.linked:
        parts.append(
            "<p><i>Its collection has been deleted; the record keeps what it covered.</i></p>"
        )
    if r.covered:
        parts.append("<h3>What the session covered</h3><ul>"
                     + "".join(f"<li>{escape(c)}</li>" for c in r.covered) + "</ul>")  # fmt: skip
    if r.note.strip():
        notes = "".join(f"<p>{escape(p)}</p>" for p in r.note.split("\n") if p.strip())
        parts.append(f"<h3>Discussion and learning</h3>{notes}")
    if r.actions:
        rows = "".join(
            f"<tr><td>{escape(a.what)}</td><td>{escape(a.who)}</td><td>{escape(a.due or '')}"
            f"</td><td><b>{escape(STATUS_WORDS[a.status])}</b></td></tr>"
            for a in r.actions
        )
        parts.append("<h3>Actions agreed</h3><table cellpadding='4'><tr><th>What</th><th>Who"
                     f"</th><th>By</th><th>Status</th></tr>{rows}</table>")  # fmt: skip
    return "".join(parts)


class SessionCommands(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.window())
        self.shell = shell
        self.widget = shell.window()
        self.bar = PlannerBar()
        self.bar.hide()
        self.bar.plan_changed.connect(lambda length, start: shell.guarded(
            lambda: self.set_plan(length, start)))  # fmt: skip
        self.bar.command.connect(lambda name: shell.guarded(partial(self.bar_command, name)))
        shell.pane.add_header(self.bar)
        shell.pane.button_clicked.connect(
            lambda key, kind: shell.guarded(partial(self.edit_row, key, kind))
        )

    @property
    def library(self) -> Library:
        assert self.shell.library is not None
        return self.shell.library

    def _status(self, text: str, msecs: int = 4000) -> None:
        self.shell.statusBar().showMessage(text, msecs)

    # -- the planner ------------------------------------------------------------------------------
    def collection_shown(self, c: CollectionInfo) -> None:
        self.bar.show_plan(c)
        self._sync_row()
        self.bar.show()

    def _sync_row(self) -> None:
        current = self._current()
        self.bar.set_row(current[1] if current else None)

    def hide_bar(self) -> None:
        self.bar.hide()

    def row_changed(self, row_kind: str) -> None:
        self.bar.set_row(row_kind)

    def _current(self) -> tuple[str, str] | None:
        index = self.shell.list.currentIndex()
        if not index.isValid():
            return None
        return str(index.data(KEY_ROLE)), str(index.data(ROW_ROLE))

    def _refresh(self, name: str, select: str | None = None) -> None:
        self.shell.nav.refresh_sidebar()
        self.shell.nav.show_node("collection", name)
        if select:
            self.shell.pane.select_key(select)
        self._sync_row()

    def set_plan(self, length: int, start: str) -> None:
        name = self.shell.nav.selected_collection()
        if name is None:
            return
        try:
            self.library.plan_collection(name, length=length, start=start)
        finally:
            current = self._current()
            self._refresh(name, current[0] if current else None)

    def bar_command(self, name: str) -> None:
        collection = self.shell.nav.selected_collection()
        if collection is None:
            return
        if name == "add_step":
            self.add_step(collection)
            return
        if name == "record":
            self.record(collection)
            return
        current = self._current()
        if current is None:
            return
        key, kind = current
        commands = self.shell.collections
        target = Target(key, collection)
        if name == "edit":
            self.edit_row(key, kind)
        elif name == "move_up":
            commands.move_up(target)
        elif name == "move_down":
            commands.move_down(target)
        elif name == "remove":
            commands.remove_item(target)

    def add_step(self, collection: str) -> None:
        """A new agenda step, after the chosen row (or at the end)."""
        from safedesk.ui.session_dialogs import StepDialog

        current = self._current()
        order = [e.ref for e in self.library.collection(collection).steps]
        position = order.index(current[0]) + 2 if current and current[0] in order else None
        dialog = StepDialog(collection, parent=self.widget)
        self.step_dialog = dialog  # reachable for tests while it is open
        if dialog.exec() != StepDialog.DialogCode.Accepted:
            return
        title, minutes, instructions = dialog.values()
        entry = self.library.add_step(collection, title, minutes, position, instructions)
        self._refresh(collection, entry.ref)
        self._status(f"Added {entry.title} at {entry.starts_at or f'position {entry.position}'}")

    def edit_row(self, key: str, kind: str) -> None:
        """The form for a row of the running order: an item's notes, prompts and time, or a
        step's title, minutes and instructions."""
        collection = self.shell.nav.selected_collection()
        if collection is None:
            return
        if kind != "step" and not is_step(key):
            self.shell.collections.edit_item_notes(Target(key, collection))
            return
        from safedesk.ui.session_dialogs import StepDialog

        entry = next(e for e in self.library.collection(collection).steps if e.ref == key)
        dialog = StepDialog(
            collection, entry.title, entry.minutes or 0, entry.instructions, self.widget
        )
        self.step_dialog = dialog
        if dialog.exec() != StepDialog.DialogCode.Accepted:
            return
        title, minutes, instructions = dialog.values()
        self.library.edit_step(collection, key, title, minutes, instructions)
        self._refresh(collection, key)
        self._status("Step saved", 3000)

    # -- recording and following up ---------------------------------------------------------------
    def record(self, collection: str) -> None:
        from safedesk.ui.session_dialogs import RecordDialog

        dialog = RecordDialog(collection, self.widget)
        self.record_dialog = dialog  # reachable for tests while it is open
        if dialog.exec() != RecordDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        record = self.library.record_session(
            collection, str(values["held_on"]), str(values["team"]),
            int(str(values["attendees"])), str(values["note"]),
            [str(a) for a in values["actions"]],  # type: ignore[attr-defined]
        )  # fmt: skip
        self.shell.nav.refresh_sidebar()
        self._status(f"Recorded the session of {record.date}: see Sessions", 6000)

    def on_record_session(self) -> None:
        collection = self.shell.nav.selected_collection()
        if collection is not None and self.shell.library is not None:
            self.record(collection)

    def show_sessions(self) -> None:
        """The Sessions view: open actions (overdue, then due, then the rest), then every record."""
        actions = self.library.actions(open_only=True)
        records = self.library.sessions()
        overdue = sum(1 for a in actions if a.status == "overdue")
        label = (f"{len(records)} session{'' if len(records) == 1 else 's'} · "
                 f"{len(actions)} action{'' if len(actions) == 1 else 's'} open"
                 + (f", {overdue} overdue" if overdue else ""))  # fmt: skip
        rows = [action_row(a) for a in actions] + [record_row(r) for r in records]
        self.shell.pane.show_rows(label, rows, filters=False)
        if rows and not self.shell.list.currentIndex().isValid():
            self.shell.pane.select_key(rows[0].key)  # the most pressing, shown at once

    def show_row(self, key: str, kind: str) -> None:
        """A step, a record or an action chosen in the list: shown in the reading pane."""
        w = self.shell
        w.notes.show_item(self.library, None)
        if kind == "step":
            name = w.nav.selected_collection()
            entry = next(
                (e for e in self.library.collection(name).steps if e.ref == key), None
            ) if name else None  # fmt: skip
            if entry is not None:
                when = f"{entry.starts_at}–{entry.ends_at} · " if entry.starts_at else ""
                w.reader.setHtml(
                    f"<h2>{escape(entry.title)}</h2><p class='meta'>Agenda step · {escape(when)}"
                    f"{entry.minutes} min</p><p>{escape(entry.instructions)}</p>"
                )
            return
        record = self._record_of(key)
        if record is not None:
            w.reader.setHtml(record_html(record))

    def _record_of(self, key: str) -> SessionRecordInfo | None:
        kind, _, uid = key.partition(":")
        if kind == "session":
            return self.library.session(uid)
        if kind == "action":
            action = next((a for a in self.library.actions() if a.id == uid), None)
            return self.library.session(action.record) if action else None
        return None

    def menu(self, key: str, kind: str, where: QPoint) -> None:
        """The context menu of a step, an action or a record in the list."""
        menu = QMenu(self.widget)
        guarded = self.shell.guarded
        uid = key.partition(":")[2]
        if kind == "action":
            menu.addAction("Mark done", partial(guarded, partial(self.mark, uid, True)))
            menu.addAction("Open again", partial(guarded, partial(self.mark, uid, False)))
            menu.addSeparator()
            menu.addAction("Remove (to the Trash)", partial(guarded, partial(self.drop, key)))
        elif kind == "session":
            menu.addAction("Remove (to the Trash)", partial(guarded, partial(self.drop, key)))
        elif kind == "step":
            collection = self.shell.nav.selected_collection()
            target = Target(key, collection)
            commands = self.shell.collections
            menu.addAction("Edit step…", partial(guarded, partial(self.edit_row, key, kind)))
            menu.addAction("Move up", partial(guarded, partial(commands.move_up, target)))
            menu.addAction("Move down", partial(guarded, partial(commands.move_down, target)))
            menu.addAction("Remove (to the Trash)",
                           partial(guarded, partial(commands.remove_item, target)))  # fmt: skip
        menu.exec(where)

    def mark(self, action_id: str, done: bool) -> None:
        action = self.library.action_done(action_id, done)
        self.shell.nav.refresh_sidebar()
        self.show_sessions()
        self._status(f"{'Done' if done else 'Open again'}: {action.what}", 4000)

    def on_action_done(self) -> None:
        current = self._current()
        if current is not None and current[1] == "action":
            self.mark(current[0].partition(":")[2], True)

    def on_export_sessions(self) -> None:
        """File ▸ Export session records: Word or CSV, for an audit or an inspection."""
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        if self.shell.library is None:
            return
        path, chosen = QFileDialog.getSaveFileName(
            self.widget, "Export session records", "session-records.docx",
            "Word (*.docx);;CSV for a spreadsheet (*.csv)",
        )  # fmt: skip
        if not path:
            return
        target = Path(path)
        wanted = ".csv" if "csv" in chosen.lower() else ".docx"
        if target.suffix.lower() not in (".csv", ".docx"):
            target = target.with_name(target.name + wanted)
        written = self.library.export_sessions(target)
        self._status(f"Saved the session records to {written}", 6000)

    def drop(self, key: str) -> None:
        kind, _, uid = key.partition(":")
        if kind == "action":
            self.library.remove_action(uid)
        else:
            self.library.remove_session(uid)
        self.shell.nav.refresh_sidebar()
        self.show_sessions()
        self._status("Moved to the Trash (right-click it there to restore)", 5000)
