"""Case 6: inputs under the caps that froze safedesk. Each runs in a real process with a deadline
far above what it takes now (a second or a few) and far below what it took before (minutes to
hours: quadratic regexes, repeated copies, ReportLab re-wrapping a 4,000-page paragraph). Times
themselves are measured in benchmarks/bench_worst_case.py, not here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safedesk.briefing.limits import CONTINUED, MAX_CHARS, MAX_LINES, excerpt, heading
from safedesk.corpus.text import _ends_in_page_number, _strip_italics
from tests.reliability.conftest import child_env, cli
from tests.reliability.worst_case import REPORTS, collection_file

DEADLINE = 60  # seconds; each case takes 1-5 s here

# bytes of report text per case: enough that the old code took minutes (at least 60 s) here
SIZES = {"stars": 1_000_000, "links": 1_000_000, "tabs": 400_000, "capitals": 200_000,
         "word": 200_000, "box blanks": 1_000_000, "page breaks": 4_500_000}  # fmt: skip
DEFAULT_SIZE = 3_000_000


def _parse_in_a_process(case: str, size: int, tmp_path: Path) -> str:
    source = tmp_path / "report.txt"
    source.write_text(REPORTS[case][1](size), "utf-8")
    assert source.stat().st_size < 5 * 1024 * 1024  # under the documented cap
    code = (
        "import sys; from safedesk.corpus.parser import parse_report; "
        "r = parse_report(open(sys.argv[1], 'rb').read(), 'report.txt'); "
        "print(len(r.practices), len(r.authorities))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(source)],
        capture_output=True, text=True, timeout=DEADLINE, env=child_env(),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(set(REPORTS) - {"table rows"}))
def test_a_worst_case_report_is_parsed_in_linear_time(case: str, tmp_path: Path) -> None:
    practices = _parse_in_a_process(case, SIZES.get(case, DEFAULT_SIZE), tmp_path).split()[0]
    assert practices == "13"  # the report still reads as it should


@pytest.mark.slow
def test_a_table_naming_one_authority_on_every_row_imports(data_dir: Path, tmp_path: Path) -> None:
    """Repeated rows for one authority made duplicate keys (and quadratic key-making)."""
    source = tmp_path / "report.txt"
    source.write_text(REPORTS["table rows"][1](200_000), "utf-8")  # (the old code: UNIQUE failed)
    done = cli(data_dir, "import", str(source), "--json", timeout=DEADLINE)
    assert done.returncode == 0, done.stderr
    names = cli(data_dir, "authorities", "--json").stdout
    assert names.count('"name": "Northfield"') == 1


def _pack(data_dir: Path, file: Path, tmp_path: Path) -> tuple[int, str]:
    """Import `file` and print its session pack in real processes; (pages, the PDF's text)."""
    from pypdf import PdfReader

    imported = cli(data_dir, "collection", "import", str(file), timeout=DEADLINE)
    assert imported.returncode == 0, imported.stderr
    pdf = tmp_path / "pack.pdf"
    done = cli(data_dir, "brief", "--collection", "Worst case", "-o", str(pdf), timeout=DEADLINE)
    assert done.returncode == 0, done.stderr
    reader = PdfReader(pdf)
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


LONG = "word " * 39_000  # 195,000 characters on one line, under the 200,000 a file may hold


@pytest.mark.slow
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("note", "\n" * 199_980 + "the last line"),  # the 400 KB file of 200,000 lines
        ("note", "a line\n" * 28_000),
        ("note", LONG),
        ("text", LONG),
        ("text", "\n\n".join(["A paragraph."] * 14_000)),
        ("prompts", [LONG] * 3),
        ("title", LONG),
        ("description", LONG),
    ],
    ids=["blank-lines", "short-lines", "note-line", "text-line", "paragraphs", "prompts",
         "title", "description"],
)  # fmt: skip
def test_a_huge_text_in_a_collection_prints_a_few_pages_marked_continued(
    data_dir: Path, tmp_path: Path, field: str, value: object
) -> None:
    file = collection_file(tmp_path / "c.json", **{field: value})  # type: ignore[arg-type]
    pages, text = _pack(data_dir, file, tmp_path)
    assert pages <= 3 * (MAX_CHARS // 3_000) + 4, pages  # a few pages per field, not thousands
    if field not in ("title", "description") and not str(value).startswith("\n"):
        assert "continued in safedesk" in text


# -- what a briefing prints of one text ------------------------------------------------------------
def test_short_texts_print_exactly_as_stored() -> None:
    for text in ("", "One line.", "Para one.\n\nPara two.\n- a\n- b", "x" * MAX_CHARS):
        assert excerpt(text) == text
    assert heading("A title") == "A title"


def test_blank_line_runs_print_as_one() -> None:
    assert excerpt("first\n\n\n\n\nsecond\n\n\n") == "first\n\nsecond"
    assert excerpt("\n" * 199_999 + "last") == "last"


def test_a_long_text_is_cut_at_the_limits_and_marked() -> None:
    by_lines = excerpt("line\n" * (MAX_LINES * 3))
    assert by_lines.splitlines()[-1] == CONTINUED
    assert by_lines.count("line") == MAX_LINES
    by_chars = excerpt("word " * MAX_CHARS)
    assert by_chars.endswith(f"\n{CONTINUED}") and len(by_chars) <= MAX_CHARS + len(CONTINUED) + 1
    assert by_chars.split("\n")[0].endswith("word")  # cut between words
    title = heading("Title " * 1000)
    assert len(title) <= 300 and title.endswith("…") and "\n" not in heading("a\nb")


# -- the linear rewrites read exactly as the regexes they replace ----------------------------------
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_CONTENTS_LINE = re.compile(r"\t\s*[ivxlcdm\d]+\s*$", re.IGNORECASE)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="*a _.\n\tб1", max_size=24))
def test_italics_are_stripped_as_the_regex_did(line: str) -> None:
    assert _strip_italics(line) == _ITALIC.sub(r"\1", line)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="\t iv1xz\u2003٣", max_size=16))
def test_contents_lines_are_found_as_the_regex_did(line: str) -> None:
    assert _ends_in_page_number(line) == bool(_CONTENTS_LINE.search(line))


def test_acronyms_of_the_reports_are_found_as_before() -> None:
    """The acronym pattern is bounded now (2-12 letters); every definition is still found."""
    from safedesk.corpus.glossary import find_acronyms
    from tests.conftest import SEED

    found = {g.term: g.expansion for g in find_acronyms(SEED.read_text("utf-8"))}
    assert len(found) == 24 and found["SMT"] == "senior management team"
    second = {g.term for g in find_acronyms(REPORTS["stars"][1](0))}
    assert len(second) == 11
