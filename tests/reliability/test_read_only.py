"""Case 4: the library folder (or its database file) is read-only. safedesk refuses in one plain
line and never opens or creates a library anywhere else. As root (the usual container) chmod
stops nothing, so the folder is a tmpfs remounted read-only: real, not simulated."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from safedesk.errors import ReadOnlyLibraryError
from safedesk.library import Library
from tests.reliability.conftest import cli, files_in, make_read_only, one_line_error


def test_a_read_only_library_is_refused_plainly(
    read_only_folder: tuple[Path, str], library_template: Path
) -> None:
    folder, how = read_only_folder
    data = folder / "data"
    shutil.copytree(library_template, data)
    make_read_only(folder, how)
    before = files_in(data)
    default = Path(os.environ["SAFEDESK_DATA_DIR"])
    line = one_line_error(cli(data, "reports"))
    assert "read-only" in line and str(data) in line
    with pytest.raises(ReadOnlyLibraryError) as caught:
        Library.open(data)
    assert caught.value.path == data
    assert files_in(data) == before
    assert not (default / "library.sqlite3").exists()  # no new library somewhere else
    doctor = cli(data, "doctor")
    assert doctor.returncode == 1 and "read-only" in doctor.stdout, doctor.stderr


def test_a_library_folder_that_cannot_be_created_is_refused(
    read_only_folder: tuple[Path, str],
) -> None:
    folder, how = read_only_folder
    make_read_only(folder, how)
    line = one_line_error(cli(folder / "new", "reports"))
    assert "cannot create the library folder" in line and not (folder / "new").exists()


def test_a_read_only_database_file_is_refused(data_dir: Path, tmp_path: Path) -> None:
    """The folder is writable but the file is not (a read-only bind mount as root, else chmod)."""
    db = data_dir / "library.sqlite3"
    if os.geteuid() == 0:
        import subprocess

        if subprocess.run(["mount", "--bind", str(db), str(db)], capture_output=True).returncode:
            pytest.skip("cannot bind-mount here")
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(db)], check=True)
            _refused(db)
        finally:
            subprocess.run(["umount", "-l", str(db)], capture_output=True)
    else:
        db.chmod(0o444)
        try:
            _refused(db)
        finally:
            db.chmod(0o644)


def _refused(db: Path) -> None:
    before = db.read_bytes()
    with pytest.raises(ReadOnlyLibraryError, match=r"library file .* is read-only") as caught:
        Library.open(db.parent)
    assert caught.value.path == db and db.read_bytes() == before
