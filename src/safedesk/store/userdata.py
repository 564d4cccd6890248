"""Reading and writing the user's own data: bookmarks, local examples, and the trash.

Every write is one short transaction (`transactions.transaction`), so once a call returns its
change is on disk; collections are in `collections.py`. Deleting only marks a row (`deleted_at`);
the trash lists marked rows, `restore` clears the mark, `empty_trash` removes them for good.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from safedesk.errors import LibraryError, NotFoundError
from safedesk.store import outbox, running_order
from safedesk.store.collections import Snapshot, free_name, record_new_item, record_order
from safedesk.store.transactions import (
    bump_counter,
    counter,
    insert_row,
    new_uid,
    now,
    short_uid,
    transaction,
)

TRASH_KINDS = ("bookmark", "collection", "item", "example", "step", "session", "action")
TRASH_TABLES = {"item": "collection_item", "step": "session_step", "session": "session_record",
                "action": "session_action"}  # fmt: skip
EXAMPLE_PREFIX = "my-examples/"
__all__ = ["EXAMPLE_PREFIX", "Snapshot", "UserData", "new_uid"]


class UserData:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- bookmarks ----------------------------------------------------------------------------
    def bookmark(
        self,
        key: str,
        snapshot: Snapshot,
        note: str | None,
        tags: list[str] | None,
        replace_tags: bool = False,
    ) -> bool:
        """Add a bookmark, or update the note/tags of an existing one; True if it is new.
        Tags are added to the existing ones unless `replace_tags`."""
        stamp = now()
        with transaction(self.conn) as conn:
            row = conn.execute(
                "SELECT id, tags FROM bookmark WHERE key = ? AND deleted_at IS NULL", (key,)
            ).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO bookmark (key, title, note, tags, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (key, snapshot.title, note or "", json.dumps(_tags(tags or [])), stamp, stamp),
                )
                return True
            kept = [] if replace_tags else json.loads(row["tags"])
            merged = _tags(kept + (tags or []))
            conn.execute(
                "UPDATE bookmark SET title = ?, note = COALESCE(?, note), tags = ?, updated_at = ? "
                "WHERE id = ?",
                (snapshot.title, note, json.dumps(merged), stamp, row["id"]),
            )
            return False

    def unbookmark(self, key: str) -> None:
        with transaction(self.conn) as conn:
            done = conn.execute(
                "UPDATE bookmark SET deleted_at = ? WHERE key = ? AND deleted_at IS NULL",
                (now(), key),
            )
            if done.rowcount == 0:
                raise NotFoundError(f"{key} is not bookmarked")

    def bookmarks(self, tag: str | None = None) -> list[sqlite3.Row]:
        rows = self.conn.execute(
            "SELECT * FROM bookmark WHERE deleted_at IS NULL ORDER BY created_at, id"
        ).fetchall()
        if tag:
            rows = [
                r for r in rows if tag.casefold() in (t.casefold() for t in json.loads(r["tags"]))
            ]
        return rows

    def count_bookmarks(self) -> int:
        return int(
            self.conn.execute("SELECT count(*) FROM bookmark WHERE deleted_at IS NULL").fetchone()[
                0
            ]
        )

    def bookmark_for(self, key: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM bookmark WHERE key = ? AND deleted_at IS NULL", (key,)
        ).fetchone()
        return row

    # -- local examples -----------------------------------------------------------------------
    def add_example(self, fields: dict[str, str], uid: str | None = None) -> str:
        stamp = now()
        with transaction(self.conn) as conn:
            uid = uid or short_uid(conn, "example")
            insert_row(conn, "example", {
                "uid": uid, "title": fields["title"], "theme_key": fields.get("theme_key", ""),
                "theme_title": fields.get("theme_title", ""), "team": fields.get("team", ""),
                "text": fields.get("text", ""), "outcomes": fields.get("outcomes", ""),
                "origin": fields.get("origin", ""), "created_at": stamp, "updated_at": stamp,
            })  # fmt: skip
            bump_counter(conn, "examples_generation")
        return uid

    def edit_example(self, uid: str, fields: dict[str, str]) -> None:
        allowed = ("title", "theme_key", "theme_title", "team", "text", "outcomes")
        changes = {k: v for k, v in fields.items() if k in allowed}
        if not changes:
            return
        with transaction(self.conn) as conn:
            done = conn.execute(
                f"UPDATE example SET {', '.join(f'{k} = ?' for k in changes)}, updated_at = ? "
                "WHERE uid = ? AND deleted_at IS NULL",
                [*changes.values(), now(), uid],
            )
            if done.rowcount == 0:
                raise NotFoundError(f"there is no example {uid!r}; see `safedesk examples`")
            bump_counter(conn, "examples_generation")
            if _shared_example(conn, uid):
                outbox.record(conn, "example", uid, changes)

    def remove_example(self, uid: str) -> None:
        with transaction(self.conn) as conn:
            shared = _shared_example(conn, uid)
            done = conn.execute(
                "UPDATE example SET deleted_at = ? WHERE uid = ? AND deleted_at IS NULL",
                (now(), uid),
            )
            if done.rowcount == 0:
                raise NotFoundError(f"there is no example {uid!r}; see `safedesk examples`")
            bump_counter(conn, "examples_generation")
            if shared:
                outbox.record(conn, "example", uid, op="delete")

    def examples(self) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM example WHERE deleted_at IS NULL ORDER BY created_at, id"
        ).fetchall()

    def example(self, uid: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM example WHERE uid = ? AND deleted_at IS NULL", (uid,)
        ).fetchone()
        return row

    # -- trash --------------------------------------------------------------------------------
    def trash(self) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        for r in self.conn.execute("SELECT * FROM bookmark WHERE deleted_at IS NOT NULL"):
            entries.append(_entry("bookmark", r["id"], f"Bookmark: {r['title'] or r['key']}", r))
        for r in self.conn.execute("SELECT * FROM collection WHERE deleted_at IS NOT NULL"):
            entries.append(_entry("collection", r["id"], f"Collection: {r['name']}", r))
        for r in self.conn.execute(
            "SELECT i.*, c.name AS collection_name FROM collection_item i "
            "JOIN collection c ON c.id = i.collection_id "
            "WHERE i.deleted_at IS NOT NULL AND c.deleted_at IS NULL"
        ):
            label = f"Item in {r['collection_name']}: {r['title'] or r['key']}"
            entries.append(_entry("item", r["id"], label, r))
        for r in self.conn.execute("SELECT * FROM example WHERE deleted_at IS NOT NULL"):
            entries.append(_entry("example", r["id"], f"My example: {r['title']}", r))
        for r in self.conn.execute(
            "SELECT s.*, c.name AS collection_name FROM session_step s "
            "JOIN collection c ON c.id = s.collection_id "
            "WHERE s.deleted_at IS NOT NULL AND c.deleted_at IS NULL"
        ):
            label = f"Step in {r['collection_name']}: {r['title']}"
            entries.append(_entry("step", r["id"], label, r))
        for r in self.conn.execute("SELECT * FROM session_record WHERE deleted_at IS NOT NULL"):
            label = f"Session record: {r['held_on']} {r['collection_name']}"
            entries.append(
                _entry("session", r["id"], label + (f" ({r['team']})" if r["team"] else ""), r)
            )
        for r in self.conn.execute(
            "SELECT a.*, r.held_on FROM session_action a "
            "JOIN session_record r ON r.id = a.record_id "
            "WHERE a.deleted_at IS NOT NULL AND r.deleted_at IS NULL"
        ):
            entries.append(_entry("action", r["id"], f"Action ({r['held_on']}): {r['what']}", r))
        return sorted(entries, key=lambda e: e["deleted_at"], reverse=True)

    def restore(self, trash_id: str) -> str:
        """Bring back a trashed row (`kind:id` as listed by `trash`); returns what came back."""
        kind, _, raw_id = trash_id.partition(":")
        if kind not in TRASH_KINDS or not raw_id.isdigit():
            raise LibraryError(f"{trash_id!r} is not a trash id; `safedesk trash` lists them")
        table = TRASH_TABLES.get(kind, kind)
        row_id = int(raw_id)
        with transaction(self.conn) as conn:
            row = conn.execute(
                f"SELECT * FROM {table} WHERE id = ? AND deleted_at IS NOT NULL", (row_id,)
            ).fetchone()
            if row is None:
                raise NotFoundError(f"{trash_id} is not in the trash")
            copied = _restore_shared(conn, kind, row)
            if kind == "collection":
                name = free_name(conn, row["name"])
                conn.execute(
                    "UPDATE collection SET deleted_at = NULL, name = ? WHERE id = ?", (name, row_id)
                )
                if copied:
                    return f"collection {name!r} (no longer shared: the team deleted it)"
                return f"collection {name!r}" + (
                    f" (renamed from {row['name']!r})" if name != row["name"] else ""
                )
            if kind == "bookmark" and self.bookmark_for(row["key"]) is not None:
                raise LibraryError(f"{row['key']} is bookmarked again already")
            conn.execute(f"UPDATE {table} SET deleted_at = NULL WHERE id = ?", (row_id,))
            if kind in ("item", "step"):  # back in its place in the running order
                running_order.insert_at(conn, row["collection_id"], kind, row_id, row["position"])
            if kind == "item" and copied:  # back in a shared collection: a new item for the team
                uid = conn.execute(
                    "SELECT uid FROM collection_item WHERE id = ?", (row_id,)
                ).fetchone()[0]
                record_new_item(conn, row["collection_id"], uid)
                record_order(conn, row["collection_id"])  # at its old place in the team's copy too
            if kind == "example":
                bump_counter(conn, "examples_generation")
            return f"{kind} {_label(row, row_id)}"

    def empty_trash(self) -> int:
        with transaction(self.conn) as conn:
            count = 0
            for table in ("bookmark", "collection_item", "example", "session_step",
                          "session_action", "session_record"):  # fmt: skip
                count += conn.execute(f"DELETE FROM {table} WHERE deleted_at IS NOT NULL").rowcount
            doomed = [
                r[0] for r in conn.execute("SELECT id FROM collection WHERE deleted_at IS NOT NULL")
            ]
            for cid in doomed:  # its items and steps go with it; records of its sessions stay
                conn.execute("DELETE FROM collection_item WHERE collection_id = ?", (cid,))
                conn.execute("DELETE FROM session_step WHERE collection_id = ?", (cid,))
                conn.execute(
                    "UPDATE session_record SET collection_id = NULL WHERE collection_id = ?", (cid,)
                )
            count += conn.execute("DELETE FROM collection WHERE deleted_at IS NOT NULL").rowcount
        return count

    def generation(self, name: str) -> int:
        return counter(self.conn, name)


def _shared_example(conn: sqlite3.Connection, uid: str) -> bool:
    row = conn.execute(
        "SELECT shared FROM example WHERE uid = ? AND deleted_at IS NULL", (uid,)
    ).fetchone()
    return bool(row is not None and row["shared"])


def _restore_shared(conn: sqlite3.Connection, kind: str, row: sqlite3.Row) -> bool:
    """Before a shared thing comes back from the Trash: if its deletion never left this library,
    forget the deletion (it stays shared). If the team has deleted it (deletions are final on the
    server), it comes back as a copy with a new identity: a collection or example no longer
    shared, an item as a new item of its shared collection. True for a copy."""
    table = {"item": "collection_item"}.get(kind, kind)
    team_kind = {"item": "collection_item"}.get(kind, kind)
    if kind == "item":
        parent = conn.execute(
            "SELECT shared FROM collection WHERE id = ?", (row["collection_id"],)
        ).fetchone()
        shared = bool(parent and parent["shared"])
    else:
        shared = kind in ("collection", "example") and bool(row["shared"])
    if not shared:
        return False
    conn.execute(
        "DELETE FROM team_change WHERE kind = ? AND uid = ? AND op = 'delete' AND sent_at IS NULL",
        (team_kind, row["uid"]),
    )
    gone = conn.execute(
        "SELECT 1 FROM team_shadow WHERE kind = ? AND uid = ? AND deleted = 1 UNION ALL "
        "SELECT 1 FROM team_change WHERE kind = ? AND uid = ? AND op = 'delete'",
        (team_kind, row["uid"], team_kind, row["uid"]),
    ).fetchone()
    if gone is None:  # its deletion never reached the team (forgotten above): still shared
        return False
    conn.execute(f"UPDATE {table} SET uid = ? WHERE id = ?", (new_uid(), row["id"]))
    if kind == "collection":
        conn.execute("UPDATE collection SET shared = 0, shared_by = '' WHERE id = ?", (row["id"],))
        for item in conn.execute(
            "SELECT id FROM collection_item WHERE collection_id = ?", (row["id"],)
        ).fetchall():
            conn.execute(
                "UPDATE collection_item SET uid = ?, team_position = NULL WHERE id = ?",
                (new_uid(), item["id"]),
            )
    elif kind == "example":
        conn.execute("UPDATE example SET shared = 0, shared_by = '' WHERE id = ?", (row["id"],))
    return True


def _entry(kind: str, row_id: int, label: str, row: sqlite3.Row) -> dict[str, Any]:
    return {"id": f"{kind}:{row_id}", "kind": kind, "label": label, "deleted_at": row["deleted_at"]}


def _label(row: sqlite3.Row, row_id: int) -> str:
    for name in ("title", "what", "collection_name"):
        if name in row.keys():  # noqa: SIM118 (a Row)
            return str(row[name])
    return str(row_id)


def _tags(tags: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return list(seen.values())
