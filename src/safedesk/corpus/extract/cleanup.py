"""Cleanup by rule from the layout, for every format: what printing adds to text, taken away.

- Running headers and footers: lines in the top or bottom band of the page that repeat at the
  same height on several pages, and page numbers there ("7", "vii", "Page 7 of 40").
- Hyphenation at line ends: "safeg-" + "uarding" becomes "safeguarding" unless the document itself
  shows the hyphen belongs to the word (see `join_hyphenated`).
- Ligatures ("ﬁ", "ﬂ"...) and soft hyphens made plain.
- Paragraphs split by a page break or by a box printed in their middle are joined again.

Nothing here knows any document's wording; the only evidence is position, repetition and the
document's own vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from safedesk.corpus.extract.model import TextBlock

BAND = 0.12  # running lines sit in the top or bottom 12% of the page
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:page\s+)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?[-–—\s]*$",
    re.IGNORECASE,
)
_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_INVISIBLE = {"\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "", "\u00a0": " "}
_PLAIN = str.maketrans({**_LIGATURES, **_INVISIBLE})
_TERMINAL = re.compile(r"[.?!:;][\"')\]’”]*$")
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_URL_END = re.compile(r"(?:https?://|www\.)\S*$", re.IGNORECASE)
_URL_GOES_ON = re.compile(r"^[^\s\[(]*[/.%_=&?#\d]|^[a-z]")


def url_continues(before: str, after: str) -> bool:
    """A web address printed at a line end that goes on at the start of the next line."""
    return bool(_URL_END.search(before)) and bool(_URL_GOES_ON.match(after.lstrip()))


class _Positioned(Protocol):
    text: str
    top: float
    bottom: float


def plain(text: str) -> str:
    """Ligatures as their letters; soft hyphens, zero-width characters and BOMs dropped."""
    return text.translate(_PLAIN)


L = TypeVar("L", bound=_Positioned)


def drop_running_lines(pages: Sequence[Sequence[L]], heights: Sequence[float]) -> list[list[L]]:
    """Each page's lines without running headers, footers and page numbers.

    A line is running when it lies in the top or bottom band and the same words (digits aside)
    stand at the same height on at least two pages and on at least a fifth of them; a page number
    there goes whatever it repeats.
    """
    seen: Counter[tuple[str, int]] = Counter()
    keys: list[list[tuple[str, int] | None]] = []
    for lines, height in zip(pages, heights, strict=True):
        page_keys: list[tuple[str, int] | None] = []
        for line in lines:
            in_band = line.bottom < height * BAND or line.top > height * (1 - BAND)
            words = re.sub(r"\d+", "#", " ".join(line.text.lower().split()))
            page_keys.append((words, round(line.top / 4)) if in_band else None)
        keys.append(page_keys)
        seen.update({k for k in page_keys if k is not None})
    needed = max(2, len(pages) // 5)
    out: list[list[L]] = []
    for lines, page_keys in zip(pages, keys, strict=True):
        kept = []
        for line, found in zip(lines, page_keys, strict=True):
            if found is not None and (seen[found] >= needed or _PAGE_NUMBER.match(line.text)):
                continue
            kept.append(line)
        out.append(kept)
    return out


def vocabulary(lines: Iterable[str]) -> Counter[str]:
    """How often each word (and each hyphenated compound) occurs in lines read in order, in lower
    case. The first word of a line after one ending in a hyphen is left out: it may be the rest
    of a word the printer split, which must not count as a word of its own."""
    counts: Counter[str] = Counter()
    after_hyphen = False
    for text in lines:
        found = _WORDS.findall(text.lower())
        if after_hyphen and found and text.lstrip()[:1].isalpha():
            found = found[1:]
        after_hyphen = text.rstrip().endswith("-")
        for word in found:
            counts[word] += 1
            if "-" in word:
                counts.update(word.split("-"))
                counts[word.replace("-", "")] += 0  # present, so lookups stay cheap
    return counts


def join_hyphenated(head: str, tail: str, words: Counter[str]) -> bool:
    """Whether "head-" at a line end and "tail" on the next line are one word without the hyphen.

    The document decides: the joined word occurring elsewhere joins; the hyphenated compound
    occurring elsewhere, or the second part being a word of its own there, keeps the hyphen
    ("family-" + "led", "multi-" + "agency"); otherwise the hyphen was the printer's and goes.
    """
    first = re.search(r"[^\W\d_]+$", head)
    second = re.match(r"[^\W\d_]+", tail)
    if not first or not second or not second.group().islower():
        return False
    a, b = first.group().lower(), second.group().lower()
    if len(a) <= 2:  # "re-", "co-": typesetters rarely split after two letters; prefixes do
        return False
    if words[a + b] > 0:
        return True
    if words[f"{a}-{b}"] > 0:
        return False
    return not (len(b) >= 3 and words[b] > 0)


def join_lines(
    lines: Sequence[str], words: Counter[str], breaks: Sequence[bool] = ()
) -> tuple[str, list[int]]:
    """Lines of one paragraph as one text; `breaks[i]` keeps a line break after line i.

    Returns the text and where each line starts in it (for moving emphasis spans along).
    """
    out = ""
    starts: list[int] = []
    for i, line in enumerate(lines):
        line = line.strip()
        if i == 0:
            starts.append(0)
            out = line
            continue
        if i - 1 < len(breaks) and breaks[i - 1]:
            out += "\n"
        elif url_continues(out, line) or re.search(r"\w[–—]$", out):
            pass  # "0–" + "17", an address split anywhere: nothing between the parts
        elif out.endswith("-") and out[-2:-1].isalpha() and line[:1].isalpha():
            if join_hyphenated(out[:-1], line, words):
                out = out[:-1]
        elif out and line:
            out += " "
        starts.append(len(out))
        out += line
    return out, starts


def _ends_sentence(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip()))


@dataclass
class Piece:
    """A block with what the rejoining needs to know about how it was printed."""

    block: TextBlock
    last_on_page: bool = False  # nothing but running lines follows it on its page
    ends_full: bool = False  # its last line runs to the right margin (the sentence goes on)


def rejoin(pieces: Sequence[Piece], words: Counter[str] | None = None) -> list[TextBlock]:
    """Join paragraphs that a page break or a box split in two.

    A paragraph that does not end a sentence continues in the next paragraph on the same side of
    any box border (boxes printed in its middle are kept, after it) when that one starts in lower
    case, or, after a page break, when its own last line ran to the right margin.
    """
    out: list[TextBlock] = []
    held: list[TextBlock] = []  # blocks printed between the two parts (a box, the other side)
    open_at: int | None = None  # index in `out` of a paragraph waiting for its continuation
    open_piece: Piece | None = None
    for piece in pieces:
        block = piece.block
        if open_at is not None and open_piece is not None:
            target = out[open_at]
            if block.frame and not target.frame:  # a box printed inside the paragraph
                held.append(block)
                continue
            if block.kind in ("heading", "table_row"):
                open_at = open_piece = None
            elif block.frame == target.frame and _continues(open_piece, block, bool(held)):
                _append(target, block, words or Counter())
                out += held
                held = []
                open_piece = Piece(target, piece.last_on_page, piece.ends_full)
                if _ends_sentence(target.text):
                    open_at = open_piece = None
                continue
            else:
                open_at = open_piece = None
        out += held
        held = []
        out.append(block)
        if block.kind in ("paragraph", "list_item") and not _ends_sentence(block.text):
            open_at, open_piece = len(out) - 1, piece
    out += held
    return out


def _continues(before: Piece, block: TextBlock, across_box: bool) -> bool:
    if block.kind not in ("paragraph",) or block.number is not None:
        return False
    first = block.text[:1]
    if not (before.last_on_page or across_box):
        return False
    if first.islower():
        return True
    return before.last_on_page and before.ends_full and before.block.text[-1:].isalpha()


def _append(target: TextBlock, block: TextBlock, words: Counter[str]) -> None:
    joined_hyphen = (
        target.text.endswith("-")
        and target.text[-2:-1].isalpha()
        and join_hyphenated(target.text[:-1], block.text, words)
    )
    sep = "" if joined_hyphen else " "
    base = len(target.text) + len(sep)
    if joined_hyphen:
        target.text = target.text[:-1]
        base -= 1
    elif target.text.endswith("-"):
        sep, base = "", base - 1
    target.text = f"{target.text}{sep}{block.text}"
    target.emphasis += [(a + base, b + base) for a, b in block.emphasis]
