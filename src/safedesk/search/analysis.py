"""How text becomes index terms.

Words keep their hyphens through tokenizing, then Whoosh's IntraWordFilter emits the parts *and* the
merged word ("co-location" -> co, location, colocation), so a search finds it written either way.
Title and body are stemmed ("audits", "auditing" -> audit); an unstemmed copy serves typing, where a
word is still unfinished and a stem would not match its prefix. Snowball leaves plurals of acronyms
alone ("NQSWs", "nqsws"), so those lose their "s" first: capitals followed by an "s", and lower-case
words of four letters or more with no vowel before a final "s".
"""

from __future__ import annotations

import functools
import re
from typing import Any

TOKEN_PATTERN = r"\w+(?:[-‐]\w+)*"
WORD = re.compile(TOKEN_PATTERN)
ACRONYM_PLURAL = r"^([A-Z]{2,})s$"  # "NQSWs" -> "NQSW" (before lower-casing)
VOWELLESS_PLURAL = r"^([b-df-hj-np-tv-z]{3,})s$"  # "nqsws" -> "nqsw" (after it)
_ACRONYM_PLURAL = re.compile(ACRONYM_PLURAL)
_VOWELLESS_PLURAL = re.compile(VOWELLESS_PLURAL)
# Function words are not required to match unless quoted ("parents with mental health issues"),
# and are left out when a query's words are compared with a concept's labels.
FUNCTION_WORDS = frozenset({
    "a", "an", "and", "the", "of", "in", "on", "for", "to", "with", "by", "from", "at", "as", "is",
    "are", "be", "or", "into", "about", "how", "what", "who", "their", "our", "its",
})  # fmt: skip


def _base() -> Any:
    from whoosh.analysis import (
        IntraWordFilter,
        LowercaseFilter,
        RegexTokenizer,
        SubstitutionFilter,
    )

    # splitnums=True only because whoosh-reloaded 2.7.5 fails with both split options off
    # ('IntraWordFilter' object has no attribute 'boundary'); splitting "Y2K" is harmless here.
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | IntraWordFilter(splitwords=False, splitnums=True, mergewords=True, mergenums=True)
        | SubstitutionFilter(ACRONYM_PLURAL, r"\1")
        | LowercaseFilter()
        | SubstitutionFilter(VOWELLESS_PLURAL, r"\1")
    )


def stemming_analyzer() -> Any:
    from whoosh.analysis import StemFilter

    return _base() | StemFilter(lang="en")  # Snowball English: "co-locating" and "co-location" meet


def plain_analyzer() -> Any:
    return _base()


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The index's stem for one lower-case word (memoised: the corpus vocabulary is small)."""
    return str(_snowball()(_VOWELLESS_PLURAL.sub(r"\1", word)))


@functools.lru_cache(maxsize=1)
def _snowball() -> Any:
    from whoosh.lang.snowball.english import EnglishStemmer

    return EnglishStemmer().stem


def word_forms(word: str) -> set[str]:
    """A word in lower case as the index splits it: "Co-location" -> co, location, colocation."""
    parts = [p for p in re.split(r"[-‐]", word.lower()) if p]
    return {*parts, "".join(parts)} if parts else set()


@functools.lru_cache(maxsize=65536)
def word_stems(word: str) -> frozenset[str]:
    """Every stem a (possibly hyphenated) word is indexed under (and the word itself)."""
    forms = word_forms("-".join(_ACRONYM_PLURAL.sub(r"\1", p) for p in re.split(r"[-‐]", word)))
    return frozenset({stem(form) for form in forms} | {word.lower()})
