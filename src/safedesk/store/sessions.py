"""Sessions in the store: a collection's plan (target length and start time), its agenda steps,
and the records of sessions delivered with their agreed actions.

Every write is one short transaction. Deleting a step, a record or an action only marks it
(`deleted_at`); the trash (`userdata.UserData.trash`) lists marked rows. Steps share the running
order with the collection's items (`running_order`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from safedesk.errors import LibraryError, NotFoundError
from safedesk.store import running_order
from safedesk.store.transactions import insert_row, now, short_uid, transaction

if TYPE_CHECKING:
    from safedesk.store.collections import Collections

STEP_FIELDS = ("title", "minutes", "instructions")
RECORD_SQL = (
    "SELECT r.*, (c.id IS NOT NULL AND c.deleted_at IS NULL) AS collection_live "
    "FROM session_record r LEFT JOIN collection c ON c.id = r.collection_id "
)
ACTION_SQL = (
    "SELECT a.*, r.uid AS record_uid, r.held_on AS record_held_on, "
    "r.collection_name AS record_collection FROM session_action a "
    "JOIN session_record r ON r.id = a.record_id "
)
RECORD_FIELDS = ("held_on", "team", "attendees", "note")


@dataclass
class IncomingStep:
    """An agenda step as a collection file sends it; `index` is its place in the file's running
    order (items and steps counted together)."""

    uid: str
    title: str
    minutes: int
    instructions: str = ""
    index: int = 0


@dataclass
class IncomingAction:
    uid: str
    what: str
    who: str = ""
    due: str | None = None
    done_at: str | None = None


@dataclass
class IncomingRecord:
    uid: str
    held_on: str
    team: str = ""
    attendees: int | None = None
    note: str = ""
    covered: list[str] = field(default_factory=list)
    actions: list[IncomingAction] = field(default_factory=list)


class Sessions:
    def __init__(self, conn: sqlite3.Connection, collections: Collections) -> None:
        self.conn = conn
        self.collections = collections

    # -- the plan -------------------------------------------------------------------------------
    def set_plan(self, name: str, changes: dict[str, Any]) -> None:
        """Set the collection's `plan_length` (minutes) and/or `plan_start` ("09:30");
        None clears either."""
        row = self.collections.collection(name)
        allowed = {k: v for k, v in changes.items() if k in ("plan_length", "plan_start")}
        if not allowed:
            return
        with transaction(self.conn) as conn:
            sets = ", ".join(f"{k} = ?" for k in allowed)
            conn.execute(
                f"UPDATE collection SET {sets}, updated_at = ? WHERE id = ?",
                [*allowed.values(), now(), row["id"]],
            )

    # -- agenda steps ---------------------------------------------------------------------------
    def steps(self, collection_id: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM session_step WHERE collection_id = ? AND deleted_at IS NULL "
            "ORDER BY position, id",
            (collection_id,),
        ).fetchall()

    def step(self, name: str, uid: str) -> sqlite3.Row:
        row = self.collections.collection(name)
        step: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM session_step WHERE collection_id = ? AND uid = ? AND deleted_at IS NULL",
            (row["id"], uid),
        ).fetchone()
        if step is None:
            raise NotFoundError(f"the collection {row['name']!r} has no step {uid!r}")
        return step

    def add_step(
        self, name: str, title: str, minutes: int, instructions: str = "", index: int | None = None
    ) -> str:
        """Add an agenda step at `index` of the running order (0 = first; None: at the end);
        returns its uid."""
        row = self.collections.collection(name)
        stamp = now()
        with transaction(self.conn) as conn:
            uid = short_uid(conn, "session_step")
            step_id = insert_row(conn, "session_step", {
                "uid": uid, "collection_id": row["id"],
                "position": running_order.end_position(conn, row["id"]), "title": title,
                "minutes": minutes, "instructions": instructions, "created_at": stamp,
                "updated_at": stamp,
            })  # fmt: skip
            if index is not None:
                running_order.insert_at(conn, row["id"], "step", step_id, index)
            _touch(conn, row["id"])
        return uid

    def edit_step(self, name: str, uid: str, changes: dict[str, Any]) -> None:
        step = self.step(name, uid)
        allowed = {k: v for k, v in changes.items() if k in STEP_FIELDS and v is not None}
        if not allowed:
            return
        with transaction(self.conn) as conn:
            sets = ", ".join(f"{k} = ?" for k in allowed)
            conn.execute(
                f"UPDATE session_step SET {sets}, updated_at = ? WHERE id = ?",
                [*allowed.values(), now(), step["id"]],
            )
            _touch(conn, step["collection_id"])

    def remove_step(self, name: str, uid: str) -> None:
        step = self.step(name, uid)
        with transaction(self.conn) as conn:
            conn.execute("UPDATE session_step SET deleted_at = ? WHERE id = ?", (now(), step["id"]))
            running_order.renumber(conn, step["collection_id"])
            _touch(conn, step["collection_id"])

    # -- records of sessions delivered ------------------------------------------------------------
    def add_record(
        self,
        name: str,
        fields: dict[str, Any],
        covered: list[str],
        actions: list[tuple[str, str, str | None]],
    ) -> str:
        """Record a session of the collection `name` with its actions (what, who, due); returns
        the record's uid. All in one transaction."""
        row = self.collections.collection(name)
        stamp = now()
        with transaction(self.conn) as conn:
            uid = short_uid(conn, "session_record")
            record_id = insert_row(conn, "session_record", {
                "uid": uid, "collection_id": row["id"], "collection_uid": row["uid"],
                "collection_name": row["name"], "held_on": fields["held_on"],
                "team": fields.get("team") or "", "attendees": fields.get("attendees"),
                "note": fields.get("note") or "", "covered": json.dumps(covered),
                "created_at": stamp, "updated_at": stamp,
            })  # fmt: skip
            for n, (what, who, due) in enumerate(actions):
                _insert_action(conn, record_id, n, IncomingAction(
                    short_uid(conn, "session_action"), what, who, due
                ), stamp)  # fmt: skip
        return uid

    def records(self) -> list[sqlite3.Row]:
        """Every live record, the most recent session first (`collection_live`: its collection
        is still there)."""
        return self.conn.execute(
            RECORD_SQL + "WHERE r.deleted_at IS NULL ORDER BY r.held_on DESC, r.id DESC"
        ).fetchall()

    def record(self, uid: str) -> sqlite3.Row:
        found = _by_uid(self.conn, "session_record", uid, "session record", "`safedesk sessions`")
        row: sqlite3.Row = self.conn.execute(
            RECORD_SQL + "WHERE r.id = ?", (found["id"],)
        ).fetchone()
        return row

    def edit_record(self, uid: str, changes: dict[str, Any]) -> None:
        record = self.record(uid)
        allowed = {k: v for k, v in changes.items() if k in RECORD_FIELDS}
        if not allowed:
            return
        with transaction(self.conn) as conn:
            sets = ", ".join(f"{k} = ?" for k in allowed)
            conn.execute(
                f"UPDATE session_record SET {sets}, updated_at = ? WHERE id = ?",
                [*allowed.values(), now(), record["id"]],
            )

    def remove_record(self, uid: str) -> None:
        record = self.record(uid)
        with transaction(self.conn) as conn:
            conn.execute(
                "UPDATE session_record SET deleted_at = ? WHERE id = ?", (now(), record["id"])
            )

    def actions(self, record_id: int | None = None) -> list[sqlite3.Row]:
        """Live actions (of one record, or of every live record), in their record's order, with
        their record's `record_uid`, `record_held_on` and `record_collection`."""
        sql = ACTION_SQL + "WHERE a.deleted_at IS NULL AND r.deleted_at IS NULL"
        if record_id is not None:
            return self.conn.execute(
                sql + " AND a.record_id = ? ORDER BY a.position, a.id", (record_id,)
            ).fetchall()
        return self.conn.execute(sql + " ORDER BY r.held_on, a.position, a.id").fetchall()

    def action(self, uid: str) -> sqlite3.Row:
        found = _by_uid(self.conn, "session_action", uid, "action", "`safedesk sessions`")
        row: sqlite3.Row = self.conn.execute(
            ACTION_SQL + "WHERE a.id = ?", (found["id"],)
        ).fetchone()
        return row

    def running_order(self, collection_id: int) -> list[running_order.Entry]:
        return running_order.entries(self.conn, collection_id)

    def add_action(self, record_uid: str, what: str, who: str, due: str | None) -> str:
        record = self.record(record_uid)
        stamp = now()
        with transaction(self.conn) as conn:
            uid = short_uid(conn, "session_action")
            position = conn.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM session_action WHERE record_id = ?",
                (record["id"],),
            ).fetchone()[0]
            _insert_action(conn, record["id"], position, IncomingAction(uid, what, who, due), stamp)
            conn.execute(
                "UPDATE session_record SET updated_at = ? WHERE id = ?", (stamp, record["id"])
            )
        return uid

    def set_action_done(self, uid: str, done: bool) -> None:
        action = self.action(uid)
        stamp = now()
        with transaction(self.conn) as conn:
            conn.execute(
                "UPDATE session_action SET done_at = ?, updated_at = ? WHERE id = ?",
                (stamp if done else None, stamp, action["id"]),
            )

    def remove_action(self, uid: str) -> None:
        action = self.action(uid)
        with transaction(self.conn) as conn:
            conn.execute(
                "UPDATE session_action SET deleted_at = ? WHERE id = ?", (now(), action["id"])
            )

    def records_of(self, collection_id: int) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT * FROM session_record WHERE collection_id = ? AND deleted_at IS NULL "
            "ORDER BY held_on, id",
            (collection_id,),
        ).fetchall()


# -- helpers shared with the collection merge and copy (inside their transactions) ---------------
def insert_step(
    conn: sqlite3.Connection, collection_id: int, position: int, step: IncomingStep, stamp: str
) -> None:
    insert_row(conn, "session_step", {
        "uid": step.uid, "collection_id": collection_id, "position": position,
        "title": step.title, "minutes": step.minutes, "instructions": step.instructions,
        "created_at": stamp, "updated_at": stamp,
    })  # fmt: skip


def merge_records(
    conn: sqlite3.Connection, collection_id: int, records: list[IncomingRecord], stamp: str
) -> int:
    """Add the records (and their actions) not here yet, by uid; returns how many were added."""
    row = conn.execute("SELECT uid, name FROM collection WHERE id = ?", (collection_id,)).fetchone()
    known = {r[0] for r in conn.execute("SELECT uid FROM session_record")}
    known_actions = {r[0] for r in conn.execute("SELECT uid FROM session_action")}
    added = 0
    for record in records:
        if record.uid in known:
            continue
        record_id = insert_row(conn, "session_record", {
            "uid": record.uid, "collection_id": collection_id, "collection_uid": row["uid"],
            "collection_name": row["name"], "held_on": record.held_on, "team": record.team,
            "attendees": record.attendees, "note": record.note,
            "covered": json.dumps(record.covered), "created_at": stamp, "updated_at": stamp,
        })  # fmt: skip
        for n, action in enumerate(a for a in record.actions if a.uid not in known_actions):
            _insert_action(conn, record_id, n, action, stamp)
        known.add(record.uid)
        added += 1
    return added


def copy_steps(conn: sqlite3.Connection, source_id: int, target_id: int, stamp: str) -> None:
    """Copy a collection's live steps to another (positions kept: the copy's running order)."""
    for step in conn.execute(
        "SELECT * FROM session_step WHERE collection_id = ? AND deleted_at IS NULL", (source_id,)
    ).fetchall():
        insert_step(conn, target_id, step["position"], IncomingStep(
            short_uid(conn, "session_step"), step["title"], step["minutes"], step["instructions"]
        ), stamp)  # fmt: skip


def _insert_action(
    conn: sqlite3.Connection, record_id: int, position: int, action: IncomingAction, stamp: str
) -> None:
    insert_row(conn, "session_action", {
        "uid": action.uid, "record_id": record_id, "position": position, "what": action.what,
        "who": action.who, "due": action.due, "done_at": action.done_at, "created_at": stamp,
        "updated_at": stamp,
    })  # fmt: skip


def _touch(conn: sqlite3.Connection, collection_id: int) -> None:
    conn.execute("UPDATE collection SET updated_at = ? WHERE id = ?", (now(), collection_id))


def _by_uid(conn: sqlite3.Connection, table: str, given: str, what: str, where: str) -> sqlite3.Row:
    """The live row whose uid is `given`, or starts with it (4 characters or more)."""
    uid = given.strip().lower()
    row: sqlite3.Row | None = conn.execute(
        f"SELECT * FROM {table} WHERE uid = ? AND deleted_at IS NULL", (uid,)
    ).fetchone()
    if row is not None:
        return row
    if len(uid) >= 4:
        rows = conn.execute(
            f"SELECT * FROM {table} WHERE substr(uid, 1, ?) = ? AND deleted_at IS NULL LIMIT 2",
            (len(uid), uid),
        ).fetchall()
        if len(rows) == 1:
            found: sqlite3.Row = rows[0]
            return found
        if rows:
            raise LibraryError(f"{given!r} is the start of more than one {what}'s id; give more")
    raise NotFoundError(f"there is no {what} {given!r}; see {where}")
