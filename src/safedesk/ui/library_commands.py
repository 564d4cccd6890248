"""The window's commands on the library as a whole: opening it (with recovery when it is damaged),
importing and exporting, your own examples, export and print, backups, checks and the index."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from safedesk.errors import DamagedLibraryError, LibraryError
from safedesk.library import Library
from safedesk.ui.plain import message as show

if TYPE_CHECKING:
    from safedesk.ui.export.dialog import ExportTargets
    from safedesk.ui.original_view import OriginalView
    from safedesk.ui.shell import Shell

log = logging.getLogger(__name__)
IMPORTABLE = (".json", ".txt", ".md", ".pdf", ".docx")  # collection files; reports, documents


class LibraryCommands(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell.window())
        self.shell = shell
        self.widget = shell.window()  # the parent of its dialogs
        self.original_view: OriginalView | None = None  # made when first asked for
        self.last_import: Any = None  # the summary of the last import (for tests and the status)

    def _status(self, text: str, msecs: int = 0) -> None:
        self.shell.statusBar().showMessage(text, msecs)

    # -- opening the library off the GUI thread -------------------------------------------------
    def start(self) -> None:
        data_dir = self.shell.data_dir

        def job(progress: Any) -> Library:
            library = Library.open(data_dir, progress=progress)
            library.ensure_index(progress)
            library.glossary_index()  # loaded here, not on the GUI thread at the first reading
            return library

        self.shell.background.run(
            "Opening your library…", job, self.shell.opened,
            "Your library could not be opened", rescue=self._rescue,
        )  # fmt: skip

    def _rescue(self, error: Exception) -> bool:
        if isinstance(error, DamagedLibraryError):
            self.offer_recovery(error)
            return True
        return False

    def offer_recovery(self, error: DamagedLibraryError) -> None:
        """The library file is damaged (and was moved aside, never overwritten): offer to restore
        the newest backup, or to start an empty library, or to leave things as they are."""
        from safedesk.ui.recovery import RecoveryDialog

        log.error("library damaged: %s", error)
        dialog = RecoveryDialog(error, self.widget)
        self.recovery_dialog = dialog  # reachable for tests while it is open
        choice = dialog.exec_choice()
        if choice == "restore":
            try:
                used = Library.restore_into(self.shell.data_dir)  # the newest healthy backup
            except LibraryError as exc:
                show(
                    self.widget,
                    f"The backup could not be restored: {exc}",
                    QMessageBox.Icon.Critical,
                )
                return
            self._status(f"Restored the backup {used.name}", 8000)
            self.start()
        elif choice == "empty":
            Library.start_empty(self.shell.data_dir)
            self.start()
        else:
            self._status(
                "The library is not open. Its damaged file was kept; see Help for "
                "`safedesk restore-backup`."
            )

    # -- importing and exporting ----------------------------------------------------------------
    def on_import_report(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.widget, "Import a report or document", "",
            "Reports and documents (*.pdf *.docx *.txt *.md);;PDF (*.pdf);;Word (*.docx);;"
            "Text (*.txt *.md)",
        )  # fmt: skip
        if path:
            self.import_report(path)

    def import_report(self, path: str) -> None:
        """Import a report or document (PDF, Word, text) off the GUI thread, with progress; a
        file that cannot be imported is one plain message, and the library is unchanged."""
        library = self.shell.library
        if library is None:
            return

        def done(summary: Any) -> None:
            self.shell.content_changed()
            self.last_import = summary
            self._status(summary.text())

        def job(progress: Any, cancelled: Any) -> Any:
            return library.import_report(path, progress, cancelled=cancelled)

        # Cancel stops it at any point before the report is stored (all or nothing); a Cancel
        # pressed while the search index is updated comes too late, and the import completes.
        self.shell.background.run(
            f"Importing {Path(path).name}…", job, done, f"{Path(path).name} could not be imported",
            cancellable=True, stopped=f"Cancelled: {Path(path).name} was not imported",
        )  # fmt: skip

    def open_original(self, key: str) -> None:
        """Show the kept original PDF of `key` at its page, with its words marked."""
        from safedesk.ui.original_view import OriginalView

        library = self.shell.library
        if library is None:
            return
        original = library.original(key)
        if original is None or original.format != "pdf":
            self._status("The original file of this item is not in the library.", 6000)
            return
        if self.original_view is None:
            self.original_view = OriginalView(self.widget)
        self.original_view.show_original(original)

    def on_import_collection(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.widget, "Import a collection", "", "Collections (*.json)"
        )
        if path:
            self.import_collection(path)

    def import_collection(self, path: str) -> None:
        if self.shell.library is None:
            return
        result = self.shell.library.import_collection(path)
        self.shell.nav.refresh_sidebar()
        self._status(result.summary(), 8000)
        notice = QMessageBox(QMessageBox.Icon.Information, "safedesk", result.summary())
        notice.setParent(self.widget, notice.windowFlags())
        notice.setTextFormat(Qt.TextFormat.PlainText)  # names in the file are the sender's text
        self.notice = notice
        notice.open()  # not modal: a dropped file must not block the drop

    def import_files(self, paths: list[Path]) -> None:
        """Files dropped on the window: collection files and reports."""
        for path in paths:
            load = self.import_collection if path.suffix.lower() == ".json" else self.import_report
            self.shell.guarded(partial(load, str(path)))

    def on_export_collection(self) -> None:
        name = self.shell.nav.selected_collection()
        if name is None or self.shell.library is None:
            show(
                self.widget,
                "Select a collection in the sidebar first.",
                QMessageBox.Icon.Information,
            )
            return
        self.export_collection(name)

    def export_collection(self, name: str) -> None:
        assert self.shell.library is not None
        from safedesk.ui.export.choices import slug

        path, _ = QFileDialog.getSaveFileName(
            self.widget, "Export collection", f"{slug(name)}.json", "Collections (*.json)"
        )
        if path:
            self.shell.library.export_collection(name, path)
            self._status(f"Saved {path}", 5000)

    def on_example(self) -> None:
        """Add an example of your own, or edit the one you are reading."""
        from safedesk.ui.example_dialog import ExampleDialog

        library = self.shell.library
        if library is None:
            return
        key = self.shell.notes.key
        current = library.example(key) if key and key.startswith("my-examples/") else None
        dialog = ExampleDialog(library, current, self.widget)
        self.example_dialog = dialog  # reachable for tests while it is open
        if dialog.exec() != ExampleDialog.DialogCode.Accepted:
            return
        values = dialog.values()
        values["theme"] = values["theme"] or ""
        if current is None:
            saved = library.add_example(**{k: v for k, v in values.items() if v or k == "title"})
        else:
            theme = values.pop("theme")
            saved = library.edit_example(current.id, **values)
            if theme and theme != current.theme_key:
                saved = library.edit_example(current.id, theme=theme)
        self.shell.nav.refresh_sidebar()
        self.shell.nav.open(saved.key)
        self._status(f"Saved your example {saved.title!r}", 5000)

    # -- export and print -----------------------------------------------------------------------
    def on_export_pdf(self) -> None:
        """Ctrl+E: the export dialog, offering what fits what is open, with a live preview."""
        from safedesk.ui.export.dialog import ExportDialog

        targets = self.export_targets()
        if targets is None or self.shell.library is None:
            return
        dialog = ExportDialog(self.shell.library, targets[0], self.widget, kind=targets[1])
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda path: self._status(f"Saved {path}", 6000))
        dialog.cancelled.connect(lambda text: self._status(text, 6000))
        self.export_dialog = dialog  # reachable for tests while it is open
        dialog.open()

    def on_print(self) -> None:
        """Ctrl+P: the same dialog, going straight on to the print dialog."""
        from safedesk.ui.export.dialog import print_now

        targets = self.export_targets()
        if targets is None or self.shell.library is None:
            return
        dialog = print_now(self.shell.library, targets[0], self.widget, kind=targets[1])
        dialog.printed.connect(
            lambda pages: self._status(f"Sent {pages} pages to the printer", 6000)
        )
        self.export_dialog = dialog

    def export_targets(self) -> tuple[ExportTargets, str | None] | None:
        """What can be exported from here (the item read, its theme and authority, the selected
        collection) and which of those to offer first."""
        from safedesk.ui.export.dialog import ExportTargets

        library = self.shell.library
        if library is None:
            return None
        collection = self.shell.nav.selected_collection()
        key = self.shell.notes.key or self.shell.nav.reading_key
        theme = authority = None
        first: str | None = "pack" if collection else None
        if key:
            item = library.get(key)
            if item.kind == "theme":
                theme, first = key, first or "theme"
            elif item.kind == "authority":
                authority, first = key, first or "authority"
            else:
                theme = getattr(item, "theme_key", None) or None
                authority = getattr(item, "authority_key", None) or None
                readable = item.kind in ("practice", "example")  # as a practice sheet
                first = first or ("sheet" if readable else "seven")
        if not (collection or key):
            show(
                self.widget,
                "Open a practice, or select a collection, first.",
                QMessageBox.Icon.Information,
            )
            return None
        sheet = key if key and first not in ("theme", "authority") else None
        targets = ExportTargets(key=sheet, theme=theme, authority=authority, collection=collection)
        return targets, first

    # -- safekeeping ----------------------------------------------------------------------------
    def on_backup(self) -> None:
        """A backup off the GUI thread (a large library takes a moment to copy). One step of
        SQLite's backup API: nothing to cancel midway, so its dialog has no Cancel."""
        library = self.shell.library
        if library is not None:
            self.shell.background.run(
                "Backing up your library…", lambda _progress: library.backup(),
                lambda path: self._status(f"Backed up to {path}", 8000),
                "The library could not be backed up",
            )  # fmt: skip

    def on_restore_backup(self) -> None:
        """Choose a backup; the library as it is now is backed up first, so this can be undone."""
        library = self.shell.library
        if library is None:
            return
        folder = library.data_dir / "backups"
        path, _ = QFileDialog.getOpenFileName(
            self.widget, "Restore a backup", str(folder), "safedesk backups (*.sqlite3)"
        )
        if not path:
            return
        answer = QMessageBox.question(
            self.widget, "Restore a backup",
            "Replace your library with this backup? Your library as it is now is backed up "
            "first, so you can come back to it.",
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.shell.notes.save()

        def done(safety: Path) -> None:
            self.shell.content_changed()
            self.shell.nav.show_node(*self.shell.nav.current_node())
            self._status(f"Restored {Path(path).name}; the state before is {safety.name}")

        self.shell.background.run(
            "Restoring the backup…", lambda progress: library.restore_backup(path, progress),
            done, "The backup could not be restored",
        )  # fmt: skip

    def on_doctor(self) -> None:
        if self.shell.library is None:
            return
        report = self.shell.library.doctor()
        icon = QMessageBox.Icon.Information if report.healthy else QMessageBox.Icon.Warning
        show(self.widget, report.text(), icon)

    def on_reindex(self) -> None:
        library = self.shell.library
        if library is None:
            return
        self.shell.background.run(
            "Rebuilding the search index…", library.rebuild_index,
            lambda _result: self._status("The search index was rebuilt", 6000),
            "The search index could not be rebuilt",
        )  # fmt: skip


def importable_files(data: Any) -> list[Path]:
    """Local files a drop carries that safedesk can import: collections (.json), reports and
    documents (.pdf, .docx, .txt, .md)."""
    if not data.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in IMPORTABLE and p.is_file()]
