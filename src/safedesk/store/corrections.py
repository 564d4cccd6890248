"""The user's corrections to a report's or document's citation: title, authors, year, publisher.

A document's citation is read from its file (metadata and first page), which is often wrong or
thin: `safedesk report edit KEY --year 2021` corrects it. A correction is user data (a re-import
never deletes it) and remembers what the file said when it was made (`was`). It is shown while
the stored report still says that: so it survives importing the same file, or the same edition,
again; when a new edition says something else for that field, the new edition's value is shown
(the correction stays in the table, unused, and is used again if a file says the old value).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from safedesk.errors import LibraryError, NotFoundError
from safedesk.store.transactions import now, transaction

FIELDS = ("title", "authors", "year", "publisher")
Correction = tuple[Any, Any]  # (what the file said, what the user says)


def load(conn: sqlite3.Connection) -> dict[str, dict[str, Correction]]:
    """Every correction, by report key and field."""
    out: dict[str, dict[str, Correction]] = {}
    for row in conn.execute("SELECT report_key, field, was, value FROM citation_correction"):
        out.setdefault(row[0], {})[row[1]] = (_value(row[2]), _value(row[3]))
    return out


def applied(stored: Mapping[str, Any], corrections: Mapping[str, Correction]) -> dict[str, Any]:
    """The fields the user corrected whose stored value is still what it was then."""
    return {
        name: value
        for name, (was, value) in corrections.items()
        if name in FIELDS and stored.get(name) == was
    }


class Corrections:
    """Writing corrections (reading them is the Reader's: it shows reports corrected)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def correct(self, report_key: str, changes: Mapping[str, Any]) -> None:
        """Record `changes` (field -> new value) against the values the imported file gave. A
        change back to what the file says removes that correction."""
        unknown = set(changes) - set(FIELDS)
        if unknown:
            raise LibraryError(
                f"cannot correct {', '.join(sorted(unknown))}; only {', '.join(FIELDS)}"
            )
        if "title" in changes and not str(changes["title"] or "").strip():
            raise LibraryError("a title cannot be empty")
        stored = self.stored_fields(report_key)
        stamp = now()
        with transaction(self.conn) as c:
            for name, value in changes.items():
                if value == stored.get(name):
                    c.execute(
                        "DELETE FROM citation_correction WHERE report_key = ? AND field = ?",
                        (report_key, name),
                    )
                    continue
                c.execute(
                    "INSERT INTO citation_correction (report_key, field, was, value, updated_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(report_key, field) DO UPDATE SET "
                    "was = excluded.was, value = excluded.value, updated_at = excluded.updated_at",
                    (report_key, name, json.dumps(stored.get(name)), json.dumps(value), stamp),
                )

    def reset(self, report_key: str) -> int:
        """Forget every correction of `report_key` (the file's own citation is shown again)."""
        self.stored_fields(report_key)
        with transaction(self.conn) as c:
            done = c.execute("DELETE FROM citation_correction WHERE report_key = ?", (report_key,))
            return int(done.rowcount)

    def stored_fields(self, report_key: str) -> dict[str, Any]:
        """The citation fields as the imported file gave them (NotFoundError: no such report)."""
        row = self.conn.execute(
            "SELECT title, authors, year, publisher FROM report WHERE key = ?", (report_key,)
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"there is no report or document {report_key!r}; see `safedesk reports`"
            )
        return {
            "title": row[0],
            "authors": json.loads(row[1]) if row[1] else [],
            "year": row[2],
            "publisher": row[3],
        }


def _value(raw: str | float | None) -> Any:
    """A stored JSON value (a JSON column has numeric affinity: SQLite keeps "2021" as 2021)."""
    return json.loads(raw) if isinstance(raw, str) else raw
