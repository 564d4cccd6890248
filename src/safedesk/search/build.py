"""Whoosh query objects built from stems, for what the query parser is not asked to parse: the
wordings of practice concepts.

A concept clause reaches the parser as one placeholder word (`querylang.placeholder`); after
parsing, `with_groups` puts in its place a `DisjunctionMax` over the typed words, the concept's
labels and (boosted down) the related labels. Scoring by the best alternative rather than their
sum keeps an item that happens to use many related wordings from outranking one that has what
was typed. (Whoosh's own DisjunctionMax scores a document with the best score of sub-matchers
that may stand on other documents, and ignores its tiebreak; `best_of` does neither.)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
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
        return Or([Term(name, stems[0], boost=boosts.get(name, 1.0)) for name in FIELDS])
    return Or([Phrase(name, list(stems), boost=boosts.get(name, 1.0)) for name in FIELDS])


def any_of(wordings: Iterable[tuple[str, ...]]) -> Any:
    from whoosh.query import NullQuery, Or

    parts = [wording(stems) for stems in wordings if stems]
    return Or(parts) if parts else NullQuery


def best_of(subqueries: list[Any], boost: float = 1.0, tiebreak: float = TIEBREAK) -> Any:
    """Documents matching any of `subqueries`, scored by the best of them (plus `tiebreak` times
    the others)."""
    return _classes()[0](subqueries, boost=boost, tiebreak=tiebreak)


def prefer(first: Any, fallback: Any, tiebreak: float = TIEBREAK) -> Any:
    """Documents matching either query: scored by `first` where it matches (plus `tiebreak`
    times `fallback`), else by `fallback`."""
    return _classes()[1]([first, fallback], tiebreak=tiebreak)


@functools.lru_cache(maxsize=1)
def _classes() -> tuple[Any, Any]:
    """Defined on first use, so that importing this module does not import Whoosh."""
    from whoosh.matching import NullMatcher, UnionMatcher
    from whoosh.query import DisjunctionMax

    class BestMatcher(UnionMatcher):  # type: ignore[misc]
        def __init__(self, a: Any, b: Any, tiebreak: float = 0.0) -> None:
            super().__init__(a, b)
            self.tiebreak = tiebreak

        def copy(self) -> Any:
            return BestMatcher(self.a.copy(), self.b.copy(), self.tiebreak)

        def replace(self, minquality: float = 0) -> Any:
            a, b = self.a.replace(minquality), self.b.replace(minquality)
            if not a.is_active():
                return b if b.is_active() else NullMatcher()
            if not b.is_active():
                return a
            return self if (a, b) == (self.a, self.b) else BestMatcher(a, b, self.tiebreak)

        def score(self) -> float:
            a, b = self.a, self.b
            if not a.is_active():
                return float(b.score())
            if not b.is_active() or a.id() < b.id():
                return float(a.score())
            if b.id() < a.id():
                return float(b.score())
            first, second = sorted((float(a.score()), float(b.score())), reverse=True)
            return first + self.tiebreak * second

        def supports_block_quality(self) -> bool:
            return False

    class PreferMatcher(BestMatcher):
        def copy(self) -> Any:
            return PreferMatcher(self.a.copy(), self.b.copy(), self.tiebreak)

        def replace(self, minquality: float = 0) -> Any:
            a, b = self.a.replace(minquality), self.b.replace(minquality)
            if not a.is_active():
                return b if b.is_active() else NullMatcher()
            if not b.is_active():
                return a
            return self if (a, b) == (self.a, self.b) else PreferMatcher(a, b, self.tiebreak)

        def score(self) -> float:
            a, b = self.a, self.b
            if a.is_active() and (not b.is_active() or a.id() <= b.id()):
                both = b.is_active() and b.id() == a.id()
                return float(a.score()) + (self.tiebreak * float(b.score()) if both else 0.0)
            return float(b.score())

    class BestOf(DisjunctionMax):  # type: ignore[misc]
        def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
            return self._tree_matcher(
                subs, BestMatcher, searcher, context, None, tiebreak=self.tiebreak
            )

    class Prefer(DisjunctionMax):  # type: ignore[misc]
        def _matcher(self, subs: Any, searcher: Any, context: Any) -> Any:
            first, fallback = (q.matcher(searcher, context) for q in subs)
            return PreferMatcher(first, fallback, self.tiebreak)

        def normalize(self) -> Any:
            return Prefer([q.normalize() for q in self.subqueries], tiebreak=self.tiebreak)

    return BestOf, Prefer


def group_query(group: ConceptGroup, level: str = "all") -> Any:
    """A concept clause: the best of its alternatives; with `level` "synonyms" only what was
    typed and its synonyms, with "typed" only what was typed (to tell hits apart)."""
    from whoosh.query import And, Or

    typed = [Or([wording(form) for form in forms]) for forms in group.typed if forms]
    loose: list[Any] = []  # the typed words apart from one another: as weak as related labels
    if len(typed) == 1:
        options: list[Any] = typed
    else:
        options = [wording(group.phrase)] if group.phrase else []
        loose = [And(typed)] if typed else []
    if level == "typed":
        return best_of(options)
    options += [wording(stems) for stems in group.synonyms]
    direct = best_of(options)
    if level != "all":
        return direct
    weaker = loose + [wording(stems) for stems in group.related]
    if not weaker:
        return direct
    return prefer(direct, best_of(weaker, boost=RELATED_WEIGHT))


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
                return built[word]
        return node.apply(swap) if not node.is_leaf() else node

    return swap(q)
