"""Running a query: parse, filter, rank, facet, snippet, and suggest a spelling."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from safedesk.search.analysis import WORD, word_stems
from safedesk.search.glossary import Glossary
from safedesk.search.index import SearchIndex
from safedesk.search.querylang import parse
from safedesk.views import SearchHit, SearchResult

MAX_QUERY_CHARS = 500
# Practice boxes are what people come for; other kinds still rank, a little lower.
KIND_WEIGHT = {"practice": 1.6, "finding": 1.15, "section": 1.0}
SNIPPET_CHARS = 220
FACETS = ("kind", "report", "theme", "authority")
Resolver = Callable[[str, str], list[str]]


def clean_query(query: str) -> tuple[str, str | None]:
    """Drop control characters and cap the length; return the text and a note if it changed."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in query
    )
    text = " ".join(text.split()) + (" " if text[-1:].isspace() else "")
    if len(text) > MAX_QUERY_CHARS:
        cut = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        return cut, f"The query was shortened to its first {len(cut)} characters."
    return text, None


def _whoosh_query(index: SearchIndex, text: str, every_word: bool = True) -> Any:
    from whoosh import qparser

    group = qparser.AndGroup if every_word else qparser.OrGroup.factory(0.9)
    parser = qparser.MultifieldParser(["title", "body"], index.schema, group=group)
    try:
        return parser.parse(text)
    except Exception:  # the text is already sanitised; this is a last line of defence
        words = WORD.findall(text)
        return parser.parse(" ".join(words)) if words else None


def _filter(filters: Mapping[str, Sequence[str] | None]) -> Any:
    from whoosh.query import And, Or, Term

    parts = [Or([Term(name, v) for v in values]) for name, values in filters.items() if values]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)


def run_search(
    index: SearchIndex,
    query: str,
    glossary: Glossary | None,
    resolve: Resolver,
    limit: int = 20,
    filters: dict[str, list[str] | None] | None = None,
    typing: bool = False,
    facets: bool = True,
) -> SearchResult:
    """Search `index`. `resolve(field, value)` turns a typed theme/authority/report into keys."""
    from whoosh import sorting
    from whoosh.query import NullQuery

    text, length_note = clean_query(query)
    parsed = parse(text, glossary, typing=typing)
    notes = [n for n in [length_note, *parsed.notes] if n]
    wanted = dict(filters or {})
    for name, values in parsed.filters.items():
        keys: list[str] = []
        for value in values:
            found = [value.lower()] if name == "kind" else resolve(name, value)
            if not found:
                notes.append(f"No {name} matches '{value}'.")
            keys += found
        wanted[name] = [k for k in keys if not wanted.get(name) or k in (wanted[name] or [])]
        if not wanted[name]:
            return _empty(query, parsed.expanded, notes)
    whoosh_query = _whoosh_query(index, parsed.whoosh) if parsed.whoosh else None
    if whoosh_query is None or whoosh_query is NullQuery:
        if not notes:
            notes.append("Type some words to search.")
        return _empty(query, parsed.expanded, notes)
    grouped = (
        {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
        if facets
        else None
    )

    def run(q: Any) -> Any:
        return index.searcher.search(
            q, limit=max(limit * 3, 30), filter=_filter(wanted), terms=True, groupedby=grouped
        )

    results = run(whoosh_query)
    ranked = sorted(results, key=_weighted)
    total = len(results)
    if total < limit and len(parsed.words) > 1:
        # "best matches first": fill up with results that have some of the words
        partial = run(_whoosh_query(index, parsed.whoosh, every_word=False))
        seen = {hit["key"] for hit in ranked}
        extra = [hit for hit in sorted(partial, key=_weighted) if hit["key"] not in seen]
        if extra:
            if total == 0:
                notes.append("No result has every word; these have some of them.")
            ranked += extra
            total += len(partial) - len(seen & {hit["key"] for hit in partial})
            results = partial
    hits = [_hit(hit) for hit in ranked[: max(0, limit)]]
    speller = index.speller()
    suggestion = speller.suggest(text.strip(), parsed.words) if parsed.words else None
    if total == 0 and not notes:
        notes.append("Nothing matched. Try fewer or different words.")
    return SearchResult(
        query=query,
        total=total,
        hits=hits,
        note=" ".join(notes) or None,
        facets={name: _counts(results, name) for name in FACETS} if facets else {},
        expanded=parsed.expanded,
        suggestion=suggestion,
    )


def _weighted(hit: Any) -> float:
    return float(-hit.score * KIND_WEIGHT.get(hit["kind"], 0.9))


def _empty(query: str, expanded: list[dict[str, str]], notes: list[str]) -> SearchResult:
    return SearchResult(
        query=query, total=0, hits=[], note=" ".join(notes) or None, expanded=expanded
    )


def _counts(results: Any, name: str) -> dict[str, int]:
    groups = results.groups(name)
    return {k: v for k, v in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0])) if k}


def _hit(hit: Any) -> SearchHit:
    terms = hit.matched_terms() if hit.results.has_matched_terms() else []
    matched = {t.decode("utf-8") if isinstance(t, bytes) else t for _f, t in terms}
    return SearchHit(
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


def _number(value: str) -> int | str | None:
    if not value:
        return None
    return int(value) if value.isdigit() else value


def snippet(text: str, matched: set[str], width: int = SNIPPET_CHARS) -> str:
    """The part of `text` with the most matched words, each wrapped in [ ]."""
    spans = [
        (m.start(), m.end())
        for m in WORD.finditer(text)
        if not word_stems(m.group()).isdisjoint(matched)
    ]
    if not spans:
        cut = text[:width].rsplit(" ", 1)[0] if len(text) > width else text
        return _flat(cut) + ("…" if len(text) > width else "")
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
    return ("…" if begin > 0 else "") + _flat("".join(out)) + ("…" if end < len(text) else "")


def _flat(text: str) -> str:
    return " ".join(text.replace("\n- ", " • ").split())
