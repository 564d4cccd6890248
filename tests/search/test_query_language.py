"""The query language, acronyms, hyphens, related practices and search as you type."""

from __future__ import annotations

import threading
import time

import pytest

from safedesk.library import Library
from safedesk.search.glossary import Glossary, Term
from safedesk.search.querylang import parse
from safedesk.search.typeahead import LatestOnly
from tests.conftest import SECOND

BOX = "nfer-2011-safeguarding-children-council-developments/box-{}"
GLOSSARY = Glossary([Term("LAC", ["looked after children"]), Term("AD", ["Assistant Director"])])


def test_filters_are_taken_out_of_the_text() -> None:
    parsed = parse('police theme:partnership authority:"Authority D" kind:practice', GLOSSARY)
    assert parsed.filters == {
        "theme": ["partnership"],
        "authority": ["Authority D"],
        "kind": ["practice"],
    }
    assert parsed.whoosh == "police"


def test_an_empty_filter_is_ignored_with_a_note() -> None:
    parsed = parse("theme: police", GLOSSARY)
    assert parsed.filters == {} and parsed.whoosh == "police"
    assert "needs a value" in parsed.notes[0]


def test_acronyms_expand_both_ways_and_say_so() -> None:
    forward = parse("LAC placements", GLOSSARY)
    assert forward.expanded == [
        {"term": "LAC", "expansion": "looked after children", "relation": "acronym"}
    ]
    assert '"looked after children"' in forward.whoosh
    backward = parse("looked after children", GLOSSARY)
    assert backward.expanded and "lac" in backward.whoosh


def test_everyday_words_in_lower_case_are_not_acronyms() -> None:
    assert parse("ad hoc meetings", GLOSSARY).expanded == []
    assert parse("AD meetings", GLOSSARY).expanded[0]["term"] == "AD"


def test_prefixes_expand_to_a_bounded_set_of_library_words() -> None:
    vocabulary = ["supervise", "supervised", "supervision", "supervisor", "superb"]

    def complete(prefix: str, limit: int) -> list[str]:
        return [w for w in vocabulary if w.startswith(prefix)][:limit]

    assert parse("superv*", GLOSSARY, complete=complete).whoosh == (
        "(supervise OR supervised OR supervision OR supervisor)"
    )
    assert parse("re*", GLOSSARY, complete=complete).whoosh == '"re"'  # too short to expand


def test_a_prefix_that_stops_mid_word_still_finds_it(library: Library) -> None:
    # "supervisio" is no stem; it expands through the vocabulary to "supervision" (as a word:
    # prefixes do not name practice concepts, so compare with the word searched exactly)
    exact = library.search("supervision", exact=True).total
    assert library.search("supervisio*").total == exact > 0


@pytest.mark.parametrize(
    "text", ['"unbalanced', "(open", "close)", "AND", "OR OR", "NOT", "-", "*", "a:b:c", "\\", "'"]
)
def test_junk_never_produces_invalid_syntax(text: str) -> None:
    parsed = parse(text, GLOSSARY)
    assert parsed.whoosh.count('"') % 2 == 0
    assert parsed.whoosh.count("(") == parsed.whoosh.count(")")
    assert not parsed.whoosh.startswith(("AND", "OR")) and not parsed.whoosh.endswith(
        ("AND", "OR", "NOT")
    )


def test_stemming_meets_audit_audits_auditing(library: Library) -> None:
    totals = {w: library.search(w).total for w in ("audit", "audits", "auditing")}
    assert len(set(totals.values())) == 1 and totals["audit"] > 0


@pytest.mark.parametrize("query", ["co-location", "colocation", "co location"])
def test_hyphenated_words_are_found_with_or_without_the_hyphen(
    library: Library, query: str
) -> None:
    keys = [h.key for h in library.search(query, limit=50).hits]
    assert BOX.format(21) in keys  # "Co-locating of staff..."


def test_excluded_words_and_or(library: Library) -> None:
    with_police = {h.key for h in library.search("partnership", limit=100).hits}
    without = {h.key for h in library.search("partnership -police", limit=100).hits}
    assert BOX.format(18) in with_police and BOX.format(18) not in without and without < with_police
    either = library.search("airport OR forum", kind="practice").hits
    assert {BOX.format(20), BOX.format(2)} <= {h.key for h in either}


def test_phrases_match_words_in_order(library: Library) -> None:
    phrase = {h.key for h in library.search('"management oversight"', limit=100).hits}
    words = {h.key for h in library.search("management oversight", limit=100).hits}
    assert phrase and phrase <= words


def test_result_reports_the_expansions_it_used(library: Library) -> None:
    result = library.search("CAF")
    used = [(e["term"], e["expansion"].lower()) for e in result.expanded]
    assert ("CAF", "common assessment framework") in used


def test_report_defined_acronyms_join_the_glossary(library: Library) -> None:
    library.import_report(SECOND)  # defines ILACS, which the curated glossary also knows, and SIF
    glossary = library.glossary_index()
    assert glossary.acronym("SIF") is not None
    assert "single inspection framework" in glossary.acronym("SIF").expansions


def test_related_practices_for_a_box(library: Library) -> None:
    related = library.related(BOX.format(22), limit=3)
    keys = [h.key for h in related.related]
    assert BOX.format(22) not in keys and len(keys) == 3
    assert {BOX.format(21), BOX.format(23), BOX.format(24)} & set(keys)  # other referral boxes
    assert all(h.kind == "practice" for h in related.related)


def test_typing_finds_an_unfinished_word(library: Library) -> None:
    # "supervisio" is no stem of anything; the unstemmed prefix still finds "supervision"
    result = library.search_as_you_type("clinic supervisio")
    assert BOX.format(22) in [h.key for h in result.hits]


def test_one_or_two_letters_give_a_useful_few_not_everything(library: Library) -> None:
    everything = len(library.practices())
    for text in ("r", "re", "tr"):
        result = library.search_as_you_type(text)
        assert 0 < result.total < everything * 2, text
        first = text.lower()
        assert all(any(w.lower().startswith(first) for w in h.title.split()) for h in result.hits)


def test_typing_an_acronym_expands_it(library: Library) -> None:
    result = library.search_as_you_type("TAC")
    assert result.expanded and result.hits[0].key == BOX.format(24)


def test_latest_only_runs_no_stale_searches(library: Library) -> None:
    delivered: list[tuple[str, int]] = []
    started = threading.Event()

    def work(text: str) -> int:
        started.set()
        time.sleep(0.02)
        return library.search_as_you_type(text).total

    runner = LatestOnly(work, lambda text, total: delivered.append((text, total)))
    try:
        word = "reflective practice"
        for i in range(1, len(word) + 1):
            runner.submit(word[:i])
        assert runner.idle(10)
    finally:
        runner.close()
    assert started.is_set()
    assert runner.runs < len(word) // 2  # a burst of keystrokes does not queue up searches
    assert delivered[-1][0] == word  # the last text typed is the one whose results arrive
