"""Queries answered from kept phrases (search.passage_scores) rank and count passages exactly as
FTS5 ranks and counts them: the same passages, the same scores, the same counts by report."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from safedesk.library import Library
from safedesk.search import passage_scores, passages
from safedesk.search.build import with_groups
from safedesk.search.passage_scores import Answer, KeptPassages, Shape, answerable
from safedesk.search.passages import BLOCK, RANK, PassageIndex, written
from safedesk.search.query import _whoosh_query
from safedesk.search.querylang import parse
from tests.conftest import FIXTURES

GUIDANCE_PDF = FIXTURES / "documents" / "neglect-guidance.pdf"
Blocks = list[tuple[int, int]] | None


@pytest.fixture(scope="module")
def lib(library_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The bundled report and a document's passages."""
    folder = tmp_path_factory.mktemp("passage-scores") / "data"
    shutil.copytree(library_template, folder)
    with Library.open(folder) as library:
        library.import_report(GUIDANCE_PDF)
        yield library


def _shape(lib: Library, text: str) -> tuple[str, tuple[object, ...], PassageIndex]:
    index = lib.ensure_index()
    parsed = parse(
        text, lib.glossary_index(), complete=index.completions, thesaurus=lib.thesaurus()
    )
    raw = _whoosh_query(index, parsed)[1]
    expression, shape = written(with_groups(raw, parsed.groups, "synonyms"))  # as searches do
    assert index.passages is not None
    return expression, shape, index.passages


def _by_fts(index: PassageIndex, expression: str) -> tuple[list[tuple[int, float]], dict[int, int]]:
    numbers = sorted(n for (n,) in index.conn.execute("SELECT n FROM report"))
    return index._by_fts(expression, None, numbers, 10_000)


def _ordered(best: list[tuple[int, float]]) -> list[tuple[int, float]]:
    return sorted(best, key=lambda rs: (-round(rs[1], 9), rs[0]))


QUERIES = [
    "neglect",  # one word
    "neglect assessment",  # all of two words
    "airport OR forum OR neglect",  # any of three
    '"graded care profile"',  # a phrase
    '"graded care profile" OR "early help"',  # any of two phrases
    "neglect (assessment OR referral)",  # all of a word and any of two
    "supervision",  # a practice concept: any of its wordings, phrases among them
    "multi-agency working neglect",  # a concept's wordings, and another word
    "early help",  # a concept named by a phrase
]


def _kept(index: PassageIndex, capacity: int = passage_scores.KEPT_ROWS) -> KeptPassages:
    def connect() -> sqlite3.Connection:
        uri = f"{index.path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return KeptPassages(connect, RANK, BLOCK, capacity)


def _answer(kept: KeptPassages, shape: Shape, blocks: Blocks, limit: int, broad: int) -> Answer:
    """The answer once the phrases are kept: a search reads those it lacks aside (a broad one
    then its phrases as headings)."""
    answer = kept.search(shape, blocks, limit, broad)
    for _ in range(2):
        if answer is None:
            kept.wait()
            answer = kept.search(shape, blocks, limit, broad)
    assert answer is not None, shape
    return answer


@pytest.mark.parametrize("broad", [10_000, 5])  # every match ranked; headings first
@pytest.mark.parametrize("text", QUERIES)
def test_kept_phrases_answer_as_fts5_does(
    lib: Library, text: str, broad: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(passages, "BROAD", broad)
    expression, shape, index = _shape(lib, text)
    expected_best, expected_counts = _by_fts(index, expression)
    assert expected_best, f"{text!r} should find passages"
    kept = _kept(index)
    try:
        assert kept.search(shape, None, 10_000, broad) is None  # not kept yet: read aside
        for _ in range(2):
            best, counts = _answer(kept, shape, None, 10_000, broad)
            assert counts == expected_counts
            got, want = _ordered(best), _ordered(expected_best)
            assert [r for r, _ in got] == [r for r, _ in want]
            assert [s for _, s in got] == pytest.approx([s for _, s in want])
    finally:
        kept.close()


def test_the_best_come_first_and_the_limit_holds(lib: Library) -> None:
    _expression, shape, index = _shape(lib, "neglect")
    kept = _kept(index)
    best, counts = _answer(kept, shape, None, 5, passages.BROAD)
    kept.close()
    assert len(best) == 5 < sum(counts.values())
    scores = [s for _, s in best]
    assert scores == sorted(scores, reverse=True)


def test_a_report_filter_keeps_to_its_passages(lib: Library) -> None:
    _expression, shape, index = _shape(lib, "neglect")
    numbers = dict(index.conn.execute("SELECT n, key FROM report"))
    kept = _kept(index)
    for n in numbers:
        block = (n << BLOCK, ((n + 1) << BLOCK) - 1)
        best, counts = _answer(kept, shape, [block], 1000, passages.BROAD)
        assert set(counts) <= {n} and all(block[0] <= r <= block[1] for r, _ in best)
    kept.close()


def test_what_is_not_answered_here(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    _expression, shape, index = _shape(lib, "neglect -assessment")
    kept = _kept(index)
    assert kept.search(shape, None, 10, passages.BROAD) is None  # NOT: FTS5's
    kept.wait()
    assert kept.search(shape, None, 10, passages.BROAD) is None
    _expression, shape, index = _shape(lib, "neglec")
    assert not answerable(("leaf", '"neglec" *'))  # an unfinished word
    monkeypatch.setattr(passage_scores, "MOST", 3)
    _expression, shape, index = _shape(lib, "neglect")
    assert kept.search(shape, None, 10, passages.BROAD) is None
    kept.wait()
    assert kept.search(shape, None, 10, passages.BROAD) is None  # in too many passages
    kept.close()


def test_what_is_kept_stays_within_its_capacity(lib: Library) -> None:
    index = lib.ensure_index().passages
    assert index is not None
    kept = _kept(index, capacity=50)
    for text in ("neglect", "assessment", "referral", "neglect assessment"):
        _expression, shape, _index = _shape(lib, text)
        _answer(kept, shape, None, 10, passages.BROAD)
        assert kept.size <= 50 or len(kept._kept) == 1
    kept.close()


def test_closing_stops_reading(lib: Library) -> None:
    _expression, shape, index = _shape(lib, "multi-agency working")
    kept = _kept(index)
    assert kept.search(shape, None, 10, passages.BROAD) is None  # reading aside begins
    kept.close()  # stops it where it stands (or after it ended), and closes its connection
    assert kept._reading is not None and kept._reading.done() and kept._conn is None
    before = kept.size
    kept.search(shape, None, 10, passages.BROAD)  # closed: nothing more is read
    kept.wait()
    assert kept.size == before and kept._conn is None


def test_the_library_search_gives_fts5s_passages(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's search (by FTS5 the first time, from kept phrases after) against FTS5."""
    monkeypatch.setattr(passages, "BROAD", 10_000)
    index = lib.ensure_index()
    assert index.passages is not None
    expression, _found_shape, _index = _shape(lib, "neglect")
    best, counts = _by_fts(index.passages, expression)
    keys = dict(index.passages.conn.execute("SELECT id, key FROM doc"))
    expected = [keys[r] for r, _s in _ordered(best)][:10]
    for _ in range(2):
        found = lib.search("neglect", kind="passage", limit=10)
        assert found.total == sum(counts.values()) > 10
        assert [h.key for h in found.hits] == expected
        index.passages._kept.wait()


def test_a_broad_querys_first_few_are_the_same_either_way(
    lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headings first, then the rest in order up to the limit, also when some of the first
    passages in order are among those ranked by heading (both ways fill up to the limit)."""
    monkeypatch.setattr(passages, "BROAD", 5)
    expression, shape, index = _shape(lib, "neglect")
    numbers = sorted(n for (n,) in index.conn.execute("SELECT n FROM report"))
    kept = _kept(index)
    for limit in (3, 8, 20):
        by_fts, _counts = index._by_fts(expression, None, numbers, limit)
        best, _counts = _answer(kept, shape, None, limit, 5)
        assert len(best) == len(by_fts) == limit
        got, want = _ordered(best), _ordered(by_fts)
        assert [r for r, _ in got] == [r for r, _ in want]
        assert [s for _, s in got] == pytest.approx([s for _, s in want])
    kept.close()
