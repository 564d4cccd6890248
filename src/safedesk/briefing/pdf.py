"""The document model (`model.py`) as a PDF: each block becomes ReportLab flowables, laid out on
the page that `page.py` frames (source, date and "page x of y" on every page).

How to cite is printed last, kept on a page with the block before it, so it never stands alone.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from safedesk.briefing import model
from safedesk.briefing.limits import heading
from safedesk.briefing.page import MARGIN_MM
from safedesk.briefing.parts import bullets, esc, esc_in, notes_space, para, rule
from safedesk.briefing.style import ACCENT, FAMILY, RULE, paper, styles

STYLE_OF = {"body": "body", "meta": "meta", "small": "small"}
HEADING_STYLE = {2: "h2", 3: "h3"}
LINE_MM = 8  # the gap between ruled lines to write on
FRAME_PADDING = 6  # points: SimpleDocTemplate's frame padding on each side


def build(
    doc: model.Doc,
    target: str,
    progress: Callable[[str, float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write `doc` as a PDF at `target`; returns the number of pages (`progress`, `cancelled`:
    see `page.build`)."""
    from safedesk.briefing import page

    return page.build(flowables(doc, cancelled), target, doc.info, progress, cancelled)


def flowables(doc: model.Doc, cancelled: Callable[[], bool] | None = None) -> list[Any]:
    """The story for `doc`; `cancelled()` is asked every 50 blocks (a 500-item pack takes
    seconds to prepare before its layout starts), raising page.ExportCancelled."""
    story: list[Any] = []
    for n, block in enumerate(doc.blocks):
        if cancelled is not None and n % 50 == 0 and cancelled():
            from safedesk.briefing.page import ExportCancelled

            raise ExportCancelled("the export was cancelled; no file was written")
        story += render(block)
    if doc.citations:
        cite = [rule(), *(para(c, "small", bold_prefix="How to cite:") for c in doc.citations)]
        story = _keep_last_with(story, cite)
    return story


def _keep_last_with(story: list[Any], tail: list[Any]) -> list[Any]:
    """`story` then `tail`, the tail kept on one page with the last flowable of substance."""
    from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak

    kept: list[Any] = []
    while story and not kept:
        last = story.pop()
        if isinstance(last, PageBreak | CondPageBreak):
            continue  # a break before the citation would leave it alone
        # a KeepTogether inside another asks for a new page every time: open it up
        kept = list(last._content) if isinstance(last, KeepTogether) else [last]
    if kept and getattr(kept[0], "flexible", False):  # a notes space keeps room for the tail
        return [*story, *kept, *tail]
    return [*story, KeepTogether(kept + tail)]


def render(block: model.Block) -> list[Any]:
    """The flowables for one block."""
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak

    if isinstance(block, model.Kicker):
        return [para(block.text, "kicker")]
    if isinstance(block, model.Title):
        return [para(block.text, "title")]
    if isinstance(block, model.Heading):
        return [para(block.text, HEADING_STYLE.get(block.level, "h3"))]
    if isinstance(block, model.Para):
        return [para(block.text, STYLE_OF.get(block.style, "body"), bold_prefix=block.prefix)]
    if isinstance(block, model.Bullets):
        if block.numbered:
            return numbered(list(block.items))
        if block.style == "prompt":
            return bullets(list(block.items), "prompt", mark="?")
        return bullets(list(block.items))
    if isinstance(block, model.Note):
        return [para(block.text, "note", bold_prefix=block.prefix)]
    if isinstance(block, model.Table):
        return [grid(block)]
    if isinstance(block, model.Grades):
        return [grades(block)]
    if isinstance(block, model.NotesSpace):
        space = notes_space()
        space.flexible = True  # it takes the room left, keeping some for what follows
        return [space]
    if isinstance(block, model.WriteIn):
        return [write_in(block.lines)]
    if isinstance(block, model.Keep):
        inner: list[Any] = []
        for b in block.blocks:
            inner += render(b)
        return [KeepTogether(inner)]
    if isinstance(block, model.PageBreak):
        return [PageBreak()]
    if isinstance(block, model.NeedSpace):
        return [CondPageBreak(block.mm * mm)]
    if isinstance(block, model.Rule):
        return [rule()]
    if isinstance(block, model.Parts):
        return [parts_grid(block)]
    raise TypeError(f"no PDF rendering for {type(block).__name__}")  # pragma: no cover


def numbered(items: list[str]) -> list[Any]:
    from reportlab.platypus import Paragraph

    chosen = styles()["bullet"]
    return [
        Paragraph(esc_in(item, chosen.fontName), chosen, bulletText=f"{n}.")
        for n, item in enumerate((i for i in items if i.strip()), start=1)
    ]


def _fitted(data: list[list[Any]], fractions: list[float], style: list[Any], repeat: int) -> Any:
    """A table whose columns take these fractions of whatever width the frame offers."""
    from reportlab.platypus import Table, TableStyle

    class Fitted(Table):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self._argW = [avail_width * f for f in fractions]
            size: tuple[float, float] = super().wrap(avail_width, avail_height)
            return size

    fitted = Fitted(data, hAlign="LEFT", repeatRows=repeat, spaceAfter=6)
    # a table sets each cell's font even when the cell holds paragraphs; ReportLab's default is
    # Helvetica, which is never embedded
    fitted.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FAMILY), *style]))
    return fitted


def grades(block: model.Grades) -> Any:
    """Inspection grades side by side in one row: "heading: grade" per column."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph

    cell = styles()["cell"]
    row = [Paragraph(f"{esc(heading(h))}: <b>{esc(heading(g))}</b>", cell) for h, g in block.grades]
    return _fitted([row], [1 / len(row)] * len(row), [
        ("BOX", (0, 0), (-1, -1), 0.5, HexColor(RULE)),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, HexColor(RULE)),
        ("BACKGROUND", (0, 0), (-1, -1), HexColor("#f3f6f9")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ], 0)  # fmt: skip


def grid(block: model.Table) -> Any:
    """A table of text cells, with a header row if the block has one."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph

    cell = styles()["cell"]
    data = []
    for r, row in enumerate(block.rows):
        cells = []
        for c, text in enumerate(row):
            bold = (block.header and r == 0) or (block.bold_last and c == len(row) - 1)
            cells.append(Paragraph(f"<b>{esc(text)}</b>" if bold else esc(text), cell))
        data.append(cells)
    style: list[Any] = [
        ("GRID", (0, 0), (-1, -1), 0.5, HexColor(RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if block.header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HexColor("#e8eef5")))
    elif block.bold_last:
        style.append(("BACKGROUND", (0, 0), (0, -1), HexColor("#f3f6f9")))
    return _fitted(data, list(block.widths), style, 1 if block.header else 0)


def write_in(lines: int) -> Any:
    """Ruled lines to write on, the full width of the frame."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable

    class WriteIn(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width, self.height = avail_width, lines * LINE_MM * mm + 2 * mm
            return self.width, self.height

        def draw(self) -> None:
            c = self.canv
            c.setStrokeColor(HexColor(RULE))
            c.setLineWidth(0.6)
            for n in range(lines):
                y = self.height - (n + 1) * LINE_MM * mm
                c.line(13, y, self.width, y)

    return WriteIn()


def parts_grid(block: model.Parts) -> Any:
    """Numbered parts two to a row, each with its number in a circle and its heading."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph

    cells: list[list[Any]] = []
    for part in block.parts:
        head = Paragraph(
            f'<font color="{ACCENT}"><b>{part.number}</b></font>  <b>{esc(part.heading)}</b>',
            part_style(),
        )
        inner: list[Any] = [head]
        for b in part.blocks:
            inner += render(b)
        cells.append(inner)
    spans: list[Any] = []
    if len(cells) % 2:  # the last part takes the whole width
        cells.append([])
        last = len(cells) // 2 - 1
        spans.append(("SPAN", (0, last), (1, last)))
    rows = [cells[n : n + 2] for n in range(0, len(cells), 2)]
    return _fitted(rows, [0.5, 0.5], [
        *spans,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 0.6, HexColor(RULE)),
        ("INNERGRID", (0, 0), (-1, -1), 0.6, HexColor(RULE)),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ], 0)  # fmt: skip


@functools.lru_cache(maxsize=1)
def part_style() -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle("part", parent=styles()["h3"], fontSize=11, leading=14, spaceBefore=0)


# -- measuring: does a document fit one page? ----------------------------------------------------
def frame(paper_name: str) -> tuple[float, float]:
    """The width and height (points) that a page of `paper_name` offers the text (the margins
    `page.build` gives the document template)."""
    from reportlab.lib.units import mm

    width, height = paper(paper_name)
    top, bottom = MARGIN_MM + 1, MARGIN_MM + 5
    return (
        width - 2 * MARGIN_MM * mm - 2 * FRAME_PADDING,
        height - (top + bottom) * mm - 2 * FRAME_PADDING,
    )


def height(doc: model.Doc) -> float:
    """How tall the document's flowables stand in one frame of its paper (points)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO())
    width, _ = frame(doc.info.paper)
    total = 0.0
    previous_after = 0.0
    for n, f in enumerate(flowables(doc)):
        f.wrapOn(canvas, width, 10_000)
        h = getattr(f, "_H", None) if type(f).__name__ == "KeepTogether" else None
        h = h if h is not None else f.wrapOn(canvas, width, 10_000)[1]
        before = f.getSpaceBefore() if n else 0
        total += h + max(before, previous_after)
        previous_after = f.getSpaceAfter()
    return total


SLACK = 0.98  # of the frame's height: room for rounding between measuring and laying out


def fits_one_page(doc: model.Doc) -> bool:
    return height(doc) <= frame(doc.info.paper)[1] * SLACK
