"""Reading and writing the user's own data: bookmarks, collections, local examples, the trash.

Every write is one short `BEGIN IMMEDIATE` transaction on a connection with synchronous=FULL, so
once a call returns its change is on disk. Deleting only marks a row (`deleted_at`); the trash
lists marked rows, `restore` clears the mark, `empty_trash` removes them for good.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from safedesk.errors import LibraryError, NotFoundError
from safedesk.store.database import write_error

TRASH_KINDS = ("bookmark", "collection", "item", "example")
EXAMPLE_PREFIX = "my-examples/"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_uid() -> str:
    return uuid.uuid4().hex


@dataclass
class Snapshot:
    """What a key pointed at when the user kept it: enough to show it if it goes away."""

    title: str
    text: str
    report_key: str = ""
    report_title: str = ""


class UserData:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; it takes the write lock at once (no deadlocks)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise LibraryError(
                    "the library is busy (another safedesk is writing to it); try again"
                ) from None
            raise write_error(exc, "save the change") from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            if self.conn.in_transaction:  # SQLite may have rolled back already (disk full)
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise write_error(exc, "save the change") from None
            raise

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
        with self.write() as conn:
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
        with self.write() as conn:
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

    def bookmark_for(self, key: str) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT * FROM bookmark WHERE key = ? AND deleted_at IS NULL", (key,)
        ).fetchone()

    # -- collections --------------------------------------------------------------------------
    def collection(self, name: str) -> sqlite3.Row:
        row = self.conn.execute(
            "SELECT * FROM collection WHERE name = ? AND deleted_at IS NULL", (name,)
        ).fetchone()
        if row is None:
            row = self.conn.execute(
                "SELECT * FROM collection WHERE lower(name) = lower(?) AND deleted_at IS NULL",
                (name,),
            ).fetchone()
        if row is None:
            raise NotFoundError(
                f"there is no collection called {name!r}; see `safedesk collections`"
            )
        return row

    def collections(self) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM collection WHERE deleted_at IS NULL ORDER BY lower(name), id"
        ).fetchall()

    def items(self, collection_id: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM collection_item WHERE collection_id = ? AND deleted_at IS NULL "
            "ORDER BY position, id",
            (collection_id,),
        ).fetchall()

    def item(self, collection_id: int, key: str) -> sqlite3.Row | None:
        """One live item of a collection (not all of them: a pack asks once per item)."""
        return self.conn.execute(
            "SELECT * FROM collection_item WHERE collection_id = ? AND key = ? "
            "AND deleted_at IS NULL ORDER BY position, id LIMIT 1",
            (collection_id, key),
        ).fetchone()

    def free_name(self, name: str, conn: sqlite3.Connection | None = None) -> str:
        """`name`, or "name (2)", "name (3)"... whichever no live collection has."""
        conn = conn or self.conn
        taken = {
            r[0].casefold()
            for r in conn.execute("SELECT name FROM collection WHERE deleted_at IS NULL")
        }
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{name} ({n})"
        return candidate

    def create_collection(self, name: str, description: str = "", uid: str | None = None) -> str:
        name = _clean_name(name)
        stamp = now()
        with self.write() as conn:
            if self.free_name(name, conn) != name:
                raise LibraryError(f"a collection called {name!r} already exists")
            conn.execute(
                "INSERT INTO collection (uid, name, description, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (uid or new_uid(), name, description, stamp, stamp),
            )
        return name

    def rename_collection(self, name: str, new_name: str) -> str:
        row = self.collection(name)
        new_name = _clean_name(new_name)
        with self.write() as conn:
            if (
                new_name.casefold() != row["name"].casefold()
                and self.free_name(new_name, conn) != new_name
            ):
                raise LibraryError(f"a collection called {new_name!r} already exists")
            conn.execute(
                "UPDATE collection SET name = ?, updated_at = ? WHERE id = ?",
                (new_name, now(), row["id"]),
            )
        return new_name

    def describe_collection(self, name: str, description: str) -> None:
        row = self.collection(name)
        with self.write() as conn:
            conn.execute(
                "UPDATE collection SET description = ?, updated_at = ? WHERE id = ?",
                (description, now(), row["id"]),
            )

    def duplicate_collection(self, name: str, new_name: str | None = None) -> str:
        row = self.collection(name)
        stamp = now()
        with self.write() as conn:
            target = self.free_name(
                _clean_name(new_name) if new_name else f"{row['name']} (copy)", conn
            )
            cur = conn.execute(
                "INSERT INTO collection (uid, name, description, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (new_uid(), target, row["description"], stamp, stamp),
            )
            for item in self.items(row["id"]):
                values = dict(item)
                values.update(id=None, uid=new_uid(), collection_id=cur.lastrowid, created_at=stamp)
                insert_row(conn, "collection_item", values)
        return target

    def delete_collection(self, name: str) -> None:
        row = self.collection(name)
        with self.write() as conn:
            conn.execute("UPDATE collection SET deleted_at = ? WHERE id = ?", (now(), row["id"]))

    def add_item(
        self,
        name: str,
        key: str,
        snapshot: Snapshot,
        note: str | None = None,
        prompts: list[str] | None = None,
        minutes: int | None = None,
        uid: str | None = None,
    ) -> bool:
        """Add `key` to the end of the collection, or update its note, prompts and timing if it is
        already there. True if it was added."""
        row = self.collection(name)
        with self.write() as conn:
            existing = conn.execute(
                "SELECT id FROM collection_item WHERE collection_id = ? AND key = ? "
                "AND deleted_at IS NULL",
                (row["id"], key),
            ).fetchone()
            if existing is not None:
                updates = {"note": note, "minutes": minutes}
                sets = [f"{k} = ?" for k, v in updates.items() if v is not None]
                params: list[Any] = [v for v in updates.values() if v is not None]
                if prompts is not None:  # [] clears them
                    sets.append("prompts = ?")
                    params.append(json.dumps(prompts))
                if sets:
                    conn.execute(
                        f"UPDATE collection_item SET {', '.join(sets)} WHERE id = ?",
                        [*params, existing["id"]],
                    )
                self._touch(conn, row["id"])
                return False
            position = conn.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM collection_item "
                "WHERE collection_id = ? AND deleted_at IS NULL",
                (row["id"],),
            ).fetchone()[0]
            insert_row(conn, "collection_item", {
                "uid": uid or new_uid(), "collection_id": row["id"], "position": position,
                "key": key, "title": snapshot.title, "text": snapshot.text,
                "report_key": snapshot.report_key, "report_title": snapshot.report_title,
                "note": note or "", "prompts": json.dumps(prompts or []), "minutes": minutes,
                "created_at": now(),
            })  # fmt: skip
            self._touch(conn, row["id"])
            return True

    def remove_item(self, name: str, key: str) -> None:
        row = self.collection(name)
        with self.write() as conn:
            done = conn.execute(
                "UPDATE collection_item SET deleted_at = ? WHERE collection_id = ? AND key = ? "
                "AND deleted_at IS NULL",
                (now(), row["id"], key),
            )
            if done.rowcount == 0:
                raise NotFoundError(f"{key} is not in the collection {row['name']!r}")
            self._renumber(conn, row["id"])
            self._touch(conn, row["id"])

    def move_item(self, name: str, key: str, position: int) -> int:
        """Move `key` to `position` (1 = first); returns the position it ended at."""
        row = self.collection(name)
        with self.write() as conn:
            keys = [r["key"] for r in self.items(row["id"])]
            if key not in keys:
                raise NotFoundError(f"{key} is not in the collection {row['name']!r}")
            keys.remove(key)
            index = max(0, min(len(keys), position - 1))
            keys.insert(index, key)
            for i, k in enumerate(keys):
                conn.execute(
                    "UPDATE collection_item SET position = ? WHERE collection_id = ? AND key = ? "
                    "AND deleted_at IS NULL",
                    (i, row["id"], k),
                )
            self._touch(conn, row["id"])
        return index + 1

    def _renumber(self, conn: sqlite3.Connection, collection_id: int) -> None:
        for i, item in enumerate(self.items(collection_id)):
            conn.execute("UPDATE collection_item SET position = ? WHERE id = ?", (i, item["id"]))

    @staticmethod
    def _touch(conn: sqlite3.Connection, collection_id: int) -> None:
        conn.execute("UPDATE collection SET updated_at = ? WHERE id = ?", (now(), collection_id))

    # -- local examples -----------------------------------------------------------------------
    def add_example(self, fields: dict[str, str], uid: str | None = None) -> str:
        stamp = now()
        uid = uid or new_uid()
        with self.write() as conn:
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
        with self.write() as conn:
            done = conn.execute(
                f"UPDATE example SET {', '.join(f'{k} = ?' for k in changes)}, updated_at = ? "
                "WHERE uid = ? AND deleted_at IS NULL",
                [*changes.values(), now(), uid],
            )
            if done.rowcount == 0:
                raise NotFoundError(f"there is no example {uid!r}; see `safedesk examples`")
            bump_counter(conn, "examples_generation")

    def remove_example(self, uid: str) -> None:
        with self.write() as conn:
            done = conn.execute(
                "UPDATE example SET deleted_at = ? WHERE uid = ? AND deleted_at IS NULL",
                (now(), uid),
            )
            if done.rowcount == 0:
                raise NotFoundError(f"there is no example {uid!r}; see `safedesk examples`")
            bump_counter(conn, "examples_generation")

    def examples(self) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM example WHERE deleted_at IS NULL ORDER BY created_at, id"
        ).fetchall()

    def example(self, uid: str) -> sqlite3.Row | None:
        return self.conn.execute(
            "SELECT * FROM example WHERE uid = ? AND deleted_at IS NULL", (uid,)
        ).fetchone()

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
        return sorted(entries, key=lambda e: e["deleted_at"], reverse=True)

    def restore(self, trash_id: str) -> str:
        """Bring back a trashed row (`kind:id` as listed by `trash`); returns what came back."""
        kind, _, raw_id = trash_id.partition(":")
        if kind not in TRASH_KINDS or not raw_id.isdigit():
            raise LibraryError(f"{trash_id!r} is not a trash id; `safedesk trash` lists them")
        table = {"item": "collection_item"}.get(kind, kind)
        row_id = int(raw_id)
        with self.write() as conn:
            row = conn.execute(
                f"SELECT * FROM {table} WHERE id = ? AND deleted_at IS NOT NULL", (row_id,)
            ).fetchone()
            if row is None:
                raise NotFoundError(f"{trash_id} is not in the trash")
            if kind == "collection":
                name = self.free_name(row["name"], conn)
                conn.execute(
                    "UPDATE collection SET deleted_at = NULL, name = ? WHERE id = ?", (name, row_id)
                )
                return f"collection {name!r}" + (
                    f" (renamed from {row['name']!r})" if name != row["name"] else ""
                )
            if kind == "bookmark" and self.bookmark_for(row["key"]) is not None:
                raise LibraryError(f"{row['key']} is bookmarked again already")
            if kind == "item":
                end = conn.execute(
                    "SELECT COALESCE(MAX(position), -1) + 1 FROM collection_item "
                    "WHERE collection_id = ? AND deleted_at IS NULL",
                    (row["collection_id"],),
                ).fetchone()[0]
                conn.execute("UPDATE collection_item SET position = ? WHERE id = ?", (end, row_id))
            conn.execute(f"UPDATE {table} SET deleted_at = NULL WHERE id = ?", (row_id,))
            if kind == "example":
                bump_counter(conn, "examples_generation")
            label = row["title"] if "title" in row.keys() else row_id  # noqa: SIM118 (a Row)
            return f"{kind} {label}"

    def empty_trash(self) -> int:
        with self.write() as conn:
            count = 0
            for table in ("bookmark", "collection_item", "example"):
                count += conn.execute(f"DELETE FROM {table} WHERE deleted_at IS NOT NULL").rowcount
            doomed = [
                r[0] for r in conn.execute("SELECT id FROM collection WHERE deleted_at IS NOT NULL")
            ]
            for cid in doomed:
                conn.execute("DELETE FROM collection_item WHERE collection_id = ?", (cid,))
            count += conn.execute("DELETE FROM collection WHERE deleted_at IS NOT NULL").rowcount
        return count

    def generation(self, name: str) -> int:
        row = self.conn.execute("SELECT value FROM library_meta WHERE name = ?", (name,)).fetchone()
        return int(row[0]) if row else 0


def _entry(kind: str, row_id: int, label: str, row: sqlite3.Row) -> dict[str, Any]:
    return {"id": f"{kind}:{row_id}", "kind": kind, "label": label, "deleted_at": row["deleted_at"]}


def insert_row(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> None:
    values = {k: v for k, v in values.items() if not (k == "id" and v is None)}
    conn.execute(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
        list(values.values()),
    )


def bump_counter(conn: sqlite3.Connection, name: str) -> None:
    conn.execute(
        "INSERT INTO library_meta (name, value) VALUES (?, '1') "
        "ON CONFLICT(name) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        (name,),
    )


def _tags(tags: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        tag = " ".join(tag.split())
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return list(seen.values())


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise LibraryError("a collection needs a name")
    if len(name) > 200:
        raise LibraryError("a collection name can be at most 200 characters")
    return name
