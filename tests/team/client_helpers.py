"""Comparing member libraries with the team server, row by row, for the client tests."""

from __future__ import annotations

import json
from typing import Any

from safedesk.library import Library
from safedesk.team.connect import connect

Shared = dict[str, Any]


def local_view(lib: Library) -> Shared:
    """What a library holds of the team's: its shared collections (live, with their items in
    order) and shared examples, by uid."""
    conn = lib.store.conn
    collections: dict[str, Any] = {}
    for c in conn.execute("SELECT * FROM collection WHERE shared = 1 AND deleted_at IS NULL"):
        items = conn.execute(
            "SELECT * FROM collection_item WHERE collection_id = ? AND deleted_at IS NULL "
            "ORDER BY position, id",
            (c["id"],),
        ).fetchall()
        collections[c["uid"]] = {
            "name": c["name"], "description": c["description"],
            "items": [_item(i["uid"], i["key"], i["note"], json.loads(i["prompts"]),
                            i["minutes"]) for i in items],
        }  # fmt: skip
    examples = {
        e["uid"]: {k: e[k] for k in ("title", "team", "text", "outcomes")}
        for e in conn.execute("SELECT * FROM example WHERE shared = 1 AND deleted_at IS NULL")
    }
    return {"collections": collections, "examples": examples}


def server_view(url: str) -> Shared:
    """The same, straight from the server (what is not deleted)."""
    collections: dict[str, Any] = {}
    with connect(url) as conn, conn.transaction():
        for uid, name, description in conn.execute(
            "SELECT uid, name, description FROM safedesk.collection WHERE NOT deleted"
        ):
            items = conn.execute(
                "SELECT uid, key, note, prompts, minutes FROM safedesk.collection_item "
                "WHERE collection_uid = %s AND NOT deleted ORDER BY position",
                (uid,),
            ).fetchall()
            collections[uid] = {
                "name": name, "description": description,
                "items": [_item(*i) for i in items],
            }  # fmt: skip
        examples = {
            uid: {"title": title, "team": team, "text": text, "outcomes": outcomes}
            for uid, title, team, text, outcomes in conn.execute(
                "SELECT uid, title, team, text, outcomes FROM safedesk.example WHERE NOT deleted"
            )
        }
    return {"collections": collections, "examples": examples}


def _item(uid: str, key: str, note: str, prompts: list[str], minutes: int | None) -> Any:
    return {"uid": uid, "key": key, "note": note, "prompts": list(prompts), "minutes": minutes}


def pending(lib: Library) -> int:
    return int(lib.team.status()["pending"])


def practices(lib: Library, n: int) -> list[str]:
    return [p.key for p in lib.practices()[:n]]


def shared_collection(owner: Library, *others: Library, items: int = 3) -> list[str]:
    """`owner` shares a collection "Supervision" of its first `items` practices and syncs, then
    each of `others` syncs; the practices' keys."""
    keys = practices(owner, items)
    owner.create_collection("Supervision")
    for key in keys:
        owner.add_to_collection("Supervision", key)
    owner.team.share_collection("Supervision")
    owner.team.sync()
    for lib in others:
        lib.team.sync()
    return keys
