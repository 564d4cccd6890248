"""Case 10: errors stay one line, naming the folder and the reason, even when the log folder or
the backups folder cannot be used; the daily backup's failure is said once, helpfully, and
never stops a read. As root a folder is made unwritable by a read-only tmpfs mounted on it
(chmod stops nothing); otherwise by chmod."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.conftest import _can_mount, _mount, child_env, cli, one_line_error


@pytest.fixture
def unwritable() -> Iterator[object]:
    """`make(folder)`: from now on `folder` (holding what it held) cannot be written."""
    mounted: list[Path] = []
    chmodded: list[Path] = []

    def make(folder: Path) -> None:
        folder.mkdir(exist_ok=True)
        if _can_mount():
            keep = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
            if not _mount("-t", "tmpfs", "-o", "size=1m", "safedesk-test", str(folder)):
                pytest.skip("cannot mount a tmpfs here")
            mounted.append(folder)
            for name, data in keep.items():
                (folder / name).write_bytes(data)
            assert _mount("-o", "remount,ro", str(folder))
        elif os.geteuid() == 0:
            pytest.skip("as root only a read-only mount stops writes")
        else:
            folder.chmod(0o555)
            chmodded.append(folder)

    yield make
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)
    for folder in chmodded:
        folder.chmod(0o755)


def _with_user_data(data_dir: Path) -> None:
    """A bookmark (so a daily backup is due) and no daily backup made yet."""
    assert cli(data_dir, "bookmark", "add", "nfer-2011-safeguarding-children-council-"
               "developments/box-9").returncode == 0  # fmt: skip
    for old in (data_dir / "backups").glob("*daily*"):
        old.unlink()


def _backups_a_file(data_dir: Path) -> Path:
    backups = data_dir / "backups"
    shutil.rmtree(backups, ignore_errors=True)
    backups.write_text("not a folder")
    return backups


def test_a_backups_folder_that_is_a_file_is_named_in_one_line(data_dir: Path) -> None:
    _with_user_data(data_dir)
    backups = _backups_a_file(data_dir)
    line = one_line_error(cli(data_dir, "backup"))
    assert line == f"safedesk: error: cannot make a backup in {backups}: it is a file, not a folder"
    assert backups.read_text() == "not a folder"


def test_an_unwritable_backups_folder_is_named_in_one_line(
    data_dir: Path, unwritable: object
) -> None:
    _with_user_data(data_dir)
    backups = data_dir / "backups"
    unwritable(backups)  # type: ignore[operator]
    line = one_line_error(cli(data_dir, "backup"))
    assert line.startswith(f"safedesk: error: cannot make a backup in {backups}: ")
    assert line.endswith(("read-only file system", "permission denied")), line


def test_the_daily_backup_failing_is_said_once_and_never_stops_a_read(data_dir: Path) -> None:
    _with_user_data(data_dir)
    backups = _backups_a_file(data_dir)
    first = cli(data_dir, "bookmarks")
    assert first.returncode == 0 and "box-9" in first.stdout  # the read went on
    assert first.stderr == (
        f"safedesk: note: today's backup was not made: cannot make a backup in {backups}: "
        "it is a file, not a folder\n"
    )
    again = cli(data_dir, "bookmarks")
    assert again.returncode == 0 and again.stderr == ""  # once, not on every command
    failed = cli(data_dir, "show", "no-such-key")
    assert one_line_error(failed).startswith("safedesk: error: ")
    backups.unlink()  # fixed: the next daily backup is made, and a new failure is said again
    assert cli(data_dir, "bookmarks").stderr == ""
    assert list(backups.glob("*daily*"))


def test_an_unwritable_log_folder_never_prints_a_traceback(
    data_dir: Path, unwritable: object
) -> None:
    _with_user_data(data_dir)
    logs = data_dir / "logs"
    (logs / "safedesk.log").unlink(missing_ok=True)
    unwritable(logs)  # type: ignore[operator]
    backups = _backups_a_file(data_dir)  # an error that used to be logged with its traceback
    line = one_line_error(cli(data_dir, "backup"))
    assert str(backups) in line
    backups.unlink()
    reads = cli(data_dir, "reports")  # the log folder is said once, as a note
    assert reads.returncode == 0 and "Traceback" not in reads.stderr
    assert (
        reads.stderr
        == (
            f"safedesk: note: cannot write the log in {logs}: read-only file system; safedesk "
            "works, but the details of any error are not kept\n"
        )
        or not _can_mount()
    )
    assert cli(data_dir, "reports").stderr == ""


def test_logging_never_reaches_the_screen_when_the_log_cannot_be_written(
    data_dir: Path, unwritable: object
) -> None:
    """logging's last resort printed every warning and exception (with its traceback) on
    stderr when no handler was set up, which is what an unwritable logs/ folder left."""
    logs = data_dir / "logs"
    (logs / "safedesk.log").unlink(missing_ok=True)
    unwritable(logs)  # type: ignore[operator]
    code = (
        "import logging, sys\n"
        "from safedesk import logsetup\n"
        "logsetup.configure(sys.argv[1])\n"
        "try:\n"
        "    raise RuntimeError('something broke')\n"
        "except RuntimeError:\n"
        "    logging.getLogger('safedesk.cli').exception('unexpected error')\n"
        "logging.getLogger('safedesk.store').warning('could not make the daily backup')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True,
        env=child_env(), timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert "something broke" not in done.stderr and "daily backup" not in done.stderr
