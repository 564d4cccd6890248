"""The local steps of a team sync, each one short SQLite transaction (docs/team-sync-design.md §3):
freezing the outbox and storing the server's receipts; applying a pulled page is team_apply.py.
Also the helpers both use: the shadow, and writing the server's version into a local row.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from typing import Any

from safedesk.store import outbox, running_order
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
    shadow = shadow_of(conn, entry.kind, entry.uid)
    outcome = receipt.outcome
    if outcome == "applied" and receipt.revision is not None:
        if entry.op == "delete":
            fields = json.loads(shadow["fields"]) if shadow else {}
        else:
            fields = {**(json.loads(shadow["fields"]) if shadow else {}), **entry.fields}
        put_shadow(conn, entry.kind, entry.uid, {
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
        trash(conn, entry.kind, entry.uid)
    elif (
        outcome in ("lost", "refused")
        and shadow is not None
        and entry.op == "put"
        and receipt.revision is not None
        and shadow["revision"] >= receipt.revision
    ):
        # the server's version is the one here already: show it (ours is the conflict copy)
        write_local(conn, entry.kind, entry.uid, json.loads(shadow["fields"]))


# -- local rows ------------------------------------------------------------------------------------
LOCAL_TABLE = {
    "collection": "collection",
    "collection_item": "collection_item",
    "example": "example",
}


def write_local(
    conn: sqlite3.Connection,
    kind: str,
    uid: str,
    fields: dict[str, Any],
    local: sqlite3.Row | None = None,
    pending: set[str] | bool | None = True,
) -> bool:
    """Write the server's `fields` into the local row, leaving fields with pending local changes
    (`pending`, looked up when True) as they are: the user's unsent words stay. True if the
    item's place changed."""
    table = LOCAL_TABLE.get(kind)
    if table is None:
        return False
    if pending is True:
        pending = outbox.pending_fields(conn, kind, uid)
    assert pending is None or isinstance(pending, set)
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


def trash(conn: sqlite3.Connection, kind: str, uid: str) -> None:
    table = LOCAL_TABLE.get(kind)
    if table is not None:
        conn.execute(
            f"UPDATE {table} SET deleted_at = ? WHERE uid = ? AND deleted_at IS NULL", (now(), uid)
        )
        if table == "example":
            bump_counter(conn, "examples_generation")


def adopt(
    conn: sqlite3.Connection,
    kind: str,
    local: sqlite3.Row,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    me: str,
    base: dict[str, Any] | None = None,
) -> None:
    """A row this library had before it was shared here (the same uid, from a collection file or
    an earlier membership): if it differs from the team's, keep this library's version as a
    conflict copy before the team's version takes its place. With `base` (what the team held when
    this library left it), only fields changed here since count."""
    compared = [k for k in theirs if k not in ("position", "collection_uid")]
    clashed = sorted(
        k for k in compared
        if mine.get(k) != theirs.get(k) and (base is None or mine.get(k) != base.get(k))
    )  # fmt: skip
    if not clashed:
        return
    conn.execute(
        "INSERT INTO team_conflict (id, kind, uid, reason, fields, clashed, author, authored_at, "
        "resolved, source, arrived_at) VALUES (?, ?, ?, 'stale', ?, ?, ?, ?, 0, 'team', ?)",
        (f"local-{uuid.uuid4().hex}", kind, local["uid"], json.dumps(mine), json.dumps(clashed),
         me, local["updated_at"] or local["created_at"], now()),
    )  # fmt: skip


def renumber(conn: sqlite3.Connection, collection_id: int) -> None:
    """Number a shared collection's running order with its items in the team copy's order.

    Agenda steps are not shared: each stays after the item it followed here (or first), so a
    teammate's moves carry this library's steps along with their items. Items just pulled in
    (position -1) follow no step until they have a place.
    """
    follows: dict[int | None, list[running_order.Entry]] = {}
    previous: int | None = None
    for entry in running_order.entries(conn, collection_id):
        if entry.kind == "step":
            follows.setdefault(previous, []).append(entry)
        elif entry.position >= 0:
            previous = entry.id
    order = list(follows.get(None, []))
    for row in conn.execute(
        "SELECT id, position FROM collection_item WHERE collection_id = ? AND deleted_at IS NULL "
        "ORDER BY team_position IS NULL, team_position, position, id",
        (collection_id,),
    ).fetchall():
        order.append(running_order.Entry("item", row["id"], row["position"], ""))
        order += follows.get(row["id"], [])
    running_order.write(conn, order)


# -- the shadow ------------------------------------------------------------------------------------
def shadow_of(conn: sqlite3.Connection, kind: str, uid: str) -> sqlite3.Row | None:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM team_shadow WHERE kind = ? AND uid = ?", (kind, uid)
    ).fetchone()
    return row


def put_shadow(conn: sqlite3.Connection, kind: str, uid: str, values: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO team_shadow (kind, uid, revision, fields, shared_by, updated_by, changed_at, "
        "deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, uid) DO UPDATE SET "
        "revision = excluded.revision, fields = excluded.fields, shared_by = excluded.shared_by, "
        "updated_by = excluded.updated_by, changed_at = excluded.changed_at, "
        "deleted = excluded.deleted",
        (kind, uid, values["revision"], json.dumps(values["fields"]), values["shared_by"],
         values["updated_by"], values["changed_at"], bool(values["deleted"])),
    )  # fmt: skip


def iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
