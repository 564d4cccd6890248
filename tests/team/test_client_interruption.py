"""A sync interrupted anywhere loses nothing, applies nothing twice, and the next sync completes:
the server really stopped (a crash) or the connection really cut while a push waits, and a real
`safedesk team sync` process killed at each step. Then both sides are compared in full. Also: a
newer server schema is refused by name, in one line."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from typing import Any

import pytest

from safedesk.library import Library
from safedesk.team.connect import connect
from safedesk.team.errors import TeamConnectionError
from tests.reliability.conftest import child_env, cli, one_line_error
from tests.team.client_helpers import local_view, practices, server_view
from tests.team.conftest import Libraries, PgServer, Team
from tests.team.test_interruption import _wait_for_lock_wait


def _scene(asha: Library, bo: Library) -> list[str]:
    """A shared collection both have; then Bo (an editor) changes it in several ways while Asha
    changes it too."""
    keys = practices(asha, 5)
    asha.create_collection("Supervision")
    for key in keys[:4]:
        asha.add_to_collection("Supervision", key)
    asha.team.share_collection("Supervision")
    asha.team.sync()
    bo.team.sync()
    bo.add_to_collection("Supervision", keys[0], note="Bo's note", prompts=["Why?"])
    bo.add_to_collection("Supervision", keys[4], note="Bo's new item")
    bo.move_in_collection("Supervision", keys[3], 1)
    bo.remove_from_collection("Supervision", keys[2])
    asha.add_to_collection("Supervision", keys[1], note="Asha's note", minutes=15)
    asha.team.sync()
    return keys


def _check_everything_once(team: Team, asha: Library, bo: Library, keys: list[str]) -> None:
    for lib in (bo, asha, bo):
        lib.team.sync()
    expected = server_view(team.admin_url)
    assert local_view(asha) == local_view(bo) == expected
    [collection] = expected["collections"].values()
    assert [(i["key"], i["note"]) for i in collection["items"]] == [
        (keys[3], ""), (keys[0], "Bo's note"), (keys[1], "Asha's note"), (keys[4], "Bo's new item"),
    ]  # fmt: skip
    assert bo.team.status()["pending"] == 0
    # nothing doubled: one row per uid here, one receipt per change on the server
    rows = bo.store.conn.execute(
        "SELECT uid, count(*) FROM collection_item GROUP BY uid HAVING count(*) > 1"
    ).fetchall()
    assert rows == []
    with connect(team.admin_url) as conn, conn.transaction():
        receipts = conn.execute(
            "SELECT result ->> 'outcome', count(*) FROM safedesk.applied_change "
            "WHERE member = %s GROUP BY 1",
            (team.role_of("Bo"),),
        ).fetchall()
    assert dict(receipts) == {"applied": 4}  # note and prompts, a new item, a move, a removal


@pytest.mark.parametrize("how", ["server stopped", "connection cut"])
def test_a_sync_cut_off_mid_push_loses_nothing(
    team: Team, libraries: Libraries, restart: PgServer, how: str
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo", editor=True)
    keys = _scene(asha, bo)
    uid = bo.collection("Supervision").items[1].uid  # Bo's note goes to this item
    holder = connect(team.admin_url, autocommit=False)  # holds a row Bo's push must wait for
    holder.execute("SELECT * FROM safedesk.collection_item WHERE uid = %s FOR UPDATE", (uid,))
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(bo.team.sync())
        except Exception as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    _wait_for_lock_wait(team, team.role_of("Bo"))
    if how == "server stopped":
        restart.stop("immediate")
    else:
        with team.server.admin() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s",
                (team.role_of("Bo"),),
            )
    worker.join(30)
    holder.close()
    if how == "server stopped":
        restart.start()
    [error] = outcome
    assert isinstance(error, TeamConnectionError) and "\n" not in str(error)
    status = bo.team.status()
    assert status["pending"] == 4 and status["last_error"] == str(error)
    assert bo.collection("Supervision").items[1].note == "Bo's note"  # still here, unsent
    _check_everything_once(team, asha, bo, keys)


def _paused_sync(data_dir: str, step: str) -> subprocess.Popen[str]:
    env = dict(child_env(), SAFEDESK_TEST_PAUSE_SYNC=step)
    proc = subprocess.Popen(
        [sys.executable, "-m", "safedesk", "--data-dir", data_dir, "team", "sync"],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env,
    )  # fmt: skip
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if f"sync paused at {step}" in line:
            return proc
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"the sync never reached {step}")


@pytest.mark.parametrize("step", ["frozen", "pushed", "receipts", "applied"])
def test_a_sync_process_killed_at_any_step_loses_nothing(
    team: Team, libraries: Libraries, step: str
) -> None:
    asha, bo = libraries("Asha"), libraries("Bo", editor=True)
    keys = _scene(asha, bo)
    proc = _paused_sync(str(bo.data_dir), step)
    proc.kill()  # SIGKILL: no clean-up of any kind
    proc.wait(10)
    if step == "pushed":  # the server has the changes; this library has no receipt for them
        with connect(team.admin_url) as conn, conn.transaction():
            done = conn.execute("SELECT count(*) FROM safedesk.applied_change WHERE member = %s",
                                (team.role_of("Bo"),)).fetchone()  # fmt: skip
        assert done == (4,) and bo.team.status()["pending"] == 4
    _check_everything_once(team, asha, bo, keys)


def test_a_newer_server_schema_is_refused_by_name(team: Team, libraries: Libraries) -> None:
    bo = libraries("Bo")
    with connect(team.admin_url) as conn, conn.transaction():
        conn.execute("UPDATE safedesk.team_meta SET value = '2' WHERE name = 'schema'")
    before = local_view(bo)
    line = one_line_error(cli(bo.data_dir, "team", "sync"))
    assert "newer safedesk (team schema 2" in line and "update safedesk" in line
    assert local_view(bo) == before
    status = cli(bo.data_dir, "team", "status")
    assert status.returncode == 0 and "Last attempt failed" in status.stdout
    assert "newer safedesk" in status.stdout


def test_the_command_line_speaks_json(team: Team, libraries: Libraries) -> None:
    import json

    asha = libraries("Asha")
    [key] = practices(asha, 1)
    asha.create_collection("Supervision")
    asha.add_to_collection("Supervision", key)
    folder = str(asha.data_dir)
    shared = cli(asha.data_dir, "collection", "share", "Supervision")
    assert shared.returncode == 0, shared.stderr
    status = json.loads(cli(asha.data_dir, "team", "status", "--json").stdout)
    assert {k: status[k] for k in ("team", "member", "pending")} == {
        "team": team.name, "member": "Asha", "pending": 2,
    }  # fmt: skip
    assert "password" not in status["server"] and team.database in status["server"]
    done = json.loads(cli(asha.data_dir, "team", "sync", "--json").stdout)
    assert (done["pushed"], done["conflicts"]) == (2, [])
    listed = json.loads(cli(asha.data_dir, "collections", "--json").stdout)
    assert [(c["shared"], c["shared_by"]) for c in listed] == [(True, "Asha")]
    assert os.path.isdir(folder)
