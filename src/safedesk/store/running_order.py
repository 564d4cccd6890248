"""A collection's running order: its library items and its agenda steps share one `position`.

An entry is named by a *ref*: an item by its library key, an agenda step by ``step:<uid>``
(library keys never start so). Positions are rewritten 0, 1, 2... whenever the order changes;
a deleted row keeps the position it had, so restoring it puts it back in its place.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

STEP_PREFIX = "step:"
TABLES = {"item": "collection_item", "step": "session_step"}


@dataclass(frozen=True)
class Entry:
    kind: str  # "item" or "step"
    id: int  # the row's id in its table
    position: int
    ref: str  # the item's key, or "step:<uid>"


def step_ref(uid: str) -> str:
    return f"{STEP_PREFIX}{uid}"


def is_step(ref: str) -> bool:
    return ref.startswith(STEP_PREFIX)


def entries(conn: sqlite3.Connection, collection_id: int) -> list[Entry]:
    """The live entries of a collection, in order (items before steps at an equal position)."""
    rows = conn.execute(
        "SELECT 'item', id, position, key FROM collection_item "
        "WHERE collection_id = ?1 AND deleted_at IS NULL "
        "UNION ALL SELECT 'step', id, position, ?2 || uid FROM session_step "
        "WHERE collection_id = ?1 AND deleted_at IS NULL "
        "ORDER BY 3, 1, 2",
        (collection_id, STEP_PREFIX),
    ).fetchall()
    return [Entry(r[0], r[1], r[2], r[3]) for r in rows]


def write(conn: sqlite3.Connection, order: list[Entry]) -> None:
    """Give the entries positions 0, 1, 2... in this order (rows already there are not touched)."""
    for n, entry in enumerate(order):
        if entry.position != n:
            conn.execute(
                f"UPDATE {TABLES[entry.kind]} SET position = ? WHERE id = ?", (n, entry.id)
            )


def renumber(conn: sqlite3.Connection, collection_id: int) -> None:
    write(conn, entries(conn, collection_id))


def end_position(conn: sqlite3.Connection, collection_id: int) -> int:
    """The position after the collection's last live entry."""
    return int(conn.execute(
        "SELECT MAX(COALESCE((SELECT MAX(position) FROM collection_item "
        "WHERE collection_id = ?1 AND deleted_at IS NULL), -1), "
        "COALESCE((SELECT MAX(position) FROM session_step "
        "WHERE collection_id = ?1 AND deleted_at IS NULL), -1)) + 1",
        (collection_id,),
    ).fetchone()[0])  # fmt: skip


def insert_at(
    conn: sqlite3.Connection, collection_id: int, kind: str, row_id: int, index: int
) -> int:
    """Put the row (already live) at `index` (0 = first; clamped) of the running order and
    renumber; returns the index it ended at."""
    order = [e for e in entries(conn, collection_id) if (e.kind, e.id) != (kind, row_id)]
    index = max(0, min(index, len(order)))
    order.insert(index, Entry(kind, row_id, -1, ""))
    write(conn, order)
    return index


def arrange(order: list[str], moving: list[str], before: str | None) -> list[str]:
    """`order` with `moving` (refs in it), in their order, just before `before` (None, or one of
    `moving`: at the end)."""
    moving = [r for r in dict.fromkeys(moving) if r in order]
    rest = [r for r in order if r not in moving]
    at = rest.index(before) if before in rest else len(rest)
    return rest[:at] + moving + rest[at:]
