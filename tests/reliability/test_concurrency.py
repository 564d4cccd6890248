"""Case 7: two processes write user data at once: every write lands or fails with a clear "busy"
message; no update is lost; the database stays intact. A killed window's lock never blocks the
next start (a real app process, killed with SIGKILL)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safedesk.library import Library
from tests.reliability.conftest import B, child_env, cli, integrity

TAGGER = """
import sys
from safedesk.library import Library
lib = Library.open(sys.argv[1])
for i in range(int(sys.argv[3])):
    lib.bookmark(sys.argv[4], tags=[f"{sys.argv[2]}-{i}"])
print("done", flush=True)
"""


def test_many_clis_at_once_each_write_lands_or_says_busy(data_dir: Path) -> None:
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "safedesk",
                "--data-dir",
                str(data_dir),
                "bookmark",
                "add",
                B + f"box-{n}",
                "--note",
                f"note {n} ✓",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        for n in range(1, 11)
    ]
    landed = set()
    for n, proc in enumerate(procs, start=1):
        _out, err = proc.communicate(timeout=120)
        if proc.returncode == 0:
            landed.add(n)
        else:
            assert proc.returncode == 1 and "busy" in err and "Traceback" not in err, err
    assert len(landed) >= 1
    notes = {b["key"]: b["note"] for b in json.loads(cli(data_dir, "bookmarks", "--json").stdout)}
    assert notes == {B + f"box-{n}": f"note {n} ✓" for n in landed}
    assert integrity(data_dir / "library.sqlite3") == "ok"


def test_two_processes_updating_one_bookmark_lose_nothing(data_dir: Path) -> None:
    """Each adds its own tags to the same bookmark (read, merge, write): all of them survive."""
    key, count = B + "box-9", 40
    with Library.open(data_dir) as lib:
        lib.bookmark(key, note="shared")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", TAGGER, str(data_dir), name, str(count), key],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        for name in ("a", "b")
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.strip() == "done", err
    with Library.open(data_dir) as lib:
        tags = set(lib.bookmarked(key).tags)
    assert tags == {f"{name}-{i}" for name in ("a", "b") for i in range(count)}
    assert integrity(data_dir / "library.sqlite3") == "ok"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_window_never_blocks_the_next_start(qtbot: object, data_dir: Path) -> None:
    from safedesk.ui.single_instance import ask_running_instance, server_name

    name = server_name(data_dir)
    env = dict(child_env(), QT_QPA_PLATFORM="offscreen")

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "safedesk", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )

    def answering(proc: subprocess.Popen[str]) -> bool:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None:
            if ask_running_instance(name):
                return True
            time.sleep(0.1)
        return False

    first = start()
    try:
        assert answering(first), first.stderr.read() if first.stderr else ""
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert not ask_running_instance(name)  # its socket file is left, but nobody answers
    second = start()
    try:
        assert answering(second)  # it started (rather than hand over to the dead one)
        assert second.poll() is None  # and it is still running its window
    finally:
        second.send_signal(signal.SIGKILL)
        second.wait()
    assert integrity(data_dir / "library.sqlite3") == "ok"
