"""Acronyms and their expansions: the curated glossary in resources/ plus what each report defines.

A query word is read as an acronym when it is written in capitals ("LAC", "NQSWs", "DfE"), or, in
lower case, when it is three letters or more and not an everyday English word ("lac", "camhs").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from safedesk.search.analysis import WORD, stem

# Lower-case forms that are ordinary words; typed in lower case they are searched as words.
EVERYDAY_WORDS = {
    "ad", "la", "da", "dv", "hv", "sn", "cp", "pa", "eh", "gp", "lg", "qa", "aces", "pep", "sen",
    "send", "ill", "sure", "dee", "cin", "nai", "its", "cse", "swe", "ico", "epo",
}  # fmt: skip


@dataclass
class Term:
    term: str
    expansions: list[str]  # the first is the preferred one
    description: str = ""
    sources: list[str] = field(default_factory=list)  # "glossary" and/or report keys


def _key(word: str) -> str:
    """Case-folded acronym with a plural 's' dropped: "NQSWs" -> "nqsw"."""
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        word = word[:-1]
    return word.casefold()


def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w.lower()) for w in WORD.findall(phrase.replace("-", " ")))


class Glossary:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = {_key(t.term): t for t in terms}
        self._phrases: dict[tuple[str, ...], Term] = {}
        for t in terms:
            for expansion in t.expansions:
                stems = _stems(expansion)
                if len(stems) >= 2:
                    self._phrases.setdefault(stems, t)
        self.longest_phrase = max((len(p) for p in self._phrases), default=0)

    @classmethod
    def load(cls, curated: Path | None, report_terms: list[tuple[str, str, str]]) -> Glossary:
        merged: dict[str, Term] = {}
        if curated is not None and curated.exists():
            data = json.loads(curated.read_text("utf-8"))
            for entry in data.get("terms", []):
                expansions = [entry["expansion"], *entry.get("alternatives", [])]
                expansions = [e for e in expansions if not e.isupper()]  # "CLA" is another acronym
                merged[_key(entry["term"])] = Term(
                    entry["term"], expansions, entry.get("description", ""), ["glossary"]
                )
        for report, term, expansion in report_terms:
            existing = merged.setdefault(_key(term), Term(term, [], "", []))
            if expansion.casefold() not in (e.casefold() for e in existing.expansions):
                existing.expansions.append(expansion)
            if report not in existing.sources:
                existing.sources.append(report)
        return cls([t for t in merged.values() if t.expansions])

    def acronym(self, word: str) -> Term | None:
        """The glossary entry if `word`, as typed, should be read as an acronym."""
        bare = word.strip("'\"")
        if len(bare) < 2 or not bare.isalpha():
            return None
        capitals = sum(1 for ch in bare if ch.isupper())
        if capitals >= 2 or (capitals == 1 and len(bare) == 1):
            return self.terms.get(_key(bare))
        if bare.islower() and len(bare) >= 3 and bare not in EVERYDAY_WORDS:
            return self.terms.get(_key(bare))
        return None

    def phrase_at(self, words: list[str], start: int) -> tuple[int, Term] | None:
        """The longest expansion that `words[start:]` begins with: (its length, the term)."""
        stems = [stem(w.lower()) for w in words[start : start + self.longest_phrase]]
        for length in range(len(stems), 1, -1):
            term = self._phrases.get(tuple(stems[:length]))
            if term is not None:
                return length, term
        return None
