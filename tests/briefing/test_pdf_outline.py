"""Briefing PDFs carry what a screen reader and a PDF viewer need to find their way: a title, the
document language and an outline (bookmarks) of the title, each section and its parts, each
pointing at the page where its heading is printed. Read back with pypdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from safedesk.library import Library
from tests.conftest import SECOND

B = "nfer-2011-safeguarding-children-council-developments/"


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every bookmark, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def _check(path: Path, title: str) -> list[tuple[int, str, int]]:
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.title == title
    assert root["/PageMode"] == "/UseOutlines"  # the bookmarks open beside the pages
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]  # the title, not the file name
    outline = _outline(reader)
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    for _depth, heading, page in outline:  # each bookmark leads to the page its heading is on
        assert " ".join(heading.split()[:6]) in pages[page - 1], (heading, page)
    assert outline[0][0] == 0 and all(depth >= 1 for depth, _, _ in outline[1:])
    return outline


def test_a_long_profile_has_bookmarks_on_the_right_pages(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "profile.pdf"
    result = library.export_brief(out, authority=B + "authority-a")
    outline = _check(out, "Authority A: authority profile")
    assert result.pages >= 4
    titles = [title for _, title, _ in outline]
    assert titles[:3] == ["Authority A", "Case study 1", "Key learning for other councils"]
    assert {"Enablers", "Barriers", "Next steps"} <= set(titles)
    assert max(page for _, _, page in outline) == result.pages  # not all on page 1


def test_a_session_pack_has_a_bookmark_per_item(library: Library, tmp_path: Path) -> None:
    library.create_collection("March")
    for box in ("box-1", "box-9", "box-21"):
        library.add_to_collection("March", B + box)
    out = tmp_path / "pack.pdf"
    library.export_brief(out, collection="March")
    outline = _check(out, "March (session pack)")
    items = [title for depth, title, _ in outline if depth == 1 and title[0].isdigit()]
    assert [t.split(".")[0] for t in items] == ["1", "2", "3"]
    assert items[1].startswith("2. Box 9: Developing reflective practice")


def test_the_second_report_and_a_sheet_without_sections(library: Library, tmp_path: Path) -> None:
    """Another report's theme brief; and a sheet whose note heading follows the title directly
    (a level that would skip one is lifted, as PDF outlines require)."""
    summary = library.import_report(SECOND)
    theme = library.themes(summary.report)[0]
    out = tmp_path / "theme.pdf"
    library.export_brief(out, theme=theme.key)
    outline = _check(out, f"Theme {theme.number}: {theme.title}")
    assert outline[0][1] == theme.title and len(outline) > 3
    example = library.add_example(title="Peer circles", text="Fortnightly circles.")
    library.bookmark(example.key, note="Ask the team about timing.")
    out = tmp_path / "example.pdf"
    library.export_brief(out, key=example.key)
    assert _check(out, "Peer circles") == [(0, "Peer circles", 1), (1, "Your note", 1)]


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_a_practice_sheet_outline(library: Library, tmp_path: Path, paper: str) -> None:
    out = tmp_path / "sheet.pdf"
    library.export_brief(out, key=B + "box-9", paper=paper)
    title = "Developing reflective practice to maintain and enhance the skills and expertise of "
    title += "practitioners"
    outline = _check(out, f"Box 9: {title}")
    assert [(d, t) for d, t, _ in outline][:4] == [
        (0, title), (1, "The practice"), (1, "What the reviews found"), (2, "Laming review"),
    ]  # fmt: skip
