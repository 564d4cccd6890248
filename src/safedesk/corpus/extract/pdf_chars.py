"""Read a PDF page's characters with PDFium (pypdfium2) and group them into lines.

Each line keeps its box (points, y growing downwards), its font size, whether it is bold, and
its italic spans. A large gap inside a line becomes a tab (columns, dot leaders, right-aligned page
numbers). Characters inside a ruled table with two or more columns are gathered per cell instead,
and every cell row becomes one line whose cells are separated by tabs. Ruled one-column tables and
filled rectangles are frames (boxes): their lines carry `frame=True`.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from typing import Any

import pypdfium2.raw as raw

from safedesk.corpus.extract.cleanup import plain

_ITALIC_FLAG = 1 << 6
_FORCE_BOLD_FLAG = 1 << 18
_TAB_GAP_EM = 1.8  # a gap wider than this many font sizes separates columns
_LEADERS = re.compile(r"\s*(?:\.\s*){4,}\s*")
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC_NAME = re.compile(r"italic|oblique", re.IGNORECASE)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: list[tuple[int, int]] = field(default_factory=list)
    frame: bool = False
    table: bool = False  # a table row: cells separated by tabs
    cells: list[list[str]] = field(default_factory=list)  # a table row's cells, line by line

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Rect:
    x0: float
    top: float
    x1: float
    bottom: float

    def holds(self, x: float, y: float) -> bool:
        return self.x0 - 1 <= x <= self.x1 + 1 and self.top - 1 <= y <= self.bottom + 1


@dataclass
class _Grid:
    box: _Rect
    xs: list[float]  # column boundaries
    ys: list[float]  # row boundaries

    def cell(self, x: float, y: float) -> tuple[int, int] | None:
        if not self.box.holds(x, y):
            return None
        col = sum(1 for b in self.xs[1:-1] if x > b)
        row = sum(1 for b in self.ys[1:-1] if y > b)
        return row, col


# a word: (text, x0, top, x1, bottom, size, bold, italic)
_Word = tuple[str, float, float, float, float, float, bool, bool]


class _LineBuilder:
    """Words in reading order -> lines (breaking on a new baseline or a step back to the left)."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._words: list[_Word] = []
        self._frame = False

    def add(self, word: _Word, frame: bool) -> None:
        if self._words:
            last = self._words[-1]
            size = max(word[5], last[5])
            same_line = (
                abs(word[2] + word[4] - last[2] - last[4]) < size and word[1] > last[1] - size
            )
            if not same_line or frame != self._frame:
                self.flush()
        if not self._words:
            self._frame = frame
        self._words.append(word)

    def flush(self) -> None:
        words, self._words = self._words, []
        if not words:
            return
        sizes = sorted(w[5] for w in words)
        size = sizes[len(sizes) // 2]
        parts: list[str] = []
        italic: list[tuple[int, int]] = []
        length = 0
        last_x1: float | None = None
        for text, x0, _top, x1, _bottom, wsize, _bold, is_italic in words:
            if last_x1 is not None:
                gap = "\t" if x0 - last_x1 > _TAB_GAP_EM * max(wsize, size) else " "
                parts.append(gap)
                length += 1
            if is_italic:
                if italic and italic[-1][1] == length - 1:
                    italic[-1] = (italic[-1][0], length + len(text))
                else:
                    italic.append((length, length + len(text)))
            parts.append(text)
            length += len(text)
            last_x1 = x1
        line = "".join(parts)
        if _LEADERS.search(line):
            line, italic = _LEADERS.sub("\t", line).strip(), []
        letters = sum(len(w[0]) for w in words)
        bold = sum(len(w[0]) for w in words if w[6]) > 0.8 * letters
        self.lines.append(
            Line(
                text=line,
                x0=min(w[1] for w in words),
                x1=max(w[3] for w in words),
                top=min(w[2] for w in words),
                bottom=max(w[4] for w in words),
                size=size,
                bold=bold,
                italic=italic,
                frame=self._frame,
            )
        )


class _Fonts:
    """Bold and italic of the character at an index, from PDFium's weight and font flags."""

    def __init__(self, textpage: Any) -> None:
        self._textpage = textpage
        self._flags = ctypes.c_int()
        self._name = ctypes.create_string_buffer(128)
        self._bold_names: dict[bytes, bool] = {}

    def style(self, index: int) -> tuple[bool, bool]:
        flags = self._flags
        raw.FPDFText_GetFontInfo(self._textpage, index, self._name, 128, ctypes.byref(flags))
        name = self._name.value
        bold = self._bold_names.get(name)
        if bold is None:
            bold = self._bold_names[name] = bool(
                _BOLD_NAME.search(name.decode("latin-1", "replace"))
            )
        if not bold:
            bold = bool(flags.value & _FORCE_BOLD_FLAG) or (
                raw.FPDFText_GetFontWeight(self._textpage, index) >= 600
            )
        return bold, bool(flags.value & _ITALIC_FLAG)


def _rules(page: Any, height: float) -> tuple[list[_Grid], list[_Rect]]:
    """Ruled tables (two or more columns) and frames (filled boxes, one-column ruled tables).

    Two horizontal rules of the same width, one below the other, with vertical rules running from
    one to the other, make a band of cells; bands that share a rule and their columns make a
    table. Rules that only look aligned (a box below a table) never join up.
    """
    horizontal: list[_Rect] = []
    vertical: list[_Rect] = []
    frames: list[_Rect] = []
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        rect = _Rect(left, height - top, right, height - bottom)
        w, h = right - left, top - bottom
        if h <= 2.5 and w > 8:
            horizontal.append(rect)
        elif w <= 2.5 and h > 4:
            vertical.append(rect)
        elif w > 40 and h > 12:
            raw.FPDFPath_GetDrawMode(obj.raw, fill_mode, stroke)
            if fill_mode.value:
                frames.append(rect)
    rules = sorted(
        {
            (float(round(r.x0)), float(round(r.x1)), round((r.top + r.bottom) / 2, 1))
            for r in horizontal
        },
        key=lambda r: (r[2], r[0]),
    )
    bands: list[tuple[float, float, float, float, list[float]]] = []  # x0, x1, top, bottom, xs
    for i, (x0, x1, y) in enumerate(rules):
        below = next(
            (r for r in rules[i + 1 :] if abs(r[0] - x0) <= 3 and abs(r[1] - x1) <= 3), None
        )
        if below is None:
            continue
        xs = _merge_close(
            sorted(
                (v.x0 + v.x1) / 2
                for v in vertical
                if x0 - 3 <= (v.x0 + v.x1) / 2 <= x1 + 3
                and v.top <= y + 3
                and v.bottom >= below[2] - 3
            )
        )
        if len(xs) >= 2:
            bands.append((x0, x1, y, below[2], xs))
    grids: list[_Grid] = []
    for x0, x1, top, bottom, xs in bands:
        last = grids[-1] if grids else None
        if (
            last is not None
            and abs(last.box.x0 - x0) <= 3
            and abs(last.box.bottom - top) <= 1
            and len(last.xs) == len(xs)
        ):
            last.box.bottom = bottom
            last.ys.append(bottom)
            continue
        grids.append(_Grid(_Rect(x0, top, x1, bottom), xs, [top, bottom]))
    tables = [g for g in grids if len(g.xs) >= 3]
    frames += [g.box for g in grids if len(g.xs) < 3]
    return tables, frames


def _merge_close(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > 3:
            out.append(v)
    return out


# PDFium marks a hyphen that ends a line with U+FFFE (or 0x02) and leaves out the line break: the
# hyphen ends a word here, so that the rest of the word starts the next line.
_WORD = re.compile(r"[^\s\x00-\x1f\ufffe]+[\ufffe\x02]?|[\ufffe\x02]")
_EOL_HYPHEN = str.maketrans({"\ufffe": "-", "\x02": "-"})


def page_lines(textpage: Any, page: Any, height: float) -> list[Line]:
    """The page's lines in reading order (PDFium's), with table rows gathered from their cells.

    PDFium gives the page's text in one call; boxes are read at each word's first and last
    character, and size and style at its first (styles rarely change inside a word). That keeps
    the calls into PDFium, which cost a few microseconds each, to about five per word.
    """
    grids, frames = _rules(page, height)
    handle = textpage.raw
    fonts = _Fonts(handle)
    builder = _LineBuilder()
    cells: dict[tuple[int, int, int], _LineBuilder] = {}
    table_at: dict[int, int] = {}  # grid -> index in builder.lines where its rows go
    first, last = raw.FS_RECTF(), raw.FS_RECTF()
    get_box, get_size = raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize
    text = textpage.get_text_range()
    for match in _WORD.finditer(text):
        start, end = match.start(), match.end() - 1
        get_box(handle, start, first)
        get_box(handle, end, last)
        box = (
            first.left,
            height - max(first.top, last.top),
            max(last.right, first.right),
            height - min(first.bottom, last.bottom),
        )
        size = get_size(handle, start) or (box[3] - box[1])
        bold, italic = fonts.style(start)
        word = (plain(match.group().translate(_EOL_HYPHEN)), *box, size, bold, italic)
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        target = builder
        for g, grid in enumerate(grids):
            cell = grid.cell(cx, cy)
            if cell is not None:
                if g not in table_at:
                    builder.flush()
                    table_at[g] = len(builder.lines)
                target = cells.setdefault((g, *cell), _LineBuilder())
                break
        frame = target is builder and any(f.holds(cx, cy) for f in frames)
        target.add(word, frame)
    builder.flush()
    lines = builder.lines
    for g in sorted(table_at, reverse=True):
        lines[table_at[g] : table_at[g]] = _table_rows(g, grids[g], cells)
    return lines


def _table_rows(g: int, grid: _Grid, cells: dict[tuple[int, int, int], _LineBuilder]) -> list[Line]:
    rows: list[Line] = []
    ncols = len(grid.xs) - 1
    for row in range(len(grid.ys) - 1):
        texts: list[list[str]] = []
        found: list[Line] = []
        for col in range(ncols):
            builder = cells.get((g, row, col))
            if builder is None:
                texts.append([])
                continue
            builder.flush()
            texts.append([line.text.replace("\t", " ") for line in builder.lines])
            found += builder.lines
        if not found:
            continue
        rows.append(
            Line(
                text="\t".join(" ".join(cell) for cell in texts),
                cells=texts,
                x0=grid.xs[0],
                x1=grid.xs[-1],
                top=min(line.top for line in found),
                bottom=max(line.bottom for line in found),
                size=max(line.size for line in found),
                bold=False,
                table=True,
            )
        )
    return rows
