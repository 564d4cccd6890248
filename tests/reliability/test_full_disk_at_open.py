"""A full disk at start-up is not damage: nothing is moved aside, nothing empty replaces it.

Red-team finding: on a nearly full disk (no `-shm` yet) SQLite reports an I/O or space error, and
opening took that for damage: the healthy library was moved aside, the marker could not be
written, and after space was freed the next start made an empty library. Reproduced here on a real
small tmpfs filled to the brim.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safedesk.errors import DamagedLibraryError, LibraryError
from safedesk.library import Library
from tests.reliability.conftest import B, cli, fill, one_line_error, user_rows


@pytest.fixture
def library_on_small_disk(small_disk: Path, library_template: Path) -> Path:
    data = small_disk / "data"
    shutil.copytree(library_template, data)
    with Library.open(data) as lib:
        lib.bookmark(B + "box-9", note="kept through a full disk")
        lib.create_collection("March")
    for leftover in data.glob("library.sqlite3-*"):  # closed cleanly: no -wal or -shm now
        raise AssertionError(f"{leftover} left after closing")
    return data


@pytest.mark.parametrize("leave", [0, 8 * 1024, 24 * 1024])
def test_opening_on_a_full_disk_changes_nothing_and_says_the_disk_is_full(
    library_on_small_disk: Path, small_disk: Path, leave: int
) -> None:
    data = library_on_small_disk
    before = user_rows(data / "library.sqlite3")
    names_before = sorted(p.name for p in data.iterdir())
    filler = fill(small_disk, leave=leave)
    for _ in range(3):  # every further start on the full disk, too
        try:
            Library.open(data).close()  # reading may still work without space; never damage
        except LibraryError as caught:
            assert not isinstance(caught, DamagedLibraryError), caught
            assert "full" in str(caught) or "cannot be written" in str(caught)
        listed = cli(data, "bookmarks")
        if listed.returncode:
            line = one_line_error(listed)
            assert "damaged" not in line and ("full" in line or "cannot be written" in line)
        else:
            assert "kept through a full disk" in listed.stdout
    doctor = cli(data, "doctor")
    assert "damaged" not in doctor.stdout + doctor.stderr
    assert "full" in doctor.stdout + doctor.stderr
    sqlite_own = ("-wal", "-shm")
    after = sorted(p.name for p in data.iterdir() if not p.name.endswith(sqlite_own))
    ours = ("logs", "notices.json")  # the log and the one-a-day note of a backup not made
    assert [n for n in after if n not in ours] == [
        n for n in names_before if n not in ours and not n.endswith(sqlite_own)
    ]
    filler.unlink()
    started = cli(data, "bookmarks", "--json")
    assert started.returncode == 0, started.stderr
    assert "first run" not in started.stderr
    assert "kept through a full disk" in started.stdout
    assert user_rows(data / "library.sqlite3") == before


def test_an_empty_library_never_replaces_one_moved_aside(tmp_path: Path) -> None:
    """Even when the damage marker is lost, a moved-aside library stops an empty start."""
    data = tmp_path / "data"
    data.mkdir()
    moved = data / "library.damaged-20261201T101010Z.sqlite3"
    moved.write_bytes(b"SQLite format 3\0" + b"x" * 90)
    with pytest.raises(DamagedLibraryError, match="restore-backup"):
        Library.open(data)
    assert not (data / "library.sqlite3").exists()
    done = cli(data, "restore-backup", "--empty")
    assert done.returncode == 0, done.stderr
    with Library.open(data) as lib:
        assert lib.bookmarks() == []
    assert moved.exists()  # never deleted
