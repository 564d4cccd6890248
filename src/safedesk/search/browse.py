"""Browsing by practice concept: which items each concept matches (its own labels, at full
weight), counts for the thesaurus tree, and a concept's best items.

The set of items for every concept is worked out once per open index (one unscored pass per
concept, well under a second at 30 reports) and kept with it, so counting the tree again, or
finding what two items share, costs nothing until the index changes.
"""

from __future__ import annotations

from typing import Any

from safedesk.search.concepts import Concept, Thesaurus, stems_of
from safedesk.search.index import SearchIndex
from safedesk.views import ConceptDetail, ConceptNode, ConceptRef

_CACHE = "concept-docs"


def label_query(labels: list[str]) -> Any:
    """A Whoosh query for any of `labels` in a title or a body, analysed as the search does."""
    from safedesk.search.build import any_of

    return any_of(stems_of(label) for label in labels)


def concept_docs(index: SearchIndex, thesaurus: Thesaurus) -> dict[str, frozenset[int]]:
    """Document numbers matching each concept's own labels (cached with the open index)."""
    cached = index.derived.get(_CACHE)
    if cached is not None and cached[0] is thesaurus:
        return dict(cached[1])
    searcher = index.searcher
    docs = {
        concept.id: frozenset(searcher.docs_for_query(label_query(list(concept.labels))))
        for concept in thesaurus.concepts.values()
    }
    index.derived[_CACHE] = (thesaurus, docs)
    return dict(docs)


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
