"""Whoosh query objects built from stems, for what the query parser is not asked to parse: the
wordings of practice concepts.

A concept clause reaches the parser as one placeholder word (`querylang.placeholder`); after
parsing, `with_groups` puts in its place a `concept_query` over the typed words and the concept's
labels, then (at RELATED_WEIGHT, only for items with none of those) the related labels. Scoring
by the best wording rather than the sum keeps an item that happens to use many wordings from
outranking one that has what was typed.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from safedesk.search.concepts import RELATED_WEIGHT
from safedesk.search.index import TITLE_BOOST
from safedesk.search.querylang import ConceptGroup

FIELDS = ("title", "body")
TIEBREAK = 0.1  # how much the other alternatives a document also has add to the best one


def wording(stems: tuple[str, ...]) -> Any:
    """One wording in a title or body: a word, or the words in this order."""
    from whoosh.query import Or, Phrase, Term

    boosts = {"title": TITLE_BOOST}
    if len(stems) == 1:
        q = Or([Term(name, stems[0], boost=boosts.get(name, 1.0)) for name in FIELDS])
    else:
        q = Or([Phrase(name, list(stems), boost=boosts.get(name, 1.0)) for name in FIELDS])
    q.safedesk_key = "w:" + " ".join(stems)  # what the postings cache knows it by
    return q


def any_of(wordings: Iterable[tuple[str, ...]]) -> Any:
    from whoosh.query import NullQuery, Or

    parts = [wording(stems) for stems in wordings if stems]
    return Or(parts) if parts else NullQuery


def concept_query(first: list[Any], fallback: Sequence[Any] = (), key: str = "") -> Any:
    """Documents matching any of `first` or `fallback`: scored by the best of `first` (plus
    TIEBREAK times the others), or where none of `first` matches, by RELATED_WEIGHT times the
    best of `fallback`. `key` names the clause for the cache (by default, its text)."""
    return _concept_query_class()([*first, *fallback], first=len(first), key=key)


# Each index segment's searcher -> a wording or clause (by its key) -> its documents and
# scores. A wording's score for a document does not depend on the rest of the query, so a
# concept's dozens of wordings are read from the index once per open index, not every search.
Sequences = tuple[Sequence[int], Sequence[float]]  # document numbers and their scores
_POSTINGS: weakref.WeakKeyDictionary[Any, dict[str, Sequences]] = weakref.WeakKeyDictionary()


def _postings(searcher: Any, q: Any) -> Sequences:
    from safedesk.search.matchers import drained

    cache = _POSTINGS.setdefault(searcher, {})
    key = getattr(q, "safedesk_key", None) or str(q)
    if key not in cache:
        cache[key] = drained(q.matcher(searcher, searcher.context()))
    return cache[key]


def _best(searcher: Any, subqueries: Sequence[Any], first: int, key: str) -> Sequences:
    """The documents of a concept clause and their scores (see `concept_query`)."""
    cache = _POSTINGS.setdefault(searcher, {})
    if key in cache:
        return cache[key]
    best: dict[int, float] = {}
    total: dict[int, float] = {}
    weaker: dict[int, float] = {}
    for k, q in enumerate(subqueries):
        ids, scores = _postings(searcher, q)
        if k < first:
            for doc, score in zip(ids, scores, strict=True):
                total[doc] = total.get(doc, 0.0) + score
                if score > best.get(doc, 0.0):
                    best[doc] = score
        else:
            for doc, score in zip(ids, scores, strict=True):
                if score * RELATED_WEIGHT > weaker.get(doc, 0.0):
                    weaker[doc] = score * RELATED_WEIGHT
    docs = sorted(best.keys() | weaker.keys())
    found = [
        best[d] + TIEBREAK * (total[d] - best[d] + weaker.get(d, 0.0)) if d in best else weaker[d]
        for d in docs
    ]
    cache[key] = (docs, found)
    return docs, found


_DOCS: weakref.WeakKeyDictionary[Any, dict[str, frozenset[int]]] = weakref.WeakKeyDictionary()
_SIZES: weakref.WeakKeyDictionary[Any, dict[str, int]] = weakref.WeakKeyDictionary()


def group_docs(searcher: Any, group: ConceptGroup, level: str) -> frozenset[int]:
    """The document numbers a concept clause matches at `level` (see `group_query`), across
    the index's segments (kept with the searcher)."""
    cache = _DOCS.setdefault(searcher, {})
    q = group_query(group, level)
    if q.key not in cache:
        found: set[int] = set()
        for leaf, offset in searcher.leaf_searchers():
            ids, _scores = _best(leaf, q.subqueries, q.first, q.key)
            found.update(doc + offset for doc in ids)
        cache[q.key] = frozenset(found)
    return cache[q.key]


@functools.lru_cache(maxsize=1)
def _concept_query_class() -> Any:
    """Defined on first use, so that importing this module does not import Whoosh."""
    from whoosh.matching import ListMatcher, NullMatcher
    from whoosh.query import CompoundQuery

    class ConceptQuery(CompoundQuery):  # type: ignore[misc, unused-ignore]  # (strict)
        JOINT = " BEST "
        reads_own_postings = True  # from _best's cache: search.matchers leaves it as it is

        def __init__(
            self, subqueries: list[Any], boost: float = 1.0, first: int = 0, key: str = ""
        ) -> None:
            super().__init__(subqueries, boost=boost)
            self.first = first or len(subqueries)
            self.key = key or f"{self.first}:" + " | ".join(str(q) for q in subqueries)

        def __unicode__(self) -> str:
            return f"BEST{self.first}({' | '.join(str(q) for q in self.subqueries)})"

        __str__ = __unicode__

        def apply(self, fn: Any) -> Any:
            subqueries = [fn(q) for q in self.subqueries]
            return ConceptQuery(subqueries, self.boost, self.first, self.key)

        def estimate_size(self, ixreader: Any) -> int:
            sizes = _SIZES.setdefault(ixreader, {})
            if self.key not in sizes:
                sizes[self.key] = sum(q.estimate_size(ixreader) for q in self.subqueries)
            return sizes[self.key]

        def normalize(self) -> Any:
            return self

        def matcher(self, searcher: Any, context: Any = None) -> Any:
            ids, scores = _best(searcher, self.subqueries, self.first, self.key)
            if self.boost != 1.0:
                scores = [score * self.boost for score in scores]
            return ListMatcher(ids, weights=scores) if ids else NullMatcher()

    return ConceptQuery


@functools.lru_cache(maxsize=512)
def group_query(group: ConceptGroup, level: str = "all") -> Any:
    """A concept clause: the best of its alternatives; with `level` "synonyms" only what was
    typed and its synonyms, with "typed" only what was typed (to tell hits apart). Made once per
    clause (it depends on nothing else; a search copies what it changes): each keystroke after
    a concept's word asks for the same clause again."""
    from whoosh.query import And, Or

    typed = [Or([wording(form) for form in forms]) for forms in group.typed if forms]
    loose: list[Any] = []  # the typed words apart from one another: as weak as related labels
    if len(typed) == 1:
        options: list[Any] = typed
    else:
        options = [wording(group.phrase)] if group.phrase else []
        loose = [And(typed)] if typed else []
    key = f"{level}:{group!r}"
    if level == "typed":
        return concept_query(options, key=key)
    options += [wording(stems) for stems in group.synonyms]
    if level != "all":
        return concept_query(options, key=key)
    return concept_query(options, loose + [wording(stems) for stems in group.related], key=key)


def with_groups(q: Any, groups: Mapping[str, ConceptGroup], level: str = "all") -> Any:
    """`q` with each concept placeholder replaced by its group's query (see `group_query`)."""
    if not groups:
        return q
    built: dict[str, Any] = {}

    def placeholder_of(node: Any) -> str | None:
        from whoosh.query import Term

        leaves = [node] if isinstance(node, Term) else list(node.children())
        if not leaves or not all(isinstance(leaf, Term) for leaf in leaves):
            return None
        texts = {str(leaf.text) for leaf in leaves}
        text = texts.pop() if len(texts) == 1 else None
        return text if text in groups else None

    def swap(node: Any) -> Any:
        from whoosh.query import Or, Term

        if isinstance(node, Term | Or):
            word = placeholder_of(node)
            if word is not None:
                if word not in built:
                    built[word] = group_query(groups[word], level)
                clause = built[word]
                if node.boost != 1.0:  # a boost typed on the words: (supervision)^2
                    clause = type(clause)(clause.subqueries, node.boost, clause.first, clause.key)
                return clause
        return node.apply(swap) if not node.is_leaf() else node

    return swap(q)
