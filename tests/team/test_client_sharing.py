"""Member libraries in folders of their own, joined to a real team server: what is shared reaches
teammates with who shared it; what is private (bookmarks, personal notes, unshared collections)
never leaves the laptop; a report travels with its file; leaving keeps everything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safedesk.errors import LibraryError
from safedesk.team.connect import connect
from tests.conftest import SECOND
from tests.team.client_helpers import local_view, practices, server_view, shared_collection
from tests.team.conftest import Libraries, Team


def test_join_records_the_team_without_a_password_and_shares_nothing(
    team: Team, libraries: Libraries
) -> None:
    asha = libraries("Asha", join=False)
    asha.create_collection("Private plans")
    url = team.url_for(team.role_of("Asha")).replace("@", ":not-a-real-password@", 1)
    report = asha.team.join(url, "Asha")
    status = asha.team.status()
    assert (status["team"], status["member"], status["pending"]) == (team.name, "Asha", 0)
    assert status["last_sync"] is not None and report.pushed == 0
    link = asha.store.team.link()
    assert link is not None and "not-a-real-password" not in link.url  # never written
    assert "password" not in asha.store.db_path.read_bytes().decode("latin-1")
    # joining shares nothing: the team sees no collection of Asha's
    assert server_view(team.admin_url)["collections"] == {}
    assert [c.shared for c in asha.collections()] == [False]


def test_a_shared_collection_reaches_a_teammate_with_who_shared_it(
    team: Team, libraries: Libraries
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo")
    keys = practices(asha, 3)
    asha.create_collection("Supervision", "For the March session")
    for n, key in enumerate(keys):
        asha.add_to_collection("Supervision", key, note=f"note {n}", prompts=[f"p{n}"], minutes=n)
    shared = asha.team.share_collection("Supervision")
    assert (shared.shared, shared.shared_by) == (True, "Asha")
    assert asha.team.status()["pending"] == 4  # the collection and its three items
    assert asha.team.sync().outcomes == {"applied": 4}
    assert bo.team.sync().pulled >= 4
    [arrived] = bo.collections()
    assert arrived.to_json()["shared"] is True and arrived.to_json()["shared_by"] == "Asha"
    assert [(i.key, i.note, i.prompts, i.minutes) for i in arrived.items] == [
        (k, f"note {n}", [f"p{n}"], n) for n, k in enumerate(keys)
    ]
    assert local_view(asha) == local_view(bo) == server_view(team.admin_url)
    # later changes follow, and a second sync with nothing new changes nothing
    asha.add_to_collection("Supervision", keys[1], note="changed")
    asha.team.sync()
    assert bo.team.sync().pulled == 1
    assert bo.collection("Supervision").items[1].note == "changed"
    again = bo.team.sync()
    assert (again.pushed, again.pulled) == (0, 0)


def test_bookmarks_personal_notes_and_unshared_things_stay_private(
    team: Team, libraries: Libraries
) -> None:
    asha = libraries("Asha")
    [key] = practices(asha, 1)
    asha.bookmark(key, note="PRIVATE bookmark note", tags=["PRIVATE-TAG"])
    asha.create_collection("PRIVATE collection")
    asha.add_to_collection("PRIVATE collection", key, note="PRIVATE facilitator note")
    asha.add_example("PRIVATE example", text="PRIVATE text")
    asha.create_collection("Shared")
    asha.add_to_collection("Shared", key, note="for everyone")
    asha.team.share_collection("Shared")
    asha.team.sync()
    with connect(team.admin_url) as conn, conn.transaction():
        everything = json.dumps([
            conn.execute(f"SELECT to_jsonb(t) FROM safedesk.{table} t").fetchall()
            for table in ("collection", "collection_item", "example", "conflict", "applied_change")
        ], default=str)  # fmt: skip
    assert "for everyone" in everything
    assert "PRIVATE" not in everything


def test_examples_are_shared_and_unshared(team: Team, libraries: Libraries) -> None:
    asha, bo = libraries("Asha"), libraries("Bo")
    mine = asha.add_example("Huddles after every visit", team="East team", text="We meet.")
    asha.team.share_example(mine.id)
    asha.team.sync()
    bo.team.sync()
    [theirs] = bo.examples()
    assert (theirs.title, theirs.shared, theirs.shared_by) == (mine.title, True, "Asha")
    assert bo.search("huddles").total >= 1  # a shared example is searchable like one's own
    with pytest.raises(LibraryError, match="only Asha or a team editor"):
        bo.team.unshare_example(theirs.id)
    asha.team.unshare_example(mine.id)
    asha.team.sync()
    bo.team.sync()
    assert bo.examples() == [] and [t.kind for t in bo.trash()] == ["example"]
    assert asha.example(mine.id).shared is False  # it stays with Asha, unshared


def test_a_shared_report_travels_with_its_file(team: Team, libraries: Libraries) -> None:
    asha, bo = libraries("Asha"), libraries("Bo")
    imported = asha.import_report(SECOND)
    with pytest.raises(LibraryError, match="is not the file"):
        asha.team.share_report(imported.report, file=__file__)
    shared = asha.team.share_report(imported.report)  # its original was kept at the import
    assert (shared.shared, shared.shared_by) == (True, "Asha")
    asha.team.sync()
    report = bo.team.sync()
    assert report.documents == 1
    theirs = {r.key: r for r in bo.reports()}
    assert theirs[imported.report].to_json()["shared_by"] == "Asha"
    # the same text under the same keys
    assert [p.key for p in bo.practices(report=imported.report)] == [
        p.key for p in asha.practices(report=imported.report)
    ]
    assert bo.search("early help", report=imported.report).total > 0
    kept = list((Path(bo.data_dir) / "team-files").iterdir())
    assert [p.read_bytes() for p in kept] == [SECOND.read_bytes()]
    assert bo.team.sync().documents == 0  # fetched once


def test_leaving_keeps_everything_as_local_copies(team: Team, libraries: Libraries) -> None:
    asha, bo = libraries("Asha"), libraries("Bo")
    keys = shared_collection(asha, bo, items=2)
    bo.add_to_collection("Supervision", keys[0], note="unsent words")  # not an editor, unsent
    assert bo.team.leave() == 1
    [kept] = bo.collections()
    assert (kept.shared, kept.items[0].note) == (False, "unsent words")
    assert bo.team.status()["state"] == "left"
    with pytest.raises(LibraryError, match="has not joined a team"):
        bo.team.sync()
    on_server = server_view(team.admin_url)["collections"][kept.uid]["items"]
    assert [i["note"] for i in on_server] == ["", ""]  # the unsent words never left


def test_joining_again_after_leaving_keeps_both_versions(team: Team, libraries: Libraries) -> None:
    asha, bo = libraries("Asha"), libraries("Bo")
    keys = shared_collection(asha, bo, items=2)
    bo.team.leave()
    with pytest.raises(LibraryError, match="has not joined a team"):
        bo.team.share_collection("Supervision")
    bo.add_to_collection("Supervision", keys[0], note="written while away")
    asha.add_to_collection("Supervision", keys[1], note="the team went on")
    asha.team.sync()
    bo.team.join(team.url_for(team.role_of("Bo")), "Bo")
    [again] = bo.collections()  # the same collection again, not a second copy
    assert (again.shared, again.shared_by) == (True, "Asha")
    assert [i.note for i in again.items] == ["", "the team went on"]
    [copy] = bo.team.conflicts()  # what Bo wrote while away is kept, as his version
    assert (copy["yours"], copy["clashed"], copy["key"]) == (True, ["note"], keys[0])
    assert bo.team.conflict_versions(copy["id"])[1]["note"] == "written while away"
