"""Every parsed structure, checked on the bundled report and on a second report we wrote in the same
layout (different themes, reviews, authorities and box counts; CRLF line endings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from safedesk.corpus.model import Report
from safedesk.corpus.parser import parse_report
from tests.conftest import FIXTURES, SECOND, SEED

CASES = {
    "bundled": (SEED, FIXTURES / "reports" / "bundled.expected.json"),
    "second": (SECOND, FIXTURES / "reports" / "northfield-2019-early-help.expected.json"),
}


def _straight(text: str) -> str:
    """The parser prints typographic quotes as straight ones (documented in the README)."""
    return text.translate(str.maketrans("‘’“”", "''\"\""))


def test_some_themes_print_their_boxes_out_of_order() -> None:
    for _source, expected in CASES.values():
        themes = json.loads(expected.read_text("utf-8"))["themes"]
        assert any(t["boxes"] != sorted(t["boxes"]) for t in themes)


@pytest.fixture(scope="module", params=sorted(CASES))
def parsed(request: pytest.FixtureRequest) -> tuple[Report, dict[str, Any]]:
    source, expected = CASES[request.param]
    return parse_report(source.read_bytes(), source.name), json.loads(expected.read_text("utf-8"))


def test_second_report_really_has_crlf_endings() -> None:
    assert b"\r\n" in SECOND.read_bytes()


def test_metadata(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    assert report.title == want["title"]
    assert report.authors == want["authors"]
    assert report.year == want["year"]
    assert report.isbn == want["isbn"]
    assert report.publisher == want["publisher"]
    assert report.citation.startswith(report.citation.split("(")[0])
    assert f"({want['year']})" in report.citation and report.title in report.citation
    assert "*" not in report.citation
    assert report.slug.startswith(f"{(report.publisher_short or '').lower()}-{want['year']}-")


def test_executive_summary_and_key_findings(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    assert len(report.executive_summary) > 500
    assert len(report.key_findings) == want["key_findings_count"]


def test_themes_in_number_order_with_titles(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    assert [(t.number, t.title) for t in report.themes] == [
        (t["number"], t["title"]) for t in want["themes"]
    ]


def test_each_theme_has_its_named_review_findings(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    for theme, expected in zip(report.themes, want["themes"], strict=True):
        assert [f.review for f in theme.findings] == expected["reviews"], theme.number
        for finding in theme.findings:
            assert len(finding.text) > 100
        assert theme.evidence, f"{theme.number} has no case-study evidence bullets"


def test_every_box_with_its_authority_and_theme(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    got = {p.number: p for p in report.practices}
    assert sorted(got) == [b["number"] for b in want["boxes"]]
    for box in want["boxes"]:
        practice = got[box["number"]]
        assert practice.authority == box["authority"], box["number"]
        assert practice.theme == box["theme"], box["number"]
        if "title" in box:
            assert practice.title == box["title"]
        if "first_words" in box:
            assert practice.text.startswith(_straight(box["first_words"])), box["number"]
            assert practice.text.endswith(_straight(box["last_words"])), box["number"]


def test_boxes_printed_out_of_order_keep_their_theme(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    for theme in want["themes"]:
        printed = theme["boxes"]
        assert sorted(p.number for p in report.practices if p.theme == theme["number"]) == sorted(
            printed
        )


def test_page_breaks_are_rejoined(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, _ = parsed
    texts = [p.text for p in report.practices] + [
        s.text for c in report.case_studies for s in c.sections
    ]
    for text in texts:
        for paragraph in text.split("\n\n"):
            assert not paragraph[:1].islower() or paragraph.startswith("- "), paragraph[:60]


def test_authorities_with_type_and_grades(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    assert [(a.name, a.type, a.grades) for a in report.authorities] == [
        (a["name"], a["type"], a["grades"]) for a in want["authorities"]
    ]
    assert report.authority_columns == list(want["authorities"][0]["grades"])


def test_case_studies(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    assert [(c.number, c.authority) for c in report.case_studies] == [
        (c["number"], c["authority"]) for c in want["case_studies"]
    ]
    for study, expected in zip(report.case_studies, want["case_studies"], strict=True):
        titled = [s.title for s in study.sections if not s.title.lower().startswith("improvements")]
        assert titled == expected["sections"]
        assert all(len(s.text) > 100 for s in study.sections)
        assert len(study.key_learning) == expected["key_learning_count"]
        assert len(study.enablers) == expected["enablers_count"]
        assert len(study.barriers) == expected["barriers_count"]
        assert bool(study.could_do_better) == expected["has_could_do_better"]
        assert study.introduction and study.background and study.outcomes and study.next_steps
        assert study.improvement_areas


def test_supporting_factors_and_barriers(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    assert [f.title for f in report.factors if f.kind == "factor"] == want["factors"]
    assert [f.title for f in report.factors if f.kind == "barrier"] == want["barriers"]
    assert all(len(f.text) > 100 for f in report.factors)
    assert report.factors_intro and report.barriers_intro


def test_summary_and_references(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    assert len(report.summary) > 300
    assert len(report.references) == want["references_count"]
    assert all("(" in r and ")" in r for r in report.references)


def test_glossary_of_defined_acronyms(parsed: tuple[Report, dict[str, Any]]) -> None:
    report, want = parsed
    found = {g.term: g.expansion for g in report.glossary}
    for term, expansion in want["acronyms"].items():
        assert found.get(term) == expansion, term


def test_second_report_shares_nothing_with_the_bundled_one() -> None:
    first = parse_report(SEED.read_bytes())
    second = parse_report(SECOND.read_bytes())
    assert first.slug != second.slug
    assert {t.title for t in first.themes}.isdisjoint(t.title for t in second.themes)
    assert {f.review for t in first.themes for f in t.findings}.isdisjoint(
        f.review for t in second.themes for f in t.findings
    )
    assert len(first.practices) != len(second.practices)


def test_parsing_is_deterministic_and_pure() -> None:
    data = SEED.read_bytes()
    assert parse_report(data) == parse_report(data)


def test_lf_and_crlf_versions_parse_identically(tmp_path: Path) -> None:
    lf = SECOND.read_bytes().replace(b"\r\n", b"\n")
    assert parse_report(lf) == parse_report(SECOND.read_bytes())
