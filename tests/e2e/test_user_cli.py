"""User data through the CLI, in real processes: the JSON contract, backups, doctor, and writes
that survive a process being killed."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.test_cli import run, run_json

B = "nfer-2011-safeguarding-children-council-developments/"


def test_collections_json_contract(data_dir: Path) -> None:
    assert run(data_dir, "collection", "create", "March", "--description", "G").returncode == 0
    done = run(
        data_dir, "collection", "add", "March", B + "box-9", "--note", "Open <b>with</b> this",
        "--prompt", "Why?", "--prompt", "Who?", "--minutes", "20",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    [c] = run_json(data_dir, "collections")
    assert {"name", "description", "items"} <= set(c)
    [item] = c["items"]
    assert {"key", "title", "note", "prompts"} <= set(item)
    assert (item["key"], item["note"], item["prompts"], item["minutes"]) == (
        B + "box-9",
        "Open <b>with</b> this",
        ["Why?", "Who?"],
        20,
    )


def test_bookmarks_examples_trash_and_restore(data_dir: Path) -> None:
    assert (
        run(
            data_dir, "bookmark", "add", B + "box-20", "--note", "airport", "--tag", "CSE"
        ).returncode
        == 0
    )
    [b] = run_json(data_dir, "bookmarks")
    assert (b["note"], b["tags"], b["kind"]) == ("airport", ["CSE"], "practice")
    made = run_json(
        data_dir, "example", "add", "--title", "Huddles", "--theme", "3.4", "--team", "West"
    )
    assert made["theme"] == "Partnership working" and made["key"].startswith("my-examples/")
    assert run(data_dir, "bookmark", "remove", B + "box-20").returncode == 0
    assert run_json(data_dir, "bookmarks") == []
    [entry] = run_json(data_dir, "trash")
    assert run(data_dir, "restore", entry["id"]).returncode == 0
    assert run_json(data_dir, "bookmarks")[0]["note"] == "airport"
    unknown = run(data_dir, "restore", "bookmark:999")
    assert unknown.returncode == 1 and "not in the trash" in unknown.stderr


def test_export_import_and_hostile_file_via_cli(data_dir: Path, tmp_path: Path) -> None:
    run(data_dir, "collection", "create", "Share me")
    run(data_dir, "collection", "add", "Share me", B + "box-1")
    out = tmp_path / "share.json"
    assert run(data_dir, "collection", "export", "Share me", "-o", str(out)).returncode == 0
    result = run_json(data_dir, "collection", "import", str(out))
    assert (result["created"], result["added"], result["skipped"]) == (False, 0, 1)
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "safedesk-collection", "schema": 7}')
    done = run(data_dir, "collection", "import", str(bad))
    assert done.returncode == 1 and "newer safedesk" in done.stderr and done.stderr.count("\n") == 1


def test_backup_and_restore_backup(data_dir: Path, tmp_path: Path) -> None:
    run(data_dir, "bookmark", "add", B + "box-2", "--note", "keep me")
    copy = tmp_path / "copy.sqlite3"
    assert run(data_dir, "backup", "-o", str(copy)).returncode == 0
    run(data_dir, "bookmark", "remove", B + "box-2")
    run(data_dir, "trash", "--empty", "--yes")
    assert run_json(data_dir, "bookmarks") == []
    done = run(data_dir, "restore-backup", str(copy))
    assert done.returncode == 0, done.stderr
    assert run_json(data_dir, "bookmarks")[0]["note"] == "keep me"
    assert run_json(data_dir, "search", "Providing structures")["total"] > 0
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    refused = run(data_dir, "restore-backup", str(junk))
    assert refused.returncode == 1 and "not a safedesk library backup" in refused.stderr


def test_doctor_reports_and_repairs_the_index(data_dir: Path) -> None:
    healthy = run(data_dir, "doctor")
    assert healthy.returncode == 0 and "Everything is in order" in healthy.stdout
    for f in (data_dir / "index").iterdir():
        if f.suffix == ".seg":
            f.write_bytes(b"garbage")
    sick = run_json_allow_fail(data_dir, "doctor")
    index = next(c for c in sick["checks"] if c["name"] == "search index")
    assert not sick["healthy"] and not index["ok"]
    repaired = run(data_dir, "doctor", "--repair")
    assert repaired.returncode == 0 and "search index rebuilt" in repaired.stdout
    assert run(data_dir, "doctor").returncode == 0


def run_json_allow_fail(data_dir: Path, *args: str) -> dict:
    done = run(data_dir, *args, "--json")
    return json.loads(done.stdout)


WRITER = """
import sys
from safedesk.library import Library
lib = Library.open(sys.argv[1])
start = int(sys.argv[2])
for i in range(start, start + 10_000):
    lib.bookmark("{box}", tags=[f"t{{i}}"])
    print(i, flush=True)
""".format(box=B + "box-9")


@pytest.mark.slow
def test_confirmed_writes_survive_sigkill(data_dir: Path) -> None:
    """Kill a writing process at random moments, many times: every write it confirmed is there."""
    confirmed: list[int] = []
    rng = random.Random(7)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for round_ in range(12):
        start = round_ * 10_000
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(data_dir), str(start)],
            stdout=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert proc.stdout is not None
        wanted = rng.randint(1, 15)
        got = 0
        deadline = time.monotonic() + 60
        while got < wanted and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            confirmed.append(int(line))
            got += 1
        time.sleep(rng.random() * 0.05)  # often mid-way through the next write
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # lines printed between our last read and the kill were confirmed too
        confirmed += [int(x) for x in proc.stdout.read().split()]
    conn = sqlite3.connect(data_dir / "library.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tags = json.loads(conn.execute(
            "SELECT tags FROM bookmark WHERE key = ? AND deleted_at IS NULL", (B + "box-9",)
        ).fetchone()[0])  # fmt: skip
    finally:
        conn.close()
    assert len(confirmed) >= 12
    assert {f"t{i}" for i in confirmed} <= set(tags)
