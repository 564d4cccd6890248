"""A collection file sent again updates the copy it came from: the sender's changed notes, prompts,
minutes and order apply; what both changed goes to the later change, the other version kept as a
conflict copy; items the sender removed go to the Trash unless changed here; an older file
changes nothing."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from safedesk.library import Library


@pytest.fixture
def pair(library_template: Path, tmp_path: Path) -> Iterator[tuple[Library, Library]]:
    """Asha and Bo, each with a library of their own."""
    libs = []
    for name in ("asha", "bo"):
        shutil.copytree(library_template, tmp_path / name)
        libs.append(Library.open(tmp_path / name))
    yield libs[0], libs[1]
    for lib in libs:
        lib.close()


def _send(sender: Library, receiver: Library, folder: Path, n: int) -> object:
    path = folder / f"session-{n}.json"
    sender.export_collection("Session", path)
    return receiver.import_collection(path)


def _start(asha: Library, bo: Library, tmp_path: Path, items: int = 4) -> list[str]:
    keys = [p.key for p in asha.practices()[:items]]
    asha.create_collection("Session", "March")
    for key in keys:
        asha.add_to_collection("Session", key, note=f"note {key[-5:]}")
    _send(asha, bo, tmp_path, 0)
    return keys


def _later() -> None:
    time.sleep(0.02)


def test_the_senders_changes_apply_to_the_copy(
    pair: tuple[Library, Library], tmp_path: Path
) -> None:
    asha, bo = pair
    keys = _start(asha, bo, tmp_path)
    asha.add_to_collection("Session", keys[0], note="new note")
    asha.add_to_collection("Session", keys[1], prompts=["What helped?"])
    asha.add_to_collection("Session", keys[2], minutes=20)
    asha.move_in_collection("Session", keys[3], 1)
    asha.describe_collection("Session", "March, revised")
    result = _send(asha, bo, tmp_path, 1)
    assert (result.created, result.updated, result.conflicts) == (False, 3, [])  # type: ignore[attr-defined]
    mine, theirs = asha.collection("Session"), bo.collection("Session")
    fields = [(i.key, i.note, i.prompts, i.minutes) for i in mine.items]
    assert [(i.key, i.note, i.prompts, i.minutes) for i in theirs.items] == fields
    assert theirs.description == "March, revised"


@pytest.mark.parametrize("later", ["sender", "here"])
def test_a_note_changed_on_both_sides_goes_to_the_later_change(
    pair: tuple[Library, Library], tmp_path: Path, later: str
) -> None:
    asha, bo = pair
    keys = _start(asha, bo, tmp_path)
    edits = [(bo, "Bo's words"), (asha, "Asha's words")]
    if later == "here":
        edits.reverse()
    for lib, note in edits:
        lib.add_to_collection("Session", keys[0], note=note)
        _later()
    result = _send(asha, bo, tmp_path, 1)
    winner, loser = ("Asha's words", "Bo's words") if later == "sender" else (
        "Bo's words", "Asha's words")  # fmt: skip
    assert bo.collection("Session").items[0].note == winner
    [copy] = result.conflicts  # type: ignore[attr-defined]
    assert (copy["key"], copy["clashed"]) == (keys[0], ["note"])
    assert copy["copy"] == ("here" if later == "sender" else "file")
    [listed] = bo.team.conflicts()
    assert listed["source"] == "file"
    assert bo.team.conflict_versions(listed["id"])[1]["note"] == loser


def test_items_the_sender_removed_go_to_the_trash_unless_changed_here(
    pair: tuple[Library, Library], tmp_path: Path
) -> None:
    asha, bo = pair
    keys = _start(asha, bo, tmp_path)
    bo.add_to_collection("Session", keys[1], minutes=5)  # Bo worked on this one
    for key in keys[:2]:
        asha.remove_from_collection("Session", key)
    result = _send(asha, bo, tmp_path, 1)
    assert result.removed == 1  # type: ignore[attr-defined]
    # the one kept follows the sender's order of the rest
    assert [i.key for i in bo.collection("Session").items] == [keys[2], keys[3], keys[1]]
    assert [t.label for t in bo.trash()] == [f"Item in Session: {bo.get(keys[0]).title}"]  # type: ignore[union-attr]


def test_the_order_here_stays_if_it_was_changed_here(
    pair: tuple[Library, Library], tmp_path: Path
) -> None:
    asha, bo = pair
    keys = _start(asha, bo, tmp_path)
    extra = asha.practices()[4].key
    bo.move_in_collection("Session", keys[0], 4)
    asha.move_in_collection("Session", keys[3], 1)
    asha.add_to_collection("Session", extra)
    _send(asha, bo, tmp_path, 1)
    assert [i.key for i in bo.collection("Session").items] == [*keys[1:], keys[0], extra]


def test_a_file_that_is_not_newer_changes_nothing(
    pair: tuple[Library, Library], tmp_path: Path
) -> None:
    asha, bo = pair
    keys = _start(asha, bo, tmp_path)
    old = tmp_path / "session-0.json"
    asha.add_to_collection("Session", keys[0], note="newer")
    _send(asha, bo, tmp_path, 1)
    result = bo.import_collection(old)
    assert "not newer" in result.summary()
    assert bo.collection("Session").items[0].note == "newer"
    # a file claiming a time in the future cannot block later updates
    data = json.loads(old.read_text())
    data["exported_at"] = "2999-01-01T00:00:00+00:00"
    data["items"][0]["note"] = "from the future"
    future = tmp_path / "future.json"
    future.write_text(json.dumps(data))
    bo.import_collection(future)
    _later()
    asha.add_to_collection("Session", keys[0], note="later still")
    _send(asha, bo, tmp_path, 2)
    assert bo.collection("Session").items[0].note == "later still"


def test_a_shared_copy_passes_the_changes_on_to_the_team(
    pair: tuple[Library, Library], tmp_path: Path
) -> None:
    asha, bo = pair
    keys = _start(asha, bo, tmp_path)
    bo.store.team.join(
        url="postgresql://bo@db.example/team", server="db.example/team", team_name="Team",
        member_role="bo", display_name="Bo", team_schema=1, editor=False,
    )  # fmt: skip
    bo.team.share_collection("Session")
    bo.store.team.freeze()
    asha.add_to_collection("Session", keys[2], note="via email")
    _send(asha, bo, tmp_path, 1)
    unsent = bo.store.conn.execute(
        "SELECT kind, fields FROM team_change WHERE sent_at IS NULL"
    ).fetchall()
    assert [(r["kind"], json.loads(r["fields"])["note"]) for r in unsent] == [
        ("collection_item", "via email")
    ]
