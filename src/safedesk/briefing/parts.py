"""Building blocks for briefings. Every piece of text goes through `esc`: report text and user
text alike are printed literally, never read as ReportLab markup (so `<b>`, `&`, `<img src=...>`
print as typed and nothing is ever fetched). Every text is printed within `limits` (a note of
200,000 lines prints its first page or so, then "… (continued in safedesk)")."""

from __future__ import annotations

from itertools import groupby
from typing import Any
from xml.sax.saxutils import escape

from safedesk.briefing.limits import excerpt, heading
from safedesk.briefing.style import FAMILY, MUTED, RULE, styles

HEADING_STYLES = frozenset({"kicker", "title", "h2", "h3"})

# control characters have no glyph: they would print as empty boxes (or NULs in the text layer)
_UNPRINTABLE = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def printable(text: str) -> str:
    """`text` without control characters (tabs and line breaks kept)."""
    return text.translate(_UNPRINTABLE)


def esc(text: str) -> str:
    """Text made safe for a ReportLab Paragraph, line breaks kept."""
    return escape(printable(text)).replace("\n", "<br/>")


def esc_in(text: str, font: str) -> str:
    """`esc(text)`, with runs of characters that `font` has no glyph for (DejaVu's oblique and
    bold faces lack Arabic, for one) set in the regular face, so they print instead of boxes."""
    from reportlab.pdfbase import pdfmetrics

    if font == FAMILY:
        return esc(text)
    have = getattr(getattr(pdfmetrics.getFont(font), "face", None), "charToGlyph", None)
    regular = getattr(getattr(pdfmetrics.getFont(FAMILY), "face", None), "charToGlyph", None)
    if not have or not regular:
        return esc(text)
    out = []
    for lacks, chars in groupby(
        printable(text), lambda ch: ord(ch) not in have and ord(ch) in regular
    ):
        run = esc("".join(chars))
        out.append(f'<font name="{FAMILY}">{run}</font>' if lacks else run)
    return "".join(out)


# headings become the PDF's outline (bookmarks): the title, then sections, then their parts
OUTLINE_LEVELS = {"title": 0, "h2": 1, "h3": 2}


def para(text: str, style: str = "body", bold_prefix: str = "") -> Any:
    from reportlab.platypus import Paragraph

    chosen = styles()[style]
    prefix = f"<b>{esc(bold_prefix)}</b> " if bold_prefix else ""
    shown = heading(text) if style in HEADING_STYLES else excerpt(text)
    paragraph = Paragraph(prefix + esc_in(shown, chosen.fontName), chosen)
    if style in OUTLINE_LEVELS:
        paragraph.outline_level = OUTLINE_LEVELS[style]
    return paragraph


def bullets(items: list[str], style: str = "bullet", mark: str = "•") -> list[Any]:
    from reportlab.platypus import Paragraph

    chosen = styles()[style]
    return [
        Paragraph(esc_in(excerpt(item), chosen.fontName), chosen, bulletText=mark)
        for item in items
        if item.strip()
    ]


def rule() -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import HRFlowable

    return HRFlowable(
        width="100%", thickness=0.6, color=HexColor(RULE), spaceBefore=4, spaceAfter=6
    )


def notes_space(
    min_height_mm: float = 28, max_height_mm: float = 95, reserve_mm: float = 16
) -> Any:
    """A ruled 'Your notes' box that takes the room left on the page (or nothing if too little),
    keeping `reserve_mm` free for what follows it (the citation)."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable

    class NotesSpace(Flowable):
        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            usable = avail_height - (4 + reserve_mm) * mm
            self.height = min(usable, max_height_mm * mm) if usable >= min_height_mm * mm else 0
            self.width = avail_width
            return self.width, self.height

        def draw(self) -> None:
            if not self.height:
                return
            c = self.canv
            c.setStrokeColor(HexColor(RULE))
            c.setLineWidth(0.6)
            c.roundRect(0, 0, self.width, self.height, 4)
            c.setFont(f"{FAMILY}-Bold", 9)
            c.setFillColor(HexColor(MUTED))
            c.drawString(6, self.height - 14, "Your notes")
            y = self.height - 30
            while y > 8:
                c.line(6, y, self.width - 6, y)
                y -= 8 * mm

    return NotesSpace()
