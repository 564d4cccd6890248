"""Facilitator packs and participant handouts read back page by page: clock times on the pack's
cover, no timings or notes in the handout, room to write under each prompt, no page wasted; and for
every kind of briefing, every font embedded and no shell command printed."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from safedesk.library import Library

B = "nfer-2011-safeguarding-children-council-developments/"
NOTE = "FACILITATOR ONLY: draw out the supervision"
STEP_INSTRUCTIONS = "FACILITATOR ONLY: set out the chairs in a circle"
MM = 72 / 25.4


def _lines(pdf: Path) -> list[list[tuple[float, str]]]:
    """Each page's body text (header and footer left out) as (height on the page, text), top
    to bottom."""
    pages = []
    for page in PdfReader(pdf).pages:
        top = float(page.mediabox.height) - 14 * MM
        found: list[tuple[float, str]] = []

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            _font: object,
            _size: float,
            top: float = top,
        ) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and 18 * MM < y < top:
                found.append((y, text.strip()))  # noqa: B023 (used at once)

        page.extract_text(visitor_text=visit)
        pages.append(sorted(found, key=lambda f: -f[0]))
    return pages


def _text(page: list[tuple[float, str]]) -> str:
    return " ".join(" ".join(t for _y, t in page).split())


def _plan(lib: Library, name: str, count: int) -> None:
    """A session of `count` items (practices, review findings, case-study sections; some long,
    some with several prompts) with agenda steps between them."""
    keys = [p.key for p in lib.practices()][: max(count - count // 3, 1)]
    keys += [s.key for c in lib.case_studies() for s in c.sections][: count // 6]
    keys += [f.key for t in lib.themes() for f in t.findings]
    lib.create_collection(name, "Management oversight and supervision")
    for n, key in enumerate(keys[:count]):
        prompts = [
            f"Question {n}.{p}: what would this look like in our team?" for p in range(n % 3)
        ]
        lib.add_to_collection(name, key, note=NOTE, prompts=prompts, minutes=10 + n % 3 * 5)
    lib.plan_collection(name, length=90, start="09:30")
    lib.add_step(name, "Welcome", 10, position=1, instructions=STEP_INSTRUCTIONS)
    lib.add_step(name, "Break", 10, position=max(count // 2, 2))


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory, library_template: Path) -> Path:
    """PDFs of 3-, 7- and 20-item sessions, as pack and handout, on A4 and Letter."""
    import shutil

    folder = tmp_path_factory.mktemp("sessions")
    shutil.copytree(library_template, folder / "data")
    with Library.open(folder / "data") as lib:
        for count in (3, 7, 20):
            _plan(lib, f"Session {count}", count)
            for paper in ("a4", "letter"):
                for handout in (False, True):
                    name = f"{count}-{paper}-{'handout' if handout else 'pack'}.pdf"
                    lib.export_brief(
                        folder / name, collection=f"Session {count}", handout=handout, paper=paper
                    )
    return folder


def test_the_pack_cover_is_a_run_sheet_with_clock_times(planned: Path) -> None:
    with Library.open(planned / "data") as lib:
        plan = lib.collection("Session 7")
    cover = _text(_lines(planned / "7-a4-pack.pdf")[0])
    assert "Starts 09:30 · ends" in cover and "minutes planned" in cover
    assert "Running order" in cover and "Time # What Minutes" in cover
    for entry in plan.steps:  # each entry on the cover with its clock time
        assert entry.starts_at is not None
        assert f"{entry.starts_at} {entry.position}" in cover, entry.title
    assert "Check: The plan runs" in cover  # over the 90-minute target, and it says so
    body = " ".join(_text(p) for p in _lines(planned / "7-a4-pack.pdf")[1:])
    assert NOTE in body and STEP_INSTRUCTIONS in body and "Agenda step · 09:30–09:40" in body


@pytest.mark.parametrize("count", [3, 7, 20])
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_of_a_handout_is_used_and_says_nothing_for_the_facilitator(
    planned: Path, count: int, paper: str
) -> None:
    pages = _lines(planned / f"{count}-{paper}-handout.pdf")
    height = float(PdfReader(planned / f"{count}-{paper}-handout.pdf").pages[0].mediabox.height)
    everything = " ".join(_text(p) for p in pages)
    assert "FACILITATOR ONLY" not in everything  # no notes, no step instructions
    assert not re.search(r"\b\d\d:\d\d\b", everything)  # no clock times
    assert not re.search(r"\b\d+ min\b|minutes planned", everything)  # no timings
    first = _text(pages[0])
    assert "Running order" in first and "1. Welcome" in first
    # the first item (a practice) is listed in the running order, then starts on this page
    assert re.search(r"\b(\d+)\. (Box \d+:).*\b\1\. \2", first), "no near-empty cover"
    for n, page in enumerate(pages, start=1):
        assert page, f"page {n} is empty"
        if n < len(pages):  # every page but the last reaches its lower half
            assert page[-1][0] < height / 2, f"page {n} of {len(pages)} is near-empty"
    last = pages[-1]
    cite = next(y for y, t in last if t.startswith("How to cite"))
    above = _text([(y, t) for y, t in last if y > cite + 1])
    assert len(above) > 40, f"the last page holds only the citation: {above!r}"


def test_each_prompt_has_ruled_room_to_write_under_it(planned: Path) -> None:
    checked = 0
    for page in _lines(planned / "20-a4-handout.pdf"):
        for (y, text), (below, _next) in pairwise(page):
            if text.startswith("Question"):
                assert y - below > 3 * 8 * MM, text  # three ruled 8 mm lines before the next
                checked += 1
    assert checked >= 10


KINDS = {
    "sheet": {"key": B + "box-9"},
    "example-free sheet": {"key": B + "box-21", "notes_space": False},
    "theme": {"theme": "3.4"},
    "authority": {"authority": "Authority D"},
    "pack": {"collection": "Session 3"},
    "handout": {"collection": "Session 3", "handout": True},
    "seven": {"key": B + "box-9", "seven_minute": True},
    "seven-theme": {"theme": "3.1", "seven_minute": True},
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_font_is_embedded_and_no_command_is_printed(
    planned: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "x.pdf"
    with Library.open(planned / "data") as lib:
        lib.export_brief(out, paper="letter", **KINDS[kind])  # type: ignore[arg-type]
    reader = PdfReader(out)
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            font = ref.get_object()
            assert "Helvetica" not in str(font["/BaseFont"]), name
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), (name, kind)
        text = page.extract_text()
        assert not re.search(r"safedesk (brief|collection|show)|--[a-z]", text), text
