"""Decoding, normalising and rejoining page breaks, on small texts written for each rule."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safedesk.corpus.parser import parse_report
from safedesk.corpus.text import MAX_REPORT_BYTES, blocks, decode, normalise
from safedesk.errors import ReportFormatError
from tests.conftest import SEED


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b"   \n\r\n\t", "empty"),
        ("Box 1 a report".encode("utf-16"), "UTF-16"),
        (bytes(range(256)) * 40, "binary"),
        (b"caf\xe9 au lait, not utf-8 at all " * 3, "not UTF-8"),
        (b"x" * (MAX_REPORT_BYTES + 1), "MiB"),
    ],
)
def test_bad_bytes_are_refused_with_the_problem_named(data: bytes, problem: str) -> None:
    with pytest.raises(ReportFormatError, match=problem):
        decode(data, "upload.txt")


def test_text_that_is_not_a_report_is_refused() -> None:
    with pytest.raises(ReportFormatError, match="supported layout"):
        parse_report(b"Dear colleague,\n\nPlease find attached the minutes.\n", "letter.txt")


def test_windows_line_endings_and_curly_quotes_are_normalised() -> None:
    assert normalise("It\u2019s \u201cfine\u201d\r\nnext\r\n") == 'It\'s "fine"\nnext\n'


def test_a_paragraph_split_by_a_page_break_is_rejoined() -> None:
    text = (
        "Interviewees said that the new arrangements had improved the way teams shared\n\n"
        "information with each other.\n\nNext paragraph."
    )
    assert [b.text for b in blocks(text)] == [
        "Interviewees said that the new arrangements had improved the way teams shared "
        "information with each other.",
        "Next paragraph.",
    ]


def test_a_heading_is_never_joined_to_the_paragraph_after_it() -> None:
    text = "Supervision\n\nStaff supervision policy and procedures have been redesigned.\n"
    assert [b.text for b in blocks(text)] == [
        "Supervision",
        "Staff supervision policy and procedures have been redesigned.",
    ]


def test_a_bullet_list_split_by_a_page_break_stays_a_list() -> None:
    parts = blocks("Lead-in:\n\n- first item\n- second item\n\n- third item\n\nAfter.")
    assert [(b.text, b.bullet) for b in parts] == [
        ("Lead-in:", False),
        ("first item", True),
        ("second item", True),
        ("third item", True),
        ("After.", False),
    ]


def test_bold_and_italic_markers_are_dropped() -> None:
    assert [b.text for b in blocks("Case study 1: **Northfield**\n\nSee *Working Together*.")] == [
        "Case study 1: Northfield",
        "See Working Together.",
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_parser_never_raises_anything_but_a_format_error(text: str) -> None:
    try:
        parse_report(text.encode("utf-8", "surrogatepass"), "fuzz.txt")
    except ReportFormatError as exc:
        assert str(exc)


_SEED_LINES = SEED.read_text("utf-8").split("\n")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(_SEED_LINES) - 1), min_size=1, max_size=40))
def test_parser_survives_the_real_report_with_lines_removed(drop: list[int]) -> None:
    gone = set(drop)
    text = "\n".join(line for i, line in enumerate(_SEED_LINES) if i not in gone)
    try:
        report = parse_report(text.encode("utf-8"), "mutated.txt")
    except ReportFormatError:
        return
    assert all(p.theme in {t.number for t in report.themes} for p in report.practices)
