"""The team library end to end, through member libraries (the client half): run by bench_team.py.

20 members, each with a library of their own that shares 10 collections of 20 items and 25
examples (member 0 also 30 reports with their files: variants of the bundled report, ~145 kB
each), through the same Library API the app and the CLI use. Then: a new member's first sync
(join, every row, every file imported; the search index is built after, as the app does in the
background), a sync with nothing to do, one changed item (sent by its owner, fetched by another),
and 20 members editing and syncing at once from separate processes, checked after: every library
row by row against the server, the last word of every owner on the server, one receipt per change.
"""

from __future__ import annotations

import multiprocessing
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.table import pct

MEMBERS = 20
COLLECTIONS_EACH = 10
ITEMS = 20
EXAMPLES_EACH = 25
DOCUMENTS = 30
Row = tuple[str, str, str, str]


def _ms(values: list[float]) -> tuple[str, str]:
    return f"{statistics.median(values) * 1000:.0f}", f"{pct(values, 95) * 1000:.0f}"


def _role(n: int) -> str:
    return f"client{n:02d}"


def _report_variants(folder: Path) -> list[Path]:
    from safedesk.paths import bundled_report

    text = bundled_report().read_text("utf-8")
    title = "*Safeguarding Children: Council Developments*"
    paths = []
    for d in range(DOCUMENTS):
        path = folder / f"council-developments-part-{d}.txt"
        path.write_text(text.replace(title, title[:-1] + f", Part {d}*"), "utf-8")
        paths.append(path)
    return paths


def _seed_member(folder: Path, url: str, n: int, reports: list[Path]) -> None:
    from safedesk.library import Library

    with Library.open(folder) as lib:
        lib.team.join(url, f"Member {n}")
        keys = [p.key for p in lib.practices()[:ITEMS]]
        for c in range(COLLECTIONS_EACH):
            name = f"Session {c} of member {n}"
            lib.create_collection(name, "Reflective practice " * 20)
            for i, key in enumerate(keys):
                lib.add_to_collection(name, key, note=f"Start with {i}",
                                      prompts=["What helped?", "What would you change?"],
                                      minutes=15)  # fmt: skip
            lib.team.share_collection(name)
        for e in range(EXAMPLES_EACH):
            example = lib.add_example(f"Local example {e} of member {n}", team=f"Team {n}",
                                      text="What our team does. " * 80,
                                      outcomes="Fewer re-referrals. " * 10)  # fmt: skip
            lib.team.share_example(example.id)
        for path in reports:
            summary = lib.import_report(path, in_batch=True)
            lib.team.share_report(summary.report, file=path)
        report = lib.team.sync()
        assert report.failed == [] and set(report.outcomes) == {"applied"}, report.outcomes


def _catch_up(folder: Path) -> None:
    from safedesk.library import Library

    with Library.open(folder) as lib:
        lib.team.sync()


def _worker(folder: str, n: int, seconds: float, seed: int) -> dict[str, Any]:
    """One member: edit an own item (now and then another's, refused and kept as a copy), sync,
    pause; repeatedly. Returns what it wrote and what went wrong."""
    from safedesk.errors import LibraryError
    from safedesk.library import Library

    rng = random.Random(seed)
    lib = Library.open(folder)
    mine = [c.name for c in lib.collections() if c.shared_by == f"Member {n}"]
    others = [c.name for c in lib.collections() if c.shared_by != f"Member {n}"]
    keys = [i.key for i in lib.collection(mine[0]).items]
    written: dict[str, str] = {}  # (collection name|key) -> the last note written
    errors: list[str] = []
    latencies: list[float] = []
    count = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        count += 1
        own = count % 4 != 0
        name = rng.choice(mine if own else others)
        key = rng.choice(keys)
        note = f"member {n} edit {count}"
        started = time.perf_counter()
        try:
            lib.add_to_collection(name, key, note=note)
            if own:
                written[f"{name}|{key}"] = note
            lib.team.sync()
        except LibraryError as exc:
            errors.append(str(exc))
        latencies.append(time.perf_counter() - started)
        time.sleep(rng.uniform(0, 0.2))
    lib.close()
    return {"n": n, "written": written, "errors": errors, "latencies": latencies, "edits": count}


def run(server: Any, seconds: float, runs: int) -> list[Row]:
    from safedesk.library import Library
    from safedesk.team import members
    from safedesk.team.connect import connect
    from safedesk.team.setup import create_team
    from tests.team.client_helpers import local_view, server_view

    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-client-"))
    try:
        with server.admin() as conn:
            conn.execute("CREATE DATABASE bench_client")
        admin_url = server.url("bench_client")
        create_team(admin_url, "Benchmark team", roles="bench_client")
        with connect(admin_url) as admin:
            for n in range(MEMBERS + 1):
                members.add_member(admin, _role(n))
        urls = [server.url("bench_client", user=_role(n)) for n in range(MEMBERS + 1)]
        template = work / "template"
        Library.open(template).close()
        reports = _report_variants(work)
        started = time.perf_counter()
        folders = [work / f"member{n:02d}" for n in range(MEMBERS)]
        for folder in folders:
            shutil.copytree(template, folder)
        context = multiprocessing.get_context("spawn")
        with context.Pool(2) as pool:  # two at a time: this machine has two cores
            pool.starmap(_seed_member, [
                (folders[n], urls[n], n, reports if n == 0 else []) for n in range(MEMBERS)
            ])  # fmt: skip
            seeded = time.perf_counter() - started
            pool.map(_catch_up, folders)  # everyone has everyone's things before measuring
        print(f"seeded {MEMBERS} member libraries in {seeded:.0f} s; all caught up after "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip

        # a new member's first sync: join, every row, every file imported
        firsts: list[tuple[float, float, dict[str, float], int]] = []
        newcomer = work / "newcomer"
        for attempt in range(3):
            shutil.rmtree(newcomer, ignore_errors=True)
            shutil.copytree(template, newcomer)
            lib = Library.open(newcomer)
            clock = time.perf_counter()
            report = lib.team.join(urls[MEMBERS], "Newcomer")
            took = time.perf_counter() - clock
            clock = time.perf_counter()
            lib.ensure_index()
            indexed = time.perf_counter() - clock
            assert report.documents == DOCUMENTS, report.to_json()
            firsts.append((took, indexed, report.seconds, report.pulled))
            if attempt < 2:
                lib.close()
        rows.append((f"first sync, end to end: join + {firsts[0][3]} rows + {DOCUMENTS} reports",
                     "3", *_ms([f[0] for f in firsts])))  # fmt: skip
        for step in ("connect", "push", "pull", "apply", "documents"):
            rows.append((f"  of which {step}", "3",
                         *_ms([f[2].get(step, 0.0) for f in firsts])))  # fmt: skip
        rows.append(("then the search index for 31 reports (background)", "3",
                     *_ms([f[1] for f in firsts])))  # fmt: skip

        # a sync with nothing to do: connect, check the schema, an empty push and pull
        idle = []
        for _ in range(runs):
            clock = time.perf_counter()
            report = lib.team.sync()
            idle.append(time.perf_counter() - clock)
            assert (report.pushed, report.pulled) == (0, 0)
        rows.append(("idle sync (new connection each time)", str(runs), *_ms(idle)))

        # one changed item: sent by its owner, then fetched by the newcomer
        owner = Library.open(folders[0])
        name = owner.collections()[0].name
        key = owner.collection(name).items[0].key
        sent, fetched = [], []
        for k in range(runs):
            owner.add_to_collection(name, key, note=f"one change {k}")
            clock = time.perf_counter()
            assert owner.team.sync().pushed == 1
            sent.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            assert lib.team.sync().pulled == 1
            fetched.append(time.perf_counter() - clock)
        rows.append(("one changed item: the owner's sync (push 1)", str(runs), *_ms(sent)))
        rows.append(("one changed item: a teammate's sync (pull 1)", str(runs), *_ms(fetched)))
        owner.close()
        lib.close()

        rows += _together(folders, admin_url, seconds, local_view, server_view)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def _together(
    folders: list[Path],
    admin_url: str,
    seconds: float,
    local_view: Callable[[Any], Any],
    server_view: Callable[[str], Any],
) -> list[Row]:
    """20 members editing and syncing at once, from separate processes; then checked."""
    from safedesk.library import Library
    from safedesk.team.connect import connect

    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with context.Pool(MEMBERS) as pool:
        outcomes = pool.starmap(_worker, [(str(folders[n]), n, seconds, n) for n in range(MEMBERS)])
    wall = time.perf_counter() - started
    latencies = [t for o in outcomes for t in o["latencies"]]
    errors = [e for o in outcomes for e in o["errors"]]
    expected = None
    diverged = lost = doubled = 0
    for o in outcomes:  # everyone syncs once more now that all have stopped
        with Library.open(folders[o["n"]]) as lib:
            lib.team.sync()
    expected = server_view(admin_url)
    notes = {}
    for collection in expected["collections"].values():
        for item in collection["items"]:
            notes[f"{collection['name']}|{item['key']}"] = item["note"]
    for o in outcomes:
        with Library.open(folders[o["n"]]) as lib:
            diverged += local_view(lib) != expected
            doubled += len(lib.store.conn.execute(
                "SELECT uid FROM collection_item GROUP BY uid HAVING count(*) > 1"
            ).fetchall())  # fmt: skip
        lost += sum(1 for where, note in o["written"].items() if notes.get(where) != note)
    with connect(admin_url) as conn, conn.transaction():
        receipts = conn.execute(
            "SELECT count(*), count(DISTINCT change_id) FROM safedesk.applied_change"
        ).fetchone()
    edits = sum(o["edits"] for o in outcomes)
    print(f"{MEMBERS} members at once: {wall:.0f} s wall, {edits} edits and {len(latencies)} "
          f"syncs, {len(errors)} errors, {lost} own last words lost, {doubled} rows doubled, "
          f"{diverged} of {MEMBERS} libraries differing from the server after a last sync, "
          f"{receipts[0]} receipts for {receipts[1]} distinct changes")  # fmt: skip
    for e in errors[:5]:
        print(f"  error: {e}")
    return [(f"{MEMBERS} members editing + syncing at once ({seconds:.0f} s): edit + sync",
             str(len(latencies)), *_ms(latencies))]  # fmt: skip
