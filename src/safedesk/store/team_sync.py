"""The local steps of a team sync, each one short SQLite transaction (docs/team-sync-design.md §3):
freezing the outbox, storing the server's receipts, and applying a pulled page with its cursor.

Pulled rows arrive here as plain dictionaries, already validated as untrusted by the team module
(`team.records`); nothing in them is used as markup or as a path. Applying is idempotent: a row
whose shadow is already at its revision or later is skipped, so a page applied twice (the process
killed before its transaction committed) changes nothing the second time.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from safedesk.store import outbox
from safedesk.store.collections import free_name
from safedesk.store.transactions import bump_counter, now, transaction

MAX_ITEMS = 500  # per shared collection, as in collection files


@dataclass(frozen=True)
class Pending:
    """An outbox entry frozen for sending: its change_id, fields and base never change again."""

    seq: int
    change_id: str
    kind: str
    uid: str
    op: str
    fields: dict[str, Any]
    base: dict[str, Any]
    base_revision: int | None
    changed_at: str


@dataclass(frozen=True)
class Receipt:
    """What the server did with one change (team.push.PushResult, as plain values)."""

    change_id: str
    outcome: str
    revision: int | None
    clashed: tuple[str, ...] = ()
    error: str | None = None


@dataclass
class PulledPage:
    """One page of a pull, as plain values: rows per kind (dicts with every column), the
    conflict copies, the rows refused by validation, and the cursor to store with them."""

    upto: int
    members: list[dict[str, Any]] = field(default_factory=list)
    collections: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    examples: list[dict[str, Any]] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[tuple[str, str, int, str]] = field(default_factory=list)


@dataclass
class Applied:
    """What applying pages did, for the sync's report."""

    rows: int = 0
    trashed: list[str] = field(default_factory=list)  # collections a teammate deleted
    conflicts: list[dict[str, Any]] = field(default_factory=list)  # copies concerning this member
    documents_wanted: int = 0
    examples_changed: bool = False
    rejected: int = 0


# -- step 2: freeze ------------------------------------------------------------------------------
def freeze(conn: sqlite3.Connection) -> list[Pending]:
    """Mark every unsent entry as sent (from now on it never changes) and return all entries in
    flight, oldest first: those frozen now and those a sync sent before without a receipt."""
    with transaction(conn):
        conn.execute(
            "UPDATE team_change SET sent_at = ? WHERE sent_at IS NULL AND outcome IS NULL", (now(),)
        )
    rows = conn.execute(
        "SELECT * FROM team_change WHERE sent_at IS NOT NULL AND outcome IS NULL ORDER BY seq"
    ).fetchall()
    return [_pending(r) for r in rows]


def _pending(r: sqlite3.Row) -> Pending:
    return Pending(
        seq=r["seq"], change_id=r["change_id"], kind=r["kind"], uid=r["uid"], op=r["op"],
        fields=json.loads(r["fields"]), base=json.loads(r["base"]),
        base_revision=r["base_revision"], changed_at=r["changed_at"],
    )  # fmt: skip


# -- step 4: receipts ----------------------------------------------------------------------------
def store_receipts(
    conn: sqlite3.Connection, sent: list[Pending], receipts: list[Receipt], me: str
) -> dict[str, int]:
    """Record what the server did with `sent` (one transaction): the shadow follows, entries are
    done; returns the outcomes counted."""
    by_id = {r.change_id: r for r in receipts}
    counts: dict[str, int] = {}
    with transaction(conn):
        for entry in sent:
            receipt = by_id.get(entry.change_id)
            if receipt is None:
                continue
            counts[receipt.outcome] = counts.get(receipt.outcome, 0) + 1
            if receipt.outcome == "invalid":
                conn.execute(
                    "UPDATE team_change SET outcome = 'invalid', error = ? WHERE seq = ?",
                    (receipt.error or "refused by the server's checks", entry.seq),
                )
                continue
            conn.execute("DELETE FROM team_change WHERE seq = ?", (entry.seq,))
            _follow_receipt(conn, entry, receipt, me)
    return counts


def _follow_receipt(conn: sqlite3.Connection, entry: Pending, receipt: Receipt, me: str) -> None:
    shadow = _shadow(conn, entry.kind, entry.uid)
    outcome = receipt.outcome
    if outcome == "applied" and receipt.revision is not None:
        if entry.op == "delete":
            fields = json.loads(shadow["fields"]) if shadow else {}
        else:
            fields = {**(json.loads(shadow["fields"]) if shadow else {}), **entry.fields}
        _put_shadow(conn, entry.kind, entry.uid, {
            "revision": receipt.revision, "fields": fields,
            "shared_by": shadow["shared_by"] if shadow else me, "updated_by": me,
            "changed_at": entry.changed_at, "deleted": entry.op == "delete",
        })  # fmt: skip
    elif outcome in ("merged", "won", "lost") and shadow is not None:
        taken = {
            k: v for k, v in entry.fields.items() if k not in receipt.clashed or outcome != "lost"
        }
        fields = {**json.loads(shadow["fields"]), **taken}
        conn.execute(
            "UPDATE team_shadow SET fields = ? WHERE kind = ? AND uid = ?",
            (json.dumps(fields), entry.kind, entry.uid),
        )
    if outcome == "deleted" or (outcome == "refused" and shadow is None and entry.op == "put"):
        # deleted meanwhile, or refused outright: the local row goes to the Trash with its words
        # (the server kept them too, as a conflict copy)
        _trash(conn, entry.kind, entry.uid)
    elif (
        outcome in ("lost", "refused")
        and shadow is not None
        and entry.op == "put"
        and receipt.revision is not None
        and shadow["revision"] >= receipt.revision
    ):
        # the server's version is the one here already: show it (ours is the conflict copy)
        _write_local(conn, entry.kind, entry.uid, json.loads(shadow["fields"]))


# -- step 6: applying a pulled page --------------------------------------------------------------
def apply_page(conn: sqlite3.Connection, page: PulledPage, applied: Applied) -> None:
    """Apply every row of `page` and store its cursor, in one transaction."""
    with transaction(conn):
        link = conn.execute("SELECT member_role FROM team_link WHERE id = 1").fetchone()
        me = link["member_role"] if link else ""
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
            _apply_collection(conn, row, me, applied)
        for row in page.items:
            _apply_item(conn, row, me, applied, touched)
        for row in page.examples:
            _apply_example(conn, row, me, applied)
        for row in page.documents:
            _apply_document(conn, row, applied)
        for row in page.conflicts:
            _apply_conflict(conn, row, me, applied)
        for kind, uid, revision, reason in page.rejected:
            conn.execute(
                "INSERT INTO team_rejected (kind, uid, revision, reason, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (kind, uid, revision, reason, now()),
            )
            applied.rejected += 1
        for collection_id in touched:
            renumber(conn, collection_id)
        if applied.examples_changed:
            bump_counter(conn, "examples_generation")
        conn.execute("UPDATE team_link SET cursor = ? WHERE id = 1", (page.upto,))


def _fresh(
    conn: sqlite3.Connection,
    kind: str,
    row: dict[str, Any],
    fields: dict[str, Any],
    applied: Applied,
) -> tuple[bool, sqlite3.Row | None]:
    """Store the pulled version as the shadow; False if this library has it already."""
    before = _shadow(conn, kind, row["uid"])
    if before is not None and before["revision"] >= row["revision"]:
        return False, before  # this library has it already (its own change, or a page again)
    _put_shadow(conn, kind, row["uid"], {
        "revision": row["revision"], "fields": fields, "shared_by": row["shared_by"],
        "updated_by": row["updated_by"], "changed_at": _iso(row["changed_at"]),
        "deleted": row["deleted"],
    })  # fmt: skip
    applied.rows += 1
    return True, before


def _apply_collection(
    conn: sqlite3.Connection, row: dict[str, Any], me: str, applied: Applied
) -> None:
    fields = {k: row[k] for k in outbox.COLLECTION_FIELDS}
    fresh, before = _fresh(conn, "collection", row, fields, applied)
    if not fresh:
        return
    local = conn.execute(
        "SELECT * FROM collection WHERE uid = ? ORDER BY deleted_at IS NULL DESC, id DESC",
        (row["uid"],),
    ).fetchone()
    stamp = now()
    if row["deleted"]:
        if local is not None and local["shared"] and local["deleted_at"] is None:
            conn.execute("UPDATE collection SET deleted_at = ? WHERE id = ?", (stamp, local["id"]))
            applied.trashed.append(local["name"])
        return
    if local is None:
        if before is None:  # new to this library (a shadow without a row: removed here for good)
            conn.execute(
                "INSERT INTO collection (uid, name, description, created_at, updated_at, shared, "
                "shared_by) VALUES (?, ?, ?, ?, ?, 1, ?)",
                (row["uid"], free_name(conn, row["name"]), row["description"], stamp, stamp,
                 row["shared_by"]),
            )  # fmt: skip
        return
    if local["deleted_at"] is not None and not local["shared"]:
        return
    if before is None:
        _adopt(conn, "collection", local, outbox.collection_fields(local), fields, me)
    conn.execute(
        "UPDATE collection SET shared = 1, shared_by = ? WHERE id = ?",
        (row["shared_by"], local["id"]),
    )
    _write_local(conn, "collection", row["uid"], fields, local)


def _apply_item(
    conn: sqlite3.Connection, row: dict[str, Any], me: str, applied: Applied, touched: set[int]
) -> None:
    fields = {k: row[k] for k in outbox.ITEM_FIELDS}
    fresh, before = _fresh(conn, "collection_item", row, fields, applied)
    if not fresh:
        return
    collection = conn.execute(
        "SELECT id, shared, deleted_at FROM collection WHERE uid = ? "
        "ORDER BY deleted_at IS NULL DESC, id DESC",
        (row["collection_uid"],),
    ).fetchone()
    if collection is None or not collection["shared"]:
        return
    local = conn.execute(
        "SELECT * FROM collection_item WHERE uid = ? AND collection_id = ?",
        (row["uid"], collection["id"]),
    ).fetchone()
    stamp = now()
    if row["deleted"]:
        if local is not None and local["deleted_at"] is None:
            conn.execute(
                "UPDATE collection_item SET deleted_at = ? WHERE id = ?", (stamp, local["id"])
            )
            touched.add(collection["id"])
        return
    if local is None:
        if before is not None:
            return
        count = conn.execute(
            "SELECT count(*) FROM collection_item WHERE collection_id = ? AND deleted_at IS NULL",
            (collection["id"],),
        ).fetchone()[0]
        if count >= MAX_ITEMS:
            conn.execute(
                "INSERT INTO team_rejected (kind, uid, revision, reason, at) "
                "VALUES (?, ?, ?, ?, ?)",
                ("collection_item", row["uid"], row["revision"],
                 f"a shared collection holds at most {MAX_ITEMS} items", stamp),
            )  # fmt: skip
            applied.rejected += 1
            return
        conn.execute(
            "INSERT INTO collection_item (uid, collection_id, position, key, title, text, "
            "report_key, report_title, note, prompts, minutes, created_at, updated_at, "
            "team_position) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row["uid"], collection["id"], row["key"], row["title"], row["text"],
             row["report_key"], row["report_title"], row["note"], json.dumps(row["prompts"]),
             row["minutes"], stamp, stamp, row["position"]),
        )  # fmt: skip
        touched.add(collection["id"])
        return
    if before is None:
        _adopt(conn, "collection_item", local, outbox.item_fields(conn, local), fields, me)
    if _write_local(conn, "collection_item", row["uid"], fields, local):
        touched.add(collection["id"])


def _apply_example(
    conn: sqlite3.Connection, row: dict[str, Any], me: str, applied: Applied
) -> None:
    fields = {k: row[k] for k in outbox.EXAMPLE_FIELDS}
    fresh, before = _fresh(conn, "example", row, fields, applied)
    if not fresh:
        return
    local = conn.execute(
        "SELECT * FROM example WHERE uid = ? ORDER BY deleted_at IS NULL DESC, id DESC",
        (row["uid"],),
    ).fetchone()
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
    if local["deleted_at"] is not None and not local["shared"]:
        return
    if before is None:
        _adopt(conn, "example", local, outbox.example_fields(local), fields, me)
    conn.execute(
        "UPDATE example SET shared = 1, shared_by = ? WHERE id = ?", (row["shared_by"], local["id"])
    )
    _write_local(conn, "example", row["uid"], fields, local)
    applied.examples_changed = True


def _apply_document(conn: sqlite3.Connection, row: dict[str, Any], applied: Applied) -> None:
    fields = {k: row[k] for k in ("title", "document_type", "source_name", "sha256", "size")}
    fresh, _before = _fresh(conn, "document", row, fields, applied)
    if not fresh:
        return
    if row["deleted"]:
        conn.execute("UPDATE shared_document SET shared = 0 WHERE report_key = ?", (row["uid"],))
        return
    here = conn.execute(
        "SELECT 1 FROM report WHERE key = ? AND (source_sha256 = ? OR original_sha256 = ?)",
        (row["uid"], row["sha256"], row["sha256"]),
    ).fetchone()
    state = "here" if here else "wanted"
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


def _apply_conflict(
    conn: sqlite3.Connection, row: dict[str, Any], me: str, applied: Applied
) -> None:
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
         json.dumps(list(row["clashed"])), row["author"], _iso(row["authored_at"]),
         row["resolved"], now()),
    )  # fmt: skip
    applied.rows += 1
    shadow = _shadow(conn, row["kind"], row["uid"])
    owner = shadow["shared_by"] if shadow is not None else ""
    if row["kind"] == "collection_item" and shadow is not None:
        parent = _shadow(conn, "collection", json.loads(shadow["fields"]).get("collection_uid", ""))
        owner = parent["shared_by"] if parent is not None else owner
    if not row["resolved"] and me in (row["author"], row["recorded_by"], owner):
        applied.conflicts.append(describe_conflict(conn, copy_id))


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
    return {
        "id": row["id"], "kind": row["kind"], "uid": row["uid"], "collection": collection,
        "key": key, "author": author["display_name"] if author else row["author"],
        "reason": row["reason"], "clashed": json.loads(row["clashed"]),
        "at": row["authored_at"], "resolved": bool(row["resolved"]), "source": row["source"],
    }  # fmt: skip


# -- local rows ------------------------------------------------------------------------------------
LOCAL_TABLE = {
    "collection": "collection",
    "collection_item": "collection_item",
    "example": "example",
}


def _write_local(
    conn: sqlite3.Connection,
    kind: str,
    uid: str,
    fields: dict[str, Any],
    local: sqlite3.Row | None = None,
) -> bool:
    """Write the server's `fields` into the local row, leaving fields with pending local changes
    as they are (the user's unsent words stay); True if the item's place changed."""
    table = LOCAL_TABLE.get(kind)
    if table is None:
        return False
    pending = outbox.pending_fields(conn, kind, uid)
    if pending is not None and "*" in pending:
        return False
    new = {k: v for k, v in fields.items() if not pending or k not in pending}
    new.pop("collection_uid", None)
    if "position" in new:
        new["team_position"] = new.pop("position")
    if "prompts" in new:
        new["prompts"] = json.dumps(new["prompts"])
    if kind == "collection" and "name" in new:
        row = local or conn.execute("SELECT id FROM collection WHERE uid = ?", (uid,)).fetchone()
        taken = conn.execute(
            "SELECT 1 FROM collection WHERE lower(name) = lower(?) AND deleted_at IS NULL "
            "AND id <> ?",
            (new["name"], row["id"] if row else -1),
        ).fetchone()
        if taken:
            new["name"] = free_name(conn, new["name"])
    if not new:
        return False
    where, ident = ("id", local["id"]) if local is not None else ("uid", uid)
    conn.execute(
        f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in new)}, updated_at = ? "
        f"WHERE {where} = ?",
        [*new.values(), now(), ident],
    )
    return "team_position" in new


def _trash(conn: sqlite3.Connection, kind: str, uid: str) -> None:
    table = LOCAL_TABLE.get(kind)
    if table is not None:
        conn.execute(
            f"UPDATE {table} SET deleted_at = ? WHERE uid = ? AND deleted_at IS NULL", (now(), uid)
        )
        if table == "example":
            bump_counter(conn, "examples_generation")


def _adopt(
    conn: sqlite3.Connection,
    kind: str,
    local: sqlite3.Row,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    me: str,
) -> None:
    """A row this library had before it was shared here (the same uid, from a collection file or
    an earlier membership): if it differs from the team's, keep this library's version as a
    conflict copy before the team's version takes its place."""
    compared = [k for k in theirs if k not in ("position", "collection_uid")]
    clashed = sorted(k for k in compared if mine.get(k) != theirs.get(k))
    if not clashed:
        return
    conn.execute(
        "INSERT INTO team_conflict (id, kind, uid, reason, fields, clashed, author, authored_at, "
        "resolved, source, arrived_at) VALUES (?, ?, ?, 'stale', ?, ?, ?, ?, 0, 'team', ?)",
        (f"local-{uuid.uuid4().hex}", kind, local["uid"], json.dumps(mine), json.dumps(clashed),
         me, local["updated_at"] or local["created_at"], now()),
    )  # fmt: skip


def renumber(conn: sqlite3.Connection, collection_id: int) -> None:
    """Number a shared collection's items in the team copy's order."""
    rows = conn.execute(
        "SELECT id, position FROM collection_item WHERE collection_id = ? AND deleted_at IS NULL "
        "ORDER BY team_position IS NULL, team_position, position, id",
        (collection_id,),
    ).fetchall()
    for n, row in enumerate(rows):
        if row["position"] != n:
            conn.execute("UPDATE collection_item SET position = ? WHERE id = ?", (n, row["id"]))


# -- the shadow ------------------------------------------------------------------------------------
def _shadow(conn: sqlite3.Connection, kind: str, uid: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM team_shadow WHERE kind = ? AND uid = ?", (kind, uid)
    ).fetchone()
    return row


def _put_shadow(conn: sqlite3.Connection, kind: str, uid: str, values: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO team_shadow (kind, uid, revision, fields, shared_by, updated_by, changed_at, "
        "deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, uid) DO UPDATE SET "
        "revision = excluded.revision, fields = excluded.fields, shared_by = excluded.shared_by, "
        "updated_by = excluded.updated_by, changed_at = excluded.changed_at, "
        "deleted = excluded.deleted",
        (kind, uid, values["revision"], json.dumps(values["fields"]), values["shared_by"],
         values["updated_by"], values["changed_at"], bool(values["deleted"])),
    )  # fmt: skip


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
