"""Case 2: a process killed (SIGKILL) during a report import and during an index commit. The next
open finds the library consistent (the import happened entirely or not at all) and the search
index is rebuilt when it needs to be."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safedesk.corpus.parser import parse_report
from safedesk.library import Library
from safedesk.store.importer import content_rows
from tests.conftest import SECOND
from tests.reliability.conftest import B, child_env, integrity, user_rows

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

IMPORTER = """
import sys, time
from safedesk.library import Library
lib = Library.open(sys.argv[1])
stop_at = sys.argv[3]
def progress(message, fraction):
    if stop_at and message.startswith(stop_at):
        print("AT", message, flush=True)
        time.sleep(60)  # held here, mid-way, until killed
print("READY", flush=True)
lib.import_report(sys.argv[2], progress=progress)
print("DONE", flush=True)
"""

INDEXER = """
import sys
from safedesk.library import Library
lib = Library.open(sys.argv[1])
print("READY", flush=True)
for i in range(1000):
    if i % 2:
        lib.rebuild_index()
    else:
        lib.add_example(f"Example {i}", text=f"Huddles number {i}")
"""


def _start(script: str, *args: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        stdout=subprocess.PIPE, text=True, env=child_env(),
    )  # fmt: skip
    assert proc.stdout is not None
    return proc


def _wait_for(proc: subprocess.Popen[str], prefix: str) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if line.startswith(prefix):
            return line
    proc.kill()
    raise AssertionError(f"the child never printed {prefix!r}")


def _kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()


EXPECTED = {
    name: len(rows) for name, rows in content_rows(parse_report(SECOND.read_bytes())).items()
}
SECOND_KEY = parse_report(SECOND.read_bytes()).slug


def _second_report_rows(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        counts = {
            name: conn.execute(
                f"SELECT count(*) FROM {name} WHERE report_key = ?", (SECOND_KEY,)
            ).fetchone()[0]
            for name in EXPECTED
        }
        counts["report"] = conn.execute(
            "SELECT count(*) FROM report WHERE key = ?", (SECOND_KEY,)
        ).fetchone()[0]
        return counts
    finally:
        conn.close()


def _all_or_nothing(db: Path) -> bool:
    """True if the second report is there in full, False if not at all; fails if half there."""
    counts = _second_report_rows(db)
    nothing = dict.fromkeys([*EXPECTED, "report"], 0)
    everything = {**EXPECTED, "report": 1}
    assert counts in (nothing, everything), counts
    return counts == everything


def _healthy_after(data_dir: Path, imported: bool) -> None:
    assert integrity(data_dir / "library.sqlite3") == "ok"
    with Library.open(data_dir) as lib:
        if imported:
            assert lib.search("early help", report=SECOND_KEY).total > 0
        assert SECOND_KEY in {r.key for r in lib.reports()} if imported else True
        assert lib.search("reflective practice").hits[0].key == B + "box-9"
        report = lib.doctor()
        assert report.healthy, report.text()


@pytest.mark.parametrize("stop_at, imported", [("Storing", False), ("Indexing", True)])
def test_killed_at_a_known_point_of_an_import(data_dir: Path, stop_at: str, imported: bool) -> None:
    """Held mid-transaction ("Storing ...") the import is not there at all; held while indexing
    (the store has committed) it is there in full and the index is rebuilt."""
    with Library.open(data_dir) as lib:
        lib.bookmark(B + "box-9", note="mine")
    before = user_rows(data_dir / "library.sqlite3")
    proc = _start(IMPORTER, data_dir, SECOND, stop_at)
    _wait_for(proc, "AT")
    _kill(proc)
    assert _all_or_nothing(data_dir / "library.sqlite3") is imported
    _healthy_after(data_dir, imported)
    assert user_rows(data_dir / "library.sqlite3") == before


def test_killed_at_random_moments_of_an_import(data_dir: Path, tmp_path: Path) -> None:
    pristine = tmp_path / "pristine"
    shutil.copytree(data_dir, pristine)
    rng = random.Random(2)
    for _round in range(6):
        proc = _start(IMPORTER, data_dir, SECOND, "")
        _wait_for(proc, "READY")
        time.sleep(rng.uniform(0.0, 0.5))
        _kill(proc)
        imported = _all_or_nothing(data_dir / "library.sqlite3")
        _healthy_after(data_dir, imported)
        if imported:  # it got through before the kill: start the next round without it
            shutil.rmtree(data_dir)
            shutil.copytree(pristine, data_dir)


def test_killed_during_index_commits(data_dir: Path) -> None:
    """Index rebuilds (build beside, then swap) and in-place updates (a Whoosh commit, then the
    stamp), killed at random moments: the next open always searches correctly."""
    rng = random.Random(3)
    for _round in range(6):
        proc = _start(INDEXER, data_dir)
        _wait_for(proc, "READY")
        time.sleep(rng.uniform(0.05, 1.2))
        _kill(proc)
        with Library.open(data_dir) as lib:
            examples = len(lib.examples())
            assert lib.search("huddles", kind="example", limit=1000).total == examples
            assert lib.search("reflective practice").hits[0].key == B + "box-9"
    with Library.open(data_dir) as lib:
        assert lib.doctor().healthy
