"""The team outbox (store/outbox.py): every change to a shared row is logged in the same
transaction as the change, exactly once; changes to unshared rows, bookmarks and personal notes
never are; unsent edits of one row become one change; a change that fails logs nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from safedesk.errors import LibraryError
from safedesk.library import Library


@pytest.fixture
def lib(library: Library) -> Iterator[Library]:
    """A library linked to a team (no server is needed to log changes)."""
    library.store.team.join(
        url="postgresql://asha@db.example/team", server="db.example/team", team_name="Team",
        member_role="asha", display_name="Asha", team_schema=1, editor=False,
    )  # fmt: skip
    yield library


def _entries(lib: Library) -> list[dict[str, Any]]:
    rows = lib.store.conn.execute("SELECT * FROM team_change ORDER BY seq").fetchall()
    return [
        {"kind": r["kind"], "uid": r["uid"], "op": r["op"], "fields": json.loads(r["fields"]),
         "base": json.loads(r["base"]), "sent": r["sent_at"] is not None}
        for r in rows
    ]  # fmt: skip


def _logged_by(lib: Library, change: Callable[[], object]) -> list[dict[str, Any]]:
    """The entries one change logs (earlier ones are frozen first, as a sync would)."""
    lib.store.team.freeze()
    before = len(_entries(lib))
    change()
    return _entries(lib)[before:]


def test_every_change_to_a_shared_row_is_logged_once(lib: Library) -> None:
    keys = [p.key for p in lib.practices()[:4]]
    lib.create_collection("Shared")
    for key in keys[:3]:
        lib.add_to_collection("Shared", key)
    assert _entries(lib) == []  # not shared yet: nothing is logged
    lib.team.share_collection("Shared")
    assert [(e["kind"], e["op"]) for e in _entries(lib)] == [("collection", "put")] + [
        ("collection_item", "put")
    ] * 3
    example = lib.add_example("Ours", text="What we do")
    lib.team.share_example(example.id)
    item = "collection_item"
    changes: list[tuple[Callable[[], object], str, str]] = [
        (lambda: lib.rename_collection("Shared", "Shared plans"), "collection", "put"),
        (lambda: lib.describe_collection("Shared plans", "About it"), "collection", "put"),
        (lambda: lib.add_to_collection("Shared plans", keys[3]), item, "put"),
        (lambda: lib.add_to_collection("Shared plans", keys[0], note="n"), item, "put"),
        (lambda: lib.add_to_collection("Shared plans", keys[0], prompts=["p"]), item, "put"),
        (lambda: lib.move_in_collection("Shared plans", keys[2], 1), item, "put"),
        (lambda: lib.step_in_collection("Shared plans", keys[2], 1), item, "put"),
        (lambda: lib.remove_from_collection("Shared plans", keys[1]), item, "delete"),
        (lambda: lib.edit_example(example.id, title="Ours, renamed"), "example", "put"),
        (lambda: lib.remove_example(example.id), "example", "delete"),
        (lambda: lib.delete_collection("Shared plans"), "collection", "delete"),
    ]  # fmt: skip
    for change, kind, op in changes:
        [entry] = _logged_by(lib, change)
        assert (entry["kind"], entry["op"]) == (kind, op)


def test_changes_to_unshared_and_private_things_are_never_logged(lib: Library) -> None:
    key = lib.practices()[0].key
    lib.create_collection("Mine")
    lib.add_to_collection("Mine", key, note="private", prompts=["?"], minutes=5)
    lib.rename_collection("Mine", "Still mine")
    lib.move_in_collection("Still mine", key, 1)
    lib.bookmark(key, note="a personal note", tags=["t"])
    example = lib.add_example("Unshared", text="x")
    lib.edit_example(example.id, text="y")
    lib.remove_example(example.id)
    lib.delete_collection("Still mine")
    lib.empty_trash()
    assert _entries(lib) == []


def test_unsent_edits_of_one_row_become_one_change_with_the_first_base(lib: Library) -> None:
    key = lib.practices()[0].key
    lib.create_collection("Shared")
    lib.add_to_collection("Shared", key, note="start")
    lib.team.share_collection("Shared")
    lib.store.team.freeze()
    uid = lib.collection("Shared").items[0].uid
    lib.store.conn.execute(  # as if the share had been acknowledged: the server holds "start"
        "INSERT INTO team_shadow VALUES ('collection_item', ?, 7, ?, 'asha', 'asha', '', 0)",
        (uid, json.dumps({"note": "start", "minutes": None})),
    )
    lib.store.conn.execute("DELETE FROM team_change")
    for note in ("one", "two", "three"):
        lib.add_to_collection("Shared", key, note=note)
    lib.add_to_collection("Shared", key, minutes=9)
    [entry] = _entries(lib)
    assert entry["fields"] == {"note": "three", "minutes": 9}
    assert entry["base"] == {"note": "start", "minutes": None}
    # once sent it is frozen: the next edit is a new change whose base is the sent value
    lib.store.team.freeze()
    lib.add_to_collection("Shared", key, note="four")
    assert [e["base"] for e in _entries(lib)] == [
        {"note": "start", "minutes": None},
        {"note": "three"},
    ]


def test_a_change_that_fails_logs_nothing(lib: Library) -> None:
    lib.create_collection("Shared")
    lib.create_collection("Taken")
    lib.team.share_collection("Shared")
    lib.store.team.freeze()
    before = _entries(lib)
    with pytest.raises(LibraryError, match="already exists"):
        lib.rename_collection("Shared", "Taken")
    assert _entries(lib) == before
    assert lib.collection("Shared").name == "Shared"


def test_a_deletion_never_sent_cancels_the_share_and_a_restore_cancels_the_deletion(
    lib: Library,
) -> None:
    lib.create_collection("Brief")
    lib.add_to_collection("Brief", lib.practices()[0].key)
    lib.team.share_collection("Brief")
    lib.delete_collection("Brief")  # shared and deleted before any sync: nothing to send
    assert _entries(lib) == []
    [trashed] = lib.trash()
    lib.restore(trashed.id)
    assert lib.collection("Brief").shared is False  # its share never left this library
    lib.create_collection("Kept")
    lib.team.share_collection("Kept")
    lib.store.team.freeze()  # sent
    lib.delete_collection("Kept")
    [entry] = [e for e in _entries(lib) if not e["sent"]]
    assert entry["op"] == "delete"
    [trashed] = [t for t in lib.trash() if t.label == "Collection: Kept"]
    lib.restore(trashed.id)  # restored before the deletion was sent: it never happened
    assert [e for e in _entries(lib) if not e["sent"]] == []
    assert lib.collection("Kept").shared is True
