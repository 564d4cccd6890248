"""Search over the bundled report: hits, filters, snippets, facets, bad input, index recovery."""

from __future__ import annotations

import shutil

import pytest

from safedesk.library import Library

BOX = "nfer-2011-safeguarding-children-council-developments/box-{}"


def test_reflective_practice_finds_box_9_first(library: Library) -> None:
    result = library.search("reflective practice")
    assert result.hits[0].key == BOX.format(9)
    assert result.hits[0].kind == "practice"
    assert result.hits[0].authority == "Authority D"
    assert "[reflective practice]" in result.hits[0].snippet.lower()  # a phrase is marked whole
    assert result.total >= len(result.hits)


def test_hits_cover_every_kind_of_content(library: Library) -> None:
    kinds = {h.kind for h in library.search("safeguarding", limit=200).hits}
    assert {"practice", "finding", "section", "factor", "barrier", "key-learning"} <= kinds


def test_filters_by_theme_authority_and_kind(library: Library) -> None:
    by_theme = library.search("staff", theme="3.2", limit=50)
    assert by_theme.hits and all(h.theme.startswith("Recruiting") for h in by_theme.hits)
    by_authority = library.search("staff", authority="Authority B", limit=50)
    assert by_authority.hits and all(h.authority == "Authority B" for h in by_authority.hits)
    by_kind = library.search("staff", kind="practice", limit=50)
    assert by_kind.hits and all(h.kind == "practice" for h in by_kind.hits)


def test_facets_count_the_whole_result(library: Library) -> None:
    result = library.search("supervision", limit=3)
    assert sum(result.facets["kind"].values()) == result.total
    assert len(result.hits) == 3 < result.total


def test_an_unknown_filter_gives_an_empty_result_that_says_why(library: Library) -> None:
    result = library.search("staff", theme="astronomy")
    assert (result.total, result.hits) == (0, [])
    assert result.note and "no theme matches 'astronomy'" in result.note
    typed = library.search("staff theme:astronomy")
    assert typed.total == 0 and typed.note and "No theme matches 'astronomy'" in typed.note


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "(open",
        "AND",
        "-",
        "*",
        "theme:",
        "🙂 🧒",
        "\x00\x07 bell",
        "x" * 10_000,
        "OR OR",
        "",
    ],
)
def test_bad_input_never_crashes(library: Library, query: str) -> None:
    result = library.search(query)
    assert result.total >= 0
    assert result.total > 0 or result.note


def test_a_long_query_is_shortened_and_says_so(library: Library) -> None:
    result = library.search("supervision " * 2000)
    assert result.note and "shortened" in result.note


def _index_files(library: Library) -> list:
    return [p for p in (library.data_dir / "index").iterdir() if p.suffix in (".seg", ".toc")]


@pytest.mark.parametrize("damage", ["delete", "truncate", "garbage", "stale"])
def test_a_missing_or_damaged_index_is_rebuilt(data_dir, damage: str) -> None:
    index = data_dir / "index"
    if damage == "delete":
        shutil.rmtree(index)
    elif damage == "stale":
        (index / "safedesk-stamp.json").write_text('{"schema": 0, "generation": 1}')
    else:
        for f in index.iterdir():
            if f.name.endswith((".seg", ".toc")):
                f.write_bytes(b"" if damage == "truncate" else b"\x8f\x00garbage" * 100)
    with Library.open(data_dir) as lib:
        assert lib.search("reflective practice").hits[0].key == BOX.format(9)


@pytest.mark.parametrize(
    "query",
    [
        "supervision",
        "LAC",
        "co-location",
        "partnership -police",
        "superv*",
        "team around the child",
    ],
)
def test_total_counts_exactly_the_documents_that_match(library: Library, query: str) -> None:
    everything = library.search(query, limit=10_000)
    assert everything.total == len(everything.hits) == len({h.key for h in everything.hits})
    assert library.search(query, limit=3).total == everything.total
    assert sum(everything.facets["kind"].values()) == everything.total
