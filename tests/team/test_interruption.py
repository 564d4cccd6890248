"""The server stopped in the middle of a push or between pages of a pull: nothing half-applied,
nothing applied twice, and the next attempt completes. The server is really stopped (a crash:
`pg_ctl stop -m immediate`) and started again."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from safedesk.team.connect import connect
from safedesk.team.errors import TeamConnectionError
from safedesk.team.pull import pull, pull_pages
from safedesk.team.push import PushResult, push
from tests.team.conftest import PgServer, Team
from tests.team.helpers import edit, item, put, row, share_collection


def _wait_for_lock_wait(team: Team, role: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with team.server.admin() as admin:
            found = admin.execute(
                "SELECT 1 FROM pg_stat_activity WHERE usename = %s AND wait_event_type = 'Lock'",
                (role,),
            ).fetchone()
        if found:
            return
        time.sleep(0.05)
    raise AssertionError("the push never reached the lock")


def test_server_stopped_mid_push_leaves_nothing_half_applied(team: Team, restart: PgServer) -> None:
    asha = team.add("Asha")
    share_collection(asha.conn, "c1", "Supervision", items=1)
    start = row(asha.conn, "collection_item", "c1-i0")
    before = asha.sql("SELECT max(revision) FROM safedesk.collection_item")[1]
    # a batch whose first changes write at once and whose last waits on a row someone holds
    changes = [
        put("collection", "c2", name="New collection"),
        item("c2-i0", "c2", "report/box-4", 0.0, note="new"),
        edit("collection_item", start, note="changed"),
    ]
    holder = connect(team.admin_url, autocommit=False)  # holds the row lock until closed
    holder.execute("SELECT * FROM safedesk.collection_item WHERE uid = 'c1-i0' FOR UPDATE")
    pusher = connect(team.url_for(asha.role))
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(push(pusher, changes))
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    _wait_for_lock_wait(team, asha.role)
    restart.stop("immediate")  # the server dies with the push's transaction open
    worker.join(30)
    holder.close()
    pusher.close()
    restart.start()

    [error] = outcome
    assert isinstance(error, TeamConnectionError)
    assert "nothing was half-done" in str(error) and "\n" not in str(error)
    with connect(team.url_for(asha.role)) as conn:
        with conn.transaction():
            assert conn.execute("SELECT count(*) FROM safedesk.collection").fetchone() == (1,)
            assert (
                conn.execute("SELECT max(revision) FROM safedesk.collection_item").fetchall()
                == before
            )
            assert conn.execute("SELECT count(*) FROM safedesk.applied_change").fetchone() == (2,)
        # the client sends the same changes again: all of them apply, once
        results = push(conn, changes)
        again = push(conn, changes)
        assert [r.outcome for r in results] == ["applied", "applied", "applied"]
        assert again == results
        with conn.transaction():
            counts = conn.execute(
                "SELECT (SELECT count(*) FROM safedesk.collection), "
                "(SELECT count(*) FROM safedesk.collection_item), "
                "(SELECT note FROM safedesk.collection_item WHERE uid = 'c1-i0')"
            ).fetchone()
        assert counts == (2, 2, "changed")


def _apply(local: dict[str, dict[str, Any]], batch: Any) -> None:
    """A client in miniature: keep the newest version of each row, by table and uid."""
    for table, rows in (("collection", batch.collections), ("collection_item", batch.items)):
        for r in rows:
            local.setdefault(table, {})[r.uid] = {
                "revision": r.revision,
                "note": getattr(r, "note", None),
            }


def _server_state(conn: Any) -> dict[str, dict[str, Any]]:
    state: dict[str, dict[str, Any]] = {}
    with conn.transaction():
        for uid, rev in conn.execute("SELECT uid, revision FROM safedesk.collection"):
            state.setdefault("collection", {})[uid] = {"revision": rev, "note": None}
        for uid, rev, note in conn.execute(
            "SELECT uid, revision, note FROM safedesk.collection_item"
        ):
            state.setdefault("collection_item", {})[uid] = {"revision": rev, "note": note}
    return state


def test_a_pull_resumes_from_its_cursor_after_the_server_stops(
    team: Team, restart: PgServer
) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    for n in range(4):
        share_collection(asha.conn, f"c{n}", f"Collection {n}", items=5)
    local: dict[str, dict[str, Any]] = {}
    pages = pull_pages(bo.conn, 0, limit=6)
    first = next(pages)
    _apply(local, first)
    cursor = first.upto  # stored with what was applied, in one local transaction
    # a row from the first page changes before the rest is fetched: it must come again
    changed = first.items[0]
    [result] = push(asha.conn, [put("collection_item", changed.uid, base_revision=changed.revision,
                                    base={"note": ""}, note="changed meanwhile")])  # fmt: skip
    assert isinstance(result, PushResult) and result.outcome == "applied"
    restart.stop("immediate")
    with pytest.raises(TeamConnectionError):
        next(pages)
    restart.start()

    with connect(team.url_for(bo.role)) as conn:
        for batch in pull_pages(conn, cursor, limit=6):
            _apply(local, batch)
            cursor = batch.upto
        assert local == _server_state(conn)
        assert local["collection_item"][changed.uid]["note"] == "changed meanwhile"
        assert len(pull(conn, cursor)) == 0  # and a sync now has nothing to do
