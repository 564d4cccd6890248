"""Library ▸ Team…: join a team library, see where this library stands, sync now, leave; and the
conflict copies, each opened side by side with the version here (`ConflictDialog`).

Members and the editor right are IT's job, in the command line (`safedesk team add-member`,
`team grant`). Everything a teammate wrote is shown as plain text, never as markup.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from safedesk.ui.plain import tooltip
from safedesk.ui.workers import Worker

if TYPE_CHECKING:
    from safedesk.library import Library
    from safedesk.ui.team_sync import TeamSync

FIELD_LABELS = {
    "name": "Name", "description": "Description", "note": "Note", "prompts": "Prompts",
    "minutes": "Minutes", "position": "Place in the collection", "title": "Title",
    "team": "Team", "text": "Text", "outcomes": "Outcomes", "theme_title": "Theme",
}  # fmt: skip


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class TeamDialog(QDialog):
    """Join, status, sync now, leave; and the conflict copies to look at."""

    def __init__(self, library: Library, sync: TeamSync, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.sync = sync
        self.worker: Worker | None = None
        self.setWindowTitle("Team library")
        self.status = _plain_label()
        self.message = _plain_label()
        self.message.setAccessibleName("Team message")

        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://you@db.council.example/safeguarding")
        self.url.setAccessibleName("Team library address")
        self.member = QLineEdit()
        self.member.setAccessibleName("Your name on the team")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("leave empty to use ~/.pgpass")
        self.password.setAccessibleName("Password (kept in memory only)")
        self.join_button = QPushButton("&Join")
        self.join_button.clicked.connect(self.join)
        self.join_form = QWidget()
        form = QFormLayout(self.join_form)
        form.addRow(_plain_label(
            "Ask your IT team for the team library's address and a role of your own."
        ))  # fmt: skip
        form.addRow("&Address:", self.url)
        form.addRow("Your &name:", self.member)
        form.addRow("&Password:", self.password)
        form.addRow(self.join_button)

        self.sync_button = QPushButton("&Sync now")
        self.sync_button.clicked.connect(self.sync_now)
        self.sync_password = QLineEdit()
        self.sync_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sync_password.setPlaceholderText("password, if the server asks")
        self.sync_password.setAccessibleName("Password for syncing (kept in memory only)")
        self.leave_button = QPushButton("&Leave the team…")
        self.leave_button.clicked.connect(self.leave)
        self.conflicts = QListWidget()
        self.conflicts.setAccessibleName("Conflict copies")
        self.conflicts.setWordWrap(True)
        self.conflicts.itemActivated.connect(lambda _item: self.compare())
        self.compare_button = QPushButton("&Compare…")
        self.compare_button.clicked.connect(self.compare)
        self.joined_box = QWidget()
        box = QVBoxLayout(self.joined_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.sync_password)
        buttons.addStretch(1)
        buttons.addWidget(self.leave_button)
        box.addLayout(buttons)
        box.addWidget(_plain_label(
            "When two people change the same thing while apart, the later change is kept and the "
            "other version is kept as a conflict copy:"
        ))  # fmt: skip
        box.addWidget(self.conflicts)
        box.addWidget(self.compare_button, 0, Qt.AlignmentFlag.AlignRight)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.join_form)
        layout.addWidget(self.joined_box)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.sync.synced.connect(self._synced)
        self.sync.failed.connect(self._sync_failed)
        self.resize(560, 460)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # View ▸ Larger text while it is open
            self._fit()

    def _fit(self) -> None:
        """Room for a few conflict copies and every line at any text size, within the screen:
        the dialog grows to what its contents ask for, never past the screen."""
        frame = 2 * self.conflicts.frameWidth()
        self.conflicts.setMinimumHeight(4 * self.conflicts.fontMetrics().lineSpacing() + frame)
        room = self.screen().availableGeometry().size()
        self.resize(self.size().expandedTo(self.sizeHint()).boundedTo(room))

    # -- showing ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        status = self.library.team.status()
        joined = status.get("team") is not None and status.get("state") == "joined"
        self.join_form.setVisible(not joined)
        self.joined_box.setVisible(joined)
        if not joined:
            self.status.setText("This library is not part of a team library." if status["team"]
                                is None else f"You left the team {status['team']}.")  # fmt: skip
        else:
            lines = [
                f"Team: {status['team']} ({status['server']})",
                f"You: {status['member']}" + (", an editor" if status.get("editor") else ""),
                f"Last sync: {(status.get('last_sync') or 'never')[:16].replace('T', ' ')}",
                f"Changes waiting to be sent: {status['pending']}",
            ]
            if status.get("last_error"):
                lines.append(f"Last attempt: {status['last_error']}")
            self.sync_password.setVisible(self.sync.needs_password)
            self.status.setText("\n".join(lines))
        self.conflicts.clear()
        for c in self.library.team.conflicts():
            where = f" in {c['collection']}" if c["collection"] and c["key"] else ""
            item = QListWidgetItem(f"{whose(c)} of {c['title']}{where} "
                                   f"({', '.join(c['clashed']) or c['reason']})")  # fmt: skip
            item.setData(Qt.ItemDataRole.UserRole, c["id"])
            item.setToolTip(tooltip(item.text()))
            self.conflicts.addItem(item)
        if self.conflicts.count():
            self.conflicts.setCurrentRow(0)
        self.compare_button.setEnabled(self.conflicts.count() > 0)
        self._fit()

    # -- doing ------------------------------------------------------------------------------------
    def join(self) -> None:
        url, member = self.url.text().strip(), self.member.text().strip()
        if not url or not member:
            self.message.setText("Give the team library's address and your name on the team.")
            return
        password = self.password.text() or None
        self.password.clear()
        library = self.library

        def job(progress: Any) -> Any:
            return library.team.join(
                url, member, prompt=(lambda _q: password) if password else None
            )

        if password:
            self.sync.password = password  # for this session's background syncs; never written
        self._run(job, "Joining…")

    def sync_now(self) -> None:
        if self.sync_password.text():
            self.sync.password = self.sync_password.text()  # this session only; never written
            self.sync_password.clear()
        if self.sync.sync_now():
            self.message.setText("Syncing…")
            self.sync_button.setEnabled(False)

    def leave(self) -> None:
        answer = QMessageBox.question(
            self, "Leave the team",
            "Leave the team library? Everything shared stays in your library as your own copy; "
            "changes not sent yet are kept here and never sent.",
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            unsent = self.library.team.leave()
            self.message.setText(
                "You left the team." + (f" {unsent} changes were never sent." if unsent else "")
            )
            self.sync.tick()
            self.refresh()

    def compare(self) -> None:
        item = self.conflicts.currentItem()
        if item is None:
            return
        dialog = ConflictDialog(self.library, str(item.data(Qt.ItemDataRole.UserRole)), self)
        self.conflict_dialog = dialog  # reachable for tests while it is open
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()

    def _run(self, job: Any, label: str) -> None:
        if self.worker is not None:
            return
        self.message.setText(label)
        self.join_button.setEnabled(False)
        worker = Worker(job)
        worker.finished.connect(self._joined)
        worker.failed.connect(self._join_failed)
        self.worker = worker
        worker.start()

    def _joined(self, report: Any) -> None:
        self._worker_done()
        self.message.setText(f"Joined. Received {report.pulled} shared things.")
        self.refresh()
        self.sync.tick()
        self.sync.synced.emit(report)

    def _join_failed(self, message: str) -> None:
        self._worker_done()
        self.message.setText(f"Could not join: {message}")

    def _worker_done(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.worker_thread.wait(5000)
        self.join_button.setEnabled(True)

    def _synced(self, report: Any) -> None:
        self.sync_button.setEnabled(True)
        self.message.setText(f"Synced: sent {report.pushed}, received {report.pulled}.")
        self.refresh()

    def _sync_failed(self, message: str) -> None:
        self.sync_button.setEnabled(True)
        self.message.setText(f"Not synced: {message}")
        self.refresh()


class ConflictDialog(QDialog):
    """A conflict copy beside the version here now, both as plain text; use it, or dismiss it."""

    def __init__(self, library: Library, copy_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.copy_id = copy_id
        [about] = [c for c in library.team.conflicts(include_resolved=True) if c["id"] == copy_id]
        current, theirs = library.team.conflict_versions(copy_id)
        who = whose(about)
        self.setWindowTitle("Compare versions")
        why = {
            "stale": "a later change to the same thing won",
            "not-permitted": "it was not theirs to change (only who shared it, or an editor)",
            "deleted": "the thing had been deleted meanwhile",
        }.get(about["reason"], about["reason"])
        heading = _plain_label(
            f"{who} of {about['title']} was kept as a copy because {why} "
            f"({', '.join(about['clashed']) or about['reason']})."
        )
        self.current = QPlainTextEdit(_describe(current, about["clashed"]))
        self.current.setReadOnly(True)
        self.current.setAccessibleName("The version here now")
        self.theirs = QPlainTextEdit(_describe(theirs, about["clashed"]))
        self.theirs.setReadOnly(True)
        self.theirs.setAccessibleName(f"{who}, a conflict copy")
        sides = QHBoxLayout()
        for title, edit in (("Here now", self.current), (f"{who} (conflict copy)", self.theirs)):
            column = QVBoxLayout()
            column.addWidget(_plain_label(title))
            column.addWidget(edit)
            sides.addLayout(column)
        self.use_button = QPushButton("&Use this version")
        self.use_button.setToolTip("Make the conflict copy's words the current ones")
        self.use_button.clicked.connect(lambda: self._resolve(use=True))
        self.dismiss_button = QPushButton("&Dismiss")
        self.dismiss_button.setToolTip("Keep the version here now and put the copy away")
        self.dismiss_button.clicked.connect(lambda: self._resolve(use=False))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.dismiss_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.error = _plain_label()
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(sides, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def _resolve(self, *, use: bool) -> None:
        from safedesk.errors import LibraryError

        try:
            self.library.team.resolve(self.copy_id, use=use)
        except LibraryError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


def whose(conflict: dict[str, Any]) -> str:
    """ "Your version", "Asha's version", "The collection file's version"."""
    if conflict.get("yours"):
        return "Your version"
    author = str(conflict["author"])
    return f"{author[:1].upper()}{author[1:]}'s version"


def _describe(fields: dict[str, Any], clashed: list[str]) -> str:
    """A version as plain lines, the fields that clashed first (an item's place only if it
    clashed: its number means nothing to people)."""
    order = [*clashed, *[k for k in FIELD_LABELS if k not in clashed and k != "position"]]
    snapshot = ("title", "text") if "key" in fields else ()  # an item's copy of the report text
    lines = []
    for name in order:
        if name not in fields or (name in snapshot and name not in clashed):
            continue
        value = fields[name]
        if name == "prompts" and isinstance(value, list):
            shown = "\n".join(f"  ? {p}" for p in value) or "  (none)"
            lines.append(f"{FIELD_LABELS[name]}:\n{shown}")
            continue
        if name == "position":
            value = "moved (see the collection's order)"
        shown = "(none)" if value in (None, "") else str(value)
        lines.append(f"{FIELD_LABELS.get(name, name)}: {shown}")
    extra = {k: v for k, v in fields.items() if k not in FIELD_LABELS and k not in (
        "collection_uid", "key", "kind", "report_key", "report_title")}  # fmt: skip
    if extra:
        lines.append(json.dumps(extra, ensure_ascii=False))
    return "\n".join(lines)


def open_conflict(library: Library, uid: str, parent: QWidget) -> ConflictDialog | None:
    """Open the first conflict copy of the thing `uid` beside its version here (None: none)."""
    found = library.team.conflicts_for(uid)
    if not found:
        return None
    dialog = ConflictDialog(library, found[0]["id"], parent)
    dialog.open()
    return dialog
