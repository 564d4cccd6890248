"""Case 8: temporary files are created exclusively under unpredictable names, never through a
planted symlink, and what a killed write leaves behind is found (doctor) or cleared (the next
write of the same file). Real symlinks, real files, real processes killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from safedesk import fileio
from safedesk.store import leftovers
from tests.reliability.conftest import B, child_env, cli

VICTIM_TEXT = "someone else's file: never to be overwritten\n"

WRITERS: dict[str, Callable[[Path, Path], list[str]]] = {
    "brief": lambda data, out: ["brief", B + "box-9", "-o", str(out / "sheet.pdf")],
    "pack": lambda data, out: ["brief", "--collection", "Session", "-o", str(out / "pack.pdf")],
    "collection export": lambda data, out: [
        "collection", "export", "Session", "-o", str(out / "session.json")],
    "backup -o": lambda data, out: ["backup", "-o", str(out / "copy.sqlite3")],
}  # fmt: skip


@pytest.fixture
def session(data_dir: Path) -> Path:
    assert cli(data_dir, "collection", "create", "Session").returncode == 0
    assert cli(data_dir, "collection", "add", "Session", B + "box-9").returncode == 0
    return data_dir


def _plant(folder: Path, name: str, victim: Path) -> list[Path]:
    """Symlinks to `victim` at every name an older safedesk would have used for `name`."""
    links = [folder / f".{name}.partial", folder / f"{Path(name).stem}.partial"]
    for link in links:
        link.symlink_to(victim)
    return links


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_planted_symlink_at_the_old_temporary_name_is_never_followed(
    session: Path, tmp_path: Path, writer: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM_TEXT)
    args = WRITERS[writer](session, out)
    target = Path(args[args.index("-o") + 1])
    links = _plant(out, target.name, victim)
    done = cli(session, *args)
    assert done.returncode == 0, done.stderr
    assert victim.read_text() == VICTIM_TEXT
    assert target.is_file() and not target.is_symlink() and target.stat().st_size > 100
    assert sorted(out.iterdir()) == sorted([*links, target])  # no temporary left behind


def test_the_temporary_is_created_exclusively_even_at_a_planted_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Had someone guessed the random part, their symlink is still not opened: O_EXCL fails
    on any existing name, so another name is drawn."""
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM_TEXT)
    draws = iter(["aaaaaaaaaaaa", "aaaaaaaaaaaa", "bbbbbbbbbbbb"])
    monkeypatch.setattr(fileio.secrets, "token_hex", lambda _n: next(draws))
    (tmp_path / ".out.json.aaaaaaaaaaaa.partial").symlink_to(victim)
    seen: list[Path] = []

    def write(partial: Path) -> None:
        seen.append(partial)
        partial.write_text("new")

    fileio.write_atomically(tmp_path / "out.json", write)
    assert seen == [tmp_path / ".out.json.bbbbbbbbbbbb.partial"]
    assert victim.read_text() == VICTIM_TEXT and (tmp_path / "out.json").read_text() == "new"


def test_temporaries_have_the_mode_of_any_new_file(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        made = fileio.temporary_beside(tmp_path / "x.pdf")
    finally:
        os.umask(mask)
    assert made.name.startswith(".x.pdf.") and made.name.endswith(".partial")
    assert made.stat().st_mode & 0o777 == 0o644 and made.stat().st_size == 0
    other = fileio.temporary_beside(tmp_path / "x.pdf")
    assert other != made  # unpredictable: a new name each time


def test_every_library_temporary_matches_the_one_leftover_pattern(session: Path) -> None:
    """Each writer inside the library folder (backups, index files, notices, restore) makes its
    temporaries through fileio, so doctor's one pattern finds them all."""
    for folder in (".", "index", "backups"):
        (session / folder).mkdir(exist_ok=True)
        made = fileio.temporary_beside(session / folder / "anything.json")
        old = time.time() - leftovers.STALE_SECONDS - 10
        os.utime(made, (old, old))
        assert made in leftovers.find(session)


@pytest.mark.slow
def test_a_killed_backup_leaves_what_doctor_finds_and_repair_clears(session: Path) -> None:
    left = _killed_mid_write(session, ["backup"], session / "backups")
    old = time.time() - leftovers.STALE_SECONDS - 10  # (younger ones may be a write under way)
    for path in left:
        os.utime(path, (old, old))
    report = cli(session, "doctor")
    assert report.returncode == 1 and "temporary" in report.stdout, report.stdout
    assert cli(session, "doctor", "--repair").returncode == 0
    assert not list((session / "backups").glob("*.partial"))


@pytest.mark.slow
def test_a_killed_export_is_cleared_by_the_next_export_of_the_same_file(
    session: Path, tmp_path: Path
) -> None:
    from tests.reliability.worst_case import collection_file

    file = collection_file(tmp_path / "big.json", items=60, text="A paragraph. " * 900)
    assert cli(session, "collection", "import", str(file)).returncode == 0
    out = tmp_path / "out"
    out.mkdir()
    left = _killed_mid_write(
        session, ["brief", "--collection", "Worst case", "-o", str(out / "pack.pdf")], out
    )
    old = time.time() - fileio.STALE_SECONDS - 10
    for path in left:
        os.utime(path, (old, old))
    assert cli(session, "brief", B + "box-9", "-o", str(out / "pack.pdf")).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == ["pack.pdf"]


def _killed_mid_write(data_dir: Path, args: list[str], folder: Path) -> list[Path]:
    """Run the CLI and SIGKILL it once its temporary exists in `folder`; what it left there."""
    process = subprocess.Popen(
        [sys.executable, "-m", "safedesk", "--data-dir", str(data_dir), *args],
        env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            left = list(folder.glob(".*.partial"))
            if left:
                process.send_signal(signal.SIGKILL)
                process.wait()
                return sorted(folder.glob(".*.partial"))
            if process.poll() is not None:
                pytest.fail(f"{args} finished before it could be killed")
            time.sleep(0.005)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    pytest.fail(f"no temporary appeared for {args}")
