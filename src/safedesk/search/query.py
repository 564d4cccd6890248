"""Running a user's query against the index: forgiving parsing, filters, ranking, snippets."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from safedesk.search.index import SearchIndex
from safedesk.views import SearchHit, SearchResult

MAX_QUERY_CHARS = 500
# Practice boxes are what people come for; other kinds still rank, a little lower.
KIND_WEIGHT = {"practice": 1.6, "finding": 1.15, "section": 1.0}
SNIPPET_CHARS = 220


def clean_query(query: str) -> tuple[str, str | None]:
    """Drop control characters and cap the length; return the text and a note if it changed."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in query
    )
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        return cut, f"The query was shortened to its first {len(cut)} characters."
    return text, None


def _parse(index: SearchIndex, text: str) -> Any:
    from whoosh import qparser

    parser = qparser.MultifieldParser(["title", "body"], index.schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.FieldsPlugin)
    try:
        return parser.parse(text)
    except Exception:  # the parser is forgiving, but never let odd input escape
        words = re.findall(r"\w+", text)
        return parser.parse(" ".join(words)) if words else None


def _filter(filters: dict[str, Sequence[str] | None]) -> Any:
    from whoosh.query import And, Or, Term

    parts = []
    for field, values in filters.items():
        if values:
            parts.append(Or([Term(field, v) for v in values]))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def run_search(
    index: SearchIndex,
    query: str,
    limit: int = 20,
    report: Sequence[str] | None = None,
    theme: Sequence[str] | None = None,
    authority: Sequence[str] | None = None,
    kind: Sequence[str] | None = None,
) -> SearchResult:
    from whoosh import sorting
    from whoosh.query import NullQuery

    text, note = clean_query(query)
    parsed = _parse(index, text) if text else None
    if parsed is None or parsed is NullQuery:
        return SearchResult(
            query=query, total=0, hits=[], note=note or "Type some words to search."
        )
    searcher = index.searcher
    facets = {
        name: sorting.FieldFacet(name, maptype=sorting.Count)
        for name in ("kind", "report", "theme", "authority")
    }
    results = searcher.search(
        parsed,
        limit=max(limit * 3, 30),
        filter=_filter({"report": report, "theme": theme, "authority": authority, "kind": kind}),
        terms=True,
        groupedby=facets,
    )
    scored = sorted(results, key=lambda hit: -hit.score * KIND_WEIGHT.get(hit["kind"], 0.9))[
        : max(0, limit)
    ]
    hits = []
    for hit in scored:
        matched = {
            t.decode("utf-8") if isinstance(t, bytes) else t for _f, t in hit.matched_terms()
        }
        hits.append(
            SearchHit(
                key=hit["key"],
                kind=hit["kind"],
                number=_number(hit["number"]),
                title=hit["title"],
                authority=hit["authority_name"] or None,
                theme=hit["theme_title"] or None,
                score=round(hit.score * KIND_WEIGHT.get(hit["kind"], 0.9), 4),
                snippet=snippet(hit["body"], matched),
                report=hit["report"],
            )
        )
    facet_counts = {
        name: {k: v for k, v in sorted(results.groups(name).items(), key=lambda kv: -kv[1]) if k}
        for name in facets
    }
    total = len(results)
    if total == 0 and note is None:
        note = "Nothing matched. Try fewer or different words."
    return SearchResult(query=query, total=total, hits=hits, note=note, facets=facet_counts)


def _number(value: str) -> int | str | None:
    if not value:
        return None
    return int(value) if value.isdigit() else value


_WORD = re.compile(r"\w+(?:\.?\w+)*")  # the tokenizer pattern of Whoosh's StemmingAnalyzer


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    from whoosh.lang.porter import stem

    return str(stem(word))


def snippet(text: str, matched: set[str], width: int = SNIPPET_CHARS) -> str:
    """The part of `text` with the most matched words, each wrapped in [ ]."""
    spans = [
        (m.start(), m.end()) for m in _WORD.finditer(text) if _stem(m.group().lower()) in matched
    ]
    if not spans:
        cut = text[:width].rsplit(" ", 1)[0] if len(text) > width else text
        return " ".join(cut.replace("\n- ", " • ").split()) + ("…" if len(text) > width else "")
    best_start, best_count = spans[0][0], 0
    for start, _end in spans:
        count = sum(1 for s, _ in spans if start <= s < start + width)
        if count > best_count:
            best_start, best_count = start, count
    begin = max(0, best_start - 40)
    if begin > 0:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space >= 0 else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if space != -1 else len(text)
    out: list[str] = []
    pos = begin
    for s, e in spans:
        if s < begin or e > end:
            continue
        out.append(text[pos:s])
        out.append(f"[{text[s:e]}]")
        pos = e
    out.append(text[pos:end])
    body = " ".join("".join(out).replace("\n- ", " • ").split())
    return ("…" if begin > 0 else "") + body + ("…" if end < len(text) else "")
