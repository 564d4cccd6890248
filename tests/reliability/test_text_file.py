"""Case 11 (part): `example add --text-file` reads only a regular file, within a cap, with a
bounded read: a FIFO used to hang forever and /dev/zero to fill the memory. Every size message
says the real size precisely enough to be visibly over its cap."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from safedesk.corpus.text import MAX_REPORT_BYTES
from safedesk.sharing.collection_file import MAX_FILE_BYTES, MAX_TEXT
from safedesk.sizes import over_cap
from safedesk.textfile import MAX_TEXT_CHARS, MAX_TEXT_FILE_BYTES
from tests.reliability.conftest import cli, one_line_error


def _add(data_dir: Path, path: Path | str) -> subprocess.CompletedProcess[str]:
    return cli(data_dir, "example", "add", "--title", "From a file", "--text-file", str(path),
               timeout=30)  # fmt: skip


def test_a_fifo_is_refused_at_once(data_dir: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    line = one_line_error(_add(data_dir, fifo))  # (the old code waited here for a writer)
    assert line == f"safedesk: error: {fifo} is a pipe (FIFO); give a text file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_refused_without_reading_it(data_dir: Path) -> None:
    line = one_line_error(_add(data_dir, "/dev/zero"))
    assert line == "safedesk: error: /dev/zero is a device; give a text file"


def test_a_folder_and_a_missing_file_are_refused(data_dir: Path, tmp_path: Path) -> None:
    assert "is a folder" in one_line_error(_add(data_dir, tmp_path))
    assert "No such file" in one_line_error(_add(data_dir, tmp_path / "nothing.txt"))


def test_a_file_one_byte_over_the_cap_says_so(data_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_TEXT_FILE_BYTES + 1))
    line = one_line_error(_add(data_dir, big))
    assert line.endswith("is 1,048,577 bytes; limited to 1 MiB (1,048,576 bytes)"), line


def test_a_text_of_more_characters_than_a_collection_file_holds_is_refused(
    data_dir: Path, tmp_path: Path
) -> None:
    long = tmp_path / "long.txt"
    long.write_text("a" * (MAX_TEXT_CHARS + 1), "utf-8")
    assert MAX_TEXT_CHARS == MAX_TEXT  # an example made from a file can always be shared
    assert "limited to 200,000" in one_line_error(_add(data_dir, long))


def test_a_text_file_within_the_caps_is_read_exactly(data_dir: Path, tmp_path: Path) -> None:
    text = "Tuesday huddles.\n\n- who comes\n- what we share\n" + "é" * 1000
    good = tmp_path / "good.txt"
    good.write_text(text, "utf-8")
    done = _add(data_dir, good)
    assert done.returncode == 0, done.stderr
    [example] = json.loads(cli(data_dir, "examples", "--json").stdout)
    assert example["text"] == text


@pytest.mark.parametrize(
    ("size", "cap", "shown"),
    [
        (20 * 2**20 + 1, 20 * 2**20, "20,971,521 bytes; limited to 20 MiB (20,971,520 bytes)"),
        (20 * 2**20 + 50_000, 20 * 2**20, "20.05 MiB; limited to 20 MiB"),
        (5 * 2**20 + 2**19, 5 * 2**20, "5.5 MiB; limited to 5 MiB"),
        (1_000_001, 1_000_000, "1,000,001 bytes; limited to 1,000,000 bytes"),
    ],
)
def test_size_messages_are_visibly_over_the_cap(size: int, cap: int, shown: str) -> None:
    assert over_cap(size, cap) == shown


@pytest.mark.parametrize("over", [1, 1000, 2**19])
def test_every_capped_file_names_a_size_over_its_cap(
    data_dir: Path, tmp_path: Path, over: int
) -> None:
    """Reports (5 MiB) and collection files (20 MiB), one byte over and more."""
    report = tmp_path / "report.txt"
    with open(report, "wb") as out:
        out.truncate(MAX_REPORT_BYTES + over)
    collection = tmp_path / "c.json"
    with open(collection, "wb") as out:
        out.truncate(MAX_FILE_BYTES + over)
    for args, cap in ((["import", str(report)], MAX_REPORT_BYTES),
                      (["collection", "import", str(collection)], MAX_FILE_BYTES)):  # fmt: skip
        line = one_line_error(cli(data_dir, *args))
        assert over_cap(cap + over, cap) in line, line
        shown = line.split(" is ")[1].split(";")[0].split()
        value = float(shown[0].replace(",", "")) * (2**20 if shown[1] == "MiB" else 1)
        assert value > cap, line
