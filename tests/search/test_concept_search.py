"""Search that knows the practice concepts, and results that explain themselves: the issue's
findings, what a result says it used and matched, totals, notes, filters-only queries, snippets."""

from __future__ import annotations

import pytest

from safedesk.library import Library
from safedesk.search.highlight import Matched, snippet
from tests.conftest import SECOND

BOX = "nfer-2011-safeguarding-children-council-developments/box-{}"


@pytest.fixture
def lib(reading_library: Library) -> Library:
    return reading_library


def boxes(result: object) -> list[int]:
    return [h.number for h in result.hits if h.kind == "practice"]  # type: ignore[attr-defined]


# -- the findings ---------------------------------------------------------------------
def test_supervision_finds_management_oversight_and_reflective_practice(lib: Library) -> None:
    found = boxes(lib.search("supervision", limit=50))
    assert {3, 9} <= set(found[:6])
    assert not {3, 9} & set(boxes(lib.search("supervision", limit=50, exact=True)))
    # boxes that say "supervision" come before those found through related concepts
    saying = {22, 13, 11, 10}
    assert max(found.index(b) for b in saying) < min(found.index(3), found.index(9))


@pytest.mark.parametrize("word", ["morale", "CPD", "burnout"])
def test_words_the_report_does_not_use_still_find_what_it_says(lib: Library, word: str) -> None:
    assert lib.search(word, exact=True).total == 0 or word == "morale"
    assert lib.search(word, exact=True).hits == [] or word == "morale"
    result = lib.search(word)
    assert result.total > 0 and boxes(result)
    assert any(e["relation"] in ("synonym", "related") for e in result.expanded)


def test_morale_finds_working_culture(lib: Library) -> None:
    result = lib.search("morale", limit=50)
    assert 6 in boxes(result)[:5]  # "Restructuring social care teams to enhance working culture"
    assert any(e["expansion"] == "working culture" for e in result.expanded)


def test_staff_retention_ranks_the_retention_boxes_first(lib: Library) -> None:
    found = boxes(lib.search("staff retention", limit=50))
    assert {7, 8} <= set(found)
    for kept in (7, 8):
        for other in (5, 1):
            assert other not in found or found.index(kept) < found.index(other), (kept, other)


def test_front_door_finds_all_four_referral_boxes(lib: Library) -> None:
    assert set(boxes(lib.search("front door", limit=50))[:6]) >= {21, 22, 23, 24}
    assert set(boxes(lib.search("front door", limit=50, exact=True))) & {22, 23, 24} == set()


# -- what a result says it used -----------------------------------------------------------------
def test_expanded_says_what_was_also_searched_and_why(lib: Library) -> None:
    used = lib.search("supervision").expanded
    by_relation = {e["relation"] for e in used}
    assert by_relation == {"synonym", "related"}
    assert all(set(e) == {"term", "expansion", "relation", "concept"} for e in used)
    related = {e["expansion"]: e["concept"] for e in used if e["relation"] == "related"}
    assert related["management oversight"] == "management-oversight"
    assert "reflective practice" in related
    assert all(e["term"] == "supervision" for e in used)


def test_acronym_entries_keep_their_shape(lib: Library) -> None:
    used = lib.search("CAF").expanded
    acronym = [e for e in used if e["relation"] == "acronym"]
    assert len(acronym) == 1 and set(acronym[0]) == {"term", "expansion", "relation"}
    assert (acronym[0]["term"], acronym[0]["expansion"].lower()) == (
        "CAF",
        "common assessment framework",
    )


def test_exact_switches_concepts_off_for_one_search(lib: Library) -> None:
    exact = lib.search("supervision", exact=True)
    assert exact.expanded == [] and exact.total < lib.search("supervision").total
    assert lib.search("supervision").expanded  # the next search expands again
    typing = lib.search_as_you_type("supervision clin", exact=True)
    assert typing.expanded == [] and BOX.format(22) in [h.key for h in typing.hits]


@pytest.mark.parametrize(
    "query", ["supervision", "staff retention", "front door", "NQSWs", "LAC", "audit of case files"]
)
def test_concepts_only_add_to_what_the_words_find(lib: Library, query: str) -> None:
    every_word = [h for h in lib.search(query, limit=1000, exact=True).hits if not h.lacks]
    exact = {h.key for h in every_word}
    expanded = {h.key for h in lib.search(query, limit=1000).hits}
    assert exact <= expanded


@pytest.mark.parametrize("exact", [True, False])
def test_acronym_plurals_and_singulars_meet(lib: Library, exact: bool) -> None:
    found = [
        {h.key for h in lib.search(q, limit=200, exact=exact).hits}
        for q in ("NQSW", "NQSWs", "nqsws")
    ]
    assert found[0] == found[1] == found[2] and BOX.format(11) in found[0]


# -- totals, notes, words a hit lacks ---------------------------------------------------------
@pytest.mark.parametrize("exact", [True, False])
@pytest.mark.parametrize("query", ["management oversight", "staff retention", "police schools"])
def test_total_does_not_depend_on_limit(lib: Library, query: str, exact: bool) -> None:
    totals = {lib.search(query, limit=n, exact=exact).total for n in (1, 3, 20, 100, 1000)}
    assert len(totals) == 1
    everything = lib.search(query, limit=1000, exact=exact)
    assert everything.total == len(everything.hits)


def test_hits_with_only_some_words_say_so_and_say_which(lib: Library) -> None:
    result = lib.search("management oversight", limit=1000, exact=True)
    whole = [h for h in result.hits if not h.lacks]
    some = [h for h in result.hits if h.lacks]
    assert whole and some and result.hits[: len(whole)] == whole  # every word ranks first
    assert result.note and f"{len(whole)} results have every word" in result.note
    assert f"{len(some)} more have only some" in result.note
    for hit in some:
        assert hit.lacks in (["management"], ["oversight"])
        text = lib.get(hit.key).to_json()
        missing = hit.lacks[0][:6]  # "manage", "oversi": no form of the word is in the item
        assert missing not in f"{text.get('title', '')} {text.get('text', '')}".lower()


def test_a_search_with_every_word_found_often_adds_nothing_and_notes_nothing(
    lib: Library,
) -> None:
    result = lib.search("social workers", limit=5, exact=True)
    assert result.total >= 20  # enough results have both words: none with one is added
    assert result.note is None and all(h.lacks == [] for h in result.hits)


# -- filters only, unknown kinds and fields -----------------------------------------------------
def test_filters_alone_list_what_they_select(lib: Library) -> None:
    result = lib.search("theme:partnership kind:practice", limit=50)
    assert [h.key for h in result.hits] == [BOX.format(n) for n in (16, 17, 18, 19, 20)]
    assert result.total == 5 and result.note and "filters select" in result.note
    assert result.facets["kind"] == {"practice": 5}
    by_argument = lib.search("", theme="3.4", kind="practice", limit=50)
    assert [h.key for h in by_argument.hits] == [h.key for h in result.hits]
    everything_in_theme = lib.search("theme:3.4", limit=3)
    assert everything_in_theme.total > 5 and boxes(everything_in_theme) == [16, 17, 18]
    assert lib.search("").note == "Type some words to search."


def test_an_unknown_kind_is_named_with_the_valid_ones(lib: Library) -> None:
    result = lib.search("supervision kind:foo")
    assert result.total == 0 and result.note
    assert "'foo'" in result.note and "practice, finding, section" in result.note
    mixed = lib.search("supervision kind:foo,practice")
    assert mixed.total == 0  # "foo,practice" is one value, not two: still unknown
    by_argument = lib.search("supervision", kind="practice,foo")
    assert by_argument.total > 0 and by_argument.note and "'foo'" in by_argument.note
    assert all(h.kind == "practice" for h in by_argument.hits)


def test_an_unknown_field_is_named_and_its_words_searched(lib: Library) -> None:
    result = lib.search("title:supervision", exact=True)
    assert result.note and "'title:' is not a filter" in result.note
    assert "theme:, authority:, report:, kind:" in result.note
    assert result.total == lib.search("supervision", exact=True).total
    assert "not a filter" not in (lib.search("http://example.org supervision").note or "")


# -- matched, phrases and snippets --------------------------------------------------------------
def test_while_typing_the_snippet_shows_the_typed_words(lib: Library) -> None:
    first = lib.search_as_you_type("reflective practice").hits[0]
    assert first.key == BOX.format(9) and "[reflective" in first.snippet


def test_the_result_carries_what_it_matched(lib: Library) -> None:
    phrase = lib.search('"management oversight"')
    assert phrase.matched == {"stems": [], "prefixes": [], "phrases": [["manag", "oversight"]]}
    concept = lib.search("supervision clinic")
    assert {"supervis", "clinic", "oversight"} <= set(concept.matched["stems"])
    assert ["reflect", "practic"] in concept.matched["phrases"]
    typing = lib.search_as_you_type("supervision tr")
    assert typing.matched["prefixes"] == ["tr"] or "tr" not in typing.matched["stems"]


def test_a_phrase_is_marked_whole_and_only_where_it_stands(lib: Library) -> None:
    hits = lib.search('"management oversight"', limit=50).hits
    assert hits and all("[management oversight]" in h.snippet for h in hits if h.snippet)
    assert not any("[management]" in h.snippet for h in hits)


def test_the_snippet_shows_where_the_match_is(lib: Library) -> None:
    for query in ('"management oversight"', "trafficking airport", "supervision clinic"):
        for hit in lib.search(query, limit=30).hits:
            text = lib.get(hit.key).to_json().get("text", "")
            if text and "[" not in hit.snippet:  # only a match in the title leaves no mark
                assert not set(query.strip('"').split()) & set(text.lower().split()), hit.key


def test_snippets_prefer_what_was_typed_over_related_wordings() -> None:
    text = ("Managers check supervision records. " + "filler words here. " * 20
            + "Group sessions on reflective practice and supervision clinic meetings.")  # fmt: skip
    marks = Matched({"supervis", "clinic", "reflect"}, [], [("reflect", "practic")])
    typed = Matched({"supervis", "clinic"})
    shown = snippet(text, marks, width=80, prefer=[typed])
    assert "[supervision] [clinic]" in shown and "[reflective practice]" in shown


# -- the second report ---------------------------------------------------------------------------
def test_concepts_work_on_another_report(library: Library) -> None:
    library.import_report(SECOND)
    front = library.search("front door", report="early help", kind="practice", limit=20)
    # "a single front door" first, then "the threshold", "re-referrals", "referral"
    assert [h.number for h in front.hits][:1] == [2] and len(front.hits) > 1
    assert front.expanded == library.search("front door").expanded
    voice = library.search("voice of the child", report="early help", kind="practice", limit=20)
    assert 11 in [h.number for h in voice.hits]  # "independent advocacy for children"
    exact = library.search("voice of the child", report="early help", kind="practice", exact=True)
    assert 11 not in [h.number for h in exact.hits if not h.lacks]
