"""Case 1: the search index damaged while safedesk is closed (beyond tests/search, which deletes
it, empties its files or fills them with garbage): the next open rebuilds it, search works, and
nothing else is touched."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import StructFile

from safedesk.library import Library
from safedesk.search.index import STAMP_NAME, _digests
from tests.reliability.conftest import B, user_rows

BOX_9 = B + "box-9"


def _damage(index: Path, how: str) -> None:
    rng = random.Random(how)
    files = sorted(p for p in index.iterdir() if p.is_file())
    if how == "half-truncated":
        for f in files:
            f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    elif how == "bytes-in-the-middle":  # same size, Whoosh opens it, searching reads garbage
        seg = next(f for f in files if f.suffix == ".seg")
        data = bytearray(seg.read_bytes())
        start = len(data) // 3
        data[start : start + 64] = rng.randbytes(64)
        seg.write_bytes(bytes(data))
    elif how == "all-random":
        for f in files:
            f.write_bytes(rng.randbytes(max(1, f.stat().st_size)))
    elif how == "stamp-and-vocabulary-garbage":
        (index / "safedesk-stamp.json").write_bytes(b"\xff{not json")
        (index / "vocabulary.json").write_text("[1, 2")
    elif how == "a-file-not-a-folder":
        shutil.rmtree(index)
        index.write_bytes(b"junk")


@pytest.mark.parametrize(
    "how",
    [
        "half-truncated",
        "bytes-in-the-middle",
        "all-random",
        "stamp-and-vocabulary-garbage",
        "a-file-not-a-folder",
    ],
)
def test_damaged_index_is_rebuilt_and_user_data_is_untouched(data_dir: Path, how: str) -> None:
    with Library.open(data_dir) as lib:
        lib.bookmark(BOX_9, note="mine")
        lib.add_example("Weekly huddles", theme="3.4", text="Huddles with police colleagues.")
        expected = [h.key for h in lib.search("reflective practice").hits]
        total = lib.search("huddles").total
    before = user_rows(data_dir / "library.sqlite3")
    _damage(data_dir / "index", how)
    messages: list[str] = []
    with Library.open(data_dir) as lib:
        lib.ensure_index(progress=lambda message, _f: messages.append(message))
        assert "Indexing for search" in messages  # rebuilt (the GUI shows this as progress)
        assert [h.key for h in lib.search("reflective practice").hits] == expected
        assert lib.search("huddles").total == total == 1
        assert lib.related(BOX_9).related
        doctor = lib.doctor()
        assert doctor.healthy, doctor.text()
    assert user_rows(data_dir / "library.sqlite3") == before


def _postings_span(segment: Path) -> tuple[int, int]:
    """Where the postings lie in a Whoosh segment file: opening the index reads its other parts
    (terms, stored fields), whose order in the file changes from run to run."""
    with segment.open("rb") as raw:
        storage = CompoundStorage(StructFile(raw), use_mmap=False)
        spans = {name: (entry["offset"], entry["length"]) for name, entry in storage._dir.items()}
    return next(span for name, span in spans.items() if name.endswith(".pst"))


def test_damage_the_fingerprints_miss_is_caught_by_searching(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Garbage that was fingerprinted as it is (damaged before the stamp was written): Whoosh
    fails while searching; safedesk rebuilds once and answers."""
    with Library.open(data_dir) as lib:
        expected = [h.key for h in lib.search("supervision").hits]
    index = data_dir / "index"
    seg = next(index.glob("*.seg"))
    offset, length = _postings_span(seg)
    data = bytearray(seg.read_bytes())
    for start in range(offset + length // 10, offset + length * 9 // 10, 256):
        data[start : start + 16] = random.Random(start).randbytes(16)
    seg.write_bytes(bytes(data))
    stamp = json.loads((index / STAMP_NAME).read_text())
    stamp["files"] = _digests(index)
    (index / STAMP_NAME).write_text(json.dumps(stamp))
    with Library.open(data_dir) as lib:
        assert [h.key for h in lib.search("supervision").hits] == expected
        assert lib.doctor().healthy
    assert "rebuilding the index" in caplog.text  # Whoosh really failed on the garbage
