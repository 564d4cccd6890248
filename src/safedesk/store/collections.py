"""Collections and their items: making, editing, ordering, and merging in an imported collection.

Deleting only marks a row (`deleted_at`); the trash (`userdata.UserData.trash`) lists marked rows.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from safedesk.errors import LibraryError, NotFoundError
from safedesk.store import outbox, running_order, sessions
from safedesk.store.positions import placed
from safedesk.store.transactions import insert_row, new_uid, now, transaction


@dataclass
class Snapshot:
    """What a key pointed at when the user kept it: enough to show it if it goes away."""

    title: str
    text: str
    report_key: str = ""
    report_title: str = ""


@dataclass
class IncomingItem:
    """A collection item as a collection file (or a teammate) sends it."""

    uid: str
    key: str
    snapshot: Snapshot
    note: str = ""
    prompts: list[str] = field(default_factory=list)
    minutes: int | None = None
    linked: bool = False  # its key names something in this library
    changed_at: str = ""  # when the sender last changed it (collection files from now on)


@dataclass
class IncomingExample:
    uid: str
    title: str
    theme_key: str = ""
    theme_title: str = ""
    team: str = ""
    text: str = ""
    outcomes: str = ""


@dataclass
class IncomingCollection:
    uid: str
    name: str
    description: str = ""
    items: list[IncomingItem] = field(default_factory=list)
    examples: list[IncomingExample] = field(default_factory=list)
    exported_at: str = ""  # when the file was written ("" for files from before this was kept)
    changed_at: str = ""  # when the sender last changed the collection's name or description
    plan_length: int | None = None
    plan_start: str | None = None
    steps: list[sessions.IncomingStep] = field(default_factory=list)
    records: list[sessions.IncomingRecord] = field(default_factory=list)

    def running_order(self) -> list[IncomingItem | sessions.IncomingStep]:
        """The items in their order with the steps at their places among them."""
        order: list[IncomingItem | sessions.IncomingStep] = list(self.items)
        for step in sorted(self.steps, key=lambda s: s.index):
            order.insert(min(max(step.index, 0), len(order)), step)
        return order


MAX_NAME = 200
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


class Collections:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def collection(self, name: str) -> sqlite3.Row:
        row: sqlite3.Row | None = self.conn.execute(
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
        row: sqlite3.Row | None = self.conn.execute(
            "SELECT * FROM collection_item WHERE collection_id = ? AND key = ? "
            "AND deleted_at IS NULL ORDER BY position, id LIMIT 1",
            (collection_id, key),
        ).fetchone()
        return row

    def free_name(self, name: str, conn: sqlite3.Connection | None = None) -> str:
        """`name`, or "name (2)", "name (3)"... whichever no live collection has."""
        return free_name(conn or self.conn, name)

    def create_collection(self, name: str, description: str = "", uid: str | None = None) -> str:
        name = clean_name(name)
        stamp = now()
        with transaction(self.conn) as conn:
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
        new_name = clean_name(new_name)
        with transaction(self.conn) as conn:
            if not same_name(new_name, row["name"]) and self.free_name(new_name, conn) != new_name:
                raise LibraryError(f"a collection called {new_name!r} already exists")
            conn.execute(
                "UPDATE collection SET name = ?, updated_at = ? WHERE id = ?",
                (new_name, now(), row["id"]),
            )
            if row["shared"]:
                outbox.record(conn, "collection", row["uid"], {"name": new_name})
        return new_name

    def describe_collection(self, name: str, description: str) -> None:
        row = self.collection(name)
        with transaction(self.conn) as conn:
            conn.execute(
                "UPDATE collection SET description = ?, updated_at = ? WHERE id = ?",
                (description, now(), row["id"]),
            )
            if row["shared"]:
                outbox.record(conn, "collection", row["uid"], {"description": description})

    def duplicate_collection(self, name: str, new_name: str | None = None) -> str:
        row = self.collection(name)
        stamp = now()
        with transaction(self.conn) as conn:
            target = self.free_name(
                clean_name(new_name) if new_name else f"{row['name']} (copy)", conn
            )
            copy_id = insert_row(conn, "collection", {
                "uid": new_uid(), "name": target, "description": row["description"],
                "created_at": stamp, "updated_at": stamp, "plan_length": row["plan_length"],
                "plan_start": row["plan_start"],
            })  # fmt: skip
            for item in self.items(row["id"]):
                values = dict(item)
                values.update(
                    id=None, uid=new_uid(), collection_id=copy_id, created_at=stamp,
                    updated_at=stamp, team_position=None,
                )  # fmt: skip
                insert_row(conn, "collection_item", values)
            sessions.copy_steps(conn, row["id"], copy_id, stamp)
        return target

    def delete_collection(self, name: str) -> None:
        row = self.collection(name)
        with transaction(self.conn) as conn:
            conn.execute("UPDATE collection SET deleted_at = ? WHERE id = ?", (now(), row["id"]))
            if row["shared"]:
                outbox.record(conn, "collection", row["uid"], op="delete")

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
        with transaction(self.conn) as conn:
            existing = conn.execute(
                "SELECT id, uid, note, prompts, minutes FROM collection_item "
                "WHERE collection_id = ? AND key = ? AND deleted_at IS NULL",
                (row["id"], key),
            ).fetchone()
            if existing is not None:
                updates: dict[str, Any] = {"note": note, "minutes": minutes}
                changed = {k: v for k, v in updates.items() if v is not None and v != existing[k]}
                if prompts is not None and prompts != json.loads(existing["prompts"]):
                    changed["prompts"] = prompts  # [] clears them
                if changed:
                    _update_item(conn, existing["id"], changed)
                    if row["shared"]:
                        outbox.record(conn, "collection_item", existing["uid"], changed)
                self._touch(conn, row["id"])
                return False
            incoming = IncomingItem(
                uid or new_uid(), key, snapshot, note or "", prompts or [], minutes
            )
            _insert_item(conn, row["id"], end_position(conn, row["id"]), incoming, now())
            if row["shared"]:
                record_new_item(conn, row["id"], incoming.uid)
            self._touch(conn, row["id"])
            return True

    def remove_item(self, name: str, key: str) -> None:
        row = self.collection(name)
        with transaction(self.conn) as conn:
            gone = conn.execute(
                "SELECT uid FROM collection_item WHERE collection_id = ? AND key = ? "
                "AND deleted_at IS NULL",
                (row["id"], key),
            ).fetchall()
            done = conn.execute(
                "UPDATE collection_item SET deleted_at = ? WHERE collection_id = ? AND key = ? "
                "AND deleted_at IS NULL",
                (now(), row["id"], key),
            )
            if done.rowcount == 0:
                raise NotFoundError(f"{key} is not in the collection {row['name']!r}")
            if row["shared"]:
                for item in gone:
                    outbox.record(conn, "collection_item", item["uid"], op="delete")
            self._renumber(conn, row["id"])
            self._touch(conn, row["id"])

    def move_item(self, name: str, ref: str, position: int) -> int:
        """Move an item (its key) or an agenda step (``step:<uid>``) to `position` of the running
        order (1 = first); returns the position it ended at."""
        row = self.collection(name)
        order = [e.ref for e in running_order.entries(self.conn, row["id"])]
        if ref not in order:
            raise NotFoundError(f"{ref} is not in the collection {row['name']!r}")
        order.remove(ref)
        index = max(0, min(len(order), position - 1))
        order.insert(index, ref)
        self.reorder(name, order)
        return index + 1

    def place(self, name: str, refs: list[str], before: str | None) -> None:
        """Move `refs` (all in the running order), in their order, to just before the entry
        `before` (None, or one of `refs`: after the last other entry)."""
        order = [e.ref for e in running_order.entries(self.conn, self.collection(name)["id"])]
        self.reorder(name, running_order.arrange(order, refs, before))

    def reorder(self, name: str, refs: list[str]) -> None:
        """Give the running order the order of `refs` (entries not named keep theirs, after)."""
        row = self.collection(name)
        with transaction(self.conn) as conn:
            current = running_order.entries(conn, row["id"])
            named = {e.ref: e for e in current}
            order = [named[r] for r in dict.fromkeys(refs) if r in named]
            order += [e for e in current if e.ref not in refs]
            running_order.write(conn, order)
            if row["shared"]:
                record_order(conn, row["id"])
            self._touch(conn, row["id"])

    def _renumber(self, conn: sqlite3.Connection, collection_id: int) -> None:
        running_order.renumber(conn, collection_id)

    @staticmethod
    def _touch(conn: sqlite3.Connection, collection_id: int) -> None:
        conn.execute("UPDATE collection SET updated_at = ? WHERE id = ?", (now(), collection_id))


def _update_item(conn: sqlite3.Connection, item_id: int, changed: dict[str, Any]) -> None:
    values = {k: json.dumps(v) if k == "prompts" else v for k, v in changed.items()}
    conn.execute(
        f"UPDATE collection_item SET {', '.join(f'{k} = ?' for k in values)}, updated_at = ? "
        "WHERE id = ?",
        [*values.values(), now(), item_id],
    )


def record_new_item(conn: sqlite3.Connection, collection_id: int, uid: str) -> None:
    """Give a new item of a shared collection the place after the team copy's last, and log it."""
    last = conn.execute(
        "SELECT MAX(team_position) FROM collection_item WHERE collection_id = ? "
        "AND deleted_at IS NULL AND uid <> ?",
        (collection_id, uid),
    ).fetchone()[0]
    item = conn.execute(
        "SELECT * FROM collection_item WHERE collection_id = ? AND uid = ?", (collection_id, uid)
    ).fetchone()
    position = (last + 1.0) if last is not None else float(item["position"])
    conn.execute(
        "UPDATE collection_item SET team_position = ? WHERE id = ?", (position, item["id"])
    )
    item = conn.execute("SELECT * FROM collection_item WHERE id = ?", (item["id"],)).fetchone()
    outbox.record(conn, "collection_item", uid, outbox.item_fields(conn, item))


def record_order(conn: sqlite3.Connection, collection_id: int) -> None:
    """After the items of a shared collection were put in a new order: give the fewest of them
    new team positions (one change each) so the team's copy has the same order."""
    items = conn.execute(
        "SELECT id, uid, team_position FROM collection_item WHERE collection_id = ? "
        "AND deleted_at IS NULL ORDER BY position, id",
        (collection_id,),
    ).fetchall()
    moved = placed([(r["uid"], r["team_position"]) for r in items])
    stamp = now()
    for item in items:
        if item["uid"] in moved:
            position = moved[item["uid"]]
            conn.execute(
                "UPDATE collection_item SET team_position = ?, updated_at = ? WHERE id = ?",
                (position, stamp, item["id"]),
            )
            outbox.record(conn, "collection_item", item["uid"], {"position": position}, at=stamp)


def free_name(conn: sqlite3.Connection, name: str) -> str:
    """`name`, or "name (2)", "name (3)"... whichever no live collection has."""
    taken = {
        _fold(r[0]) for r in conn.execute("SELECT name FROM collection WHERE deleted_at IS NULL")
    }
    candidate, n = name, 1
    while _fold(candidate) in taken:
        n += 1
        candidate = f"{name} ({n})"
    return candidate


def end_position(conn: sqlite3.Connection, collection_id: int) -> int:
    """The position after the collection's last live item or agenda step."""
    return running_order.end_position(conn, collection_id)


def _insert_item(
    conn: sqlite3.Connection, collection_id: int, position: int, item: IncomingItem, stamp: str
) -> None:
    insert_row(conn, "collection_item", {
        "uid": item.uid or new_uid(), "collection_id": collection_id, "position": position,
        "key": item.key, "title": item.snapshot.title, "text": item.snapshot.text,
        "report_key": item.snapshot.report_key, "report_title": item.snapshot.report_title,
        "note": item.note, "prompts": json.dumps(item.prompts), "minutes": item.minutes,
        "created_at": stamp, "updated_at": stamp,
    })  # fmt: skip


def clean_name(name: str) -> str:
    """A collection name as stored: Unicode composed (NFC), control and format characters (NUL,
    bidi overrides, line breaks) made spaces, spaces folded; LibraryError if empty or too long.
    Names made here, renamed, imported from a file or arriving by sync all go through it."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in name)
    name = " ".join(name.split())
    if not name:
        raise LibraryError("a collection needs a name")
    if len(name) > MAX_NAME:
        raise LibraryError(f"a collection name can be at most {MAX_NAME} characters")
    return name


def incoming_name(name: str) -> str:
    """An imported collection's name made to follow `clean_name`'s rules without refusing the
    import: an empty name becomes "Imported collection", a long one is shortened."""
    try:
        return clean_name(name)
    except LibraryError:
        folded = " ".join(
            "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in name).split()
        )
        if not folded:
            return "Imported collection"
        return folded[:MAX_NAME].rsplit(" ", 1)[0] or folded[:MAX_NAME]


def same_name(a: str, b: str) -> bool:
    """Names that read alike (case, compatibility forms such as full-width letters) are one."""
    return _fold(a) == _fold(b)


def _fold(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()
