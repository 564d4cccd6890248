"""From a PDF's lines to blocks: paragraphs, headings with levels, list items, numbered paragraphs.

All by layout: a paragraph ends where the space between lines grows, the style changes, a line
steps back to the left of a hanging indent or in from a first-line indent, or a bullet starts.
A line that ends well short of the column while the next line's first word would have fitted is
a deliberate break and stays one ("\\n"). Headings are short blocks set bigger than the body text
(the size used for most characters), levels by size, or bold at body size (the lowest level).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from safedesk.corpus.extract.cleanup import Piece, join_lines, url_continues
from safedesk.corpus.extract.model import BlockKind, TextBlock
from safedesk.corpus.extract.pdf_chars import Line

_GLYPHS = "•◦▪▫■□●○‣⁃∙·\uf0a7\uf0b7\uf0d8\uf0fc\uf076"
_BULLET_GLYPH = re.compile(rf"^[{_GLYPHS}]\s+(?=\S)")  # starts a list item wherever it stands
_BULLET = re.compile(rf"^[{_GLYPHS}\-–*]\s+(?=\S)")  # a dash only where a paragraph starts anyway
_NUMBER = re.compile(
    r"^(\(?\d{1,3}(?:\.\d{1,3})*\)|\d{1,3}(?:\.\d{1,3})+\.?|\d{1,3}\.|\(?[a-z]\))\s+(?=\S)"
)
_HEADING_MAX = 200  # characters: a longer block is never a heading


@dataclass
class _Para:
    lines: list[Line]
    page: int
    breaks: list[bool]


def _gaps(pages: Sequence[Sequence[Line]]) -> tuple[float, dict[bool, float]]:
    """The body size and the usual space between two lines of a body paragraph per frame state,
    in font sizes (so that it scales to headings)."""
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    seen: dict[bool, Counter[float]] = {False: Counter(), True: Counter()}
    for lines in pages:
        for prev, line in itertools.pairwise(lines):
            if prev.table or line.table or prev.frame != line.frame:
                continue
            if round(line.size * 2) / 2 != body or round(prev.size * 2) / 2 != body:
                continue
            gap = line.top - prev.bottom
            if -2 < gap < 2 * body and abs(line.x0 - prev.x0) < 2:
                seen[line.frame][round(gap / body, 2)] += 1
    usual = {frame: counts.most_common(1)[0][0] for frame, counts in seen.items() if counts}
    usual.setdefault(False, usual.get(True, 0.3))
    usual.setdefault(True, usual[False])
    return body, usual


def _right_edges(pages: Sequence[Sequence[Line]]) -> dict[bool, float]:
    """Where the text column ends, outside and inside frames (a high percentile of line ends)."""
    ends: dict[bool, list[float]] = {False: [], True: []}
    for lines in pages:
        for line in lines:
            if not line.table:
                ends[line.frame].append(line.x1)
    out = {}
    for frame, values in ends.items():
        values.sort()
        out[frame] = values[int(len(values) * 0.95)] if values else 0.0
    return out


def _starts_new(prev: Line, line: Line, first_of_para: bool, usual: float) -> bool:
    if prev.table or line.table or prev.frame != line.frame:
        return True
    if abs(prev.size - line.size) > 0.4 or prev.bold != line.bold:
        return True
    if line.top - prev.bottom > usual + 0.35 * line.size:
        return True
    if _BULLET_GLYPH.match(line.text) or "\t" in line.text or "\t" in prev.text:
        return True
    if not first_of_para and line.x0 < prev.x0 - 2:  # back out of a hanging indent
        return True
    return not first_of_para and line.x0 > prev.x0 + 0.8 * line.size  # a first-line indent


def _deliberate_break(prev: Line, line: Line, right: float) -> bool:
    """`prev` ends short of the column although `line`'s first word would have fitted there."""
    if prev.text.endswith("-") or url_continues(prev.text, line.text):
        return False
    first_word = line.text.split(None, 1)[0] if line.text.strip() else ""
    per_char = (line.x1 - line.x0) / max(1, len(line.text))  # this font's average advance
    needed = 1.2 * (len(first_word) + 1) * per_char + line.size  # with room for doubt
    return prev.x1 + needed < right


def paragraphs(pages: Sequence[Sequence[Line]]) -> list[_Para]:
    _body, usual = _gaps(pages)
    right = _right_edges(pages)
    out: list[_Para] = []
    for number, lines in enumerate(pages, start=1):
        current: _Para | None = None
        for line in lines:
            if current is not None and not _starts_new(
                current.lines[-1],
                line,
                len(current.lines) == 1,
                usual[line.frame] * line.size,
            ):
                current.breaks.append(_deliberate_break(current.lines[-1], line, right[line.frame]))
                current.lines.append(line)
                continue
            current = _Para([line], number, [])
            out.append(current)
    return out


def _body_size(paras: Sequence[_Para]) -> float:
    sizes: Counter[float] = Counter()
    for para in paras:
        for line in para.lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def blocks(pages: Sequence[Sequence[Line]], words: Counter[str]) -> list[Piece]:
    """The pages' lines (running lines already dropped) as blocks in reading order."""
    paras = paragraphs(pages)
    body = _body_size(paras)
    heading_sizes = sorted(
        {
            round(p.lines[0].size * 2) / 2
            for p in paras
            if round(p.lines[0].size * 2) / 2 > body + 0.4 and _heading_shaped(p)
        },
        reverse=True,
    )
    right = _right_edges(pages)
    last_index: dict[int, int] = {}
    for i, para in enumerate(paras):
        last_index[para.page] = i
    pieces: list[Piece] = []
    for i, para in enumerate(paras):
        block = _block(para, body, heading_sizes, words)
        if block is None:
            continue
        last = para.lines[-1]
        pieces.append(
            Piece(
                block,
                last_on_page=last_index[para.page] == i,
                ends_full=last.x1 >= right[last.frame] - 0.5 * last.size,
            )
        )
    return pieces


def _heading_shaped(para: _Para) -> bool:
    text = " ".join(line.text for line in para.lines)
    return (
        not para.lines[0].table
        and len(para.lines) <= 3
        and len(text) <= _HEADING_MAX
        and not _BULLET.match(text)
        and not text.rstrip().endswith((".", ",", ";"))
    )


def _block(
    para: _Para, body: float, heading_sizes: list[float], words: Counter[str]
) -> TextBlock | None:
    first = para.lines[0]
    if first.table:
        cells = [join_lines(cell, words)[0] for cell in first.cells]
        return TextBlock("table_row", "\t".join(cells), para.page, frame=first.frame)
    if len(para.lines) == 1 and "\t" in first.text:  # columns set apart by space (a contents line)
        return TextBlock("table_row", first.text.strip(), para.page, frame=first.frame)
    text, starts = join_lines([line.text for line in para.lines], words, para.breaks)
    if not text.strip():
        return None
    emphasis = [
        (s + a, s + b) for line, s in zip(para.lines, starts, strict=True) for a, b in line.italic
    ]
    size = round(first.size * 2) / 2
    kind: BlockKind = "paragraph"
    level = 0
    number: str | None = None
    if size in heading_sizes and _heading_shaped(para):
        kind, level = "heading", heading_sizes.index(size) + 1
        text = text.replace("\n", " ")
    elif first.bold and _heading_shaped(para) and abs(size - body) <= 0.4:
        kind, level = "heading", len(heading_sizes) + 1
        text = text.replace("\n", " ")
    else:
        bullet = _BULLET.match(text)
        numbered = _NUMBER.match(text)
        cut = 0
        if bullet:
            kind, cut = "list_item", bullet.end()
        elif numbered and (
            len(para.lines) == 1 or para.lines[1].x0 > first.x0 + 2 or "\t" in text[:8]
        ):
            number = numbered.group(1).rstrip(".").strip("()")
            cut = numbered.end()
        if cut:
            text = text[cut:]
            emphasis = [(max(0, a - cut), b - cut) for a, b in emphasis if b > cut]
    return TextBlock(
        kind, text, para.page, level=level, number=number, frame=first.frame, emphasis=emphasis
    )
