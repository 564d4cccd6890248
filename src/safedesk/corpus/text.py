"""Turn raw report bytes into clean logical blocks.

A report file is a rendering of a printed document: paragraphs are single lines separated by blank
lines, bullets start with ``- ``, and page breaks show up as a blank line in mid-sentence or
mid-list. This module decodes and normalises the text and rejoins what the page breaks split.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from safedesk.errors import ReportFormatError
from safedesk.sizes import over_cap

__all__ = ["Block", "ReportFormatError", "as_text", "blocks", "decode", "normalise", "slugify"]

MAX_REPORT_BYTES = 5 * 1024 * 1024  # documented cap: 5 MiB of text


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " "})
_TERMINAL = (".", "?", "!", ":", ";")
_BULLET = re.compile(r"^\s*(?:[-•●▪*–]|\u2022)\s+(?=\S)")
_PAGE_NUMBER = re.compile(r"[ivxlcdm\d]+", re.IGNORECASE)
_TAGS = re.compile(r"</?(?:i|b|em|strong|u)>", re.IGNORECASE)
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+)>")


def decode(data: bytes, name: str = "file") -> str:
    """Decode report bytes as UTF-8 text or raise ReportFormatError naming the problem."""
    if not data.strip():
        raise ReportFormatError(f"{name} is empty")
    if len(data) > MAX_REPORT_BYTES:
        raise ReportFormatError(
            f"{name} is {over_cap(len(data), MAX_REPORT_BYTES)} of text (reports are capped)"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        data[:200].count(b"\x00") > 20 and _looks_utf16(data)
    ):
        raise ReportFormatError(f"{name} is UTF-16 text; save it as UTF-8 and import again")
    if b"\x00" in data:
        raise ReportFormatError(f"{name} is a binary file, not report text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportFormatError(
            f"{name} is not UTF-8 text (invalid byte at position {exc.start})"
        ) from None
    controls = sum(
        1 for ch in text[:4000] if unicodedata.category(ch) == "Cc" and ch not in "\r\n\t\f"
    )
    if controls > 10:
        raise ReportFormatError(f"{name} is a binary file, not report text")
    return text


def _looks_utf16(data: bytes) -> bool:
    head = data[:400]
    return head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4


def normalise(text: str) -> str:
    """Unify line endings, quotes and spaces; keep the words exactly."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def strip_markup(line: str) -> str:
    """Drop the inline emphasis the text rendering carries (``*title*``, ``**bold**``, ``<i>``).

    Linear in the length of the line: a line of 5 MiB of stray asterisks is read in one pass.
    """
    if "<" in line:
        line = _TAGS.sub("", line)
    if "**" in line:
        line = _BOLD.sub(r"\1", line)
    line = _strip_italics(line)
    return _LINK.sub(r"\1", line) if "<" in line else line


def _is_word_or_star(ch: str) -> bool:
    return ch == "*" or ch == "_" or ch.isalnum()


def _strip_italics(line: str) -> str:
    r"""``*words*`` -> ``words``, as substituting ``(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])``
    does, in one pass: each opening star is paired with the first closing star after it (by
    bisection in the list of closing stars), where the regex scans to the line's end for every
    star it tries (minutes for a line of "*a *a *a ...")."""
    if "*" not in line:
        return line
    if "\n" in line:  # the regex's `.` stops at a line break
        return "\n".join(_strip_italics(part) for part in line.split("\n"))
    n = len(line)
    stars = [i for i, ch in enumerate(line) if ch == "*"]
    closers = [
        j for j in stars
        if j > 0 and not line[j - 1].isspace()
        and (j + 1 == n or not _is_word_or_star(line[j + 1]))
    ]  # fmt: skip
    out: list[str] = []
    done = 0  # line[:done] is already in `out`
    for i in stars:
        if i < done:
            continue
        if (i > 0 and _is_word_or_star(line[i - 1])) or i + 1 == n or line[i + 1].isspace():
            continue
        k = bisect_left(closers, i + 2)
        if k == len(closers):
            continue
        j = closers[k]
        out += [line[done:i], line[i + 1 : j]]
        done = j + 1
    out.append(line[done:])
    return "".join(out)


@dataclass
class Block:
    """One logical line of the document: a paragraph, a bullet or a table row."""

    text: str
    bullet: bool = False
    table: bool = False
    after_blank: bool = False

    def looks_like_heading(self) -> bool:
        """A short, unpunctuated line that is not a bullet: how every heading is printed."""
        t = self.text
        return (
            not self.bullet
            and not self.table
            and 0 < len(t) <= 100
            and not t.endswith((".", ",", ";", ":", "!"))
            and (t[0].isupper() or t[0].isdigit())
        )


def blocks(text: str) -> list[Block]:
    """Split normalised text into blocks and rejoin paragraphs and bullets split by page breaks."""
    raw: list[Block] = []
    after_blank = True
    for line in text.split("\n"):
        line = strip_markup(line)
        if not line.strip():
            after_blank = True
            continue
        if _ends_in_page_number(line) and not line.startswith("\t"):
            # a contents line ("3.1 Leadership and management<TAB>5"): mark as table row
            raw.append(Block(line.strip(), table=True, after_blank=after_blank))
        elif "\t" in line:
            raw.append(Block(line, table=True, after_blank=after_blank))
        else:
            match = _BULLET.match(line)
            if match:
                raw.append(Block(line[match.end() :].strip(), bullet=True, after_blank=after_blank))
            else:
                raw.append(Block(" ".join(line.split()), after_blank=after_blank))
        after_blank = False
    return _join_page_breaks(raw)


def _ends_in_page_number(line: str) -> bool:
    """True for a contents line: a tab, maybe more blanks, then a page number (digits or roman)
    at the end. (The regex ``\\t\\s*[ivxlcdm\\d]+\\s*$`` says the same, but searching with it
    takes time quadratic in a line of blanks and tabs.)"""
    if "\t" not in line:
        return False
    end = len(line.rstrip())
    start = end
    while start > 0 and not line[start - 1].isspace():
        start -= 1
    if start == end or not _PAGE_NUMBER.fullmatch(line, start, end):
        return False
    gap = start
    while gap > 0 and line[gap - 1].isspace():
        gap -= 1
    return "\t" in line[gap:start]


def _join_page_breaks(raw: list[Block]) -> list[Block]:
    out: list[Block] = []
    pieces: list[str] = []  # the texts joined into out[-1] so far (joined once, at the end)
    length = 0
    for block in raw:
        if out and block.after_blank and _continues(out[-1], pieces[-1], length, block):
            pieces.append(block.text)
            length += 1 + len(block.text)
            continue
        if len(pieces) > 1:
            out[-1].text = " ".join(pieces)
        out.append(block)
        pieces, length = [block.text], len(block.text)
    if len(pieces) > 1:
        out[-1].text = " ".join(pieces)
    return out


def _continues(prev: Block, tail: str, length: int, block: Block) -> bool:
    """True when `block` is the rest of `prev` (`length` characters so far, ending with `tail`),
    cut by a page break."""
    if prev.table or block.table or block.bullet:
        return False
    if tail.rstrip("'\")]").endswith(_TERMINAL):
        return False
    if block.text[0].islower():
        # a sentence that goes on after the break; headings never start in lower case
        return prev.bullet or length > 60 or tail.endswith(",")
    # a long prose line cut before a capitalised word ("... Child and Adult | Mental Health ...")
    return (
        not prev.bullet and length > 100 and tail[-1].isalpha() and not block.looks_like_heading()
    )


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def as_text(parts: list[Block]) -> str:
    """Render blocks as plain text: paragraphs separated by blank lines, bullets as '- '."""
    lines: list[str] = []
    for i, block in enumerate(parts):
        if block.bullet:
            if lines and not (i > 0 and parts[i - 1].bullet):
                lines.append("")
            lines.append(f"- {block.text}")
        else:
            if lines:
                lines.append("")
            lines.append(block.text)
    return "\n".join(lines).strip()
