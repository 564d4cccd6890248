"""The sync primitives against a real server: revisions, tombstones, idempotent pushes, the conflict
rule (the later change wins, the other is kept), paged pulls, and hostile content."""

from __future__ import annotations

import itertools
import threading
import time
import uuid

import psycopg
import pytest

from safedesk.team.connect import connect
from safedesk.team.errors import TeamError
from safedesk.team.files import fetch_file, put_file
from safedesk.team.pull import pull, pull_pages
from safedesk.team.push import Change, push
from tests.team.conftest import Member, Team
from tests.team.helpers import at, delete, edit, put, row, share_collection


def _state(member: Member) -> dict[str, dict[str, tuple[int, bool]]]:
    """Every shared row's (revision, deleted), straight from the server."""
    out: dict[str, dict[str, tuple[int, bool]]] = {}
    for table in ("collection", "collection_item", "example", "document"):
        _, rows = member.sql(f"SELECT uid, revision, deleted FROM safedesk.{table}")
        out[table] = {uid: (rev, deleted) for uid, rev, deleted in rows}
    return out


def test_every_write_takes_a_new_higher_revision(team: Team) -> None:
    asha = team.add("Asha")
    results = share_collection(asha.conn, "c1", "Supervision", items=3)
    revisions = [r.revision for r in results]
    assert revisions == sorted(revisions) and len(set(revisions)) == 4
    old = row(asha.conn, "collection", "c1")["revision"]
    [renamed] = push(asha.conn, [put("collection", "c1", base_revision=old, name="Renamed")])
    assert renamed.outcome == "applied" and renamed.revision is not None
    assert renamed.revision > max(r for r in revisions if r is not None)
    # revisions are unique across all tables: one sequence for the whole team library
    _, all_revisions = asha.sql(
        "SELECT revision FROM safedesk.collection UNION ALL "
        "SELECT revision FROM safedesk.collection_item UNION ALL "
        "SELECT revision FROM safedesk.member"
    )
    flat = [r for (r,) in all_revisions]
    assert len(flat) == len(set(flat))


def test_pull_returns_what_changed_after_a_revision(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    share_collection(asha.conn, "c1", "Supervision", items=2)
    first = pull(bo.conn, 0)
    assert (len(first.collections), len(first.items), len(first.members)) == (1, 2, 2)
    assert first.more is False and first.rejected == []
    assert first.collections[0].shared_by == asha.role
    assert first.items[0].title == "Title of report/box-0"
    idle = pull(bo.conn, first.upto)
    assert len(idle) == 0 and idle.upto == first.upto  # nothing new: the cursor stays
    base = first.items[1]
    push(asha.conn, [put("collection_item", base.uid, base_revision=base.revision,
                         base={"note": ""}, note="Start here")])  # fmt: skip
    again = pull(bo.conn, first.upto)
    assert [(i.uid, i.note) for i in again.items] == [(base.uid, "Start here")]
    assert len(again) == 1 and again.upto > first.upto


def test_a_deletion_is_a_tombstone_that_keeps_the_content(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    share_collection(asha.conn, "c1", "Supervision", items=2)
    cursor = pull(bo.conn, 0).upto
    shared = row(asha.conn, "collection", "c1")
    [gone] = push(asha.conn, [delete("collection", "c1", base_revision=shared["revision"])])
    assert gone.outcome == "applied"
    arrived = pull(bo.conn, cursor)
    [tombstone] = arrived.collections
    # what the client moves to Trash: the whole collection, name and all, marked deleted
    assert (tombstone.deleted, tombstone.name, tombstone.updated_by) == (
        True,
        "Supervision",
        asha.role,
    )
    assert bo.sql("SELECT count(*) FROM safedesk.collection")[1] == [(1,)]  # never removed
    [again] = push(asha.conn, [delete("collection", "c1")])
    assert again.outcome == "gone"  # deleting twice is harmless
    # an edit that arrives for a deleted thing is kept as a copy, never revives it
    [late] = push(asha.conn, [edit("collection", shared, name="Too late")])
    assert late.outcome == "deleted" and late.conflict_id is not None
    assert row(bo.conn, "collection", "c1")["deleted"] is True


def test_the_same_change_sent_twice_is_applied_once(team: Team) -> None:
    asha = team.add("Asha")
    share_collection(asha.conn, "c1", "Supervision", items=1)
    base = row(asha.conn, "collection_item", "c1-i0")
    change = edit("collection_item", base, minutes=20)
    [first] = push(asha.conn, [change])
    [second] = push(asha.conn, [change])  # e.g. the reply was lost and the client sent it again
    assert first == second and first.outcome == "applied"
    assert row(asha.conn, "collection_item", "c1-i0")["revision"] == first.revision
    _, receipts = asha.sql(
        "SELECT count(*) FROM safedesk.applied_change WHERE change_id = %s", (change.change_id,)
    )
    assert receipts == [(1,)]


def test_stale_edits_to_different_fields_merge(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo", editor=True)
    share_collection(asha.conn, "c1", "Supervision", items=1)
    base = row(asha.conn, "collection_item", "c1-i0")
    [a] = push(asha.conn, [edit("collection_item", base, note="Asha's note", when=at(10))])
    [b] = push(bo.conn, [edit("collection_item", base, minutes=15, when=at(5))])
    assert (a.outcome, b.outcome) == ("applied", "merged")
    now = row(asha.conn, "collection_item", "c1-i0")
    assert (now["note"], now["minutes"]) == ("Asha's note", 15)
    assert asha.sql("SELECT count(*) FROM safedesk.conflict")[1] == [(0,)]


@pytest.mark.parametrize("later", ["incoming", "server"])
def test_the_later_change_wins_and_the_other_is_kept(team: Team, later: str) -> None:
    asha, bo = team.add("Asha"), team.add("Bo", editor=True)
    share_collection(asha.conn, "c1", "Supervision", items=1)
    base = row(asha.conn, "collection_item", "c1-i0")
    asha_at, bo_at = (at(10), at(20)) if later == "incoming" else (at(20), at(10))
    # both edit the same item's note while apart; Asha syncs first, then Bo
    asha_edit = edit("collection_item", base, note="Asha's words", prompts=["What helped?"],
                     when=asha_at)  # fmt: skip
    bo_edit = edit("collection_item", base, note="Bo's words", minutes=30, when=bo_at)
    [a] = push(asha.conn, [asha_edit])
    [b] = push(bo.conn, [bo_edit])
    assert a.outcome == "applied"
    now = row(asha.conn, "collection_item", "c1-i0")
    [copy] = pull(asha.conn, 0).conflicts
    assert b.conflict_id == copy.id and b.clashed == ("note",)
    assert now["minutes"] == 30 and now["prompts"] == ["What helped?"]  # no clash: both kept
    if later == "incoming":
        assert b.outcome == "won"
        assert now["note"] == "Bo's words"
        assert (copy.author, copy.fields["note"]) == (asha.role, "Asha's words")
    else:
        assert b.outcome == "lost"
        assert now["note"] == "Asha's words"
        assert (copy.author, copy.fields["note"]) == (bo.role, "Bo's words")
    assert (copy.reason, copy.recorded_by, copy.resolved) == ("stale", bo.role, False)
    assert copy.version()  # the full losing version validates as an item
    # whoever resolves it marks it resolved; it is never deleted
    count, _ = asha.sql("UPDATE safedesk.conflict SET resolved = true WHERE id = %s", (copy.id,))
    assert count == 1
    assert [c.resolved_by for c in pull(bo.conn, 0).conflicts] == [asha.role]


def test_a_clock_in_the_future_cannot_win_forever(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo", editor=True)
    share_collection(asha.conn, "c1", "Supervision", items=0)
    base = row(asha.conn, "collection", "c1")
    from datetime import UTC, datetime, timedelta

    future = datetime.now(UTC) + timedelta(days=365)
    push(asha.conn, [edit("collection", base, name="From the future", when=future)])
    assert row(asha.conn, "collection", "c1")["changed_at"] < future - timedelta(days=300)
    [b] = push(bo.conn, [edit("collection", base, name="Now")])
    assert b.outcome == "won"


def test_invalid_values_write_nothing_and_say_why(team: Team) -> None:
    asha = team.add("Asha")
    with pytest.raises(TeamError, match="no field"):
        push(asha.conn, [put("collection", "c1", name="x", shared_by="someone")])
    with pytest.raises(TeamError, match="cannot share"):
        push(asha.conn, [put("collection", "c1", name="x" * 201)])
    # past the client's checks (an older client, or plain JSON), the server's checks still hold
    bad = Change(change_id=uuid.uuid4(), kind="collection_item", uid="orphan",
                 fields={"collection_uid": "nowhere", "key": "k"})  # fmt: skip
    with asha.conn.transaction():
        from psycopg.types.json import Jsonb

        [result] = asha.conn.execute(
            "SELECT safedesk.push_all(%s)",
            (Jsonb([{**bad.to_json(), "fields": {"collection_uid": "nowhere", "key": "k"}}]),),
        ).fetchone()[0]
    assert result["outcome"] == "invalid" and "no shared collection" in result["error"]
    assert asha.sql("SELECT count(*) FROM safedesk.collection_item")[1] == [(0,)]


def test_pages_cover_everything_exactly_once(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    for n in range(5):
        share_collection(asha.conn, f"c{n}", f"Collection {n}", items=6)
    whole = pull(bo.conn, 0, limit=10_000)
    pages = list(pull_pages(bo.conn, 0, limit=7))
    assert len(pages) > 4 and all(len(p) <= 7 for p in pages) and not pages[-1].more
    assert all(a.upto == b.since for a, b in itertools.pairwise(pages))
    items = [i.uid for p in pages for i in p.items]
    assert sorted(items) == sorted(i.uid for i in whole.items) and len(items) == 30
    assert pages[-1].upto == whole.upto


def test_revisions_become_visible_in_commit_order(team: Team) -> None:
    """A writer holds the revision lock until it commits, so a reader's cursor can never pass a
    revision that is still to appear (the classic hole in 'changed since N' sync)."""
    asha, bo = team.add("Asha"), team.add("Bo")
    share_collection(asha.conn, "c1", "One", items=0)
    cursor = pull(bo.conn, 0).upto
    slow = connect(team.url_for(asha.role), autocommit=False)  # its transaction stays open
    try:
        slow.execute("INSERT INTO safedesk.example (uid, title) VALUES ('e-slow', 'Slow')")
        # a second writer waits for the first to commit rather than taking a later revision
        with (
            connect(team.url_for(bo.role)) as blocked,
            pytest.raises(psycopg.errors.LockNotAvailable),
        ):
            blocked.execute("SET lock_timeout = '300ms'")
            blocked.execute("INSERT INTO safedesk.example (uid, title) VALUES ('e-b', 'B')")
        # meanwhile a reader sees nothing new and keeps its cursor: nothing is skipped
        assert pull(bo.conn, cursor).upto == cursor
        done = threading.Event()

        def other() -> None:
            push(bo.conn, [put("example", "e-fast", title="Fast")])
            done.set()

        worker = threading.Thread(target=other)
        worker.start()
        time.sleep(0.3)
        assert not done.is_set()  # waiting for the slow writer
        slow.commit()
        worker.join(10)
        assert done.is_set()
    finally:
        slow.close()
    arrived = pull(bo.conn, cursor)
    assert [e.uid for e in arrived.examples] == ["e-slow", "e-fast"]


def test_hostile_rows_are_rejected_alone(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    share_collection(asha.conn, "c1", "Fine", items=1)
    digest = put_file(asha.conn, b"%PDF-1.4 a report")
    hostile = [
        put("collection", "c-esc", name="\x1b]0;pwned\x07Title"),  # terminal escape
        put("example", "e-markup", title="<img src=x onerror=alert(1)>", text="<b>as text</b>"),
        put("document", "d-path", title="Report", document_type="report",
            source_name="report.pdf", sha256=digest, size=17),
    ]  # fmt: skip
    # the server takes these (they are within its caps); the path goes in past the client check
    with asha.conn.transaction():
        from psycopg.types.json import Jsonb

        asha.conn.execute("SELECT safedesk.push_all(%s)", (Jsonb([c.to_json() for c in hostile]),))
        asha.conn.execute(
            "UPDATE safedesk.document SET source_name = '../../.bashrc' WHERE uid = 'd-path'"
        )
    # and the owner can put rows past the server's own caps: the client must still refuse them
    with team.server.admin(team.database) as admin:
        admin.execute(
            "ALTER TABLE safedesk.collection_item DROP CONSTRAINT collection_item_note_check"
        )
        admin.execute(
            "UPDATE safedesk.collection_item SET note = repeat('x', 300000) WHERE uid = 'c1-i0'"
        )
    arrived = pull(bo.conn, 0)
    rejected = {(r.table, r.uid): r.reason for r in arrived.rejected}
    assert set(rejected) == {
        ("collection", "c-esc"),
        ("document", "d-path"),
        ("collection_item", "c1-i0"),
    }
    assert "control characters" in rejected[("collection", "c-esc")]
    assert "path" in rejected[("document", "d-path")]
    assert "200000" in rejected[("collection_item", "c1-i0")]
    # markup is only text: it arrives unchanged, for front ends to escape
    assert [e.title for e in arrived.examples] == ["<img src=x onerror=alert(1)>"]
    assert [c.uid for c in arrived.collections] == ["c1"]


def test_document_files_by_hash(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    content = b"Safeguarding report\n" * 1000
    digest = put_file(asha.conn, content)
    assert put_file(bo.conn, content) == digest  # the same file shared twice is stored once
    assert bo.sql("SELECT count(*), min(shared_by) FROM safedesk.document_file")[1] == [
        (1, asha.role)
    ]
    assert fetch_file(bo.conn, digest) == content
    with pytest.raises(TeamError, match="limited to"):
        fetch_file(bo.conn, digest, max_bytes=100)
    with pytest.raises(TeamError, match="no file"):
        fetch_file(bo.conn, "0" * 64)
