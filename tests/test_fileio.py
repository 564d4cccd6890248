"""All-or-nothing file writes."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from safedesk.errors import LibraryError
from safedesk.fileio import write_atomically


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "pack.json"
    target.write_text("previous")

    def fills_the_disk(tmp: Path) -> None:
        tmp.write_text("half a fi")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(LibraryError, match="No space left on device"):
        write_atomically(target, fills_the_disk)
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.json"]


def test_missing_folder_and_folder_target_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="does not exist"):
        write_atomically(tmp_path / "nope" / "x.txt", lambda p: p.write_text("x"))
    with pytest.raises(LibraryError, match="is a folder"):
        write_atomically(tmp_path, lambda p: p.write_text("x"))


def test_success_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    assert write_atomically(target, lambda p: p.write_text("new")) == target
    assert target.read_text() == "new"
