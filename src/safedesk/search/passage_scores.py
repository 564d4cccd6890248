"""Each phrase's passages and BM25 scores, kept while the index is open, and queries answered
from them without FTS5 scoring every match again.

FTS5's bm25() is a sum over the query's phrases: each phrase adds its own term for a passage it
is in (its frequency there, weighted by column, against the passage's length and the phrase's
rarity in the whole table), whatever else the query holds. So a query of phrases, any of
several or all of several, scores a passage as the sum of what each phrase scores it alone, and
a phrase's passages and scores, once read, answer every later query that holds it: a concept's
wordings come back in every search that names the concept, and at every keystroke after it.
The answers are FTS5's own, ranked by the same rule (`PassageIndex._by_fts`: every match, or
for a broad query those with the words in their heading first); `tests/search/
test_passage_scores.py` compares them.

A search never waits for phrases to be read: one that needs a phrase not kept yet is answered
by FTS5, and the phrase is read afterwards on a thread of its own (`keep`). Phrases in more than
MOST passages (words most passages have) and unfinished words (`"pra" *`, while typing) are
not kept, and neither are queries with NOT answered here.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import heapq
import logging
import operator
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)

MOST = 10_000  # the most passages a kept phrase is in (reading one takes about 30 ms here)
KEPT_ROWS = 2_000_000  # about 100 MB at most of kept passage numbers and scores

# How a query is written (`passages.written`): a phrase as written ("leaf", expression), any of
# several ("any", parts), all of several ("all", parts), or anything else (OTHER).
Shape = tuple[Any, ...]
OTHER: Shape = ("other",)
Scores = dict[int, float]  # passage rowid -> score (higher is better)
Answer = tuple[list[tuple[int, float]], dict[int, int]]  # the best (rowid, score); by report


class KeptPassages:
    """The phrases read so far, for one open passage index (least recently used out first).
    `connect()` opens a read-only connection to it, for the thread that reads phrases."""

    def __init__(
        self,
        connect: Callable[[], sqlite3.Connection],
        rank: str,
        block: int,
        capacity: int = KEPT_ROWS,
    ) -> None:
        self.connect = connect
        self.rank = rank  # the ranking function, as the passage index calls it
        self.block = block  # a report's passages are numbered (report << block) + i
        self.capacity = capacity
        self.size = 0
        self._kept: OrderedDict[str, Scores | None] = OrderedDict()  # None: in too many
        self._lock = threading.Lock()  # _kept and size, shared with the reading thread
        self._conn: sqlite3.Connection | None = None  # the reading thread's
        self._reading: concurrent.futures.Future[None] | None = None
        self._closed = False

    # -- answering ------------------------------------------------------------------------------
    def search(
        self, shape: Shape, blocks: list[tuple[int, int]] | None, limit: int, broad: int
    ) -> Answer | None:
        """The best `limit` passages (rowid, score) for a query of `shape`, and every match
        counted by report number, within `blocks` (rowid ranges) when given, ranked as FTS5
        ranks them with more than `broad` matches making a query broad. None when not every
        phrase is kept: the missing ones are then read aside, for the next search."""
        if not answerable(shape):
            return None
        scores = self._scores(shape, blocks)
        if scores is None:
            self._read_aside(shape, broad)
            return None
        counted: dict[int, int] = {}
        for rowid in scores:
            report = rowid >> self.block
            counted[report] = counted.get(report, 0) + 1
        if len(scores) <= broad:
            return _best(scores, limit), counted
        # broad: the best of those with the words in their heading, then the rest in order
        titled = self._scores(_titled(shape), blocks)
        if titled is None:
            self._read_aside(_titled(shape), None)
            return None
        return headings_first(_best(titled, limit), sorted(scores), limit), counted

    def _scores(self, shape: Shape, blocks: list[tuple[int, int]] | None) -> Scores | None:
        """The passages and scores for `shape`, from kept phrases; None when one is not kept
        or is in too many passages."""
        leaves = list(dict.fromkeys(_leaves(shape)))
        with self._lock:
            kept = {leaf: self._kept.get(leaf) for leaf in leaves}
            for leaf in leaves:
                if leaf in self._kept:
                    self._kept.move_to_end(leaf)
        found = {leaf: scores for leaf, scores in kept.items() if scores is not None}
        if len(found) < len(leaves):
            return None
        scores = _combined(shape, found)
        if blocks is not None:
            scores = {r: s for r, s in scores.items() if any(lo <= r <= hi for lo, hi in blocks)}
        return scores

    # -- reading phrases aside ----------------------------------------------------------------
    def _read_aside(self, shape: Shape, broad: int | None) -> None:
        """Read the phrases of `shape` not kept yet, on the reading thread, unless it is busy
        (the next search that needs them asks again); then, when `broad` is given and the
        query turns out broad, its phrases as headings, which its ranking needs too."""
        if self._closed or (self._reading is not None and not self._reading.done()):
            return
        with self._lock:
            if all(leaf in self._kept for leaf in _leaves(shape)):
                return  # a phrase in too many passages, known already: nothing to read
        self._reading = _keeper().submit(self._read, shape, broad)

    def _read(self, shape: Shape, broad: int | None) -> None:
        try:
            self._read_phrases(_leaves(shape))
            if broad is not None:
                scores = self._scores(shape, None)
                if scores is not None and len(scores) > broad:
                    self._read_phrases(_leaves(_titled(shape)))
        except sqlite3.Error as exc:  # interrupted by close(), or a phrase FTS5 cannot take
            if not self._closed:
                log.warning("passages not kept: %s", exc)

    def _read_phrases(self, leaves: list[str]) -> None:
        if self._conn is None:
            self._conn = self.connect()
        sql = f"SELECT rowid, -{self.rank} FROM words WHERE words MATCH ? LIMIT ?"
        for leaf in dict.fromkeys(leaves):
            with self._lock:
                if self._closed or leaf in self._kept:
                    continue
            # no ORDER BY: scored as read, and reading stops past MOST
            rows = self._conn.execute(sql, [leaf, MOST + 1]).fetchall()
            self._keep(leaf, dict(rows) if len(rows) <= MOST else None)

    def _keep(self, leaf: str, scores: Scores | None) -> None:
        with self._lock:
            self._kept[leaf] = scores
            self.size += len(scores or ()) + 1
            while self.size > self.capacity and len(self._kept) > 1:
                _leaf, dropped = self._kept.popitem(last=False)
                self.size -= len(dropped or ()) + 1

    def wait(self) -> None:
        """Until the phrases being read are kept (for tests and benchmarks)."""
        if self._reading is not None:
            self._reading.result()

    def close(self) -> None:
        """Stop reading (the index is closing) and close the reading connection."""
        self._closed = True
        if self._reading is not None and not self._reading.done():
            if self._conn is not None:
                self._conn.interrupt()
            with contextlib.suppress(Exception):
                self._reading.result()
        if self._conn is not None:
            self._conn.close()
            self._conn = None


@functools.lru_cache(maxsize=1)
def _keeper() -> concurrent.futures.ThreadPoolExecutor:
    """The thread that reads phrases to keep (one for all: reading is done when idle)."""
    return concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="safedesk-keep")


def headings_first(
    best: list[tuple[int, float]], in_order: Iterable[int], limit: int
) -> list[tuple[int, float]]:
    """A broad query's best `limit` passages: `best` (ranked among the passages whose heading
    has its words), then the rest of its matches as they stand (`in_order`, by rowid), each
    below every ranked one."""
    out = list(best)
    floor = min((s for _r, s in out), default=1.0) / 2
    chosen = {r for r, _s in out}
    for rowid in in_order:
        if len(out) >= limit:
            break
        if rowid not in chosen:
            out.append((int(rowid), floor))
    return out


def _best(scores: Scores, limit: int) -> list[tuple[int, float]]:
    return heapq.nsmallest(max(0, limit), scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _combined(shape: Shape, kept: dict[str, Scores], within: set[int] | None = None) -> Scores:
    """The passages a query of `shape` matches (those `within`, when given) and their scores,
    from its phrases'. Each score is summed in the order the phrases stand, as FTS5 sums."""
    if shape[0] == "leaf":
        scores = kept[shape[1]]
        return scores if within is None else {r: scores[r] for r in within & scores.keys()}
    if shape[0] == "any":
        summed: Scores = {}
        for part in shape[1]:
            for rowid, score in _combined(part, kept, within).items():
                summed[rowid] = summed.get(rowid, 0.0) + score
        return summed
    # all: the passages in every part first (set operations), then only their scores
    rows = functools.reduce(operator.and_, (_rows(part, kept) for part in shape[1]))
    if within is not None:
        rows &= within
    parts = [_combined(part, kept, rows) for part in shape[1]]
    return {rowid: sum(part[rowid] for part in parts) for rowid in rows}


def _rows(shape: Shape, kept: dict[str, Scores]) -> set[int]:
    if shape[0] == "leaf":
        return set(kept[shape[1]])
    parts = [_rows(part, kept) for part in shape[1]]
    return set().union(*parts) if shape[0] == "any" else functools.reduce(operator.and_, parts)


def _titled(shape: Shape) -> Shape:
    """`shape` with each phrase looked for in headings only (as `{title} : (...)` asks)."""
    if shape[0] == "leaf":
        return ("leaf", f"{{title}} : ({shape[1]})")
    return (shape[0], tuple(_titled(part) for part in shape[1]))


def _leaves(shape: Shape) -> list[str]:
    if shape[0] == "leaf":
        return [shape[1]]
    return [leaf for part in shape[1] for leaf in _leaves(part)]


def answerable(shape: Shape) -> bool:
    """Whether a query of `shape` is answered from phrases alone: a phrase, any of several, or
    all of several where each is a phrase or any of several (FTS5 counts a phrase's passages in
    such a query wherever the phrase is; a NOT, or an all-of inside an any-of, is left to it),
    with no unfinished word."""
    if shape[0] == "leaf":
        return not shape[1].endswith("*")
    if shape[0] == "any":
        return all(part[0] in ("leaf", "any") and answerable(part) for part in shape[1])
    if shape[0] == "all":
        return all(part[0] != "all" and answerable(part) for part in shape[1])
    return False
