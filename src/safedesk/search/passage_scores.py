"""Each phrase's passages and BM25 scores, kept while the index is open, and queries answered
from them without FTS5 scoring every match again.

FTS5's bm25() is a sum over the query's phrases: each phrase adds its own term for a passage it
is in (its frequency there, weighted by column, against the passage's length and the phrase's
rarity in the whole table), whatever else the query holds. So a query of phrases, any of
several or all of several, scores a passage as the sum of what each phrase scores it alone, and
a phrase's passages and scores, read once, answer every later query that holds it: a concept's
wordings come back in every search that names the concept, and at every keystroke after it.
`tests/search/test_passage_scores.py` compares the answers with FTS5's own ranking.

Only phrases in at most MOST passages are kept (reading a phrase in more whole, a word most
passages have, is what FTS5's ranking of a broad query avoids: see `search.passages`); a query
with such a phrase, or of another shape (with NOT), is answered by FTS5. A query answered here
is ranked over every match however many there are, since adding kept scores is cheap.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections import OrderedDict
from typing import Any

MOST = 10_000  # the most passages a kept phrase is in (reading one takes about 30 ms here)
KEPT_ROWS = 2_000_000  # about 100 MB at most of kept passage numbers and scores

# How a query is written (`passages.written`): a phrase as written ("leaf", expression), any of
# several ("any", parts), all of several ("all", parts), or anything else (OTHER).
Shape = tuple[Any, ...]
OTHER: Shape = ("other",)
Scores = dict[int, float]  # passage rowid -> score (higher is better)


class KeptPassages:
    """The phrases read so far, for one open passage index (least recently used out first)."""

    def __init__(
        self, conn: sqlite3.Connection, rank: str, block: int, capacity: int = KEPT_ROWS
    ) -> None:
        self.conn = conn
        self.rank = rank  # the ranking function, as the passage index calls it
        self.block = block  # a report's passages are numbered (report << block) + i
        self.capacity = capacity
        self.size = 0
        self._kept: OrderedDict[str, Scores | None] = OrderedDict()  # None: in too many

    def search(
        self, shape: Shape, blocks: list[tuple[int, int]] | None, limit: int
    ) -> tuple[list[tuple[int, float]], dict[int, int]] | None:
        """The best `limit` passages (rowid, score) for a query of `shape`, and every match
        counted by report number; within `blocks` (rowid ranges) when given. None when the
        query cannot be answered from kept phrases."""
        if not answerable(shape):
            return None
        scores = self._scores(shape)
        if scores is None:
            return None
        if blocks is not None:
            scores = {r: s for r, s in scores.items() if any(lo <= r <= hi for lo, hi in blocks)}
        counted: dict[int, int] = {}
        for rowid in scores:
            report = rowid >> self.block
            counted[report] = counted.get(report, 0) + 1
        best = heapq.nsmallest(max(0, limit), scores.items(), key=lambda kv: (-kv[1], kv[0]))
        return best, counted

    def _scores(self, shape: Shape) -> Scores | None:
        if shape[0] == "leaf":
            return self._phrase(shape[1])
        parts = [self._scores(part) for part in shape[1]]
        if any(part is None for part in parts):
            return None
        found = [part for part in parts if part is not None]
        if shape[0] == "any":
            summed: Scores = {}
            for part in found:
                for rowid, score in part.items():
                    summed[rowid] = summed.get(rowid, 0.0) + score
            return summed
        found.sort(key=len)  # "all": passages in every part, from the smallest part
        return {
            rowid: sum(part[rowid] for part in found)
            for rowid in found[0]
            if all(rowid in part for part in found[1:])
        }

    def _phrase(self, expression: str) -> Scores | None:
        if expression in self._kept:
            self._kept.move_to_end(expression)
            kept = self._kept[expression]
            return kept if kept is not None and len(kept) <= MOST else None
        # no ORDER BY: scored as read, and reading stops past MOST
        sql = f"SELECT rowid, -{self.rank} FROM words WHERE words MATCH ? LIMIT ?"
        rows = self.conn.execute(sql, [expression, MOST + 1]).fetchall()
        scores = dict(rows) if len(rows) <= MOST else None
        self._kept[expression] = scores
        self.size += len(scores or ()) + 1
        while self.size > self.capacity and len(self._kept) > 1:
            _expression, dropped = self._kept.popitem(last=False)
            self.size -= len(dropped or ()) + 1
        return scores


def answerable(shape: Shape) -> bool:
    """Whether a query of `shape` is answered from phrases alone: a phrase, any of several, or
    all of several where each is a phrase or any of several (FTS5 counts a phrase's passages in
    such a query wherever the phrase is; a NOT, or an all-of inside an any-of, is left to it)."""
    if shape[0] == "leaf":
        return True
    if shape[0] == "any":
        return all(part[0] in ("leaf", "any") and answerable(part) for part in shape[1])
    if shape[0] == "all":
        return all(part[0] != "all" and answerable(part) for part in shape[1])
    return False
