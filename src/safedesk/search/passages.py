"""Documents' passages in a SQLite FTS5 table beside the Whoosh index: derived data, like it.

A library of a few hundred PDFs holds tens of thousands of passages. Whoosh, pure Python, reads
every posting of a common word for each query (a few hundred milliseconds at 40,000 passages
here); FTS5 does the same work in C in a few milliseconds. So passages live here, and reports'
items (a few hundred) stay in Whoosh, whose ranking the reports' search is tuned to.

Both sides analyse text the same way: the tokens stored here are those of the index's own
stemming analyzer (`analysis.stemming_analyzer`), in order; the extra forms it emits for a
hyphenated word ("co-location" -> co, locat and coloc) go in a column of their own, so phrases
keep their positions. A query is the Whoosh query the search parsed (its terms already stemmed),
written out in FTS5's syntax (`fts_expression`), so the query language is the same for both.

Passages are ranked by BM25 with the heading weighing double, as Whoosh ranks. FTS5 scores every
match, about 2.5 µs each here; a broad query (more than BROAD matches, a word most passages have,
such as "safeguarding") is ranked among the passages whose heading has its words, then the rest
follow in the order they stand. Matches are counted by report from their rowids: a report's
passages are numbered in a block of their own (BLOCK).

The file (`passages.sqlite3` in the index folder) is written in rollback-journal mode, one
transaction per change, and read through a connection of its own; the index's stamp says what it
was built from, as for the Whoosh files (its size, not a hash: SQLite finds its own damage, and
hashing tens of megabytes at every start would be slow).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safedesk.search.analysis import WORD
from safedesk.search.passage_scores import OTHER, KeptPassages, Shape, headings_first
from safedesk.store.reader import Document

log = logging.getLogger(__name__)

FILE_NAME = "passages.sqlite3"
TITLE_WEIGHT = 2.0  # as the Whoosh title field's boost
BROAD = 5000  # more matches than this: ranked by heading first (see PassageIndex._best)
SAMPLE_SHARE = 10  # how a search guesses whether it is broad: from a tenth of the reports,
SAMPLE_MARGIN = 1.5  # and only when the sample suggests half as many again as BROAD
RANK = f"bm25(words, {TITLE_WEIGHT}, 1.0, 1.0)"  # headings weigh double, as in Whoosh
BLOCK = 20  # a report's passages have rowids (n << BLOCK) + i: counting by report needs no join
SCHEMA = (
    "CREATE TABLE report (n INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)",
    "CREATE TABLE doc (id INTEGER PRIMARY KEY, key TEXT NOT NULL, report TEXT NOT NULL, "
    "title TEXT NOT NULL, body TEXT NOT NULL, number TEXT NOT NULL, page INTEGER)",
    # title and body: the analyzer's tokens in order; extra: the joined forms of hyphenated words
    "CREATE VIRTUAL TABLE words USING fts5(title, body, extra, tokenize='unicode61')",
)


@dataclass
class PassageHit:
    """A passage found, answering as a Whoosh hit does (`hit["key"]`, `hit.score`)."""

    fields: dict[str, Any]
    score: float

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    @property
    def kind(self) -> str:
        return "passage"


@dataclass
class PassageMatches:
    hits: list[PassageHit] = field(default_factory=list)  # the best, best first
    by_report: dict[str, int] = field(default_factory=dict)  # every match, counted by report

    @property
    def total(self) -> int:
        return sum(self.by_report.values())


def tokens(text: str) -> tuple[str, str]:
    """`text` as the index analyses it: (its tokens in order, the extra forms), space-separated.
    The analyzer treats each word on its own, so each distinct word is analysed once (most
    words of a document come back many times: a third of a 60-page import went into this)."""
    main: list[str] = []
    extra: list[str] = []
    for word in WORD.findall(text):
        word_main, word_extra = _word_tokens(word)
        main += word_main
        extra += word_extra
    return " ".join(main), " ".join(extra)


@functools.lru_cache(maxsize=65536)
def _word_tokens(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    main: list[str] = []
    extra: list[str] = []
    last = -1
    for token in _analyzer()(word, positions=True):
        if token.pos == last:  # a further form at the same place: "coloc" after "co locat"
            extra.append(token.text)
        else:
            main.append(token.text)
            last = token.pos
    return tuple(main), tuple(extra)


@functools.lru_cache(maxsize=1)
def _analyzer() -> Any:
    from safedesk.search.analysis import stemming_analyzer

    return stemming_analyzer()


# -- writing ---------------------------------------------------------------------------------------
def create(path: Path, documents: Iterable[Document]) -> int:
    """Make the passage index at `path` (a new file) from `documents`; returns how many.
    OSError if it cannot be written (as for the Whoosh files: the index is rebuilt later)."""
    with _writing(path) as conn:
        with _transaction(conn):
            for statement in SCHEMA:
                conn.execute(statement)
            count = _insert(conn, documents)
        conn.execute("INSERT INTO words(words) VALUES ('optimize')")
    return count


def replace(path: Path, report: str, documents: Iterable[Document]) -> int:
    """Put `documents` in place of report `report`'s passages, in one transaction (OSError if it
    cannot be written)."""
    with _writing(path) as conn, _transaction(conn):
        row = conn.execute("SELECT n FROM report WHERE key = ?", (report,)).fetchone()
        if row is not None:
            low, high = _block(row[0])
            conn.execute("DELETE FROM words WHERE rowid BETWEEN ? AND ?", (low, high))
            conn.execute("DELETE FROM doc WHERE id BETWEEN ? AND ?", (low, high))
            conn.execute("DELETE FROM report WHERE n = ?", (row[0],))
        return _insert(conn, documents)


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection for writing the file; SQLite's errors (a full disk) come out as OSError."""
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=DELETE")  # one file at rest: the stamp can name it
        conn.execute("PRAGMA synchronous=FULL")
        yield conn
    except sqlite3.Error as exc:
        raise OSError(f"the passage index could not be written ({exc})") from exc
    finally:
        if conn is not None:
            conn.close()


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _block(n: int) -> tuple[int, int]:
    """The first and last rowid of report number `n`'s passages."""
    return n << BLOCK, ((n + 1) << BLOCK) - 1


def _insert(conn: sqlite3.Connection, documents: Iterable[Document]) -> int:
    numbers: dict[str, int] = {}
    next_id: dict[str, int] = {}
    count = 0
    for doc in documents:
        if doc.report not in numbers:
            n = int(conn.execute("SELECT coalesce(max(n), 0) + 1 FROM report").fetchone()[0])
            conn.execute("INSERT INTO report (n, key) VALUES (?, ?)", (n, doc.report))
            numbers[doc.report], next_id[doc.report] = n, _block(n)[0]
        rowid = next_id[doc.report]
        next_id[doc.report] += 1
        conn.execute(
            "INSERT INTO doc (id, key, report, title, body, number, page) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rowid, doc.key, doc.report, doc.title, doc.text, doc.number, doc.page),
        )
        title, title_extra = tokens(doc.title)
        body, body_extra = tokens(doc.text)
        conn.execute(
            "INSERT INTO words (rowid, title, body, extra) VALUES (?, ?, ?, ?)",
            (rowid, title, body, f"{title_extra} {body_extra}".strip()),
        )
        count += 1
    return count


# -- reading ---------------------------------------------------------------------------------------
class PassageIndex:
    """The passage index, open for searching: read-only connections, shared under the index's
    lock, as the Whoosh searcher is. A search counts its matches on one connection while it
    ranks them on others (SQLite works without holding Python's lock, so they run on several
    cores); see `search`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = _reader(path)
        try:
            self.conn.execute("SELECT count(*) FROM doc").fetchone()
        except sqlite3.DatabaseError:
            self.conn.close()
            raise
        self._ranking: sqlite3.Connection | None = None  # for ranking aside (opened when needed)
        self._kept = KeptPassages(functools.partial(_reader, path), RANK, BLOCK)

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM doc").fetchone()[0])

    def close(self) -> None:
        self._kept.close()
        for conn in [self.conn, self._ranking]:
            if conn is not None:
                conn.close()
        self._ranking = None

    def search(
        self, query: Any, filters: dict[str, Sequence[str] | None], limit: int
    ) -> PassageMatches:
        """The best `limit` passages for a parsed Whoosh `query`, and every match counted by
        report; nothing when the filters ask for what passages do not have (a theme, an
        authority, another kind). Answered from the phrases kept so far when it can be
        (`search.passage_scores`), else by FTS5 (`_by_fts`)."""
        if filters.get("theme") or filters.get("authority"):
            return PassageMatches()
        kinds = filters.get("kind")
        if kinds and "passage" not in kinds:
            return PassageMatches()
        expression, shape = written(query)
        if not expression:
            return PassageMatches()
        numbers = dict(self.conn.execute("SELECT n, key FROM report").fetchall())
        reports = filters.get("report")
        blocks = [_block(n) for n, key in numbers.items() if key in reports] if reports else None
        if blocks == []:
            return PassageMatches()
        try:
            kept = self._kept.search(shape, blocks, limit, BROAD)
            best, counted = kept or self._by_fts(expression, blocks, sorted(numbers), limit)
            found = {
                row[0]: row[1:]
                for row in self.conn.execute(
                    "SELECT id, key, report, title, body, number, page FROM doc "
                    f"WHERE id IN ({', '.join('?' * len(best))})",
                    [rowid for rowid, _score in best],
                )
            }
        except sqlite3.OperationalError as exc:  # a query FTS5 cannot take: no passages
            log.warning("passage search failed for %r: %s", expression, exc)
            return PassageMatches()
        hits = [PassageHit(_fields(*found[rowid]), float(score)) for rowid, score in best]
        by_report = {numbers.get(n, ""): int(count) for n, count in counted.items()}
        return PassageMatches(hits, by_report)

    def _by_fts(
        self, expression: str, blocks: list[tuple[int, int]] | None, numbers: list[int], limit: int
    ) -> tuple[list[tuple[int, float]], dict[int, int]]:
        """The best `limit` matches (rowid, score) by FTS5's ranking, and every match counted
        by report number.

        Scoring is per match (about 2.5 µs each here, more with phrases), so a broad query (more
        than BROAD matches: a word most passages have) is ranked among the passages whose
        heading has its words, the rest following in the order they stand. The matches are
        counted while they are ranked aside, as a broad query or not as a sample of the reports
        suggests (and when the count then says otherwise, ranked again)."""
        where, params = "words MATCH ?", list[object]([expression])
        if blocks:
            where += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in blocks) + ")"
            params += [bound for block in blocks for bound in block]
        ranked = f"SELECT rowid, -{RANK} FROM words WHERE {where} ORDER BY {RANK} LIMIT ?"
        titled = [f"{{title}} : ({expression})", *params[1:], max(0, limit)]
        every = [*params, max(0, limit)]
        broad = self._probably_broad(where, params, numbers)
        ranking = self._rank_aside(ranked, titled if broad else every)
        try:
            counted = self.conn.execute(
                f"SELECT rowid >> {BLOCK}, count(*) FROM words WHERE {where} GROUP BY 1", params
            ).fetchall()
        except BaseException:
            ranking.cancel()
            raise
        total = sum(n for _block, n in counted)
        if total > BROAD and not broad:  # ranking every match was not what was wanted
            ranking.cancel()
            ranking = self._rank_aside(ranked, titled)
        best = ranking.result()
        if total > BROAD:  # at most len(best) of the first rows are among the ranked ones
            sql = f"SELECT rowid FROM words WHERE {where} LIMIT ?"
            rows = self.conn.execute(sql, [*params, limit + len(best)])
            best = headings_first(best, (rowid for (rowid,) in rows), limit)
        return best, {int(n): int(count) for n, count in counted}

    def settle(self) -> None:
        """Until the phrases being read aside are kept (see `search.passage_scores`)."""
        self._kept.wait()

    def search_aside(
        self, query: Any, filters: dict[str, Sequence[str] | None], limit: int
    ) -> concurrent.futures.Future[PassageMatches]:
        """`search` on a thread of its own, so that the caller's own work (Whoosh scoring the
        reports' items, in Python) runs meanwhile; the caller waits for the result before the
        index may change."""
        return _aside("search").submit(self.search, query, filters, limit)

    def _rank_aside(self, sql: str, params: list[object]) -> _Ranking:
        if self._ranking is None:
            self._ranking = _reader(self.path)
        return _Ranking(self._ranking, sql, params)

    def _probably_broad(self, where: str, params: list[object], numbers: list[int]) -> bool:
        """Whether the query probably has more than BROAD matches, from how many it has in the
        first tenth of the reports (counting them takes a tenth of the time); said only with a
        margin, since ranking every match is the cheaper mistake. Only the speed depends on the
        guess: the count decides which ranking is used."""
        if not numbers:
            return False
        sample = max(1, len(numbers) // SAMPLE_SHARE)
        below = _block(numbers[sample - 1])[1]
        sql = f"SELECT count(*) FROM words WHERE ({where}) AND rowid <= ?"
        (found,) = self.conn.execute(sql, [*params, below]).fetchone()
        return int(found) * len(numbers) / sample > BROAD * SAMPLE_MARGIN


class _Ranking:
    """A ranking query running on its own connection in the background (see
    `PassageIndex.search`): its result, or cancelled (SQLite interrupts it where it stands)."""

    def __init__(self, conn: sqlite3.Connection, sql: str, params: list[object]) -> None:
        self.conn = conn
        self.cancelled = threading.Event()
        self.future = _aside("rank").submit(self._run, sql, params)

    def _run(self, sql: str, params: list[object]) -> list[tuple[int, float]]:
        if self.cancelled.is_set():
            return []
        return [(int(r), float(s)) for r, s in self.conn.execute(sql, params)]

    def result(self) -> list[tuple[int, float]]:
        return self.future.result()

    def cancel(self) -> None:
        """Stop the query and wait until its connection is free again."""
        self.cancelled.set()
        if not self.future.cancel():
            self.conn.interrupt()
            with contextlib.suppress(sqlite3.OperationalError):  # "interrupted"
                self.future.result()


@functools.lru_cache(maxsize=2)
def _aside(job: str) -> concurrent.futures.ThreadPoolExecutor:
    """The thread for one job done aside, "search" or "rank" (one each: searches take turns
    under the index lock; two pools, so that a search waiting for its ranking never waits for
    itself)."""
    return concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix=f"safedesk-{job}")


def _reader(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        f"{path.resolve().as_uri()}?mode=ro",  # a URI: read-only, any characters in the path
        uri=True,
        check_same_thread=False,
        isolation_level=None,
    )
    try:
        conn.execute("PRAGMA mmap_size=268435456")  # pages mapped, not copied
        conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: a common word's postings
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def _fields(
    key: str, report: str, title: str, body: str, number: str, page: int | None
) -> dict[str, Any]:
    """A passage's stored fields, named as the Whoosh index names them."""
    return {
        "key": key, "kind": "passage", "report": report, "title": title, "body": body,
        "number": number, "page": page, "theme_title": "", "authority_name": "",
    }  # fmt: skip


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def fts_expression(query: Any) -> str:
    """A parsed Whoosh query (terms stemmed, over title and body) in FTS5's query syntax; "" for
    a query with nothing to look for (only exclusions, or nothing)."""
    return written(query)[0]


def written(query: Any) -> tuple[str, Shape]:
    """`fts_expression(query)`, and its shape (for answering it from kept phrases:
    `search.passage_scores`)."""
    from whoosh import query as q

    if isinstance(query, q.Term):
        text = query.text.decode("utf-8") if isinstance(query.text, bytes) else str(query.text)
        return _leaf(_quote(text) if text.strip() else "")
    if isinstance(query, q.Phrase):
        words = " ".join(str(w) for w in query.words if str(w).strip())
        return _leaf("{title body} : " + _quote(words) if words else "")
    if isinstance(query, q.Prefix):
        return _leaf(f"{_quote(str(query.text))} *" if str(query.text).strip() else "")
    if isinstance(query, q.AndNot):
        (positive, shape), negative = written(query.a), fts_expression(query.b)
        return (
            (f"({positive} NOT {negative})", OTHER) if positive and negative else (positive, shape)
        )
    if isinstance(query, q.Not):
        return "", OTHER
    if isinstance(query, q.And | q.Require | q.AndMaybe):
        children = list(query.children())
        wanted = _unique_written(written(c) for c in children if not isinstance(c, q.Not))
        if isinstance(query, q.AndMaybe):
            wanted = wanted[:1]  # the optional part only adds to the score
        expression, shape = _joined(" AND ", "all", wanted)
        for child in children:
            if isinstance(child, q.Not) and expression:
                excluded = fts_expression(child.query)
                if excluded:
                    expression, shape = f"({expression} NOT {excluded})", OTHER
        return expression, shape
    if isinstance(query, q.CompoundQuery):  # Or, DisjunctionMax, a concept's best-of: any child
        return _joined(" OR ", "any", _unique_written(written(c) for c in query.children()))
    terms = [_quote(str(t)) for _f, t in query.iter_all_terms()] if query.has_terms() else []
    if not terms:
        return "", OTHER
    leaves = _unique(terms)  # anything else: any of its words
    return f"({' OR '.join(leaves)})", ("any", tuple(("leaf", leaf) for leaf in leaves))


def _leaf(expression: str) -> tuple[str, Shape]:
    return expression, ("leaf", expression) if expression else OTHER


def _joined(operator: str, kind: str, parts: list[tuple[str, Shape]]) -> tuple[str, Shape]:
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return "", OTHER
    return f"({operator.join(e for e, _s in parts)})", (kind, tuple(s for _e, s in parts))


def _unique_written(parts: Iterable[tuple[str, Shape]]) -> list[tuple[str, Shape]]:
    """`parts` without the empty ones and without repeating an expression (as `_unique`)."""
    kept: dict[str, Shape] = {}
    for expression, shape in parts:
        if expression and expression not in kept:
            kept[expression] = shape
    return list(kept.items())


def _unique(parts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(p for p in parts if p))
