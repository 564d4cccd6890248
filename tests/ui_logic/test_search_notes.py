"""The line under the search box and the rule for Enter on a half-typed word, on real searches of
the bundled library (Qt-free)."""

from __future__ import annotations

from safedesk.library import Library
from safedesk.ui.enter_search import after_enter, fragment_suggestion, keep_typed, with_every_word
from safedesk.ui.search_notes import SHOWN_TERMS, all_wordings, also_searched, search_notes


def test_the_line_names_synonyms_then_related_ideas(library: Library) -> None:
    result = library.search("supervision")
    synonyms = [e["expansion"] for e in result.expanded if e["relation"] == "synonym"]
    related = [e["expansion"] for e in result.expanded if e["relation"] == "related"]
    assert synonyms and related
    assert also_searched(result) == (
        f"Also searched for: {', '.join(synonyms)}; related ideas: {', '.join(related)}"
    )


def test_a_long_expansion_is_cut_short_on_the_line_and_whole_in_the_tooltip(
    library: Library,
) -> None:
    result = library.search("front door")
    wordings = [e["expansion"] for e in result.expanded]
    assert len(wordings) > SHOWN_TERMS
    line = also_searched(result)
    assert line.endswith(f" and {len(wordings) - SHOWN_TERMS} more")
    assert all(w in all_wordings(result) for w in wordings)
    assert wordings[-1] not in line


def test_acronyms_come_first_and_the_suggestion_last(library: Library) -> None:
    result = library.search("LAC")
    assert also_searched(result).startswith("Also searched for: LAC = looked after children, ")
    assert all_wordings(result).splitlines()[0] == "Acronyms: LAC = looked after children"
    misspelt = library.search("supervison")
    assert search_notes(misspelt).endswith("Did you mean: supervision?")
    assert search_notes(library.search("supervision", exact=True)) == ""
    assert search_notes(None) == ""


def test_enter_keeps_typed_results_only_when_they_are_better(library: Library) -> None:
    text = "management over"
    typed, full = library.search_as_you_type(text, limit=200), library.search(text, limit=200)
    assert full.total > typed.total > with_every_word(full)  # more results, fewer good ones
    assert keep_typed(text, full, typed) and after_enter(text, full, typed) is typed
    # a space after the last word says it is finished: Enter's full search is shown
    assert not keep_typed(text + " ", full, typed)
    finished = "multi-agency work"
    typed, full = library.search_as_you_type(finished, limit=200), library.search(finished, 200)
    assert with_every_word(full) >= typed.total and after_enter(finished, full, typed) is full


def test_a_fragment_is_never_suggested(library: Library) -> None:
    text = "management overs"
    full = library.search(text, limit=200)
    assert full.suggestion == "management over"  # the fragment the full search would offer
    assert fragment_suggestion(text, full.suggestion)
    assert after_enter(text, full, None).suggestion is None
    assert not fragment_suggestion("supervison", "supervision")
    assert not fragment_suggestion("management overs ", "management over")
