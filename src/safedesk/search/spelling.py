"""'Did you mean': corrections drawn from the library's own vocabulary.

Edit distances come from RapidFuzz (Damerau-Levenshtein, in C++), so checking a word against the
whole vocabulary takes well under a millisecond.
"""

from __future__ import annotations

from typing import Any

MIN_WORD = 4


class Speller:
    def __init__(self, vocabulary: dict[str, int]) -> None:
        self.counts = vocabulary
        self.words = [w for w in vocabulary if w.isalpha() and len(w) >= 3]

    def correct(self, word: str) -> str | None:
        """A likely intended word, or None if `word` is known, short, or nothing is close."""
        lower = word.lower()
        if len(lower) < MIN_WORD or not lower.isalpha() or lower in self.counts:
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        limit = 1 if len(lower) <= 5 else 2
        found: list[Any] = process.extract(
            lower, self.words, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=20
        )
        if not found:
            return None
        best = min(found, key=lambda m: (m[1], -self.counts.get(m[0], 0), m[0]))
        return str(best[0])

    def suggest(self, query: str, words: list[str]) -> str | None:
        """The query with each misspelt plain word replaced, or None if nothing changes."""
        changed = query
        for word in dict.fromkeys(words):
            fixed = self.correct(word)
            if fixed:
                changed = _replace_word(changed, word, fixed)
        return changed if changed != query else None


def _replace_word(text: str, old: str, new: str) -> str:
    import re

    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, text, count=1)
