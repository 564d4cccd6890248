"""How items relate: 'more like this' (by wording and by the practice concepts two items share,
each saying which those are), and word overlap between two texts.

`word_overlap` is the one measure of how much two texts are about the same thing; it decides which
case-study section tells a practice's story at length (`account_section`, used by the reading pane
and the briefings alike) and which key-learning points and factors a briefing shows.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from safedesk.search.analysis import WORD, word_stems
from safedesk.search.concepts import Thesaurus
from safedesk.search.index import SearchIndex
from safedesk.views import CaseStudyInfo, PracticeInfo, RelatedHit, Section

CONCEPT_WEIGHT = 0.6  # what sharing concepts adds, against wording similarity (both out of 1)
MAX_SHARES = 4
ACCOUNT_THRESHOLD = 0.08  # below this overlap no section tells the story: the whole case study does
# Words every text in this field uses: they say nothing about which two texts belong together.
_COMMON = frozenset({
    "a", "an", "and", "the", "of", "in", "on", "for", "to", "with", "by", "from", "at", "as", "is",
    "are", "be", "or", "into", "about", "how", "what", "who", "their", "our", "its", "that", "this",
    "have", "been", "were", "which", "also", "local", "authority", "staff", "safeguarding",
    "services", "children",
})  # fmt: skip


def more_like(
    index: SearchIndex, key: str, limit: int = 5, thesaurus: Thesaurus | None = None
) -> list[RelatedHit]:
    """Practices most like the item `key`: Whoosh's key-term similarity, plus (with a
    `thesaurus`) the concepts both are about, rarer concepts counting for more."""
    from whoosh.query import Term

    from safedesk.search.browse import items_under
    from safedesk.search.highlight import Matched
    from safedesk.search.query import _hit

    searcher = index.searcher
    docnum = searcher.document_number(key=key)
    if docnum is None:
        return []
    stored = searcher.stored_fields(docnum)
    text = f"{stored['title']}\n{stored['title']}\n{stored['body']}"  # titles weigh double
    hits = searcher.more_like(
        docnum, "body", text=text, top=max(limit * 3, 15), numterms=25,
        filter=Term("kind", "practice"),
    )  # fmt: skip
    wording = {hit.docnum: hit for hit in hits if hit["key"] != key}
    docs = items_under(index, thesaurus) if thesaurus is not None else {}
    mine = {cid for cid, found in docs.items() if docnum in found}
    practice = set(searcher.docs_for_query(Term("kind", "practice"))) - {docnum}
    total = max(1, searcher.doc_count_all())

    def weight(cid: str) -> float:  # how telling sharing this concept is: rare ones more
        return math.log(total / max(1, len(docs[cid]))) / math.log(total + 1)

    shared: dict[int, list[str]] = {}
    for cid in mine:
        for other in docs[cid] & practice:
            shared.setdefault(other, []).append(cid)
    top_wording = max((hit.score for hit in wording.values()), default=0.0) or 1.0
    top_concepts = max((sum(map(weight, c)) for c in shared.values()), default=0.0) or 1.0

    def score(other: int) -> float:
        similar = wording[other].score / top_wording if other in wording else 0.0
        concepts = sum(map(weight, shared.get(other, []))) / top_concepts
        return similar + CONCEPT_WEIGHT * concepts

    best = sorted(set(wording) | set(shared), key=lambda d: (-score(d), d))[:limit]
    out: list[RelatedHit] = []
    for other in best:
        hit = _stored(searcher, other, wording.get(other))
        common = _most_specific(thesaurus, shared.get(other, []), weight)[:MAX_SHARES]
        base = _hit(hit, Matched())
        out.append(
            RelatedHit(
                **{**base.to_json(), "score": round(score(other), 4)},
                shares=[thesaurus.concepts[c].pref_label for c in common] if thesaurus else [],
            )
        )
    return out


def _most_specific(thesaurus: Thesaurus | None, ids: list[str], weight: Any) -> list[str]:
    """Shared concepts, rarest first, leaving out one that only stands above another in the list
    ("learning and development" when "reflective practice" is there)."""
    if thesaurus is None:
        return []
    listed = set(ids)
    above = {
        cid
        for cid in ids
        if any(
            d.id in listed and d.id != cid for d in thesaurus.descendants(thesaurus.concepts[cid])
        )
    }
    return sorted((c for c in ids if c not in above), key=lambda c: (-weight(c), c))


class _StoredHit(dict[str, Any]):
    """A stored document shaped like a Whoosh hit (for items found only by their concepts)."""

    def __init__(self, fields: dict[str, Any], docnum: int, score: float) -> None:
        super().__init__(fields)
        self.docnum = docnum
        self.score = score


def _stored(searcher: Any, docnum: int, hit: Any) -> Any:
    return hit if hit is not None else _StoredHit(searcher.stored_fields(docnum), docnum, 0.0)


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
