"""A report typeset by real producers (python-docx, then LibreOffice to PDF; see
tests/fixtures/make_documents.py) reads as exactly the structure its text import gives, field by
field; boxes and case-study sections keep the page where they start, checked against pdftotext
(Debian's poppler-utils, which CI installs)."""

from __future__ import annotations

import functools
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from safedesk.corpus.model import Report
from safedesk.corpus.parser import parse_report
from safedesk.corpus.reading import Source, read_source
from tests.conftest import FIXTURES, SECOND, SEED

DOCUMENTS = FIXTURES / "documents"
CASES = {
    "second.pdf": (SECOND, DOCUMENTS / "northfield-2019-early-help.pdf"),
    "second.docx": (SECOND, DOCUMENTS / "northfield-2019-early-help.docx"),
    "second.lo.docx": (SECOND, DOCUMENTS / "northfield-2019-early-help.libreoffice.docx"),
    "bundled.pdf": (SEED, DOCUMENTS / "safeguarding-council-developments-2011.pdf"),
    "bundled.docx": (SEED, DOCUMENTS / "safeguarding-council-developments-2011.docx"),
}


@functools.cache
def _source(path: Path) -> Source:
    return read_source(path)


@pytest.fixture(scope="module", params=sorted(CASES))
def pair(request: pytest.FixtureRequest) -> tuple[Report, Source, Path]:
    text, typeset = CASES[request.param]
    return parse_report(text.read_bytes(), text.name), _source(typeset), typeset


def _no_pages(value: Any) -> Any:
    """A structure as plain data without the pages (which a text import does not have)."""
    if isinstance(value, dict):
        return {k: _no_pages(v) for k, v in value.items() if k != "page"}
    if isinstance(value, list):
        return [_no_pages(v) for v in value]
    return value


def test_it_is_recognised_as_a_report_by_its_layout(pair: tuple[Report, Source, Path]) -> None:
    _text, source, path = pair
    assert source.kind == "report" and source.report is not None
    assert source.extracted.format == path.suffix[1:]


def test_metadata_and_key_are_the_text_imports(pair: tuple[Report, Source, Path]) -> None:
    text, source, _ = pair
    report = source.report
    assert report is not None
    for name in ("title", "authors", "year", "isbn", "publisher", "publisher_short", "citation"):
        assert getattr(report, name) == getattr(text, name), name
    assert report.slug == text.slug


def test_themes_and_findings_field_by_field(pair: tuple[Report, Source, Path]) -> None:
    text, source, _ = pair
    assert source.report is not None
    assert [asdict(t) for t in source.report.themes] == [asdict(t) for t in text.themes]


def test_boxes_with_authority_theme_and_text(pair: tuple[Report, Source, Path]) -> None:
    text, source, _ = pair
    assert source.report is not None
    got = [(p.number, p.title, p.authority, p.theme, p.text) for p in source.report.practices]
    want = [(p.number, p.title, p.authority, p.theme, p.text) for p in text.practices]
    assert got == want


def test_authorities_with_type_and_grades(pair: tuple[Report, Source, Path]) -> None:
    text, source, _ = pair
    assert source.report is not None
    assert [asdict(a) for a in source.report.authorities] == [asdict(a) for a in text.authorities]
    assert source.report.authority_columns == text.authority_columns


def test_case_studies_field_by_field(pair: tuple[Report, Source, Path]) -> None:
    text, source, _ = pair
    assert source.report is not None
    got = [_no_pages(asdict(c)) for c in source.report.case_studies]
    assert got == [_no_pages(asdict(c)) for c in text.case_studies]


def test_everything_else_too(pair: tuple[Report, Source, Path]) -> None:
    text, source, _ = pair
    assert source.report is not None
    assert _no_pages(asdict(source.report)) == _no_pages(asdict(text))


def test_word_files_have_no_pages(pair: tuple[Report, Source, Path]) -> None:
    _text, source, path = pair
    assert source.report is not None
    pages = [p.page for p in source.report.practices]
    pages += [s.page for c in source.report.case_studies for s in c.sections]
    if path.suffix == ".docx":
        assert source.pages is None and set(pages) == {None}
    else:
        assert source.pages is not None and None not in pages
        assert all(1 <= p <= source.pages for p in pages if p is not None)


def _pdftotext_page(path: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(out.stdout.split())


@pytest.mark.parametrize("case", ["second.pdf", "bundled.pdf"])
def test_box_and_section_pages_match_pdftotext(case: str) -> None:
    _text, path = CASES[case]
    source = _source(path)
    assert source.report is not None
    pages: dict[int, str] = {}

    def page_text(n: int) -> str:
        if n not in pages:
            pages[n] = _pdftotext_page(path, n)
        return pages[n]

    for practice in source.report.practices:
        assert practice.page is not None
        assert f"Box {practice.number} {practice.title.split()[0]}" in page_text(practice.page)
        if practice.page > 1:  # where it starts: not already on the page before
            assert f"Box {practice.number} " not in page_text(practice.page - 1)
    for study in source.report.case_studies:
        for section in study.sections:
            assert section.page is not None
            assert section.title in page_text(section.page), (study.number, section.title)


def test_a_box_split_by_a_page_break_reads_on_in_order() -> None:
    """The typeset second report breaks the page inside Box 9, mid-sentence (see its text)."""
    path = CASES["second.pdf"][1]
    source = _source(path)
    assert source.report is not None
    box = next(p for p in source.report.practices if p.number == 9)
    assert box.page is not None
    assert "closed by children's social care. Referrals come" in box.text
    assert "closed by" in _pdftotext_page(path, box.page)
    assert "children's social care. Referrals" in _pdftotext_page(path, box.page + 1)


@pytest.mark.parametrize("text", [SECOND, SEED], ids=["second", "bundled"])
def test_a_text_report_reads_exactly_as_the_text_parser_reads_it(text: Path) -> None:
    source = read_source(text)
    assert source.kind == "report" and source.extracted.format == "text"
    assert source.report == parse_report(text.read_bytes(), text.name)
    assert source.pages is None and source.extracted.data == text.read_bytes()
