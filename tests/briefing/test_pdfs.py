"""Briefing PDFs, read back with pypdf: content, provenance on every page, escaping, Unicode,
paper size, metadata, and the facilitator/handout difference."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from safedesk import __version__
from safedesk.errors import LibraryError
from safedesk.library import Library

B = "nfer-2011-safeguarding-children-council-developments/"
SOURCE = "Source: Safeguarding Children: Council Developments (2011), NFER"
HOSTILE = "<b>bold?</b> & <img src='file:///etc/passwd'/> <a href='http://x'>link</a>"
SCRIPTS = "Ελληνικά και кириллица"


def _text(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _flat(pages: list[str]) -> str:
    return " ".join(" ".join(pages).split())


def test_practice_sheet_content_and_provenance(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "box9.pdf"
    result = library.export_brief(out, key=B + "box-9")
    pages = _text(out)
    text = _flat(pages)
    assert result.pages == len(pages) == 1
    for expected in (
        "Developing reflective practice to maintain and enhance the skills",
        "Authority D", "London borough", "Outstanding",
        "Recruiting, retaining and maintaining a highly competent workforce",
        "Laming review", "Munro review", "Key learning for other councils",
        "The fuller account: Case study 4 (Authority D)", "How to cite: Martin, K., Atkinson, A.",
    ):  # fmt: skip
        assert expected in text, expected
    for n, page in enumerate(pages, start=1):
        assert SOURCE in page and f"Page {n} of {len(pages)}" in page and "Exported" in page


def test_every_bundled_box_fits_one_a4_page(library: Library, tmp_path: Path) -> None:
    for practice in library.practices():
        assert library.export_brief(tmp_path / "p.pdf", key=practice.key).pages == 1, (
            practice.number
        )


def test_user_text_prints_literally_and_unicode_survives(library: Library, tmp_path: Path) -> None:
    library.bookmark(B + "box-3", note=f"{HOSTILE} {SCRIPTS}")
    out = tmp_path / "sheet.pdf"
    library.export_brief(out, key=B + "box-3")
    text = _flat(_text(out))
    assert "<b>bold?</b> & <img src='file:///etc/passwd'/>" in text
    assert SCRIPTS in text
    raw = out.read_bytes()
    assert b"/Subtype /Image" not in raw and b"/URI" not in raw  # nothing fetched or linked


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.3, 841.9)), ("letter", (612.0, 792.0))])
def test_paper_size(
    library: Library, tmp_path: Path, paper: str, size: tuple[float, float]
) -> None:
    out = tmp_path / "x.pdf"
    library.export_brief(out, key=B + "box-1", paper=paper)
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == size


def test_metadata(library: Library, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    library.export_brief(out, theme="3.4")
    meta = PdfReader(out).metadata
    assert meta.title == "Theme 3.4: Partnership working"
    assert "Kerry Martin" in meta.author and meta.subject == "Partnership working"
    assert meta.creator == f"safedesk {__version__}"
    assert "safeguarding" in meta["/Keywords"]


def test_theme_brief_and_authority_profile(library: Library, tmp_path: Path) -> None:
    library.export_brief(tmp_path / "t.pdf", theme="Partnership working")
    theme = _flat(_text(tmp_path / "t.pdf"))
    for n in (16, 17, 18, 19, 20):
        assert f"Box {n}:" in theme
    assert (
        "Supporting factors most related to this theme" in theme
        and "Barriers most related" in theme
    )
    library.export_brief(tmp_path / "a.pdf", authority="Authority D")
    pages = _text(tmp_path / "a.pdf")
    profile = _flat(pages)
    for expected in ("APA (2008) Staying safe grade", "Outstanding", "Case study 4",
                     "Working with schools", "Enablers", "Next steps", "Box 20:"):  # fmt: skip
        assert expected in profile, expected
    assert len(pages) > 1 and all(SOURCE in p for p in pages)


@pytest.fixture
def pack(library: Library) -> str:
    library.create_collection("Reflective session", "Monthly group for <team> & friends")
    library.add_to_collection(
        "Reflective session", B + "box-9", note="FACILITATOR ONLY: start here",
        prompts=["What protects this time?"], minutes=20,
    )  # fmt: skip
    library.add_to_collection("Reflective session", B + "case-study-4/working-with-schools",
                              prompts=[SCRIPTS], minutes=15)  # fmt: skip
    example = library.add_example("Peer circles", team="North", text="Circles " * 5000)  # long
    library.add_to_collection("Reflective session", example.key, note="FACILITATOR ONLY: ours")
    return "Reflective session"


def test_session_pack_and_handout_share_items_and_prompts_but_not_notes_or_timings(
    library: Library, tmp_path: Path, pack: str
) -> None:
    library.export_brief(tmp_path / "pack.pdf", collection=pack)
    library.export_brief(tmp_path / "hand.pdf", collection=pack, handout=True)
    facilitator, handout = _text(tmp_path / "pack.pdf"), _text(tmp_path / "hand.pdf")
    assert "35 minutes planned" in _flat(facilitator) and "20 min" in _flat(facilitator)
    assert "minutes planned" not in _flat(handout) and " min" not in _flat(handout)
    for pages in (facilitator, handout):
        text = _flat(pages)
        assert "Monthly group for <team> & friends" in text
        assert "What protects this time?" in text and SCRIPTS in text and "Peer circles" in text
        assert "My example · North · not from a report" in text
        assert all(
            "Page " in p and "Exported" in p and "Council Developments (2011)" in p for p in pages
        )
        assert len(pages) > 3  # the long example flowed over pages
    assert _flat(facilitator).count("FACILITATOR ONLY") == 2
    assert "FACILITATOR ONLY" not in _flat(handout) and "Participant handout" in _flat(handout)


def test_failures_leave_no_partial_file(library: Library, tmp_path: Path) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(LibraryError, match="does not exist"):
        library.export_brief(tmp_path / "missing" / "x.pdf", key=B + "box-1")
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")
    with pytest.raises(
        LibraryError, match="made for a practice or your own example, not for a theme"
    ):
        library.export_brief(target, key=B + "theme-3.1")
    with pytest.raises(LibraryError, match="--handout goes with --collection"):
        library.export_brief(target, key=B + "box-1", handout=True)
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf"]
