"""Case 3: the SQLite file is damaged while safedesk is closed. safedesk says so in one line,
moves the file aside (never overwrites it), keeps refusing rather than start an empty library,
and `safedesk restore-backup` brings back the newest backup."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest

from safedesk.errors import DamagedLibraryError, LibraryError
from safedesk.library import Library
from tests.reliability.conftest import B, cli, one_line_error, user_rows

PAGE = 4096


def _with_backup(data_dir: Path) -> Path:
    """A library with user data and a backup of it; then one more change the backup lacks."""
    with Library.open(data_dir) as lib:
        lib.bookmark(B + "box-9", note="in the backup ✓ <b>kept</b>")
        lib.create_collection("March", "kept too")
        lib.add_to_collection("March", B + "box-1", note="facilitator", prompts=["Why?"])
        backup = lib.backup()
        lib.bookmark(B + "box-2", note="after the backup")
    return backup


def _damage(db: Path, where: str) -> bytes:
    data = bytearray(db.read_bytes())
    rng = random.Random(where)
    if where == "header":
        data[0:100] = rng.randbytes(100)
    else:  # every page but the first gets a run of random bytes in its middle
        for start in range(PAGE, len(data), PAGE):
            data[start + 8 : start + 400] = rng.randbytes(392)
    db.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("where", ["header", "pages"])
def test_cli_names_the_file_moves_it_aside_and_restore_backup_brings_it_back(
    data_dir: Path, where: str
) -> None:
    backup = _with_backup(data_dir)
    db = data_dir / "library.sqlite3"
    damaged = _damage(db, where)

    line = one_line_error(cli(data_dir, "bookmarks"))
    assert str(db) in line and "damaged" in line and "safedesk restore-backup" in line
    assert not db.exists()
    [aside] = data_dir.glob("library.damaged-*.sqlite3")
    assert aside.read_bytes() == damaged  # moved, byte for byte, never overwritten
    assert aside.name in line

    again = one_line_error(cli(data_dir, "reports"))  # no silent new, empty library
    assert "damaged" in again and not db.exists()

    done = cli(data_dir, "restore-backup")
    assert done.returncode == 0, done.stderr
    assert backup.name in done.stdout
    assert aside.read_bytes() == damaged  # still kept
    marks = json.loads(cli(data_dir, "bookmarks", "--json").stdout)
    assert [(b["key"], b["note"]) for b in marks] == [(B + "box-9", "in the backup ✓ <b>kept</b>")]
    assert user_rows(db) == user_rows(backup)
    assert json.loads(cli(data_dir, "search", "reflective practice", "--json").stdout)["total"]
    assert cli(data_dir, "doctor").returncode == 0


def test_the_python_api_for_the_window(data_dir: Path) -> None:
    """What the GUI uses: the error's attributes, then list and restore without opening."""
    backup = _with_backup(data_dir)
    _damage(data_dir / "library.sqlite3", "header")
    with pytest.raises(DamagedLibraryError) as caught:
        Library.open(data_dir)
    error = caught.value
    assert error.path == data_dir / "library.sqlite3"
    assert error.moved_to is not None and error.moved_to.exists()
    assert error.backups[0] == backup and error.backups == Library.list_backups(data_dir)
    with pytest.raises(DamagedLibraryError):
        Library.open(data_dir)  # still refused, same offer
    assert Library.restore_into(data_dir) == backup
    with Library.open(data_dir) as lib:
        assert [b.note for b in lib.bookmarks()] == ["in the backup ✓ <b>kept</b>"]
        assert lib.collection("March").items[0].prompts == ["Why?"]
        assert lib.search("reflective practice").total > 0


def test_a_damaged_newest_backup_is_skipped(data_dir: Path) -> None:
    good = _with_backup(data_dir)
    newer = good.with_name(good.name.replace("manual", "zz-newer"))
    shutil.copy(good, newer)
    _damage(newer, "header")
    _damage(data_dir / "library.sqlite3", "header")
    with pytest.raises(DamagedLibraryError):
        Library.open(data_dir)
    assert Library.restore_into(data_dir) == good


def test_with_no_backup_it_says_so_and_only_starts_empty_when_asked(data_dir: Path) -> None:
    shutil.rmtree(data_dir / "backups", ignore_errors=True)
    _damage(data_dir / "library.sqlite3", "header")
    line = one_line_error(cli(data_dir, "reports"))
    assert "no backup was found" in line and "restore-backup --empty" in line
    refused = one_line_error(cli(data_dir, "restore-backup"))
    assert "no usable backups" in refused
    assert not (data_dir / "library.sqlite3").exists()
    assert cli(data_dir, "restore-backup", "--empty").returncode == 0
    fresh = json.loads(cli(data_dir, "reports", "--json").stdout)
    assert fresh[0]["practices"] == 24 and list(data_dir.glob("library.damaged-*.sqlite3"))


def test_a_damaged_file_given_to_restore_backup_is_refused(data_dir: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    shutil.copy(data_dir / "library.sqlite3", junk)
    _damage(junk, "pages")
    with pytest.raises(LibraryError, match=r"damaged|not a safedesk library"):
        Library.restore_into(data_dir, junk)
    assert (data_dir / "library.sqlite3").exists()  # nothing was moved for a bad backup
