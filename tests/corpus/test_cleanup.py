"""What printing adds to text, taken away by rule: on the LibreOffice-made fixtures (which really
carry running headers, page numbers, line-end hyphens and "ﬁ" ligatures, as pdftotext shows)
and on small made-up layouts for each rule."""

from __future__ import annotations

import functools
import re
import subprocess
from collections import Counter
from dataclasses import dataclass

from safedesk.corpus.extract import Extracted, TextBlock, extract
from safedesk.corpus.extract.cleanup import (
    Piece,
    drop_running_lines,
    join_hyphenated,
    join_lines,
    plain,
    rejoin,
    vocabulary,
)
from tests.conftest import FIXTURES, SECOND

PDF = FIXTURES / "documents" / "northfield-2019-early-help.pdf"
HEADER = "Early help and family safeguarding: council approaches"


@functools.cache
def _extracted() -> Extracted:
    return extract(PDF)


@functools.cache
def _pdftotext() -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(PDF), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_the_fixture_really_has_what_cleanup_removes() -> None:
    raw = _pdftotext()
    pages = raw.split("\f")
    assert sum(1 for p in pages if HEADER in p.split("\n", 1)[0]) >= 20  # a running header
    assert sum(1 for p in pages if re.search(r"\n\d{1,2}\n*$", p)) >= 20  # page numbers
    assert "ﬁ" in raw or "ﬂ" in raw  # ligatures in the text layer
    assert len(re.findall(r"[a-z]-\n[a-z]", raw)) >= 30  # words split at line ends


def test_running_headers_and_page_numbers_are_gone() -> None:
    blocks = _extracted().blocks
    assert not [b for b in blocks if b.text.strip() == HEADER]
    assert not [b for b in blocks if re.fullmatch(r"\d{1,3}", b.text.strip())]
    # the title line on the first page is printed there once as text, and stays
    assert sum(1 for b in blocks if b.text.lower() == HEADER.lower()) == 2  # cover and title page


def test_ligatures_are_plain_letters() -> None:
    text = "\n".join(b.text for b in _extracted().blocks)
    assert not re.search("[\ufb00-\ufb06]", text)
    assert "\u00ad" not in text


def test_every_word_split_at_a_line_end_is_whole_again() -> None:
    """Each word of the extracted text is a word of the text the report was typeset from."""
    source = SECOND.read_text("utf-8-sig").translate(str.maketrans("‘’“”", "''\"\""))
    known = Counter(re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", source))
    text = "\n".join(b.text for b in _extracted().blocks)
    words = re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text)
    unknown = sorted({w for w in words if w not in known})
    assert unknown == []


def test_hyphen_rule_follows_the_documents_own_words() -> None:
    words = vocabulary(["safeguarding partners", "a family-led plan", "agency staff", "interna-"])
    assert join_hyphenated("the safe", "guarding of", words)  # the whole word occurs
    assert not join_hyphenated("a family", "led plan", words)  # the compound occurs
    assert not join_hyphenated("multi", "agency work", words)  # "agency" is a word of its own
    assert join_hyphenated("commis", "sioning of", words)  # neither: the printer's hyphen
    assert not join_hyphenated("re", "employed", words)  # two letters: a prefix
    assert not join_hyphenated("see", "Annex", words)  # a capital goes on a new word


def test_the_rest_of_a_split_word_is_not_counted_as_a_word() -> None:
    words = vocabulary(["the council's commis-", "sioning strategy and", "sioning again"])
    assert words["sioning"] == 1  # only the occurrence that does not follow a line-end hyphen


def test_join_lines_keeps_deliberate_breaks_and_web_addresses() -> None:
    words = vocabulary([])
    text, starts = join_lines(["Published in 2019", "by the Centre,"], words, [True])
    assert text == "Published in 2019\nby the Centre," and starts == [0, 18]
    assert join_lines(["see http://example.org/a/", "b.pdf [12 May]"], words)[0] == (
        "see http://example.org/a/b.pdf [12 May]"
    )
    assert join_lines(["aged 0–", "17 years"], words)[0] == "aged 0–17 years"


@dataclass
class _Line:
    text: str
    top: float
    bottom: float


def test_running_lines_need_the_band_and_repetition_at_the_same_height() -> None:
    pages = []
    for n in range(1, 6):
        pages.append(
            [
                _Line("Annual report 2020", 30, 40),  # header: same words, same place
                _Line("Background", 100 if n != 3 else 35, 110),  # in the band only once
                _Line(f"Body text of page {n}.", 120, 130),
                _Line(f"Page {n} of 5", 780, 790),  # footer with a changing number
                _Line(str(n), 800, 810),  # a bare page number
            ]
        )
    kept = drop_running_lines(pages, [842.0] * 5)
    assert [[line.text for line in page] for page in kept] == [
        ["Background", f"Body text of page {n}."] for n in range(1, 6)
    ]


def test_a_paragraph_split_by_a_page_break_or_a_box_is_joined() -> None:
    para = TextBlock("paragraph", "The council has trained all of its", page=4)
    box_head = TextBlock("heading", "Box 3 A title (Authority B)", page=4, level=5, frame=True)
    box_text = TextBlock("paragraph", "Inside the box.", page=4, frame=True)
    rest = TextBlock("paragraph", "staff in the approach.", page=5)
    out = rejoin(
        [Piece(para), Piece(box_head), Piece(box_text, last_on_page=True), Piece(rest)],
        vocabulary([]),
    )
    assert [b.text for b in out] == [
        "The council has trained all of its staff in the approach.",
        "Box 3 A title (Authority B)",
        "Inside the box.",
    ]
    assert out[0].page == 4


def test_a_finished_paragraph_or_a_heading_is_never_joined() -> None:
    done = TextBlock("paragraph", "A sentence that ends.", page=1)
    after = TextBlock("paragraph", "and a lower-case start", page=2)
    heading = TextBlock("heading", "Next steps", page=2, level=2)
    out = rejoin([Piece(done, last_on_page=True), Piece(after)])
    assert len(out) == 2
    cut = TextBlock("paragraph", "A sentence that goes", page=1)
    out = rejoin([Piece(cut, last_on_page=True), Piece(heading), Piece(after)])
    assert [b.text for b in out] == ["A sentence that goes", "Next steps", after.text]


def test_a_paragraph_running_over_a_page_starts_on_the_first_page() -> None:
    """The executive summary's third paragraph runs from page 2 to page 3 (pdftotext -f/-l)."""
    block = next(b for b in _extracted().blocks if b.text.startswith("Four local authorities"))
    assert block.page == 2
    assert "selected for the study" in _page(2) and "selected for the study" not in _page(3)
    assert "depending on local circumstances" in block.text
    assert "depending on local circumstances" in _page(3)


def _page(n: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(n), "-l", str(n), str(PDF), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(out.split())


def test_plain_makes_ligatures_letters_and_drops_invisible_characters() -> None:
    assert plain("ﬁrst ﬂow o\u00adver\u200b\ufeff") == "first flow over"
