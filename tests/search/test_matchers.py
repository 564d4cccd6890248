"""The faster matchers (search.matchers) find the same documents with the same scores as
Whoosh's own, on a real multi-segment index and on one segment larger than an array part."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from whoosh import fields, query
from whoosh.filedb.filestore import RamStorage

from safedesk.library import Library
from safedesk.search.matchers import PART, KeptScores, kept_scores, sized
from tests.conftest import SECOND


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory: pytest.TempPathFactory, library_template: Path) -> Iterator[Any]:
    """The bundled report and a second one, imported after it: an index of two segments."""
    folder = tmp_path_factory.mktemp("matchers") / "data"
    shutil.copytree(library_template, folder)
    with Library.open(folder) as lib:
        lib.import_report(SECOND)
        yield lib


def ranked(searcher: Any, q: Any) -> list[tuple[int, float]]:
    return [(hit.docnum, hit.score) for hit in searcher.search(q, limit=None)]


def same(expected: list[tuple[int, float]], got: list[tuple[int, float]]) -> None:
    assert [doc for doc, _ in got] == [doc for doc, _ in expected]
    assert [score for _, score in got] == pytest.approx([score for _, score in expected])


def queries(index: Any) -> dict[str, Any]:
    every, some = index.parser(True), index.parser(False)
    return {
        "words": every.parse("supervision social workers"),
        "any word (scaled or)": some.parse("supervision trafficking airport"),
        "prefix": every.parse("staff rec*"),
        "phrase": every.parse('"management oversight"'),
        "exclusion": every.parse("recruitment -agency"),
        "phrases and words": every.parse('"social workers" "management oversight" OR audit'),
        "phrase in a scaled or": some.parse('"management oversight" supervision trafficking'),
        "excluded phrase": every.parse('supervision -"management oversight"'),
        "title-word prefix": query.And(
            [
                query.Or([query.Term("title", "staff", boost=2.0), query.Term("body", "staff")]),
                query.Prefix("title_words", "r"),
            ]
        ),
        "many words": query.Or(
            [
                query.Term(name, word, boost=boost)
                for word in ("work", "worker", "workforc", "support", "famili")
                for name, boost in (("title", 2.0), ("body", 1.0))
            ]
        ),
    }


def test_the_index_has_several_segments(two_reports: Library) -> None:
    assert len(two_reports.index.ensure().searcher.reader().leaf_readers()) >= 2


@pytest.mark.parametrize(
    "name",
    ["words", "any word (scaled or)", "prefix", "phrase", "exclusion", "phrases and words",
     "phrase in a scaled or", "excluded phrase", "title-word prefix", "many words"],
)  # fmt: skip
def test_same_documents_and_scores_as_whoosh(two_reports: Library, name: str) -> None:
    index = two_reports.index.ensure()
    q = queries(index)[name]
    expected = ranked(index.searcher, q)
    assert expected, "the query should find something in the two reports"
    kept = KeptScores(index.searcher)
    same(expected, ranked(index.searcher, sized(q)))
    same(expected, ranked(index.searcher, sized(q, kept)))  # reading and keeping the scores
    same(expected, ranked(index.searcher, sized(q, kept)))  # from what was kept
    assert str(sized(q, kept)) == str(q)  # the same query, read differently


def test_the_library_search_is_unchanged_by_kept_scores(two_reports: Library) -> None:
    """A search, then the same search with the kept scores dropped: the same hits."""
    index = two_reports.index.ensure()
    first = two_reports.search("staff retention supervision", limit=50)
    index.derived.pop("kept-scores", None)
    again = two_reports.search("staff retention supervision", limit=50)
    assert [(h.key, h.score) for h in first.hits] == [(h.key, h.score) for h in again.hits]
    assert first.total == again.total > 0


def test_kept_scores_stay_within_their_capacity(two_reports: Library) -> None:
    index = two_reports.index.ensure()
    q = queries(index)["many words"]
    expected = ranked(index.searcher, q)
    kept = KeptScores(index.searcher, capacity=300)
    for _ in range(3):
        same(expected, ranked(index.searcher, sized(q, kept)))
        assert kept.size <= 300


def test_kept_scores_are_dropped_when_the_index_changes(
    two_reports: Library, tmp_path: Path
) -> None:
    index = two_reports.index.ensure()
    before = kept_scores(index.derived, index.searcher)
    assert two_reports.search("zebrafish").total == 0
    edition = tmp_path / SECOND.name  # the second report again, edited: its items re-indexed
    edition.write_text(SECOND.read_text("utf-8").replace("Northfield", "Zebrafish Vale"), "utf-8")
    two_reports.import_report(edition)
    index = two_reports.index.ensure()
    assert kept_scores(index.derived, index.searcher) is not before
    assert two_reports.search("zebrafish").total > 0


def test_one_segment_larger_than_an_array_part() -> None:
    """A segment of more documents than one array part holds: read part by part, and counted
    without scores (Whoosh's all_ids keeps the array it was given)."""
    schema = fields.Schema(body=fields.TEXT)
    ix = RamStorage().create_index(schema)
    words = ["alpha", "beta", "gamma", "delta", "epsilon"]
    with ix.writer() as writer:
        for n in range(PART + 900):
            writer.add_document(body=" ".join(w for i, w in enumerate(words) if n % (i + 2) == 0))
    q = query.Or([query.Term("body", w) for w in ("alpha", "gamma", "epsilon")])
    with ix.searcher() as searcher:
        assert searcher.reader().is_atomic() and searcher.doc_count_all() > PART
        kept = KeptScores(searcher)
        same(ranked(searcher, q), ranked(searcher, sized(q, kept)))
        assert set(searcher.docs_for_query(sized(q, kept))) == set(searcher.docs_for_query(q))
