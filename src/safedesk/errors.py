"""Errors a user may see. Each carries a one-line message meant for people, not a traceback."""


class LibraryError(Exception):
    """Something the user asked for cannot be done; str(error) says why in one line."""


class ReportFormatError(LibraryError, ValueError):
    """A file cannot be read as a report in the supported layout."""


class NotFoundError(LibraryError):
    """No item, report, theme or authority has the key the user gave."""
