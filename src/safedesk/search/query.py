"""Running a query: parse, filter, rank, facet, snippet, and suggest a spelling."""

from __future__ import annotations

import functools
import heapq
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from typing import Any

from safedesk.search.analysis import WORD
from safedesk.search.build import group_docs, with_groups
from safedesk.search.concepts import Thesaurus
from safedesk.search.glossary import Glossary
from safedesk.search.highlight import Matched, lacks, matched_by, snippet
from safedesk.search.index import SearchIndex
from safedesk.search.passages import PassageMatches
from safedesk.search.querylang import ParsedQuery, Unit, parse
from safedesk.views import SearchHit, SearchResult

MAX_QUERY_CHARS = 500
# Practice boxes are what people come for; other kinds still rank, a little lower.
KIND_WEIGHT = {"practice": 1.6, "finding": 1.15, "section": 1.0}
FACETS = ("kind", "report", "theme", "authority")
# every kind of item the index holds, in the order a listing shows them
KINDS = (
    "practice", "finding", "section", "key-learning", "enabler", "barrier", "outcome",
    "next-step", "factor", "example", "passage",
)  # fmt: skip
FILL_UP_BELOW = 20  # fewer results with every word than this: add those with some of them
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


def _whoosh_query(
    index: SearchIndex, parsed: ParsedQuery, every_word: bool = True
) -> tuple[Any, Any]:
    """The parsed query as Whoosh objects, and as parsed (with concept placeholders: see
    `build.with_groups`)."""
    q = _parsed(index, parsed.whoosh, every_word)
    return (None, None) if q is None else (with_groups(q, parsed.groups), q)


def _parsed(index: SearchIndex, text: str, every_word: bool) -> Any:
    parser = index.parser(every_word)
    try:
        return parser.parse(text)
    except Exception:  # the text is already sanitised; this is a last line of defence
        words = WORD.findall(text)
        return parser.parse(" ".join(words)) if words else None


def _tier(index: SearchIndex, parsed: ParsedQuery) -> Callable[[int], int] | None:
    """For a query that names concepts: how directly an item matched (0: a wording typed, 1: a
    synonym, 2: only a related wording or the typed words apart), by its weakest concept
    clause; None for other queries."""
    if not parsed.groups:
        return None
    searcher = index.searcher
    levels = [
        [group_docs(searcher, group, level) for level in ("typed", "synonyms", "all")]
        for group in parsed.groups.values()
    ]

    def tier(docnum: int) -> int:
        found = [next(i for i, docs in enumerate(sets) if docnum in docs)
                 for sets in levels if docnum in sets[-1]]  # fmt: skip
        return max(found, default=0)

    return tier


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
    thesaurus: Thesaurus | None = None,
) -> SearchResult:
    """Search `index`. `resolve(field, value)` turns a typed theme/authority/report into keys.
    Without a `thesaurus`, words are not expanded to practice concepts (an exact search).

    Only the hits shown are scored and given snippets; the total and facet counts come from one
    unscored pass over the matching documents. When fewer than FILL_UP_BELOW results have every
    word, results with some of the words follow (never while typing); whether that happens does
    not depend on `limit`, so neither does `total`.
    """
    text, length_note = clean_query(query)
    parsed = parse(text, glossary, typing=typing, complete=index.completions, thesaurus=thesaurus)
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
    if wanted.get("kind"):
        kinds = wanted["kind"] or []
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            names = ", ".join(f"'{k}'" for k in unknown)
            notes.append(f"No kind {names}; the kinds are {', '.join(KINDS)}.")
            wanted["kind"] = [k for k in kinds if k in KINDS]
            if not wanted["kind"]:
                return _empty(query, parsed.expanded, notes)
    if parsed.short_prefix and not wanted.get("kind"):
        wanted["kind"] = ["practice"]
    restrict = _filter(wanted)
    main, raw = _whoosh_query(index, parsed) if parsed.whoosh else (None, None)
    if main is None or _is_null(main):
        if restrict is not None and not parsed.units:
            return _listing(index, query, restrict, limit, facets, notes)
        if not notes:
            notes.append("Type some words to search.")
        return _empty(query, parsed.expanded, notes)
    # documents' passages: the words and their concepts' other terms, not related concepts (FTS5
    # cannot weigh them lower, and across thousands of passages they would swamp the rest);
    # searched aside while Whoosh scores the reports' items
    with_synonyms = with_groups(raw, parsed.groups, "synonyms")  # (also what snippets prefer)
    passages_found = _passages(index, with_synonyms, wanted, limit)
    tier = _tier(index, parsed)
    ranked, matched = _scored(index, main, restrict, limit, tier)
    in_passages = passages_found.result()
    ranked = _with_passage_hits(ranked, in_passages)
    every_word = set(matched)
    full_passages = {hit["key"] for hit in in_passages.hits}
    partial_units: list[Unit] = []
    if len(matched) + in_passages.total < FILL_UP_BELOW and len(parsed.units) > 1 and not typing:
        # "best matches first": fill up with results that have some of the words
        partial, partial_raw = _whoosh_query(index, parsed, every_word=False)
        more, more_matched = _scored(index, partial, restrict, limit, tier)
        more_passages = _passages(
            index, with_groups(partial_raw, parsed.groups, "synonyms"), wanted, limit
        ).result()
        seen = {hit["key"] for hit in ranked}
        extra = [
            hit for hit in _with_passage_hits(more, more_passages)
            if hit["key"] not in seen and getattr(hit, "docnum", None) not in matched
        ]  # fmt: skip
        added = len(more_matched - matched) + max(0, more_passages.total - in_passages.total)
        if added:
            partial_units = parsed.units
            if matched or in_passages.total:
                having = len(matched) + in_passages.total
                notes.append(
                    f"{_count(having, 'result has', 'results have')} every word; "
                    f"{_count(added, 'more has', 'more have')} only some of them (each says "
                    "which words it lacks)."
                )
            else:
                notes.append("No result has every word; these have some of them.")
        ranked += extra
        matched = matched | more_matched
        in_passages = more_passages if more_passages.total > in_passages.total else in_passages
        main = partial
    marks = matched_by(main)
    # snippets show what was typed, or else a synonym, rather than a related wording if they can
    first = (
        [matched_by(with_groups(raw, parsed.groups, "typed")), matched_by(with_synonyms)]
        if tier
        else []
    )

    def lacking(hit: Any) -> list[Unit] | None:
        docnum = getattr(hit, "docnum", None)
        whole = docnum in every_word if docnum is not None else hit["key"] in full_passages
        return None if whole else partial_units

    hits = [_hit(hit, marks, lacking(hit), first) for hit in ranked[: max(0, limit)]]
    anything = bool(matched) or in_passages.total > 0
    spell = parsed.words + ([parsed.prefix] if parsed.prefix and not anything else [])
    suggestion = index.speller().suggest(text.strip(), spell) if spell else None
    if not anything and not notes:
        notes.append("Nothing matched. Try fewer or different words.")
    return SearchResult(
        query=query,
        total=len(matched) + in_passages.total,
        hits=hits,
        note=" ".join(notes) or None,
        facets=_with_passages(_facets(index, matched), in_passages) if facets else {},
        expanded=parsed.expanded,
        suggestion=suggestion,
        matched=marks.to_json(),
    )


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _listing(
    index: SearchIndex, query: str, restrict: Any, limit: int, facets: bool, notes: list[str]
) -> SearchResult:
    """A query of filters only: everything they select, practice boxes first, in box order."""
    searcher = index.searcher
    docnums = sorted(searcher.docs_for_query(restrict))
    kinds = index.facet_values("kind")
    order = sorted(docnums, key=lambda d: (_kind_rank(kinds[d]), *_listing_key(searcher, d)))
    hits = [_stored_hit(searcher.stored_fields(d)) for d in order[: max(0, limit)]]
    return SearchResult(
        query=query,
        total=len(docnums),
        hits=hits,
        note=" ".join([*notes, "Listing everything the filters select."]),
        facets=_facets(index, set(docnums)) if facets else {},
        matched=Matched().to_json(),
    )


def _kind_rank(kind: str) -> int:
    return KINDS.index(kind) if kind in KINDS else len(KINDS)


def _listing_key(searcher: Any, docnum: int) -> tuple[str, int, str]:
    stored = searcher.stored_fields(docnum)
    number = str(stored.get("number") or "")
    return stored.get("report", ""), int(number) if number.isdigit() else 0, stored["title"]


def _passages(
    index: SearchIndex, q: Any, wanted: Mapping[str, Sequence[str] | None], limit: int
) -> Future[PassageMatches]:
    """Documents' passages for the query, being searched (apart, and on a thread of their own:
    see `search.passages`)."""
    if index.passages is None:
        nothing: Future[PassageMatches] = Future()
        nothing.set_result(PassageMatches())
        return nothing
    return index.passages.search_aside(q, dict(wanted), max(limit * 3, 30))


def _with_passage_hits(ranked: list[Any], found: PassageMatches) -> list[Any]:
    """Whoosh's hits and the passages found in one list by weighted score, each kept in its own
    order (the Whoosh hits may be in tier order, which a plain sort would undo)."""
    if not found.hits:
        return ranked
    passages = sorted(found.hits, key=_weighted)
    return list(heapq.merge(ranked, passages, key=_weighted))


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


def _scored(
    index: SearchIndex,
    q: Any,
    restrict: Any,
    limit: int,
    tier: Callable[[int], int] | None = None,
) -> tuple[list[Any], set[int]]:
    """The best hits (re-ranked by kind) and the set of every matching document number, found
    in one pass: a top-N collector that records each document it sees. With `tier`, hits come
    in its order within their kind: what was typed, then its synonyms, then related wordings."""
    from whoosh import collectors

    from safedesk.search.matchers import kept_scores, sized

    top = collectors.TopCollector(limit=max(limit * 3, 30), usequality=False)
    top.replace = 0  # no matcher pruning either: every match must reach the recorder
    recorder = _Recorder(top)
    chain = (
        collectors.FilterCollector(recorder, allow=restrict) if restrict is not None else recorder
    )
    kept = kept_scores(index.derived, index.searcher)
    index.searcher.search_with_collector(sized(q, kept), chain)
    results = chain.results()
    # index the scored hits: iterating Results asks len() for a size hint, which counts every match
    scored = [results[i] for i in range(results.scored_length())]
    kinds = index.facet_values("kind")
    for hit in scored:  # its kind from the column: ranking reads no stored fields
        hit.kind = kinds[hit.docnum]
    ranked = sorted(scored, key=_weighted)
    if tier is not None and ranked:
        ranked = _by_tier(ranked, tier)
    return ranked, recorder.seen


def _by_tier(ranked: list[Any], tier: Callable[[int], int]) -> list[Any]:
    """Within each kind, hits in order of `tier(docnum)` (in score order within a tier), keeping
    the places each kind has in the list: a practice box with the typed words outranks one with
    only a synonym or a related wording, and boxes still interleave with findings and sections
    as their scores say."""
    places: dict[str, list[int]] = {}
    for place, hit in enumerate(ranked):
        places.setdefault(hit.kind, []).append(place)
    out = list(ranked)
    for positions in places.values():
        hits = sorted((ranked[p] for p in positions), key=lambda h: tier(h.docnum))
        for place, hit in zip(positions, hits, strict=True):
            out[place] = hit
    return out


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


def _weighted(hit: Any) -> float:
    """A hit's sort key: its score weighted by its kind, best first (`kind`: see `_scored`)."""
    return float(-hit.score * KIND_WEIGHT.get(hit.kind, 0.9))


def _empty(query: str, expanded: list[dict[str, str]], notes: list[str]) -> SearchResult:
    return SearchResult(
        query=query,
        total=0,
        hits=[],
        note=" ".join(notes) or None,
        expanded=expanded,
        matched=Matched().to_json(),
    )


def _hit(
    hit: Any,
    marks: Matched | None = None,
    units: list[Unit] | None = None,
    first: Sequence[Matched] = (),
) -> SearchHit:
    """A scored Whoosh hit as a SearchHit; with `units`, it says which of them it lacks. Its
    snippet shows where `first` (what was typed, then its synonyms) is, if it is there."""
    body = hit["body"]
    return SearchHit(
        key=hit["key"],
        kind=hit["kind"],
        number=_number(hit["number"]),
        title=hit["title"],
        authority=hit["authority_name"] or None,
        theme=hit["theme_title"] or None,
        score=round(hit.score * KIND_WEIGHT.get(hit["kind"], 0.9), 4),
        snippet=snippet(body, marks or Matched(), prefer=first),
        report=hit["report"],
        page=hit.get("page"),
        lacks=lacks(f"{hit['title']}\n{body}", units) if units else [],
    )


def _stored_hit(stored: dict[str, Any]) -> SearchHit:
    return SearchHit(
        key=stored["key"],
        kind=stored["kind"],
        number=_number(stored["number"]),
        title=stored["title"],
        authority=stored["authority_name"] or None,
        theme=stored["theme_title"] or None,
        score=0.0,
        snippet=snippet(stored["body"], Matched()),
        report=stored["report"],
        page=stored.get("page"),
    )


def _number(value: str) -> int | str | None:
    if not value:
        return None
    return int(value) if value.isdigit() else value
