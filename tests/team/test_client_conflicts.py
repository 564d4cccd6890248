"""Members editing the same shared things while apart, end to end through their libraries: the
later change wins and the other is kept as a visible conflict copy; different fields merge; a
teammate's deletion moves a shared collection to the Trash; a member without the right is refused
by the server, in plain SQL as in the app. After every scenario, each library holds exactly what
the server holds."""

from __future__ import annotations

import time

import psycopg
import pytest

from safedesk.library import Library
from safedesk.team.connect import connect
from tests.team.client_helpers import local_view, server_view, shared_collection
from tests.team.conftest import Libraries, Team


def _settle(team: Team, *libs: Library) -> None:
    """Everyone syncs until nothing moves; then every library is the server's copy."""
    for _ in range(2):
        for lib in libs:
            lib.team.sync()
    expected = server_view(team.admin_url)
    for lib in libs:
        assert local_view(lib) == expected


def _later() -> None:
    time.sleep(0.02)  # the next edit is later by the clock, as it would be between two people


@pytest.mark.parametrize("first_to_sync", ["earlier", "later"])
def test_the_same_note_edited_apart_keeps_both_words(
    team: Team, libraries: Libraries, first_to_sync: str
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo", editor=True)
    keys = shared_collection(asha, bo)
    asha.add_to_collection("Supervision", keys[0], note="Asha's words")
    _later()
    bo.add_to_collection("Supervision", keys[0], note="Bo's words")  # the later change
    order = [asha, bo] if first_to_sync == "earlier" else [bo, asha]
    reports = [lib.team.sync() for lib in order]
    assert reports[1].outcomes == {"won" if first_to_sync == "earlier" else "lost": 1}
    _settle(team, asha, bo)
    for lib in (asha, bo):
        assert lib.collection("Supervision").items[0].note == "Bo's words"  # the later one
        [copy] = lib.team.conflicts()
        assert (copy["key"], copy["author"], copy["clashed"]) == (keys[0], "Asha", ["note"])
        assert copy["collection"] == "Supervision" and copy["reason"] == "stale"
        current, kept = lib.team.conflict_versions(copy["id"])
        assert (current["note"], kept["note"]) == ("Bo's words", "Asha's words")
    # each of them heard about it in the sync that brought it
    listed = [c["id"] for r in reports for c in r.conflicts]
    assert copy["id"] in listed


def test_prompts_minutes_and_order_follow_the_same_rule(team: Team, libraries: Libraries) -> None:
    asha, bo = libraries("Asha"), libraries("Bo", editor=True)
    keys = shared_collection(asha, bo, items=4)
    bo.add_to_collection("Supervision", keys[1], prompts=["Bo asks"], minutes=10)
    bo.move_in_collection("Supervision", keys[3], 1)
    _later()
    asha.add_to_collection("Supervision", keys[1], prompts=["Asha asks", "and more"], minutes=25)
    asha.move_in_collection("Supervision", keys[3], 3)  # the same item, elsewhere, later
    bo.team.sync()
    asha.team.sync()
    _settle(team, asha, bo)
    for lib in (asha, bo):
        c = lib.collection("Supervision")
        assert (c.items[1].prompts, c.items[1].minutes) == (["Asha asks", "and more"], 25)
        assert [i.key for i in c.items] == [keys[0], keys[1], keys[3], keys[2]]
        clashed = sorted(tuple(x["clashed"]) for x in lib.team.conflicts())
        assert clashed == [("minutes", "prompts"), ("position",)]
        kept = {x["key"]: lib.team.conflict_versions(x["id"])[1] for x in lib.team.conflicts()}
        assert (kept[keys[1]]["prompts"], kept[keys[1]]["minutes"]) == (["Bo asks"], 10)


def test_different_fields_and_different_items_merge_without_conflict(
    team: Team, libraries: Libraries
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo", editor=True)
    keys = shared_collection(asha, bo)
    asha.add_to_collection("Supervision", keys[0], note="Asha's note")
    bo.add_to_collection("Supervision", keys[0], minutes=30)
    bo.add_to_collection("Supervision", keys[2], note="Bo's note")
    bo.describe_collection("Supervision", "Bo's description")
    asha.team.sync()
    assert bo.team.sync().outcomes == {"merged": 1, "applied": 2}
    _settle(team, asha, bo)
    items = asha.collection("Supervision").items
    assert (items[0].note, items[0].minutes, items[2].note) == ("Asha's note", 30, "Bo's note")
    assert asha.collection("Supervision").description == "Bo's description"
    assert asha.team.conflicts() == bo.team.conflicts() == []


def test_my_own_edits_in_a_row_never_clash_with_each_other(
    team: Team, libraries: Libraries
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo")
    keys = shared_collection(asha, bo)
    asha.add_to_collection("Supervision", keys[0], note="first")
    asha.store.team.freeze()  # a sync sent it... (and its reply never came)
    asha.add_to_collection("Supervision", keys[0], note="second")  # ...while she went on
    asha.team.sync()
    _settle(team, asha, bo)
    assert bo.collection("Supervision").items[0].note == "second"
    assert asha.team.conflicts() == []


def test_three_members(team: Team, libraries: Libraries) -> None:
    asha, bo, cy = libraries("Asha"), libraries("Bo", editor=True), libraries("Cy", editor=True)
    keys = shared_collection(asha, bo, cy, items=5)
    example = cy.add_example("Cy's team huddle", team="North")
    cy.team.share_example(example.id)
    asha.add_to_collection("Supervision", keys[0], note="Asha")
    bo.add_to_collection("Supervision", keys[1], note="Bo")
    bo.add_to_collection("Supervision", keys[4], note="Bo on the last")
    _later()
    cy.add_to_collection("Supervision", keys[4], note="Cy on the last")
    cy.remove_from_collection("Supervision", keys[2])
    for lib in (cy, bo, asha):
        lib.team.sync()
    _settle(team, asha, bo, cy)
    notes = [i.note for i in asha.collection("Supervision").items]
    assert notes == ["Asha", "Bo", "", "Cy on the last"]
    assert [e.title for e in bo.examples()] == ["Cy's team huddle"]
    for lib in (asha, bo, cy):
        assert [(c["author"], c["key"]) for c in lib.team.conflicts()] == [("Bo", keys[4])]


def test_a_teammates_deletion_moves_the_collection_to_the_trash(
    team: Team, libraries: Libraries
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo", editor=True)
    keys = shared_collection(asha, bo)
    bo.add_to_collection("Supervision", keys[1], note="Bo's unsent words")
    asha.delete_collection("Supervision")
    asha.team.sync()
    report = bo.team.sync()
    assert report.trashed == ["Supervision"]
    assert bo.collections() == []
    [entry] = bo.trash()
    assert entry.label == "Collection: Supervision"
    # nothing is gone without a trace: restored, it is Bo's own copy, with his words
    restored = bo.restore(entry.id)
    assert "no longer shared" in restored
    copy = bo.collection("Supervision")
    assert copy.shared is False and copy.items[1].note == "Bo's unsent words"
    assert copy.uid not in server_view(team.admin_url)["collections"]
    bo.team.sync()
    assert bo.collection("Supervision").items[1].note == "Bo's unsent words"  # stays his


def test_a_member_cannot_change_anothers_rows_in_plain_sql_or_in_the_app(
    team: Team, libraries: Libraries
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo")  # Bo is not an editor
    keys = shared_collection(asha, bo)
    uid = asha.collection("Supervision").items[0].uid
    with connect(team.url_for(team.role_of("Bo"))) as conn:
        with conn.transaction():
            done = conn.execute(
                "UPDATE safedesk.collection_item SET note = 'hijacked' WHERE uid = %s", (uid,)
            )
            assert done.rowcount == 0  # row-level security: no row of Asha's matches
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("DELETE FROM safedesk.collection_item WHERE uid = %s", (uid,))
    # in the app: the edit is made here, refused by the server, and kept as a copy
    bo.add_to_collection("Supervision", keys[0], note="Bo's words")
    assert bo.team.sync().outcomes == {"refused": 1}
    assert bo.collection("Supervision").items[0].note == ""  # the team's version is shown
    [copy] = bo.team.conflicts()
    assert (copy["reason"], copy["author"]) == ("not-permitted", "Bo")
    assert bo.team.conflict_versions(copy["id"])[1]["note"] == "Bo's words"
    _settle(team, asha, bo)
    assert asha.collection("Supervision").items[0].note == ""
    assert [c["author"] for c in asha.team.conflicts()] == ["Bo"]  # the owner sees it too


def test_using_a_conflict_copy_sends_it_and_dismissing_it_resolves_it(
    team: Team, libraries: Libraries
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo", editor=True)
    keys = shared_collection(asha, bo)
    asha.add_to_collection("Supervision", keys[0], note="Asha's words")
    _later()
    bo.add_to_collection("Supervision", keys[0], note="Bo's words")
    _settle(team, asha, bo)
    [copy] = asha.team.conflicts()
    asha.team.resolve(copy["id"], use=True)  # Asha's words become the current ones
    assert asha.collection("Supervision").items[0].note == "Asha's words"
    assert asha.team.conflicts() == []
    _settle(team, asha, bo)
    assert bo.collection("Supervision").items[0].note == "Asha's words"
    assert bo.team.conflicts() == []  # resolved on the server, so for everyone
    with connect(team.admin_url) as conn, conn.transaction():
        assert conn.execute("SELECT resolved FROM safedesk.conflict").fetchall() == [(True,)]
