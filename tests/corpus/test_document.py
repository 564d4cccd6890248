"""A document that is not a report: practice guidance typeset with python-docx (headings, Word's
automatic paragraph numbers, bullets) and converted to PDF by LibreOffice."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

import pytest

from safedesk.corpus.document import Document, parse_document, passage_key
from safedesk.corpus.extract import extract
from safedesk.corpus.reading import read_source
from tests.conftest import FIXTURES

PDF = FIXTURES / "documents" / "neglect-guidance.pdf"
DOCX = FIXTURES / "documents" / "neglect-guidance.docx"
TITLE = "Responding to neglect: practice guidance for all agencies"


@functools.cache
def _document(path: Path) -> Document:
    source = read_source(path)
    assert source.kind == "document" and source.document is not None
    return source.document


@pytest.mark.parametrize("path", [PDF, DOCX], ids=["pdf", "docx"])
def test_title_authors_and_year(path: Path) -> None:
    doc = _document(path)
    assert doc.title == TITLE
    assert doc.authors == ["Northfield Safeguarding Children Partnership"]
    assert doc.year == 2020  # printed on the first page ("Published September 2020")
    assert doc.citation.startswith("Northfield Safeguarding Children Partnership (2020). Respond")
    assert doc.slug == "responding-to-neglect-practice-guidance-for-all-agencies"


@pytest.mark.parametrize("path", [PDF, DOCX], ids=["pdf", "docx"])
def test_sections_from_headings_with_levels(path: Path) -> None:
    doc = _document(path)
    top = [s.title for s in doc.sections if s.level == 1]
    assert top == [
        "Part I: guidance for all practitioners",
        "Part II: guidance for managers",
        "Part III: guidance for designated leads",
    ]
    second = [s.title for s in doc.sections if s.level == 2][:5]
    assert second == [
        "Introduction",
        "Recognising neglect",
        "Assessing neglect",
        "Working with families",
        "Further information",
    ]
    assert [s.title for s in doc.sections if s.level == 3][:3] == [
        "Signs in babies and young children",
        "Signs in older children and adolescents",
        "Escalation",
    ]
    assert len({s.key for s in doc.sections}) == len(doc.sections)
    introductions = [s.key for s in doc.sections if s.title == "Introduction"]
    assert introductions == ["s-introduction", "s-introduction-2", "s-introduction-3"]


@pytest.mark.parametrize("path", [PDF, DOCX], ids=["pdf", "docx"])
def test_numbered_paragraphs_keep_their_numbers(path: Path) -> None:
    doc = _document(path)
    numbers = [p.number for p in doc.passages if p.number is not None]
    assert numbers == [str(n) for n in range(1, 40)]  # Word numbers them on across the parts
    first = next(p for p in doc.passages if p.number == "1")
    assert first.text.startswith("This guidance sets out how practitioners")
    assert first.section == "s-introduction"


@pytest.mark.parametrize("path", [PDF, DOCX], ids=["pdf", "docx"])
def test_a_list_stays_with_nothing_else_and_tables_of_words_read_on(path: Path) -> None:
    doc = _document(path)
    lists = [p for p in doc.passages if p.text.startswith("- ")]
    assert len(lists) == 3
    assert lists[0].text.split("\n") == [
        "- faltering growth or weight loss without a medical explanation",
        "- repeated minor injuries suggesting a lack of supervision",
        "- developmental delay that improves when the child is cared for elsewhere",
    ]
    assert lists[0].section == "s-signs-in-babies-and-young-children"


def test_the_pdf_and_the_word_file_give_the_same_passages_and_keys() -> None:
    pdf, word = _document(PDF), _document(DOCX)
    assert [(p.key, p.text, p.number, p.section) for p in pdf.passages] == [
        (p.key, p.text, p.number, p.section) for p in word.passages
    ]
    assert {p.page for p in word.passages} == {None}


def _page_text(page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(PDF), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(out.replace("-\n", "").split())


def test_passage_pages_match_pdftotext() -> None:
    doc = _document(PDF)
    assert doc.pages == 5
    numbered = [p for p in doc.passages if p.number is not None]
    for passage in [*numbered[::4], doc.passages[-1]]:
        assert passage.page is not None
        opening = " ".join(passage.text.split()[:6])
        assert opening in _page_text(passage.page), (passage.number, passage.page)
    assert {p.page for p in doc.passages} == {1, 2, 3, 4, 5}


def test_passage_keys_ignore_case_spacing_punctuation_and_numbers() -> None:
    assert passage_key("Plans should be written.") == passage_key("plans  should be written")
    assert passage_key("Plans should be written.") != passage_key("Plans must be written.")
    doc = _document(PDF)
    again = parse_document(extract(PDF))
    assert [p.key for p in again.passages] == [p.key for p in doc.passages]
    repeated = [p.key for p in doc.passages if p.key.endswith("-2")]
    assert repeated, "the parts repeat paragraphs, which get -2, -3 in order"


def test_a_text_file_that_is_not_a_report_is_a_document(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(
        "# Supervision policy\n\nWho this is for\n\nAll social workers and their managers.\n\n"
        "## Frequency\n\nEvery four weeks, and more often in the first year:\n\n"
        "- newly qualified staff\n- staff returning from leave\n",
        "utf-8",
    )
    source = read_source(path)
    assert source.kind == "document" and source.document is not None
    doc = source.document
    assert doc.title == "Supervision policy"
    assert [(s.title, s.level) for s in doc.sections] == [("Frequency", 1)]
    assert doc.passages[0].text == "Who this is for" and doc.passages[0].section is None
    assert doc.passages[-1].text == (
        "Every four weeks, and more often in the first year:\n"
        "- newly qualified staff\n- staff returning from leave"
    )
