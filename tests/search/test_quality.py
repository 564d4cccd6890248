"""Search quality regression set: queries a social work lead might type, each with the boxes a
reader of the report would expect near the top. Written from reading the report, not from the
engine's output; the suite fails when ranking regresses. `python -m benchmarks.bench_quality`
prints how both sets fare with and without practice concepts."""

from __future__ import annotations

import pytest

from safedesk.library import Library

# (query, boxes of which at least one must be among the first `top` practice hits, top)
CASES: list[tuple[str, set[int], int]] = [
    ("reflective practice", {9}, 1),
    ('"reflective practice"', {9}, 1),
    ("NQSW support", {11}, 1),
    ("NQSWs", {11}, 1),
    ("newly qualified social workers", {11}, 1),
    ("protected caseload", {11}, 1),
    ("co-location with police", {18, 21}, 2),
    ("colocation", {21}, 2),
    ("LAC", {14}, 2),
    ("looked after children", {14}, 3),
    ("child trafficking", {20}, 1),
    ("airport", {20}, 1),
    ("missing children", {20}, 1),
    ("UKBA", {20}, 1),
    ("CEOP", {20}, 1),
    ("LSCB trafficking", {20}, 1),
    ("safeguarding assurance days", {4}, 1),
    ("senior managers on home visits", {4}, 2),
    ("social work forum", {2}, 1),
    ("no-blame culture", {3}, 1),
    ("noblame", {3}, 1),
    ("career pathway", {7}, 1),
    ("advanced practitioner role", {8}, 1),
    ("recruitment from overseas", {5}, 1),
    ("skills audit training plan", {10}, 1),
    ("QA team", {12, 13}, 2),
    ("quality assurance standards", {12}, 2),
    ("auditing", {13}, 2),
    ("daily performance reports", {14}, 1),
    ("performance management information", {15, 14}, 2),
    ("adult social care", {16}, 1),
    ("parents with mental health issues", {16}, 2),
    ("co-production with families", {17}, 1),
    ("complex needs", {17}, 1),
    ("police triage young offenders", {18}, 1),
    ("relationships with schools", {19}, 1),
    ("CAF coordinator", {21, 22}, 2),
    ("common assessment framework", {21, 22}, 2),
    ("referral criteria thresholds", {22}, 2),
    ("supervision clinic", {22}, 1),
    ("TAC", {24}, 1),
    ("team around the child", {24}, 1),
    ("Section 47 investigations", {24}, 1),
    ("customer service centre", {23}, 1),
    ("SMT", {1, 6}, 2),
    ("theme:partnership police", {18}, 1),
    ('authority:"Authority E" forum', {2}, 1),
    ("superv*", {11, 22, 13, 3, 10}, 3),
]


@pytest.mark.parametrize(("query", "boxes", "top"), CASES, ids=[c[0] for c in CASES])
def test_expected_box_ranks_near_the_top(
    reading_library: Library, query: str, boxes: set[int], top: int
) -> None:
    result = reading_library.search(query, limit=50)
    practice_numbers = [h.number for h in result.hits if h.kind == "practice"][:top]
    assert boxes & set(practice_numbers), (
        f"{query!r}: got {practice_numbers}, wanted one of {boxes}"
    )


def test_the_set_is_big_enough() -> None:
    assert len(CASES) >= 30


# Concept queries: worded as practitioners say them, often not as the report does ("burnout",
# "CPD", "front door"), with every box named expected among the first `top` practice hits.
# (query, boxes that must all be among the first `top` practice hits, top)
CONCEPT_CASES: list[tuple[str, set[int], int]] = [
    ("supervision", {22, 3, 9}, 6),
    ("morale", {4, 6}, 4),
    ("CPD", {9, 10}, 4),
    ("burnout", {8, 11}, 3),
    ("workload", {8, 11}, 3),
    ("caseloads", {8, 11}, 3),
    ("staff retention", {7, 8}, 2),
    ("front door", {21, 22, 23, 24}, 5),
    ("single point of contact", {21, 23}, 3),
    ("duty desk", {3}, 1),
    ("think family", {16}, 1),
    ("whole family approach", {16}, 1),
    ("audit of case files", {12, 13}, 3),
    ("support for newly qualified social workers", {11}, 1),
    ("multi-agency working", {16, 20}, 4),
    ("information sharing", {1}, 2),
    ("co-located teams", {21}, 1),
    ("exploitation", {20}, 1),
    ("modern slavery", {20}, 1),
    ("missing from care", {20}, 1),
    ("quality assurance", {12, 13}, 2),
    ("performance data", {14, 15}, 2),
    ("leadership visibility", {4}, 1),
    ("visible leadership", {4}, 1),
    ("thresholds for social care", {22}, 2),
    ("career progression", {7, 8}, 3),
    ("overseas recruitment", {5}, 1),
    ("appraisal", {10}, 1),
    ("coaching and mentoring", {10}, 1),
    ("service user involvement", {17}, 1),
    ("working with the police", {18}, 1),
    ("team culture", {6}, 2),
    ("staff forum", {2}, 1),
    ("hands-on managers", {3}, 1),
    ("early help", {21}, 3),
]


@pytest.mark.parametrize(
    ("query", "boxes", "top"), CONCEPT_CASES, ids=[c[0] for c in CONCEPT_CASES]
)
def test_concept_queries_find_the_boxes_about_the_idea(
    reading_library: Library, query: str, boxes: set[int], top: int
) -> None:
    result = reading_library.search(query, limit=50)
    practice_numbers = [h.number for h in result.hits if h.kind == "practice"][:top]
    assert boxes <= set(practice_numbers), (
        f"{query!r}: got {practice_numbers}, wanted all of {boxes}"
    )


def test_the_concept_set_is_big_enough_and_new() -> None:
    assert len(CONCEPT_CASES) >= 25
    assert not {c[0] for c in CONCEPT_CASES} & {c[0] for c in CASES}


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("supervison", "supervision"),
        ("refferal", "referral"),
        ("trafficing", "trafficking"),
        ("reflectve practice", "reflective practice"),
        ("safegaurding", "safeguarding"),
    ],
)
def test_misspellings_get_a_suggestion_from_the_library(
    reading_library: Library, typed: str, meant: str
) -> None:
    assert reading_library.search(typed).suggestion == meant


def test_known_words_and_acronyms_get_no_suggestion(reading_library: Library) -> None:
    for query in ("supervision", "LAC", "reflective practice", "CAMHS", "burnout", "CPD"):
        assert reading_library.search(query).suggestion is None, query
