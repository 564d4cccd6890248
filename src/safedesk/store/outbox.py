"""The team outbox: every change to a shared row, logged in the same SQLite transaction as the
change itself, so a crash never loses one and never logs one that did not happen.

Only rows marked `shared` are logged; bookmarks, personal notes and unshared collections and
examples never are. An entry not yet sent absorbs later edits of the same row (its fields are
merged, each field keeping its first `base`); once a sync has frozen it (`sent_at`) it never
changes again, because the server may already hold it under its `change_id`.

`base[field]` is the value this library expects the server to hold for that field: the value of
the newest entry in flight that changed it, else the shadow's (the server's version as last seen).
That keeps a member's own consecutive edits from clashing with each other, while a teammate's edit
in between (the server then holds neither value) is a real conflict (docs/team-sync-design.md §2).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

from safedesk.store.transactions import now

KINDS = ("collection", "collection_item", "example", "document")
ITEM_FIELDS = (
    "collection_uid", "position", "key", "report_key", "report_title", "title", "text", "note",
    "prompts", "minutes",
)  # fmt: skip
EXAMPLE_FIELDS = ("title", "theme_key", "theme_title", "team", "text", "outcomes")
COLLECTION_FIELDS = ("name", "description")


def record(
    conn: sqlite3.Connection,
    kind: str,
    uid: str,
    fields: dict[str, Any] | None = None,
    *,
    op: str = "put",
    at: str | None = None,
) -> None:
    """Log a change to the shared `kind` row `uid` (call inside the change's own transaction)."""
    assert kind in KINDS and op in ("put", "delete")
    fields = dict(fields or {})
    at = at or now()
    unsent = conn.execute(
        "SELECT seq, op, fields, base FROM team_change WHERE kind = ? AND uid = ? "
        "AND sent_at IS NULL AND outcome IS NULL ORDER BY seq DESC LIMIT 1",
        (kind, uid),
    ).fetchone()
    if op == "delete":
        if not _known_to_server(conn, kind, uid):
            # never sent: forget it rather than ask the server to delete what it never had; a
            # collection or example deleted before its share left is simply no longer shared
            conn.execute(
                "DELETE FROM team_change WHERE kind = ? AND uid = ? AND sent_at IS NULL",
                (kind, uid),
            )
            if kind == "collection":
                conn.execute(
                    "DELETE FROM team_change WHERE kind = 'collection_item' AND sent_at IS NULL "
                    "AND json_extract(fields, '$.collection_uid') = ?",
                    (uid,),
                )
            if kind in ("collection", "example"):
                conn.execute(f"UPDATE {kind} SET shared = 0, shared_by = '' WHERE uid = ?", (uid,))
            return
        if unsent is not None:
            conn.execute(
                "UPDATE team_change SET op = 'delete', fields = '{}', changed_at = ? WHERE seq = ?",
                (at, unsent["seq"]),
            )
            return
    elif unsent is not None and unsent["op"] == "put":
        merged = {**json.loads(unsent["fields"]), **fields}
        base = json.loads(unsent["base"])
        for name in fields:
            if name not in base:
                found, value = expected_value(conn, kind, uid, name)
                if found:
                    base[name] = value
        conn.execute(
            "UPDATE team_change SET fields = ?, base = ?, changed_at = ? WHERE seq = ?",
            (json.dumps(merged), json.dumps(base), at, unsent["seq"]),
        )
        return
    elif unsent is not None:  # a put after an unsent delete (restored from the Trash): undo it
        conn.execute("DELETE FROM team_change WHERE seq = ?", (unsent["seq"],))
    shadow = conn.execute(
        "SELECT revision FROM team_shadow WHERE kind = ? AND uid = ?", (kind, uid)
    ).fetchone()
    base = {}
    for name in fields:
        found, value = expected_value(conn, kind, uid, name)
        if found:
            base[name] = value
    conn.execute(
        "INSERT INTO team_change (change_id, kind, uid, op, fields, base, base_revision, "
        "changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            str(uuid.uuid4()), kind, uid, op, json.dumps(fields), json.dumps(base),
            shadow["revision"] if shadow else None, at,
        ),
    )  # fmt: skip


def expected_value(conn: sqlite3.Connection, kind: str, uid: str, name: str) -> tuple[bool, Any]:
    """(found, value): what this library expects the server to hold for one field."""
    for row in conn.execute(
        "SELECT fields FROM team_change WHERE kind = ? AND uid = ? AND sent_at IS NOT NULL "
        "AND outcome IS NULL ORDER BY seq DESC",
        (kind, uid),
    ):
        sent = json.loads(row["fields"])
        if name in sent:
            return True, sent[name]
    shadow = conn.execute(
        "SELECT fields FROM team_shadow WHERE kind = ? AND uid = ?", (kind, uid)
    ).fetchone()
    if shadow is not None:
        known = json.loads(shadow["fields"])
        if name in known:
            return True, known[name]
    return False, None


def _known_to_server(conn: sqlite3.Connection, kind: str, uid: str) -> bool:
    """True if the server has (or may have) the row: a shadow, or a change already sent."""
    return bool(
        conn.execute(
            "SELECT 1 FROM team_shadow WHERE kind = ? AND uid = ? UNION ALL "
            "SELECT 1 FROM team_change WHERE kind = ? AND uid = ? AND sent_at IS NOT NULL",
            (kind, uid, kind, uid),
        ).fetchone()
    )


def pending_fields(conn: sqlite3.Connection, kind: str, uid: str) -> set[str] | None:
    """The fields this library changed and the server has not acknowledged; None if nothing
    is pending for the row (a pending delete counts as every field)."""
    rows = conn.execute(
        "SELECT op, fields FROM team_change WHERE kind = ? AND uid = ? AND outcome IS NULL",
        (kind, uid),
    ).fetchall()
    if not rows:
        return None
    names: set[str] = set()
    for row in rows:
        if row["op"] == "delete":
            names.add("*")
        names.update(json.loads(row["fields"]))
    return names


def linked(conn: sqlite3.Connection) -> bool:
    """True while this library is joined to a team (changes are then worth logging)."""
    row = conn.execute("SELECT state FROM team_link WHERE id = 1").fetchone()
    return row is not None and row["state"] == "joined"


# -- the shared fields of local rows -------------------------------------------------------------
def collection_fields(row: sqlite3.Row) -> dict[str, Any]:
    return {"name": row["name"], "description": row["description"]}


def item_fields(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    """A collection item's shared fields (its position is its place in the team's copy)."""
    collection = conn.execute(
        "SELECT uid FROM collection WHERE id = ?", (row["collection_id"],)
    ).fetchone()
    return {
        "collection_uid": collection["uid"],
        "position": float(row["team_position"] if row["team_position"] is not None
                          else row["position"]),
        "key": row["key"], "report_key": row["report_key"], "report_title": row["report_title"],
        "title": row["title"], "text": row["text"], "note": row["note"],
        "prompts": json.loads(row["prompts"]), "minutes": row["minutes"],
    }  # fmt: skip


def example_fields(row: sqlite3.Row) -> dict[str, Any]:
    return {name: row[name] for name in EXAMPLE_FIELDS}


def shared_collection(conn: sqlite3.Connection, collection_id: int) -> str | None:
    """The uid of the collection if it is shared, else None."""
    row = conn.execute(
        "SELECT uid, shared FROM collection WHERE id = ?", (collection_id,)
    ).fetchone()
    return str(row["uid"]) if row is not None and row["shared"] else None
