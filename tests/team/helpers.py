"""Small builders for the team tests: changes as a client would send them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from safedesk.team.push import Change, PushResult, push

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    """A fixed moment in the past (so the server never clamps it to its own clock)."""
    return T0 + timedelta(minutes=minutes)


def put(
    what: Any, uid: str, /, *, base_revision: int | None = None,
    base: dict[str, Any] | None = None, when: datetime | None = None, **fields: Any,
) -> Change:  # fmt: skip
    return Change(
        change_id=uuid.uuid4(), kind=what, uid=uid, op="put", fields=fields, base=base or {},
        base_revision=base_revision, changed_at=when,
    )  # fmt: skip


def delete(kind: Any, uid: str, *, base_revision: int | None = None,
           when: datetime | None = None) -> Change:  # fmt: skip
    return Change(
        change_id=uuid.uuid4(), kind=kind, uid=uid, op="delete", base_revision=base_revision,
        changed_at=when,
    )  # fmt: skip


def edit(what: Any, start: dict[str, Any], /, *, when: datetime | None = None,
         **fields: Any) -> Change:  # fmt: skip
    """A change to a row the client last saw as `start` (its revision and starting values)."""
    base = {name: start[name] for name in fields}
    return put(what, start["uid"], base_revision=start["revision"], base=base, when=when, **fields)


def item(uid: str, collection: str, key: str, position: float, **extra: Any) -> Change:
    fields: dict[str, Any] = {
        "collection_uid": collection, "key": key, "position": position, "kind": "practice",
        "title": f"Title of {key}", "text": f"Text of {key}", "note": "", "prompts": [],
        "minutes": None,
    }  # fmt: skip
    when = extra.pop("when", None)
    fields.update(extra)
    return put("collection_item", uid, when=when, **fields)


def share_collection(conn: Any, uid: str, name: str, items: int = 3) -> list[PushResult]:
    """A collection with `items` items, shared in one push."""
    changes = [put("collection", uid, name=name, description=f"About {name}", when=at(0))]
    changes += [
        item(f"{uid}-i{n}", uid, f"report/box-{n}", float(n), when=at(0)) for n in range(items)
    ]
    results = push(conn, changes)
    assert [r.outcome for r in results] == ["applied"] * len(changes)
    return results


def row(conn: Any, table: str, uid: str) -> dict[str, Any]:
    from psycopg.rows import dict_row

    with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
        cur.execute(f"SELECT * FROM safedesk.{table} WHERE uid = %s", (uid,))
        found = cur.fetchone()
    assert found is not None, uid
    return dict(found)
