"""Find the acronyms a report defines, e.g. "senior management team (SMT)" or "the CAF (common
assessment framework)", by matching the acronym's letters to the initials of the words before it."""

from __future__ import annotations

import re

from safedesk.corpus.model import GlossaryEntry

# 2 to 12 letters, starting with a capital (`find_acronyms` wants two capitals or more). Bounded:
# an unbounded `[A-Z][A-Za-z]*[A-Z][A-Za-z]*?` tries a long run of capitals in every way (hours).
_ACRONYM = r"[A-Z][A-Za-z]{1,11}?"
_LONG_FORM = re.compile(rf"\(\s*({_ACRONYM})s?\s*\)")  # expansion (ACR)
_SHORT_FORM = re.compile(
    rf"\b({_ACRONYM})s?\s*[(\[]([a-z][^()\[\]]{{3,80}})[)\]]"
)  # ACR (expansion)
_SMALL_WORDS = {"and", "of", "the", "for", "in", "to", "on", "with", "at", "a", "an", "&"}
_WORD = re.compile(r"[A-Za-z][\w']*(?:-[A-Za-z][\w']*)*")


def _letters(acronym: str) -> str:
    return "".join(ch for ch in acronym if ch.isupper())


def _match_backwards(words: list[str], letters: str) -> list[str] | None:
    """Words from the end of `words` whose initials spell `letters` (small words may be skipped)."""
    taken: list[str] = []
    need = list(letters.lower())
    i = len(words) - 1
    while need and i >= 0:
        word = words[i]
        parts = [p for p in word.split("-") if p]
        initials = [p[0].lower() for p in parts]
        if len(initials) > 1 and need[-len(initials) :] == initials:
            del need[-len(initials) :]
        elif word[0].lower() == need[-1]:
            need.pop()
        elif word.lower() not in _SMALL_WORDS:
            return None
        taken.insert(0, word)
        i -= 1
    if need or not taken or taken[0].lower() in _SMALL_WORDS:
        return None
    return taken


def find_acronyms(text: str) -> list[GlossaryEntry]:
    """Every acronym the text defines, first definition wins, in order of first appearance."""
    found: dict[str, GlossaryEntry] = {}
    for m in _LONG_FORM.finditer(text):
        acronym = m.group(1)
        letters = _letters(acronym)
        if len(letters) < 2 or acronym in found:
            continue
        before = text[max(0, m.start() - 200) : m.start()]
        before = re.split(r"[.;:()\n]", before)[-1]
        spans = list(_WORD.finditer(before))
        taken = _match_backwards([w.group() for w in spans], letters)
        if taken:
            first = spans[len(spans) - len(taken)]
            expansion = " ".join(before[first.start() :].split())
            found[acronym] = GlossaryEntry(acronym, expansion)
    for m in _SHORT_FORM.finditer(text):
        acronym, inside = m.group(1), m.group(2).strip()
        letters = _letters(acronym)
        if len(letters) < 2 or acronym in found:
            continue
        words = _WORD.findall(inside)
        # the expansion's own words, read forwards, must spell the acronym
        if _match_backwards(words[: len(words)], letters) == words:
            found[acronym] = GlossaryEntry(acronym, " ".join(words))
    return list(found.values())
