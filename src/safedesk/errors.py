"""Errors a user may see. Each carries a one-line message meant for people, not a traceback."""

from __future__ import annotations

from pathlib import Path


class LibraryError(Exception):
    """Something the user asked for cannot be done; str(error) says why in one line."""


class ReportFormatError(LibraryError, ValueError):
    """A file cannot be read as a report in the supported layout."""


class NotFoundError(LibraryError):
    """No item, report, theme or authority has the key the user gave."""


class ReadOnlyLibraryError(LibraryError):
    """The library folder (or its database file) cannot be written, so it is not opened.

    safedesk never falls back to a new library elsewhere; `path` is what cannot be written.
    """

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class DamagedLibraryError(LibraryError):
    """The library database is damaged; it was moved aside (never overwritten).

    `path` is where the database was, `moved_to` where the damaged file is now (None if it could
    not be moved), `backups` the backups that can replace it, newest first. Restore one with
    `Library.restore_into(data_dir)` (or `safedesk restore-backup`), then open again.
    """

    def __init__(
        self, message: str, path: Path, moved_to: Path | None, backups: list[Path]
    ) -> None:
        super().__init__(message)
        self.path = path
        self.moved_to = moved_to
        self.backups = backups
