"""How a search reads Whoosh's postings: faster ways to the same matches and the same scores.

Two things cost most of a keystroke's search at 30 reports, and both are fixed here without
changing which documents match or how they score (`tests/search/test_matchers.py` compares
every result with Whoosh's own):

- For an OR of several words (a prefix's completions, a concept's wordings) on a small segment,
  Whoosh adds the words' scores into an array of 2,048 slots that it fills and clears slot by
  slot in Python, however few documents the segment holds. `SegmentArrayUnion` makes the array
  no longer than the segment and zeroes it in one step.
- Each word's postings were read and scored again for every keystroke, in every segment, and
  each phrase's positions compared again (an acronym's expansions are phrases). `KeptScores`
  keeps each word's and phrase's matches and BM25 scores per segment while the index stays open
  (they depend on nothing else), up to KEPT_POSTINGS postings, least recently used out first.

`sized(q, kept)` rewrites a parsed query to use them. Importing this module imports Whoosh:
`search.query` imports it when it first searches.
"""

from __future__ import annotations

import copy
import functools
from array import array
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from whoosh.matching import ListMatcher, NullMatcher, WrappingMatcher
from whoosh.matching.combo import ArrayUnionMatcher
from whoosh.query import BinaryQuery, CompoundQuery, Not, Or, Phrase, Prefix, Query, Term
from whoosh.searching import SearchContext

PART = 2048  # Whoosh's own part size: the most slots one array holds
KEPT_POSTINGS = 1_000_000  # about 16 MB of kept matches and scores

Key = tuple[Any, ...]  # a segment's reader, a field, a word (or a phrase's words and slop)
Postings = tuple["array[int]", "array[float]"]  # document numbers in the segment, their scores


class SegmentArrayUnion(ArrayUnionMatcher):
    """An ArrayUnionMatcher whose array is at most the segment's size, zeroed in C."""

    def __init__(self, submatchers: list[Any], doccount: int, boost: float, scored: bool):
        part = max(1, min(PART, doccount))
        super().__init__(submatchers, doccount, boost=boost, scored=scored, partsize=part)

    def _read_part(self) -> None:
        limit = min(self._docnum + self._partsize, self._doccount)
        offset = self._docnum
        scores = self._a  # zeroed in place: Whoosh's all_ids() keeps a reference to it
        scores[:] = array("d", bytes(8 * len(scores)))
        boost = self._boost
        for m in self._submatchers:
            while m.is_active() and m.id() < limit:
                if self._scored:
                    scores[m.id() - offset] += m.score() * boost
                else:
                    scores[m.id() - offset] = 1
                m.next()
        self._offset = offset
        self._limit = limit


class KeptMatcher(ListMatcher):
    """A word's or phrase's kept matches and scores in one segment, read as Whoosh's own
    matcher reads them."""

    def supports(self, astype: str) -> bool:
        return False  # no positions or other values (a span query keeps Whoosh's matchers)

    def copy(self) -> KeptMatcher:
        return KeptMatcher(self._ids, weights=self._weights, position=self._i, term=self._term)


class KeptScores:
    """Each word's and phrase's matches and scores, per segment of one open searcher (made with
    it, dropped with it: `SearchIndex.derived`)."""

    def __init__(self, searcher: Any, capacity: int = KEPT_POSTINGS) -> None:
        self.searcher = searcher
        self.capacity = capacity
        self.size = 0  # postings kept, and one per word or phrase
        self._kept: OrderedDict[Key, Postings] = OrderedDict()

    def answers(self, context: Any) -> bool:
        """Whether a search in `context` scores as the kept scores were scored. Whoosh scores
        with the searcher's weighting when the context names none (and then ignores the scores),
        so one kept list answers both."""
        weighting = None if context is None else context.weighting
        return weighting is None or weighting is self.searcher.weighting

    def matcher(self, key: Key, read: Callable[[], Any], term: Any, boost: float) -> Any:
        """The matcher for `key`, from what is kept or else from `read()` (Whoosh's own matcher,
        unboosted), read to its end and kept; `boost` applied as Whoosh applies it."""
        found = self._kept.get(key)
        if found is None:
            found = drained(read())
            self._keep(key, found)
        else:
            self._kept.move_to_end(key)
        ids, scores = found
        if not ids:
            return NullMatcher()
        m = KeptMatcher(ids, weights=scores, term=term)
        return WrappingMatcher(m, boost=boost) if boost != 1.0 else m

    def _keep(self, key: Key, found: Postings) -> None:
        self._kept[key] = found
        self.size += len(found[0]) + 1
        while self.size > self.capacity and len(self._kept) > 1:
            _key, (ids, _scores) = self._kept.popitem(last=False)
            self.size -= len(ids) + 1


def drained(m: Any) -> Postings:
    """Every document `m` matches and its score, read to the end."""
    ids: array[int] = array("l")
    scores: array[float] = array("d")
    while m.is_active():
        ids.append(m.id())
        scores.append(m.score())
        m.next()
    return ids, scores


class KeptTerm(Term):
    """Term, reading its matches and scores through KeptScores."""

    kept: KeptScores

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if not self.kept.answers(context) or self.minquality:
            return super().matcher(searcher, context)
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        try:
            text = searcher.schema[self.fieldname].to_bytes(self.text)
        except ValueError:
            return NullMatcher()
        plain = Term(self.fieldname, self.text)
        key = (id(searcher.reader()), self.fieldname, text)  # readers live as long as it
        read = functools.partial(plain.matcher, searcher, context)
        return self.kept.matcher(key, read, (self.fieldname, text), self.boost)


class KeptPhrase(Phrase):
    """Phrase, reading its matches and scores through KeptScores (never under a scaled Or,
    whose coordination bonus counts the words of a phrase's own matcher)."""

    kept: KeptScores

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if not self.kept.answers(context):
            return super().matcher(searcher, context)
        words = tuple(self.words)
        plain = Phrase(self.fieldname, list(words), slop=self.slop)
        key = (id(searcher.reader()), self.fieldname, words, self.slop)
        read = functools.partial(plain.matcher, searcher, context)
        return self.kept.matcher(key, read, None, self.boost)


class SegmentSizedOr(Or):
    """Or, choosing its matcher as Whoosh does, with SegmentArrayUnion for the preloading one."""

    def _matcher(self, subs: list[Any], searcher: Any, context: Any) -> Any:
        doccount = searcher.doc_count_all()
        needs_current = context.needs_current if context else True
        tree = len(subs) < self.TOO_MANY_CLAUSES and (
            needs_current or self.scale or len(subs) == 2 or doccount > 5000
        )
        if tree:
            return super()._matcher(subs, searcher, context)
        scored = context.weighting is not None if context else True
        matchers = [sub.matcher(searcher, context) for sub in subs]
        return SegmentArrayUnion(matchers, doccount, boost=self.boost, scored=scored)


class SegmentSizedPrefix(Prefix):
    """Prefix, OR-ing the segment's words that begin with it through SegmentSizedOr."""

    kept: KeptScores | None = None

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        words = [w for w in self._btexts(searcher.reader()) if w] if self.text else []
        if len(words) < 2:  # nothing, one word, or every document: Whoosh's own way
            return super().matcher(searcher, context) if words or not self.text else NullMatcher()
        if self.constantscore:  # as Whoosh does: the words' scores do not matter
            context = context.set(weighting=None) if context else SearchContext(weighting=None)
        terms: list[Term] = [Term(self.fieldname, word) for word in words]
        if self.kept is not None:
            terms = [_kept(t, KeptTerm, self.kept) for t in terms]
        return SegmentSizedOr(terms, boost=self.boost).matcher(searcher, context)


def sized(q: Query, kept: KeptScores | None = None) -> Query:
    """`q` with each plain Or and Prefix made segment-sized and, with `kept`, each Term and
    Phrase reading kept scores. The tree is copied, each node keeping its attributes; `q` is
    unchanged. Only boolean nodes are looked into: a node that reads postings its own way (a
    concept clause, `reads_own_postings`) or wants its children's positions (a span query) is
    left as it is."""

    def rewrite(node: Query, scaled: bool) -> Query:
        if getattr(node, "reads_own_postings", False):
            return node
        if isinstance(node, CompoundQuery):  # (Whoosh's apply() would drop an Or's scale)
            twin = copy.copy(node)
            inner = scaled or bool(getattr(node, "scale", None))
            twin.subqueries = [rewrite(child, inner) for child in node.subqueries]
            return swap(twin, scaled)
        if isinstance(node, BinaryQuery | Not):  # AndNot, AndMaybe, Require; Not
            return node.apply(functools.partial(rewrite, scaled=scaled))
        return swap(node, scaled)

    def swap(node: Query, scaled: bool) -> Query:
        kind = type(node)
        if kind is Or:
            return _as(node, SegmentSizedOr)
        if kind is Prefix:
            prefix = _as(node, SegmentSizedPrefix)
            prefix.kept = kept
            return prefix
        if kind is Term and kept is not None:
            return _kept(node, KeptTerm, kept)
        if kind is Phrase and kept is not None and not scaled:
            return _kept(node, KeptPhrase, kept)
        return node

    return rewrite(q, False)


def _kept(node: Query, kind: type[Any], kept: KeptScores) -> Any:
    twin = _as(node, kind)
    twin.kept = kept
    return twin


def _as(node: Query, kind: type[Any]) -> Any:
    """A copy of `node` as a `kind` (a subclass that only reads postings differently)."""
    twin = copy.copy(node)
    twin.__class__ = kind
    return twin


def kept_scores(derived: dict[str, Any], searcher: Any) -> KeptScores:
    """The open index's KeptScores (made on first use, dropped when the index closes)."""
    kept = derived.get("kept-scores")
    if not isinstance(kept, KeptScores) or kept.searcher is not searcher:
        kept = derived["kept-scores"] = KeptScores(searcher)
    return kept
