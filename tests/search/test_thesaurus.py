"""The practice thesaurus file: sound as shipped, and the checks that keep it so really catch
each kind of mistake; how typed words meet its concepts."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from safedesk.search.concepts import Thesaurus, label_key, problems
from tests.conftest import ROOT

PATH = ROOT / "resources" / "thesaurus" / "practice-concepts.json"


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return json.loads(PATH.read_text("utf-8"))


@pytest.fixture(scope="module")
def thesaurus(data: dict[str, Any]) -> Thesaurus:
    return Thesaurus.from_data(data)


def test_the_shipped_thesaurus_is_sound(data: dict[str, Any]) -> None:
    assert problems(data) == []


def test_it_covers_the_areas_of_practice_the_issue_names(thesaurus: Thesaurus) -> None:
    for term in (
        "supervision", "management oversight", "reflective practice", "recruitment",
        "retention", "staff wellbeing", "morale", "caseload", "burnout", "CPD",
        "multi-agency working", "co-location", "information sharing", "front door", "referral",
        "thresholds", "assessment", "think family", "exploitation", "trafficking",
        "quality assurance", "audit", "performance data", "leadership", "visibility",
    ):  # fmt: skip
        assert thesaurus.find(term) is not None, term
    assert len(thesaurus.concepts) >= 50


def _mutated(data: dict[str, Any], concept_id: str, **fields: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    for entry in changed["concepts"]:
        if entry["id"] == concept_id:
            entry.update(fields)
    return changed


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"related": ["no-such-concept"]}, "is not a concept"),
        ({"broader": ["workforce"]}, "does not list it as narrower"),
        ({"narrower": ["burnout", "staff-morale", "workload", "supervision"]}, "as broader"),
        ({"related": ["burnout", "working-culture"]}, "is not related back"),
        ({"altLabel": ["morale", "  "]}, "has no word to search for"),
        ({"altLabel": ["morale", "the of"]}, "has no word to search for"),
        ({"altLabel": ["morale", "moral"]}, "says the same as another of its labels"),
        ({"altLabel": ["morale", "front door"]}, "belongs to front-door, staff-morale"),
        ({"altLabel": ["morale", "door front"]}, "belongs to front-door, staff-morale"),
        ({"scopeNote": "two\nlines"}, "one line"),
        ({"scopeNote": ""}, "one line"),
    ],
)
def test_each_kind_of_mistake_is_caught(
    data: dict[str, Any], change: dict[str, Any], expected: str
) -> None:
    assert any(expected in p for p in problems(_mutated(data, "staff-morale", **change)))


def test_a_cycle_through_broader_is_caught(data: dict[str, Any]) -> None:
    changed = _mutated(data, "workforce", broader=["staff-morale"])
    changed = _mutated(changed, "staff-morale", narrower=["workforce"])
    assert any("lead back to it" in p for p in problems(changed))


def test_unsorted_concepts_and_a_shared_label_without_a_reason_are_caught(
    data: dict[str, Any],
) -> None:
    unsorted = copy.deepcopy(data)
    unsorted["concepts"].reverse()
    assert "concepts are not sorted by id" in problems(unsorted)
    shared = _mutated(data, "staff-morale", altLabel=["morale", "front door"])
    documented = copy.deepcopy(shared)
    documented["sharedLabels"] = [
        {"label": "front door", "concepts": ["front-door", "staff-morale"], "why": "a test"}
    ]
    assert problems(shared) and problems(documented) == []


def test_typed_words_meet_labels_by_stem_in_any_order(thesaurus: Thesaurus) -> None:
    def concept(text: str) -> tuple[int, str] | None:
        found = thesaurus.match_at(text.split(), 0)
        return (found[0], found[1][0].id) if found else None

    assert concept("staff retention") == (2, "retention")
    assert concept("retention of staff") == (3, "retention")
    assert concept("supervisions clinic") == (1, "supervision")  # the longest label that fits
    assert concept("NQSWs") == concept("nqsw") == (1, "early-career-support")
    assert concept("audit of case files") == (4, "case-file-audit")
    assert concept("the supervision") is None  # a run starts with a word that counts
    assert concept("sunshine") is None
    assert label_key("Co-location") == label_key("co location") != label_key("colocation")


def test_expansion_leaves_out_wordings_a_kept_one_already_finds(thesaurus: Thesaurus) -> None:
    referral = thesaurus.concepts["referral"]
    expansion = thesaurus.expand("referral", [referral])
    searched = [label.text for label in (*expansion.synonyms, *expansion.related)]
    assert "refer" in searched
    assert "referral process" not in searched  # every item with it has "referral"
    related = {label.concept for label in expansion.related}
    assert {"front-door", "thresholds", "assessment"} <= related
    assert all(label.relation == "related" for label in expansion.related)
