"""Applying one pulled page of the team's changes to this library, with its cursor, in one SQLite
transaction (docs/team-sync-design.md §3, step 6).

Pulled rows arrive as plain dictionaries, already validated as untrusted by the team module
(`team.records`); nothing in them is used as markup or as a path. Applying is idempotent: a row
whose shadow is already at its revision or later is skipped, so a page applied twice (the process
killed before its transaction committed) changes nothing the second time.

By kind: a row new here is added (marked shared, with who shared it); a row here without pending
changes takes the team's values; one with pending changes keeps the user's unsent words in those
fields (the server judges the clash when they arrive); a tombstone moves the thing to the Trash
with whatever it holds; a row this library had before it was shared here keeps its own version
as a conflict copy if it differs. What a page needs to know of this library is read once per page.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from safedesk.store import outbox
from safedesk.store.collections import free_name
from safedesk.store.team_sync import (
    MAX_ITEMS,
    Applied,
    PulledPage,
    adopt,
    iso,
    renumber,
    write_local,
)
from safedesk.store.transactions import bump_counter, now, transaction

CHUNK = 900  # parameters per IN (...) query, well under SQLite's limit


class _Here:
    """What this library holds of a page's rows, read once: shadows, pending changes, local rows."""

    def __init__(self, conn: sqlite3.Connection, page: PulledPage) -> None:
        self.conn = conn
        self.shadows: dict[tuple[str, str], sqlite3.Row] = {}
        for kind, rows in (("collection", page.collections), ("collection_item", page.items),
                           ("example", page.examples), ("document", page.documents)):  # fmt: skip
            for found in _rows_in(conn, "SELECT * FROM team_shadow WHERE kind = ? AND uid IN",
                                  [r["uid"] for r in rows], kind):  # fmt: skip
                self.shadows[(kind, found["uid"])] = found
        self.pending: dict[tuple[str, str], set[str]] = {}
        for r in conn.execute(
            "SELECT kind, uid, op, fields FROM team_change WHERE outcome IS NULL"
        ):
            names = self.pending.setdefault((r["kind"], r["uid"]), set())
            names.update(["*"] if r["op"] == "delete" else json.loads(r["fields"]))
        self.items: dict[str, list[sqlite3.Row]] = {}
        for found in _rows_in(conn, "SELECT * FROM collection_item WHERE uid IN",
                              [r["uid"] for r in page.items]):  # fmt: skip
            self.items.setdefault(found["uid"], []).append(found)
        self.examples: dict[str, sqlite3.Row] = {}
        live_last = "SELECT * FROM example WHERE uid IN ORDER BY deleted_at IS NULL"
        for found in _rows_in(conn, live_last, [r["uid"] for r in page.examples]):
            self.examples[found["uid"]] = found  # a live one last, so it is the one kept
        self.collections: dict[str, sqlite3.Row | None] = {}
        self.counts: dict[int, int] = {}
        self.shadow_writes: list[tuple[Any, ...]] = []

    def collection(self, uid: str) -> sqlite3.Row | None:
        if uid not in self.collections:
            self.collections[uid] = self.conn.execute(
                "SELECT * FROM collection WHERE uid = ? ORDER BY deleted_at IS NULL DESC, id DESC",
                (uid,),
            ).fetchone()
        return self.collections[uid]

    def count(self, collection_id: int) -> int:
        if collection_id not in self.counts:
            self.counts[collection_id] = int(self.conn.execute(
                "SELECT count(*) FROM collection_item WHERE collection_id = ? "
                "AND deleted_at IS NULL",
                (collection_id,),
            ).fetchone()[0])  # fmt: skip
        return self.counts[collection_id]

    def pending_fields(self, kind: str, uid: str) -> set[str] | None:
        return self.pending.get((kind, uid))

    def fresh(
        self, kind: str, row: dict[str, Any], fields: dict[str, Any], applied: Applied
    ) -> tuple[bool, sqlite3.Row | None]:
        """Keep the pulled version as the shadow; False if this library has it already (its
        own change, or a page applied again)."""
        before = self.shadows.get((kind, row["uid"]))
        if before is not None and before["revision"] >= row["revision"]:
            return False, before
        self.shadow_writes.append((
            kind, row["uid"], row["revision"], json.dumps(fields), row["shared_by"],
            row["updated_by"], iso(row["changed_at"]), bool(row["deleted"]),
        ))  # fmt: skip
        applied.rows += 1
        return True, before

    def write_shadows(self) -> None:
        self.conn.executemany(
            "INSERT INTO team_shadow (kind, uid, revision, fields, shared_by, updated_by, "
            "changed_at, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, uid) DO UPDATE "
            "SET revision = excluded.revision, fields = excluded.fields, "
            "shared_by = excluded.shared_by, updated_by = excluded.updated_by, "
            "changed_at = excluded.changed_at, deleted = excluded.deleted",
            self.shadow_writes,
        )


def apply_page(conn: sqlite3.Connection, page: PulledPage, applied: Applied) -> None:
    """Apply every row of `page` and store its cursor, in one transaction."""
    with transaction(conn):
        link = conn.execute("SELECT member_role FROM team_link WHERE id = 1").fetchone()
        me = link["member_role"] if link else ""
        here = _Here(conn, page)
        touched: set[int] = set()
        for m in page.members:
            applied.rows += 1
            conn.execute(
                "INSERT INTO team_member (role, display_name, left_team) VALUES (?, ?, ?) "
                "ON CONFLICT(role) DO UPDATE SET display_name = excluded.display_name, "
                "left_team = excluded.left_team",
                (m["role"], m["display_name"], m["left_team"]),
            )
        for row in page.collections:
            _collection(here, row, me, applied)
        for row in page.items:
            _item(here, row, me, applied, touched)
        for row in page.examples:
            _example(here, row, me, applied)
        for row in page.documents:
            _document(here, row, applied)
        here.write_shadows()
        for row in page.conflicts:
            _conflict(conn, row, me, applied)
        for kind, uid, revision, reason in page.rejected:
            _reject(conn, kind, uid, revision, reason, applied)
        for collection_id in touched:
            renumber(conn, collection_id)
        if applied.examples_changed:
            bump_counter(conn, "examples_generation")
        conn.execute("UPDATE team_link SET cursor = ? WHERE id = 1", (page.upto,))


def _collection(here: _Here, row: dict[str, Any], me: str, applied: Applied) -> None:
    conn = here.conn
    fields = {k: row[k] for k in outbox.COLLECTION_FIELDS}
    fresh, before = here.fresh("collection", row, fields, applied)
    if not fresh:
        return
    local = here.collection(row["uid"])
    stamp = now()
    if row["deleted"]:
        if local is not None and local["shared"] and local["deleted_at"] is None:
            conn.execute("UPDATE collection SET deleted_at = ? WHERE id = ?", (stamp, local["id"]))
            applied.trashed.append(local["name"])
        return
    if local is None:
        if before is None:  # new here (a shadow without a row: removed here for good)
            conn.execute(
                "INSERT INTO collection (uid, name, description, created_at, updated_at, shared, "
                "shared_by) VALUES (?, ?, ?, ?, ?, 1, ?)",
                (row["uid"], free_name(conn, row["name"]), row["description"], stamp, stamp,
                 row["shared_by"]),
            )  # fmt: skip
            here.collections.pop(row["uid"], None)
        return
    if not local["shared"]:
        if not _first_sight(before) or local["deleted_at"] is not None:
            return  # unshared here (its tombstone is on its way), or one's own in the Trash
        adopt(conn, "collection", local, outbox.collection_fields(local), fields, me,
              _base(before))  # fmt: skip
    conn.execute(
        "UPDATE collection SET shared = 1, shared_by = ? WHERE id = ?",
        (row["shared_by"], local["id"]),
    )
    write_local(conn, "collection", row["uid"], fields, local,
                here.pending_fields("collection", row["uid"]))  # fmt: skip
    here.collections.pop(row["uid"], None)


def _item(here: _Here, row: dict[str, Any], me: str, applied: Applied, touched: set[int]) -> None:
    conn = here.conn
    fields = {k: row[k] for k in outbox.ITEM_FIELDS}
    fresh, before = here.fresh("collection_item", row, fields, applied)
    if not fresh:
        return
    collection = here.collection(row["collection_uid"])
    if collection is None or not collection["shared"]:
        return
    local = next(
        (r for r in here.items.get(row["uid"], []) if r["collection_id"] == collection["id"]), None
    )
    stamp = now()
    if row["deleted"]:
        if local is not None and local["deleted_at"] is None:
            conn.execute(
                "UPDATE collection_item SET deleted_at = ? WHERE id = ?", (stamp, local["id"])
            )
            here.counts.pop(collection["id"], None)
            touched.add(collection["id"])
        return
    if local is None:
        if before is not None:
            return
        if here.count(collection["id"]) >= MAX_ITEMS:
            _reject(conn, "collection_item", row["uid"], row["revision"],
                    f"a shared collection holds at most {MAX_ITEMS} items", applied)  # fmt: skip
            return
        conn.execute(
            "INSERT INTO collection_item (uid, collection_id, position, key, title, text, "
            "report_key, report_title, note, prompts, minutes, created_at, updated_at, "
            "team_position) VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row["uid"], collection["id"], row["key"], row["title"], row["text"],
             row["report_key"], row["report_title"], row["note"], json.dumps(row["prompts"]),
             row["minutes"], stamp, stamp, row["position"]),
        )  # fmt: skip
        here.counts[collection["id"]] += 1
        touched.add(collection["id"])
        return
    if _first_sight(before):
        adopt(conn, "collection_item", local, outbox.item_fields(conn, local), fields, me,
              _base(before))  # fmt: skip
    pending = here.pending_fields("collection_item", row["uid"])
    if write_local(conn, "collection_item", row["uid"], fields, local, pending):
        touched.add(collection["id"])


def _example(here: _Here, row: dict[str, Any], me: str, applied: Applied) -> None:
    conn = here.conn
    fields = {k: row[k] for k in outbox.EXAMPLE_FIELDS}
    fresh, before = here.fresh("example", row, fields, applied)
    if not fresh:
        return
    local = here.examples.get(row["uid"])
    stamp = now()
    if row["deleted"]:
        if local is not None and local["shared"] and local["deleted_at"] is None:
            conn.execute("UPDATE example SET deleted_at = ? WHERE id = ?", (stamp, local["id"]))
            applied.examples_changed = True
        return
    if local is None:
        if before is None:
            conn.execute(
                "INSERT INTO example (uid, title, theme_key, theme_title, team, text, outcomes, "
                "origin, created_at, updated_at, shared, shared_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, 1, ?)",
                (row["uid"], row["title"], row["theme_key"], row["theme_title"], row["team"],
                 row["text"], row["outcomes"], stamp, stamp, row["shared_by"]),
            )  # fmt: skip
            applied.examples_changed = True
        return
    if not local["shared"]:
        if not _first_sight(before) or local["deleted_at"] is not None:
            return
        adopt(conn, "example", local, outbox.example_fields(local), fields, me, _base(before))
    conn.execute(
        "UPDATE example SET shared = 1, shared_by = ? WHERE id = ?", (row["shared_by"], local["id"])
    )
    write_local(conn, "example", row["uid"], fields, local,
                here.pending_fields("example", row["uid"]))  # fmt: skip
    applied.examples_changed = True


def _document(here: _Here, row: dict[str, Any], applied: Applied) -> None:
    conn = here.conn
    fields = {k: row[k] for k in ("title", "document_type", "source_name", "sha256", "size")}
    fresh, _before = here.fresh("document", row, fields, applied)
    if not fresh:
        return
    if row["deleted"]:
        conn.execute("UPDATE shared_document SET shared = 0 WHERE report_key = ?", (row["uid"],))
        return
    found = conn.execute(
        "SELECT 1 FROM report WHERE key = ? AND (source_sha256 = ? OR original_sha256 = ?)",
        (row["uid"], row["sha256"], row["sha256"]),
    ).fetchone()
    state = "here" if found else "wanted"
    conn.execute(
        "INSERT INTO shared_document (report_key, shared, shared_by, title, document_type, "
        "source_name, sha256, size, state) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(report_key) DO UPDATE SET shared = 1, shared_by = excluded.shared_by, "
        "title = excluded.title, document_type = excluded.document_type, "
        "source_name = excluded.source_name, sha256 = excluded.sha256, size = excluded.size, "
        "state = CASE WHEN shared_document.sha256 = excluded.sha256 "
        "AND shared_document.state = 'here' THEN 'here' ELSE excluded.state END, error = NULL",
        (row["uid"], row["shared_by"], row["title"], row["document_type"], row["source_name"],
         row["sha256"], row["size"], state),
    )  # fmt: skip
    if state == "wanted":
        applied.documents_wanted += 1


def _conflict(conn: sqlite3.Connection, row: dict[str, Any], me: str, applied: Applied) -> None:
    copy_id = str(row["id"])
    known = conn.execute("SELECT resolved FROM team_conflict WHERE id = ?", (copy_id,)).fetchone()
    if known is not None:
        if row["resolved"] and not known["resolved"]:
            conn.execute("UPDATE team_conflict SET resolved = 1 WHERE id = ?", (copy_id,))
        return
    conn.execute(
        "INSERT INTO team_conflict (id, kind, uid, reason, fields, clashed, author, authored_at, "
        "resolved, source, arrived_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'team', ?)",
        (copy_id, row["kind"], row["uid"], row["reason"], json.dumps(row["fields"]),
         json.dumps(list(row["clashed"])), row["author"], iso(row["authored_at"]),
         row["resolved"], now()),
    )  # fmt: skip
    applied.rows += 1
    shadow = conn.execute(
        "SELECT shared_by, fields FROM team_shadow WHERE kind = ? AND uid = ?",
        (row["kind"], row["uid"]),
    ).fetchone()
    owner = shadow["shared_by"] if shadow is not None else ""
    if row["kind"] == "collection_item" and shadow is not None:
        parent = conn.execute(
            "SELECT shared_by FROM team_shadow WHERE kind = 'collection' AND uid = ?",
            (json.loads(shadow["fields"]).get("collection_uid", ""),),
        ).fetchone()
        owner = parent["shared_by"] if parent is not None else owner
    if not row["resolved"] and me in (row["author"], row["recorded_by"], owner):
        applied.conflicts.append(describe_conflict(conn, copy_id))


def _first_sight(before: sqlite3.Row | None) -> bool:
    """The team's row meets this library's for the first time in this membership (no shadow, or
    only one kept from an earlier membership, revision -1)."""
    return before is None or before["revision"] < 0


def _base(before: sqlite3.Row | None) -> dict[str, Any] | None:
    """What the team held when this library left it (the base for adopting its row again)."""
    if before is None or before["revision"] >= 0:
        return None
    base: dict[str, Any] = json.loads(before["fields"])
    return base


def _reject(
    conn: sqlite3.Connection, kind: str, uid: str, revision: int, reason: str, applied: Applied
) -> None:
    conn.execute(
        "INSERT INTO team_rejected (kind, uid, revision, reason, at) VALUES (?, ?, ?, ?, ?)",
        (kind, uid, revision, reason, now()),
    )
    applied.rejected += 1


def describe_conflict(conn: sqlite3.Connection, copy_id: str) -> dict[str, Any]:
    """A conflict copy as `team sync --json` and the app list it."""
    row = conn.execute("SELECT * FROM team_conflict WHERE id = ?", (copy_id,)).fetchone()
    fields = json.loads(row["fields"])
    collection = key = ""
    if row["kind"] == "collection_item":
        key = str(fields.get("key", ""))
        found = conn.execute(
            "SELECT c.name FROM collection_item i JOIN collection c ON c.id = i.collection_id "
            "WHERE i.uid = ? ORDER BY i.deleted_at IS NULL DESC",
            (row["uid"],),
        ).fetchone()
        collection = found["name"] if found else ""
    elif row["kind"] == "collection":
        collection = str(fields.get("name", ""))
    author = conn.execute(
        "SELECT display_name FROM team_member WHERE role = ?", (row["author"],)
    ).fetchone()
    me = conn.execute("SELECT member_role, display_name FROM team_link WHERE id = 1").fetchone()
    yours = row["author"] in ("", me["member_role"] if me else "")
    name = author["display_name"] if author else row["author"]
    if row["author"] == "" and me is not None:
        name = me["display_name"]  # this library's own version (a collection file's conflict)
    elif row["author"] == "file":
        name = "the collection file"
    title = fields.get("title") or fields.get("name") or key or row["uid"]
    return {
        "id": row["id"], "kind": row["kind"], "uid": row["uid"], "collection": collection,
        "key": key, "title": str(title), "author": name, "yours": yours,
        "reason": row["reason"], "clashed": json.loads(row["clashed"]),
        "at": row["authored_at"], "resolved": bool(row["resolved"]), "source": row["source"],
    }  # fmt: skip


def _rows_in(
    conn: sqlite3.Connection, query: str, uids: Iterable[str], kind: str | None = None
) -> list[sqlite3.Row]:
    """`query` ("... uid IN", optionally followed by an ORDER BY) for every uid, in chunks."""
    head, _, order = query.partition(" IN")
    wanted = list(dict.fromkeys(uids))
    found: list[sqlite3.Row] = []
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        marks = ", ".join("?" * len(chunk))
        params: list[Any] = ([kind] if kind is not None else []) + chunk
        found += conn.execute(f"{head} IN ({marks}){order}", params).fetchall()
    return found
