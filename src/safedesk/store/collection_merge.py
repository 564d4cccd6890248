"""Importing a collection file into this library, all or nothing: a new collection, or a newer
file of one imported before updating the copy it came from.

The first import of a collection records what the file held (`file_shadow`): the base a newer
file from the same collection is merged against, field by field, with the team's conflict rule
(`store/merge_rule.py`): a field the sender changed and this library did not is taken; one
both changed goes to the later change, and the other version is kept as a conflict copy
(`team_conflict`, source "file"). Items the sender removed go to the Trash unless changed here;
the sender's order applies unless the order was changed here (agenda steps keep their places in
the running order; the items move among them). New agenda steps and session records in the file
are added; a plan (length, start) is taken only by a collection that has none. A file that is not
newer than the last one imported changes nothing. If the collection is shared with a team, every
change made here to its items is logged for the next sync like any local edit.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from safedesk.store import outbox, running_order, sessions
from safedesk.store.collections import (
    IncomingCollection,
    _insert_item,
    _update_item,
    end_position,
    free_name,
    incoming_name,
    record_new_item,
    record_order,
    same_name,
)
from safedesk.store.merge_rule import merge_change
from safedesk.store.transactions import bump_counter, insert_row, now, transaction
from safedesk.views import CollectionImport

ITEM_MERGED = ("note", "prompts", "minutes")
NOT_NEWER = "this file is not newer than the copy you have; nothing changed"


@dataclass
class _Tally:
    added: int = 0
    skipped: int = 0
    linked: int = 0
    updated: int = 0
    removed: int = 0
    steps_added: int = 0
    records_added: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def merge_collection(conn: sqlite3.Connection, incoming: IncomingCollection) -> CollectionImport:
    """Bring in `incoming` (validated already) in one transaction."""
    stamp = now()
    tally = _Tally()
    note = ""
    with transaction(conn):
        row = conn.execute(
            "SELECT * FROM collection WHERE uid = ? AND deleted_at IS NULL", (incoming.uid,)
        ).fetchone()
        renamed_from = None
        if row is None:
            name = free_name(conn, incoming_name(incoming.name))
            renamed_from = incoming.name if name != incoming.name else None
            collection_id = insert_row(conn, "collection", {
                "uid": incoming.uid, "name": name, "description": incoming.description,
                "created_at": stamp, "updated_at": stamp,
                "plan_length": incoming.plan_length, "plan_start": incoming.plan_start,
            })  # fmt: skip
            created, shared = True, False
        else:
            collection_id, name, created = row["id"], row["name"], False
            shared = bool(row["shared"])
            if row["plan_length"] is None and row["plan_start"] is None:
                conn.execute(
                    "UPDATE collection SET plan_length = ?, plan_start = ? WHERE id = ?",
                    (incoming.plan_length, incoming.plan_start, collection_id),
                )
        examples_added = _add_examples(conn, incoming, name, stamp)
        prior = conn.execute(
            "SELECT fields, exported_at FROM file_shadow WHERE collection_uid = ? "
            "AND item_uid = ''",
            (incoming.uid,),
        ).fetchone()
        if (
            not created
            and prior is not None
            and _readable(incoming.exported_at)
            and _when(incoming.exported_at) <= _when(prior["exported_at"])
        ):
            tally.skipped = len(incoming.items)
            note = NOT_NEWER
        else:
            if not created:
                name = _merge_collection_fields(conn, row, incoming, prior, tally)
            _merge_items(conn, collection_id, incoming, prior, shared, stamp, tally)
            tally.records_added = sessions.merge_records(
                conn, collection_id, incoming.records, stamp
            )
            _remember(conn, incoming)
            conn.execute(
                "UPDATE collection SET updated_at = ? WHERE id = ?", (stamp, collection_id)
            )
    return CollectionImport(
        name=name, created=created, renamed_from=renamed_from, added=tally.added,
        skipped=tally.skipped, linked=tally.linked, snapshots=tally.added - tally.linked,
        examples_added=examples_added, updated=tally.updated, removed=tally.removed,
        conflicts=tally.conflicts, note=note, steps_added=tally.steps_added,
        records_added=tally.records_added,
    )  # fmt: skip


def _add_examples(
    conn: sqlite3.Connection, incoming: IncomingCollection, name: str, stamp: str
) -> int:
    known = {r[0] for r in conn.execute("SELECT uid FROM example")}
    added = 0
    for ex in incoming.examples:
        if ex.uid in known:
            continue
        insert_row(conn, "example", {
            "uid": ex.uid, "title": ex.title, "theme_key": ex.theme_key,
            "theme_title": ex.theme_title, "team": ex.team, "text": ex.text,
            "outcomes": ex.outcomes, "origin": f"shared in the collection {name!r}",
            "created_at": stamp, "updated_at": stamp,
        })  # fmt: skip
        known.add(ex.uid)
        added += 1
    if added:
        bump_counter(conn, "examples_generation")
    return added


def _merge_items(
    conn: sqlite3.Connection,
    collection_id: int,
    incoming: IncomingCollection,
    prior: sqlite3.Row | None,
    shared: bool,
    stamp: str,
    tally: _Tally,
) -> None:
    bases = {
        r["item_uid"]: json.loads(r["fields"])
        for r in conn.execute(
            "SELECT item_uid, fields FROM file_shadow WHERE collection_uid = ? AND item_uid <> ''",
            (incoming.uid,),
        )
    }
    local = {
        r["uid"]: r
        for r in conn.execute(
            "SELECT * FROM collection_item WHERE collection_id = ?", (collection_id,)
        )
    }
    have_steps = {r[0] for r in conn.execute(
        "SELECT uid FROM session_step WHERE collection_id = ?", (collection_id,)
    )}  # fmt: skip
    order_before = _live_order(conn, collection_id)
    position = end_position(conn, collection_id)
    for item in incoming.running_order():
        if isinstance(item, sessions.IncomingStep):  # new steps at their places among new items
            if item.uid not in have_steps:
                sessions.insert_step(conn, collection_id, position, item, stamp)
                have_steps.add(item.uid)
                position += 1
                tally.steps_added += 1
            continue
        here = local.get(item.uid)
        if here is None:
            if item.uid in bases:  # imported before, then removed here for good: stays removed
                tally.skipped += 1
                continue
            _insert_item(conn, collection_id, position, item, stamp)
            if shared:
                record_new_item(conn, collection_id, item.uid)
            position += 1
            tally.added += 1
            tally.linked += item.linked
            continue
        if here["deleted_at"] is not None:  # in the Trash here: left there
            tally.skipped += 1
            continue
        theirs = {"note": item.note, "prompts": list(item.prompts), "minutes": item.minutes}
        if not _merge_item(
            conn, here, theirs, bases.get(item.uid), item.changed_at, incoming, tally
        ):
            tally.skipped += 1
        else:
            tally.updated += 1
            if shared:
                changed = _item_values(conn, here["id"])
                outbox.record(conn, "collection_item", here["uid"],
                              {k: changed[k] for k in ITEM_MERGED})  # fmt: skip
    in_file = {item.uid for item in incoming.items}
    for uid, base in bases.items():
        here = local.get(uid)
        if uid in in_file or here is None or here["deleted_at"] is not None:
            continue
        if _item_values(conn, here["id"]) == base:  # unchanged here: the sender removed it
            conn.execute(
                "UPDATE collection_item SET deleted_at = ? WHERE id = ?", (stamp, here["id"])
            )
            if shared:
                outbox.record(conn, "collection_item", uid, op="delete")
            tally.removed += 1
    _apply_order(conn, collection_id, incoming, prior, order_before, shared)


def _merge_item(
    conn: sqlite3.Connection,
    here: sqlite3.Row,
    theirs: dict[str, Any],
    base: dict[str, Any] | None,
    changed_at: str,
    incoming: IncomingCollection,
    tally: _Tally,
) -> bool:
    """Apply the sender's changes to one item by the rule; True if anything here changed."""
    current = _item_values(conn, here["id"])
    # only what the sender changed since the file imported last (all that differs, without one)
    sent = {k: v for k, v in theirs.items() if base is None or v != base.get(k)}
    sent = {k: v for k, v in sent.items() if v != current[k]}
    if not sent:
        return False
    result = merge_change(
        current, sent, base or {}, stale=base is None or current != base,
        current_at=_when(here["updated_at"] or here["created_at"]), current_by="",
        incoming_at=_when(changed_at or incoming.exported_at), incoming_by="file",
    )  # fmt: skip
    new = {k: result.fields[k] for k in ITEM_MERGED if result.fields[k] != current[k]}
    if new:
        _update_item(conn, here["id"], new)
    if result.loser is not None:
        loser = {**result.loser, "key": here["key"], "title": here["title"]}
        tally.conflicts.append(
            _keep_copy(conn, "collection_item", here["uid"], loser, result, incoming.uid)
        )
    return bool(new)


def _merge_collection_fields(
    conn: sqlite3.Connection,
    row: sqlite3.Row,
    incoming: IncomingCollection,
    prior: sqlite3.Row | None,
    tally: _Tally,
) -> str:
    base = json.loads(prior["fields"]) if prior is not None else None
    current = {"name": row["name"], "description": row["description"]}
    theirs = {"name": incoming.name, "description": incoming.description}
    sent = {k: v for k, v in theirs.items() if (base is None or v != base.get(k))}
    sent = {k: v for k, v in sent.items() if v != current[k]}
    if not sent:
        return str(row["name"])
    result = merge_change(
        current, sent, {k: base[k] for k in current if k in base} if base else {},
        stale=base is None or any(current[k] != base.get(k) for k in current),
        current_at=_when(row["updated_at"]), current_by="",
        incoming_at=_when(incoming.changed_at or incoming.exported_at), incoming_by="file",
    )  # fmt: skip
    name = incoming_name(str(result.fields["name"]))
    if name != row["name"] and not same_name(name, row["name"]):
        name = free_name(conn, name)
    new = {"name": name, "description": result.fields["description"]}
    new = {k: v for k, v in new.items() if v != current[k]}
    if new:
        conn.execute(
            f"UPDATE collection SET {', '.join(f'{k} = ?' for k in new)} WHERE id = ?",
            [*new.values(), row["id"]],
        )
        if row["shared"]:
            outbox.record(conn, "collection", row["uid"], new)
    if result.loser is not None:
        tally.conflicts.append(
            _keep_copy(conn, "collection", row["uid"], result.loser, result, incoming.uid)
        )
    return name


def _apply_order(
    conn: sqlite3.Connection,
    collection_id: int,
    incoming: IncomingCollection,
    prior: sqlite3.Row | None,
    order_before: list[str],
    shared: bool,
) -> None:
    """The sender's order, unless the order here changed since the last file (then it stays,
    with new items last)."""
    if prior is None:
        return
    remembered = [u for u in json.loads(prior["fields"]).get("order", []) if u in order_before]
    if [u for u in order_before if u in remembered] != remembered:
        return  # reordered here: the local order stays
    live = _live_order(conn, collection_id)
    wanted = [i.uid for i in incoming.items if i.uid in live]
    order = wanted + [u for u in live if u not in wanted]
    if order == live:
        return
    _order_items(conn, collection_id, order)
    if shared:
        record_order(conn, collection_id)


def _order_items(conn: sqlite3.Connection, collection_id: int, uids: list[str]) -> None:
    """Put the live items in the order of `uids` in the places items hold in the running order;
    agenda steps stay where they are."""
    ids = {
        r["uid"]: r["id"]
        for r in conn.execute(
            "SELECT id, uid FROM collection_item WHERE collection_id = ? AND deleted_at IS NULL",
            (collection_id,),
        )
    }
    items = iter(ids[uid] for uid in uids)
    entries = running_order.entries(conn, collection_id)
    order = [
        e if e.kind == "step" else running_order.Entry("item", next(items), -1, "") for e in entries
    ]
    running_order.write(conn, order)


def _remember(conn: sqlite3.Connection, incoming: IncomingCollection) -> None:
    """What this file held: the base the next file from the same collection is merged against."""
    conn.execute("DELETE FROM file_shadow WHERE collection_uid = ?", (incoming.uid,))
    # a time in the future (a wrong clock, or a file made to block updates) counts as now
    moment = min(_when(incoming.exported_at), datetime.now(UTC))
    exported = moment.isoformat() if _readable(incoming.exported_at) else now()
    rows: list[tuple[str, dict[str, Any]]] = [
        ("", {"name": incoming.name, "description": incoming.description,
              "order": [i.uid for i in incoming.items]}),
    ]  # fmt: skip
    rows += [
        (i.uid, {"note": i.note, "prompts": list(i.prompts), "minutes": i.minutes})
        for i in incoming.items
    ]
    conn.executemany(
        "INSERT INTO file_shadow (collection_uid, item_uid, fields, exported_at) "
        "VALUES (?, ?, ?, ?)",
        [(incoming.uid, uid, json.dumps(fields), exported) for uid, fields in rows],
    )


def _keep_copy(
    conn: sqlite3.Connection,
    kind: str,
    uid: str,
    version: dict[str, Any],
    result: Any,
    collection_uid: str,
) -> dict[str, Any]:
    """Keep the version that lost as a conflict copy; returns how the import lists it."""
    copy_id = f"file-{uuid.uuid4().hex}"
    at = (result.loser_at or datetime.now(UTC)).isoformat()
    conn.execute(
        "INSERT INTO team_conflict (id, kind, uid, reason, fields, clashed, author, "
        "authored_at, resolved, source, arrived_at) VALUES (?, ?, ?, 'stale', ?, ?, ?, ?, 0, "
        "'file', ?)",
        (copy_id, kind, uid, json.dumps(version), json.dumps(list(result.clashed)),
         result.loser_by or "", at, now()),
    )  # fmt: skip
    return {
        "id": copy_id, "kind": kind, "uid": uid, "collection": collection_uid,
        "key": version.get("key", ""), "copy": "file" if result.loser_by else "here",
        "clashed": list(result.clashed),
    }  # fmt: skip


def _item_values(conn: sqlite3.Connection, item_id: int) -> dict[str, Any]:
    row = conn.execute(
        "SELECT note, prompts, minutes FROM collection_item WHERE id = ?", (item_id,)
    ).fetchone()
    return {"note": row["note"], "prompts": json.loads(row["prompts"]), "minutes": row["minutes"]}


def _live_order(conn: sqlite3.Connection, collection_id: int) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT uid FROM collection_item WHERE collection_id = ? AND deleted_at IS NULL "
            "ORDER BY position, id",
            (collection_id,),
        )
    ]


def _readable(stamp: str) -> bool:
    try:
        datetime.fromisoformat(stamp)
    except ValueError:
        return False
    return True


def _when(stamp: str | None) -> datetime:
    """An ISO time as an aware datetime (naive ones are UTC); the distant past if unreadable."""
    try:
        moment = datetime.fromisoformat(stamp or "")
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
