"""Browsing by practice concept (the tree with counts, one concept in full) and related practice
that says what it shares."""

from __future__ import annotations

import json

import pytest

from safedesk.errors import NotFoundError
from safedesk.library import Library
from safedesk.views import ConceptNode
from tests.conftest import SECOND, SEED

BOX = "nfer-2011-safeguarding-children-council-developments/box-{}"


def _walk(nodes: list[ConceptNode]) -> list[ConceptNode]:
    return [n for node in nodes for n in (node, *_walk(node.children))]


def test_the_tree_holds_every_concept_with_counts(library: Library) -> None:
    tree = library.concepts()
    everything = _walk(tree)
    assert {n.id for n in everything} == set(library.thesaurus().concepts)
    assert all(not library.thesaurus().concepts[n.id].broader for n in tree)  # roots at the top
    for node in everything:
        assert node.label == library.thesaurus().concepts[node.id].pref_label and node.scope_note
        for child in node.children:  # an item about a narrower concept is about this one too
            assert child.count <= node.count
    counts = {n.id: n.count for n in everything}
    assert counts["supervision"] == library.search("supervision", exact=True).total
    assert counts["criminal-exploitation"] == 0  # no "county lines" in this report
    json = tree[0].to_json()
    assert set(json) == {"id", "label", "scope_note", "count", "children"}


def test_counts_follow_the_library_and_are_kept_until_it_changes(library: Library) -> None:
    before = {n.id: n.count for n in _walk(library.concepts())}
    cached = library.ensure_index().derived.get("concept-docs")
    assert cached is not None
    library.concepts()
    assert library.ensure_index().derived.get("concept-docs") is cached  # not counted again
    library.import_report(SECOND)
    after = {n.id: n.count for n in _walk(library.concepts())}
    assert after["front-door"] > before["front-door"]  # Riverton's "single front door"
    assert after["family-group-conference"] > before["family-group-conference"]


@pytest.mark.parametrize("term", ["front-door", "front door", "Front Doors", "duty desk"])
def test_a_concept_by_id_or_any_of_its_terms(library: Library, term: str) -> None:
    concept = library.concept(term, limit=6)
    assert concept.id == "front-door" and concept.label == "front door"
    assert "single point of contact" in concept.alt_labels
    assert [r.id for r in concept.broader] == ["referral-and-assessment"]
    assert "referral" in [r.id for r in concept.related]
    assert [r.id for r in concept.narrower] == ["multi-agency-safeguarding-hub"]
    assert concept.count >= len(concept.items) == 6
    assert BOX.format(23) in [h.key for h in concept.items]
    json = concept.to_json()
    assert json["kind"] == "concept" and set(json["broader"][0]) == {"id", "label"}


def test_a_concept_counts_the_items_it_lists(library: Library) -> None:
    concept = library.concept("CPD", limit=1000)
    assert concept.id == "continuing-professional-development"
    assert concept.count == len(concept.items) > 0
    assert all("[" in h.snippet for h in concept.items if h.kind == "practice")


def test_an_unknown_concept_is_a_plain_error(library: Library) -> None:
    with pytest.raises(NotFoundError, match="no practice concept matches 'astronomy'"):
        library.concept("astronomy")


def test_related_practice_says_what_it_shares(library: Library) -> None:
    related = library.related(BOX.format(7), limit=5)
    by_key = {h.key: h for h in related.related}
    assert BOX.format(8) in by_key  # both retain experienced social workers
    assert "retention" in by_key[BOX.format(8)].shares
    assert all(h.kind == "practice" and h.key != BOX.format(7) for h in related.related)
    shared = [h for h in related.related if h.shares]
    assert shared and all(len(h.shares) <= 4 for h in shared)
    assert "shares" in related.related[0].to_json()


def test_related_shares_name_the_most_specific_concepts(library: Library) -> None:
    related = library.related(BOX.format(22), limit=5)
    thesaurus = library.thesaurus()
    for hit in related.related:
        ids = [c.id for c in thesaurus.concepts.values() if c.pref_label in hit.shares]
        for cid in ids:  # never a concept together with one below it
            below = {d.id for d in thesaurus.descendants(thesaurus.concepts[cid])} - {cid}
            assert not below & set(ids), (hit.key, hit.shares)
    referral = [h for h in related.related if "referral" in h.shares]
    assert {BOX.format(n) for n in (21, 23, 24)} & {h.key for h in referral}


def test_which_items_have_which_concept_is_kept_per_report_until_it_changes(
    library: Library,
) -> None:
    from safedesk.search.index import CONCEPTS_NAME

    counts = {n.id: n.count for n in _walk(library.concepts())}
    path = library.data_dir / "index" / CONCEPTS_NAME
    kept = json.loads(path.read_text("utf-8"))
    assert kept["thesaurus"] == library.thesaurus().digest
    (report,) = kept["reports"]
    assert kept["reports"][report]["concepts"]["supervision"]  # positions in the report
    # what is on disk is what a newly opened library uses: blank it, and the counts say so
    kept["reports"][report]["concepts"] = {}
    path.write_text(json.dumps(kept), "utf-8")
    library.close()
    with Library.open(library.data_dir) as reopened:
        assert all(n.count == 0 for n in _walk(reopened.concepts()))
        reopened.import_report(SEED)  # the report's documents are indexed again: worked out anew
        assert {n.id: n.count for n in _walk(reopened.concepts())} == counts
        reopened.import_report(SECOND)
        reopened.concepts()
        both = json.loads(path.read_text("utf-8"))["reports"]
        assert len(both) == 2 and both[report]["concepts"]
        index_check = [c for c in reopened.doctor().checks if c.name == "search index"]
        assert index_check[0].ok, index_check  # a concepts file written later is not damage
    kept = json.loads(path.read_text("utf-8"))
    kept["thesaurus"] = "another thesaurus"
    for entry in kept["reports"].values():
        entry["concepts"] = {}
    path.write_text(json.dumps(kept), "utf-8")
    with Library.open(library.data_dir) as reopened:  # made with other concepts: not used
        assert {n.id: n.count for n in _walk(reopened.concepts())}["supervision"] > 0
