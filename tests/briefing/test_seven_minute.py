"""7-minute briefings: seven numbered parts on one page, always, with the source and page cited;
for practices, themes, review findings, case-study and document sections and local examples; in
both reports and in a document imported from a PDF."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from safedesk.corpus.reading import read_source
from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.store.importer import write_document, write_report
from tests.conftest import FIXTURES

B = "nfer-2011-safeguarding-children-council-developments/"
DOCS = FIXTURES / "documents"
PARTS = ("1 The background", "2 Why it matters", "5 Questions to reflect on", "6 What to do next",
         "7 Where to read more")  # fmt: skip


def _pages(pdf: Path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory, library_template: Path) -> object:
    """The bundled report, the second report imported from its PDF (with pages), and a guidance
    document imported from its PDF."""
    folder = tmp_path_factory.mktemp("seven") / "data"
    shutil.copytree(library_template, folder)
    report = read_source(DOCS / "northfield-2019-early-help.pdf")
    assert report.report is not None
    write_report(folder / "library.sqlite3", report.report, DOCS / "x.pdf", "a" * 64,
                 pages=report.pages)  # fmt: skip
    guidance = read_source(DOCS / "neglect-guidance.pdf")
    assert guidance.document is not None
    write_document(folder / "library.sqlite3", guidance.document, DOCS / "y.pdf", "b" * 64)
    library = Library.open(folder)
    yield library
    library.close()


def test_a_practice_in_seven_parts_with_its_source(lib: Library, tmp_path: Path) -> None:
    out = tmp_path / "seven.pdf"
    result = lib.export_brief(out, key=B + "box-9", seven_minute=True)
    [page] = _pages(out)
    assert result.pages == 1 and result.kind == "7-minute briefing"
    for part in (*PARTS, "3 The practice", "4 What the reviews found"):
        assert part in page, part
    assert "Developing reflective practice" in page and "Laming review:" in page
    assert "Source: Safeguarding Children: Council Developments (2011), NFER · Box 9" in page
    assert "How to cite: Martin, K., Atkinson, A." in page
    assert "Case study 4 (Authority D)" in page  # where to read more


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_one_page_for_every_bundled_box_theme_finding_and_section(
    lib: Library, tmp_path: Path, paper: str
) -> None:
    report = B.rstrip("/")
    keys = [p.key for p in lib.practices(report=report)]
    keys += [t.key for t in lib.themes(report)]
    keys += [f.key for t in lib.themes(report) for f in t.findings]
    if paper == "a4":
        keys += [s.key for c in lib.case_studies(report) for s in c.sections]
    assert len(keys) >= 29
    out = tmp_path / "seven.pdf"
    for key in keys:
        assert lib.export_brief(out, key=key, seven_minute=True, paper=paper).pages == 1, key
        text = _pages(out)[0]
        assert all(part in text for part in PARTS), key


def test_pages_are_cited_when_the_report_came_from_a_pdf(lib: Library, tmp_path: Path) -> None:
    second = next(r for r in lib.reports() if r.key != B.rstrip("/"))
    practice = next(p for p in lib.practices(report=second.key) if p.page)
    out = tmp_path / "seven.pdf"
    lib.export_brief(out, key=practice.key, seven_minute=True)
    [page] = _pages(out)
    assert f"Box {practice.number} · p. {practice.page}" in page
    assert second.title.split(":")[0] in page
    for theme in lib.themes(second.key):
        assert lib.export_brief(out, theme=theme.key, seven_minute=True).pages == 1
        assert re.search(r"Theme \S+ · pp?\. \d+", _pages(out)[0]), theme.title


def test_a_document_section_plugs_in(lib: Library, tmp_path: Path) -> None:
    document = next(r for r in lib.reports() if r.kind == "document")
    section = next(
        s for s in lib.store.content.document_sections(document.key)
        if len(lib.get(s.key).passages) >= 2  # type: ignore[union-attr]
    )  # fmt: skip
    out = tmp_path / "seven.pdf"
    assert lib.export_brief(out, key=section.key, seven_minute=True).pages == 1
    [page] = _pages(out)
    assert section.title in page and f"p. {section.page}" in page
    assert "3 The information" in page and "7 Where to read more" in page


def test_a_local_example_says_it_is_not_from_a_report(lib: Library, tmp_path: Path) -> None:
    hostile = "<b>Huddles</b> & <img src='x'> Ελληνικά"
    example = lib.add_example(hostile, theme=B + "theme-3.2", team="West", text="Ten. " * 900)
    out = tmp_path / "seven.pdf"
    assert lib.export_brief(out, key=example.key, seven_minute=True).pages == 1
    [page] = _pages(out)
    assert "not from a report" in page and hostile in page and "Ten." in page
    lib.remove_example(example.id)


def test_what_cannot_be_briefed_in_seven_minutes_is_refused(lib: Library, tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match=r"is made for a practice, theme"):
        lib.export_brief(tmp_path / "x.pdf", key=B + "authority-d", seven_minute=True)
    with pytest.raises(LibraryError, match="--seven-minute goes with"):
        lib.export_brief(tmp_path / "x.pdf", collection="x", seven_minute=True)
    assert not (tmp_path / "x.pdf").exists()


def test_a_seven_minute_briefing_is_quick_enough_to_preview(lib: Library, tmp_path: Path) -> None:
    """Not a benchmark (benchmarks/bench_briefing.py is): a guard against a fitting loop that
    runs away, with ten times the headroom."""
    lib.export_brief(tmp_path / "warm.pdf", key=B + "box-1", seven_minute=True)
    started = time.perf_counter()
    lib.export_brief(tmp_path / "x.pdf", key=B + "box-20", seven_minute=True)
    assert time.perf_counter() - started < 1.5
