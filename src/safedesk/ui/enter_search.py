"""Enter on a half-typed word. While typing, the last word counts as unfinished ("management over"
finds "oversight"); Enter runs the full search, where it is a word of its own. When the user
presses Enter before finishing the word, the full search is worse: it finds fewer items with every
word than the typed results showed, fills up with items that have only some of them, and may
offer "did you mean" a word fragment. Then the typed results stay.

The rule: with no space after the last word, the typed results stay when they found something and
the full search has fewer results with every word than they have. A suggestion that is the start of
the word being typed ("over" for "overs") is never offered.
"""

from __future__ import annotations

from dataclasses import replace

from safedesk.views import SearchResult


def half_typed(text: str) -> bool:
    """True when the last word may be unfinished: no space after it."""
    return bool(text.strip()) and not text[-1].isspace()


def with_every_word(result: SearchResult) -> int:
    """How many results have every word. Those come first; when some listed hits lack a word,
    every one with all of them is listed before them."""
    if any(hit.lacks for hit in result.hits):
        return sum(1 for hit in result.hits if not hit.lacks)
    return result.total


def keep_typed(text: str, full: SearchResult, typed: SearchResult) -> bool:
    """Whether Enter on `text` should keep the typed (as-you-type) results over the full ones."""
    return half_typed(text) and typed.total > 0 and with_every_word(full) < typed.total


def fragment_suggestion(text: str, suggestion: str | None) -> bool:
    """A "did you mean" whose last word is only the start of the half-typed last word."""
    if not suggestion or not half_typed(text):
        return False
    typed_words, suggested = text.lower().split(), suggestion.lower().split()
    if not typed_words or not suggested:
        return False
    last, offered = typed_words[-1], suggested[-1]
    return offered != last and last.startswith(offered)


def after_enter(text: str, full: SearchResult, typed: SearchResult | None) -> SearchResult:
    """What Enter shows: the typed results when they are better, else the full search without a
    fragment for a suggestion."""
    if typed is not None and keep_typed(text, full, typed):
        return typed
    if fragment_suggestion(text, full.suggestion):
        return replace(full, suggestion=None)
    return full
