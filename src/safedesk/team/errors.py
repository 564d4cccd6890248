"""Errors a team command can meet, each one line for people (LibraryError: exit 1, no traceback)."""

from __future__ import annotations

from safedesk.errors import LibraryError


class TeamError(LibraryError):
    """Something about the team library cannot be done; the message says why."""


class TeamConnectionError(TeamError):
    """The team server cannot be reached, or the connection dropped part-way."""


class PasswordNeededError(TeamConnectionError):
    """The server wants a password and none was found (no .pgpass entry, no prompt possible)."""


class NotATeamLibraryError(TeamError):
    """The database is reachable but holds no team library."""


class NewerTeamSchemaError(TeamError):
    """The team library was set up by a newer safedesk; this one refuses rather than misread it."""


class OlderTeamSchemaError(TeamError):
    """The team library needs `safedesk team upgrade` before this safedesk can use it."""


class TeamPermissionError(TeamError):
    """The server refused: the role lacks the right (not a member, not the administrator...)."""
