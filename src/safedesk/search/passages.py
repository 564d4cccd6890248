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

import contextlib
import functools
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safedesk.store.reader import Document

log = logging.getLogger(__name__)

FILE_NAME = "passages.sqlite3"
TITLE_WEIGHT = 2.0  # as the Whoosh title field's boost
BROAD = 5000  # more matches than this: ranked by heading first (see PassageIndex._best)
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
    """`text` as the index analyses it: (its tokens in order, the extra forms), space-separated."""
    main: list[str] = []
    extra: list[str] = []
    last = -1
    for token in _analyzer()(text, positions=True):
        if token.pos == last:  # a further form at the same place: "coloc" after "co locat"
            extra.append(token.text)
        else:
            main.append(token.text)
            last = token.pos
    return " ".join(main), " ".join(extra)


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
    """The passage index, open for searching (a read-only connection, shared under the index's
    lock, as the Whoosh searcher is)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro",  # a URI: read-only, any characters in the path
            uri=True,
            check_same_thread=False,
            isolation_level=None,
        )
        try:
            self.conn.execute("PRAGMA mmap_size=268435456")  # pages mapped, not copied
            self.conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: a common word's postings
            self.conn.execute("SELECT count(*) FROM doc").fetchone()
        except sqlite3.DatabaseError:
            self.conn.close()
            raise

    def _best(
        self, where: str, params: list[object], rank: str, limit: int, total: int
    ) -> list[tuple[int, float]]:
        """(rowid, score) of the best `limit` matches. Scoring is per match (about 2.5 µs each
        here), so a broad query (more than BROAD matches: a word most passages have) is ranked
        among the passages whose heading has its words, then the rest in the order they stand."""
        if not total or limit <= 0:
            return []
        if total <= BROAD:
            sql = f"SELECT rowid, -{rank} FROM words WHERE {where} ORDER BY {rank} LIMIT ?"
            return [(int(r), float(s)) for r, s in self.conn.execute(sql, [*params, limit])]
        titled = [f"{{title}} : ({params[0]})", *params[1:]]
        sql = f"SELECT rowid, -{rank} FROM words WHERE {where} ORDER BY {rank} LIMIT ?"
        best = [(int(r), float(s)) for r, s in self.conn.execute(sql, [*titled, limit])]
        if len(best) < limit:
            floor = min((s for _r, s in best), default=1.0) / 2  # below every scored one
            seen = {r for r, _s in best}
            sql = f"SELECT rowid FROM words WHERE {where} LIMIT ?"
            for (rowid,) in self.conn.execute(sql, [*params, limit]):
                if rowid not in seen and len(best) < limit:
                    best.append((int(rowid), floor))
        return best

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM doc").fetchone()[0])

    def close(self) -> None:
        self.conn.close()

    def search(
        self, query: Any, filters: dict[str, Sequence[str] | None], limit: int
    ) -> PassageMatches:
        """The best `limit` passages for a parsed Whoosh `query`, and every match counted by
        report; nothing when the filters ask for what passages do not have (a theme, an
        authority, another kind)."""
        if filters.get("theme") or filters.get("authority"):
            return PassageMatches()
        kinds = filters.get("kind")
        if kinds and "passage" not in kinds:
            return PassageMatches()
        expression = fts_expression(query)
        if not expression:
            return PassageMatches()
        where, params = "words MATCH ?", list[object]([expression])
        numbers = dict(self.conn.execute("SELECT n, key FROM report").fetchall())
        reports = filters.get("report")
        if reports:
            blocks = [_block(n) for n, key in numbers.items() if key in reports]
            if not blocks:
                return PassageMatches()
            where += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in blocks) + ")"
            params += [bound for block in blocks for bound in block]
        rank = f"bm25(words, {TITLE_WEIGHT}, 1.0, 1.0)"
        try:
            counted = self.conn.execute(
                f"SELECT rowid >> {BLOCK}, count(*) FROM words WHERE {where} GROUP BY 1", params
            ).fetchall()
            total = sum(n for _block, n in counted)
            best = self._best(where, params, rank, limit, total)
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
        by_report = {numbers.get(n, ""): int(count) for n, count in counted}
        return PassageMatches(hits, by_report)


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
    from whoosh import query as q

    if isinstance(query, q.Term):
        text = query.text.decode("utf-8") if isinstance(query.text, bytes) else str(query.text)
        return _quote(text) if text.strip() else ""
    if isinstance(query, q.Phrase):
        words = " ".join(str(w) for w in query.words if str(w).strip())
        return "{title body} : " + _quote(words) if words else ""
    if isinstance(query, q.Prefix):
        return f"{_quote(str(query.text))} *" if str(query.text).strip() else ""
    if isinstance(query, q.AndNot):
        positive, negative = fts_expression(query.a), fts_expression(query.b)
        return f"({positive} NOT {negative})" if positive and negative else positive
    if isinstance(query, q.Not):
        return ""
    if isinstance(query, q.And | q.Require | q.AndMaybe):
        children = list(query.children())
        wanted = _unique(fts_expression(c) for c in children if not isinstance(c, q.Not))
        if isinstance(query, q.AndMaybe):
            wanted = wanted[:1]  # the optional part only adds to the score
        expression = f"({' AND '.join(wanted)})" if len(wanted) > 1 else "".join(wanted)
        for child in children:
            if isinstance(child, q.Not) and expression:
                excluded = fts_expression(child.query)
                if excluded:
                    expression = f"({expression} NOT {excluded})"
        return expression
    if isinstance(query, q.CompoundQuery):  # Or, DisjunctionMax, a concept's best-of: any child
        either = _unique(fts_expression(c) for c in query.children())
        return either[0] if len(either) == 1 else (f"({' OR '.join(either)})" if either else "")
    terms = [_quote(str(t)) for _f, t in query.iter_all_terms()] if query.has_terms() else []
    return f"({' OR '.join(_unique(terms))})" if terms else ""  # anything else: any of its words


def _unique(parts: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(p for p in parts if p))
