"""Browsing by practice concept: which items each concept matches (one of its own labels in the
title or text), counts for the thesaurus tree, and a concept's best items.

Which items have which concept is worked out from their text once per report (about 0.2 s for a
report like the bundled one) and kept in the index folder (CONCEPTS_NAME), so opening the library
again costs nothing; a report's entry goes when the index updates that report, and the whole file
counts for nothing once the thesaurus changes. With the open index, the sets are kept in memory,
so counting the tree again, or finding what two items share, costs nothing until it changes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from safedesk.search.concepts import Concept, Thesaurus, stems_of
from safedesk.search.highlight import wordings_in
from safedesk.search.index import CONCEPTS_NAME, SearchIndex, _write_json
from safedesk.views import ConceptDetail, ConceptNode, ConceptRef

_CACHE = "concept-docs"


def label_query(labels: list[str]) -> Any:
    """A Whoosh query for any of `labels` in a title or a body, analysed as the search does."""
    from safedesk.search.build import any_of

    return any_of(stems_of(label) for label in labels)


def concept_docs(index: SearchIndex, thesaurus: Thesaurus) -> dict[str, frozenset[int]]:
    """Document numbers matching each concept's own labels (kept; see the module's notes)."""
    from whoosh.query import Term

    cached = index.derived.get(_CACHE)
    if cached is not None and cached[0] is thesaurus:
        return dict(cached[1])
    path = index.path / CONCEPTS_NAME
    stored = _stored(path, thesaurus.digest)
    searcher = index.searcher
    labels = [(c.id, stems_of(text)) for c in thesaurus.concepts.values() for text in c.labels]
    wordings = [stems for _cid, stems in labels]
    found: dict[str, set[int]] = {cid: set() for cid in thesaurus.concepts}
    reports = sorted({r for r in index.facet_values("report") if r})
    changed = set(stored) != set(reports)
    for report in reports:
        docnums = sorted(searcher.docs_for_query(Term("report", report)))
        check = [len(docnums)] + [
            searcher.stored_fields(d)["key"] for d in docnums[:1] + docnums[-1:]
        ]
        entry = stored.get(report)
        if entry is None or entry.get("check") != check:
            members: dict[str, list[int]] = {}
            for place, docnum in enumerate(docnums):
                fields = searcher.stored_fields(docnum)
                for i in wordings_in(f"{fields['title']}\n{fields['body']}", wordings):
                    cid = labels[i][0]
                    if not members.get(cid) or members[cid][-1] != place:
                        members.setdefault(cid, []).append(place)
            entry = {"check": check, "concepts": members}
            changed = True
        stored[report] = entry
        for cid, places in entry["concepts"].items():
            if cid in found:
                found[cid].update(docnums[place] for place in places)
    if changed:
        kept = {report: stored[report] for report in reports}
        _write_json(path, {"thesaurus": thesaurus.digest, "reports": kept})
    docs = {cid: frozenset(members) for cid, members in found.items()}
    index.derived[_CACHE] = (thesaurus, docs)
    return dict(docs)


def _stored(path: Path, digest: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("thesaurus") != digest:
        return {}
    reports = data.get("reports")
    return dict(reports) if isinstance(reports, dict) else {}


def items_under(index: SearchIndex, thesaurus: Thesaurus) -> dict[str, frozenset[int]]:
    """Document numbers matching each concept or a concept below it (what the tree counts)."""
    docs = concept_docs(index, thesaurus)
    return {
        concept.id: frozenset(_under(thesaurus, concept, docs))
        for concept in thesaurus.concepts.values()
    }


def _under(thesaurus: Thesaurus, concept: Concept, docs: dict[str, frozenset[int]]) -> set[int]:
    out: set[int] = set()
    for below in thesaurus.descendants(concept):
        out |= docs[below.id]
    return out


def tree(index: SearchIndex, thesaurus: Thesaurus) -> list[ConceptNode]:
    """The thesaurus as a tree (roots and children by label), each concept with the number of
    items that match it or a concept below it."""
    docs = concept_docs(index, thesaurus)

    def node(concept: Concept, path: tuple[str, ...]) -> ConceptNode:
        children = [
            node(child, (*path, child.id))
            for child in thesaurus.children(concept)
            if child.id not in path
        ]
        return ConceptNode(
            id=concept.id,
            label=concept.pref_label,
            scope_note=concept.scope_note,
            count=len(_under(thesaurus, concept, docs)),
            children=children,
        )

    return [node(root, (root.id,)) for root in thesaurus.roots()]


def detail(index: SearchIndex, thesaurus: Thesaurus, concept: Concept, limit: int) -> ConceptDetail:
    """A concept's labels, relations and scope note, and its best items: those with its labels or
    a narrower concept's, ranked as a search ranks them (practice boxes first)."""
    from safedesk.search.highlight import matched_by
    from safedesk.search.query import _hit, _scored

    docs = concept_docs(index, thesaurus)
    labels = [label for below in thesaurus.descendants(concept) for label in below.labels]
    q = label_query(labels)
    ranked, _seen = _scored(index, q, None, limit)
    marks = matched_by(q)

    def refs(ids: tuple[str, ...]) -> list[ConceptRef]:
        found = sorted((thesaurus.concepts[i] for i in ids), key=lambda c: c.pref_label)
        return [ConceptRef(c.id, c.pref_label) for c in found]

    return ConceptDetail(
        id=concept.id,
        label=concept.pref_label,
        alt_labels=list(concept.alt_labels),
        scope_note=concept.scope_note,
        broader=refs(concept.broader),
        narrower=refs(concept.narrower),
        related=refs(concept.related),
        count=len(_under(thesaurus, concept, docs)),
        items=[_hit(hit, marks) for hit in ranked[: max(0, limit)]],
    )
