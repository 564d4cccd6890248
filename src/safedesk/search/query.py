"""Running a query: parse, filter, rank, facet, snippet, and suggest a spelling."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from safedesk.search.analysis import WORD, word_stems
from safedesk.search.glossary import Glossary
from safedesk.search.index import SearchIndex
from safedesk.search.passages import PassageMatches
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
    parser = index.parser(every_word)
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
    """Search `index`. `resolve(field, value)` turns a typed theme/authority/report into keys.

    Only the hits shown are scored and given snippets; the total and facet counts come from one
    unscored pass over the matching documents.
    """
    text, length_note = clean_query(query)
    parsed = parse(text, glossary, typing=typing, complete=index.completions)
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
    if parsed.short_prefix and not wanted.get("kind"):
        wanted["kind"] = ["practice"]
    main = _whoosh_query(index, parsed.whoosh) if parsed.whoosh else None
    if main is None or _is_null(main):
        if not notes:
            notes.append("Type some words to search.")
        return _empty(query, parsed.expanded, notes)
    restrict = _filter(wanted)
    ranked, matched = _scored(index, main, restrict, limit)
    passages_found = _passages(index, main, wanted, limit)
    ranked = sorted([*ranked, *passages_found.hits], key=_weighted)
    if len(matched) + passages_found.total < limit and len(parsed.words) > 1 and not typing:
        # "best matches first": fill up with results that have some of the words
        partial = _whoosh_query(index, parsed.whoosh, every_word=False)
        more, more_matched = _scored(index, partial, restrict, limit)
        more_passages = _passages(index, partial, wanted, limit)
        seen = {hit["key"] for hit in ranked}
        extra = [
            h for h in sorted([*more, *more_passages.hits], key=_weighted) if h["key"] not in seen
        ]
        if extra and not (matched or passages_found.total):
            notes.append("No result has every word; these have some of them.")
        ranked += extra
        matched |= more_matched
        passages_found = (
            more_passages if more_passages.total > passages_found.total else passages_found
        )
        main = partial
    highlight = _highlight_terms(main)
    hits = [_hit(hit, highlight) for hit in ranked[: max(0, limit)]]
    anything = bool(matched) or passages_found.total > 0
    spell = parsed.words + ([parsed.prefix] if parsed.prefix and not anything else [])
    suggestion = index.speller().suggest(text.strip(), spell) if spell else None
    if not anything and not notes:
        notes.append("Nothing matched. Try fewer or different words.")
    return SearchResult(
        query=query,
        total=len(matched) + passages_found.total,
        hits=hits,
        note=" ".join(notes) or None,
        facets=_with_passages(_facets(index, matched), passages_found) if facets else {},
        expanded=parsed.expanded,
        suggestion=suggestion,
    )


def _passages(
    index: SearchIndex, q: Any, wanted: Mapping[str, Sequence[str] | None], limit: int
) -> PassageMatches:
    """Documents' passages for the query (they are searched apart: see `search.passages`)."""
    if index.passages is None:
        return PassageMatches()
    return index.passages.search(q, dict(wanted), max(limit * 3, 30))


def _with_passages(
    facets: dict[str, dict[str, int]], found: PassageMatches
) -> dict[str, dict[str, int]]:
    """Facet counts with the passages found added in (kind "passage", and their reports)."""
    if not found.total:
        return facets
    kinds = {**facets.get("kind", {}), "passage": found.total}
    reports = dict(facets.get("report", {}))
    for report, n in found.by_report.items():
        reports[report] = reports.get(report, 0) + n
    ordered = {name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
               for name, c in (("kind", kinds), ("report", reports))}  # fmt: skip
    return {**facets, **ordered}


def _is_null(q: Any) -> bool:
    from whoosh.query import NullQuery

    return q is NullQuery


def _scored(index: SearchIndex, q: Any, restrict: Any, limit: int) -> tuple[list[Any], set[int]]:
    """The best hits (re-ranked by kind) and the set of every matching document number, found
    in one pass: a top-N collector that records each document it sees."""
    from whoosh import collectors

    top = collectors.TopCollector(limit=max(limit * 3, 30), usequality=False)
    top.replace = 0  # no matcher pruning either: every match must reach the recorder
    recorder = _Recorder(top)
    chain = (
        collectors.FilterCollector(recorder, allow=restrict) if restrict is not None else recorder
    )
    index.searcher.search_with_collector(q, chain)
    results = chain.results()
    # index the scored hits: iterating Results asks len() for a size hint, which counts every match
    ranked = sorted((results[i] for i in range(results.scored_length())), key=_weighted)
    return ranked, recorder.seen


def _Recorder(child: Any) -> Any:
    """A collector that passes every document to `child` and remembers its number."""
    return _recorder_class()(child)


@functools.lru_cache(maxsize=1)
def _recorder_class() -> Any:
    """Defined on first use, so that importing this module does not import Whoosh."""
    from whoosh.collectors import WrappingCollector

    class Recorder(WrappingCollector):
        def __init__(self, child: Any) -> None:
            super().__init__(child)
            self.seen: set[int] = set()

        def collect(self, sub_docnum: int) -> Any:
            self.seen.add(self.offset + sub_docnum)
            return self.child.collect(sub_docnum)

    return Recorder


def _facets(index: SearchIndex, matched: set[int]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name in FACETS:
        values = index.facet_values(name)
        counts: dict[str, int] = {}
        for docnum in matched:
            value = values[docnum]
            if value:
                counts[value] = counts.get(value, 0) + 1
        out[name] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def _highlight_terms(q: Any) -> tuple[frozenset[str], tuple[str, ...]]:
    """Stems and prefixes the query looks for (not those under NOT), for snippets."""
    from whoosh.query import Not, Prefix

    stems: set[str] = set()
    prefixes: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, Prefix):
            prefixes.append(str(node.text))
            return
        if node.is_leaf():
            for _field, term in node.terms():
                stems.add(term.decode("utf-8") if isinstance(term, bytes) else str(term))
            return
        for child in node.children():
            walk(child)

    walk(q)
    return frozenset(stems), tuple(prefixes)


def _weighted(hit: Any) -> float:
    return float(-hit.score * KIND_WEIGHT.get(hit["kind"], 0.9))


def _empty(query: str, expanded: list[dict[str, str]], notes: list[str]) -> SearchResult:
    return SearchResult(
        query=query, total=0, hits=[], note=" ".join(notes) or None, expanded=expanded
    )


def _hit(
    hit: Any, highlight: tuple[frozenset[str], tuple[str, ...]] = (frozenset(), ())
) -> SearchHit:
    return SearchHit(
        key=hit["key"],
        kind=hit["kind"],
        number=_number(hit["number"]),
        title=hit["title"],
        authority=hit["authority_name"] or None,
        theme=hit["theme_title"] or None,
        score=round(hit.score * KIND_WEIGHT.get(hit["kind"], 0.9), 4),
        snippet=snippet(hit["body"], *highlight),
        report=hit["report"],
        page=hit.get("page"),
    )


def _number(value: str) -> int | str | None:
    if not value:
        return None
    return int(value) if value.isdigit() else value


def snippet(
    text: str, stems: frozenset[str], prefixes: tuple[str, ...] = (), width: int = SNIPPET_CHARS
) -> str:
    """The part of `text` with the most query words, each wrapped in [ ]."""
    spans = [
        (m.start(), m.end())
        for m in WORD.finditer(text)
        if not word_stems(m.group()).isdisjoint(stems)
        or (prefixes and m.group().lower().startswith(prefixes))
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
