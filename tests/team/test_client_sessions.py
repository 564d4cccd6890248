"""A shared collection that is also a session plan: its items travel, its plan (length, start),
agenda steps and records of sessions stay in the library that made them; a teammate's new item
or new order never moves this library's steps out of their places; a newer collection file's
order moves the items among the steps, not over them."""

from __future__ import annotations

from pathlib import Path

from safedesk.library import Library
from tests.team.client_helpers import practices
from tests.team.conftest import Libraries


def _order(lib: Library, name: str) -> list[str]:
    return [e.title if e.kind == "step" else str(e.key) for e in lib.collection(name).steps]


def test_plans_steps_and_records_stay_local_and_keep_their_places(libraries: Libraries) -> None:
    asha, bo = libraries("Asha"), libraries("Bo", editor=True)
    k1, k2, k3, k4 = practices(asha, 4)
    asha.create_collection("March")
    for key in (k1, k2, k3):
        asha.add_to_collection("March", key, minutes=10)
    asha.plan_collection("March", length=90, start="09:30")
    asha.add_step("March", "Welcome", 5, position=1)
    asha.add_step("March", "Break", 10, position=3)  # after the first item
    asha.record_session("March", "2026-12-10", team="West", note="private discussion")
    asha.team.share_collection("March")
    asha.team.sync()
    bo.team.sync()
    arrived = bo.collection("March")
    assert [i.key for i in arrived.items] == [k1, k2, k3]
    assert (arrived.length, arrived.start) == (None, None)  # the plan is Asha's own
    assert {e.kind for e in arrived.steps} == {"item"} and bo.sessions() == []
    # Bo, an editor, adds an item and moves the last item first; Asha's steps stay put
    bo.add_to_collection("March", k4)
    bo.move_in_collection("March", k3, 1)
    bo.team.sync()
    asha.team.sync()
    assert [i.key for i in asha.collection("March").items] == [k3, k1, k2, k4]
    # Welcome was first and stays first; Break followed k1 and still does
    assert _order(asha, "March") == ["Welcome", k3, k1, "Break", k2, k4]
    march = asha.collection("March")
    assert (march.length, march.start, len(asha.sessions())) == (90, "09:30", 1)
    assert [e.position for e in march.steps] == [1, 2, 3, 4, 5, 6]
    # moving a step here is not a change the team hears of
    pending = asha.team.status()["pending"]
    asha.move_step("March", march.steps[0].ref, 3)
    assert asha.team.status()["pending"] == pending
    assert [i.key for i in asha.collection("March").items] == [k3, k1, k2, k4]


def test_a_newer_file_reorders_items_among_the_steps(libraries: Libraries, tmp_path: Path) -> None:
    sender, receiver = libraries("Asha", join=False), libraries("Bo", join=False)
    k1, k2, k3 = practices(sender, 3)
    sender.create_collection("Huddle")
    for key in (k1, k2, k3):
        sender.add_to_collection("Huddle", key)
    sender.add_step("Huddle", "Check-in", 5, position=1)
    first = tmp_path / "first.json"
    sender.export_collection("Huddle", first)
    receiver.import_collection(first)
    receiver.add_step("Huddle", "Close", 5)  # the receiver's own step, last
    assert _order(receiver, "Huddle") == ["Check-in", k1, k2, k3, "Close"]
    sender.move_in_collection("Huddle", k3, 2)  # k3 first among the items
    sender.add_to_collection("Huddle", k1, note="new words")
    second = tmp_path / "second.json"
    sender.export_collection("Huddle", second)
    result = receiver.import_collection(second)
    assert (result.updated, result.steps_added) == (1, 0)
    assert _order(receiver, "Huddle") == ["Check-in", k3, k1, k2, "Close"]
    assert receiver.collection("Huddle").items[1].note == "new words"
