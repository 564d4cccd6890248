"""How items relate: 'more like this' from the index, and word overlap between two texts.

`word_overlap` is the one measure of how much two texts are about the same thing; it decides which
case-study section tells a practice's story at length (`account_section`, used by the reading pane
and the briefings alike) and which key-learning points and factors a briefing shows.
"""

from __future__ import annotations

import functools
import re

from safedesk.search.analysis import WORD, word_stems
from safedesk.search.index import SearchIndex
from safedesk.views import CaseStudyInfo, PracticeInfo, SearchHit, Section

ACCOUNT_THRESHOLD = 0.08  # below this overlap no section tells the story: the whole case study does
# Words every text in this field uses: they say nothing about which two texts belong together.
_COMMON = frozenset({
    "a", "an", "and", "the", "of", "in", "on", "for", "to", "with", "by", "from", "at", "as", "is",
    "are", "be", "or", "into", "about", "how", "what", "who", "their", "our", "its", "that", "this",
    "have", "been", "were", "which", "also", "local", "authority", "staff", "safeguarding",
    "services", "children",
})  # fmt: skip


def more_like(index: SearchIndex, key: str, limit: int = 5) -> list[SearchHit]:
    from whoosh.query import Term

    from safedesk.search.query import _hit

    searcher = index.searcher
    docnum = searcher.document_number(key=key)
    if docnum is None:
        return []
    stored = searcher.stored_fields(docnum)
    text = f"{stored['title']}\n{stored['title']}\n{stored['body']}"  # titles weigh double
    hits = searcher.more_like(
        docnum, "body", text=text, top=limit + 1, numterms=25, filter=Term("kind", "practice")
    )
    return [_hit(hit) for hit in hits if hit["key"] != key][:limit]


@functools.lru_cache(maxsize=4096)
def content_stems(text: str) -> frozenset[str]:
    """The stems of the words in `text` that carry meaning (not the field's everyday words)."""
    return frozenset(
        s for w in WORD.findall(text) if w.lower() not in _COMMON and not re.fullmatch(r"\d+", w)
        for s in word_stems(w)
    )  # fmt: skip


def word_overlap(a: str, b: str) -> float:
    """How much two texts share their meaningful words: 0 (nothing) to 1 (the same words)."""
    wa, wb = content_stems(a), content_stems(b)
    return len(wa & wb) / (len(wa | wb) or 1)


def account_section(practice: PracticeInfo, study: CaseStudyInfo) -> Section | None:
    """The case-study section that tells `practice`'s story at length, or None if none stands
    out (then the case study as a whole is the fuller account)."""
    words = f"{practice.title}\n{practice.text}"
    scored = [(word_overlap(words, f"{s.title}\n{s.text}"), s) for s in study.sections if s.key]
    best = max(scored, key=lambda pair: pair[0], default=None)
    return best[1] if best is not None and best[0] >= ACCOUNT_THRESHOLD else None
