"""The page around every briefing: source and date in the footer, "page x of y", PDF metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safedesk import __version__
from safedesk.briefing.style import ACCENT, FAMILY, MUTED, RULE, paper, register_fonts

MARGIN_MM = 17


@dataclass
class PageInfo:
    """What every page says about the document: where its content comes from, and when."""

    title: str
    source: str  # e.g. "Safeguarding Children: Council Developments (2011), NFER"
    kind: str  # e.g. "Practice sheet"
    paper: str = "a4"
    author: str = ""
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    exported: str = field(default_factory=lambda: date.today().strftime("%d %B %Y").lstrip("0"))


def build(story: list[Any], target: str, info: PageInfo) -> int:
    """Lay out `story` into the PDF at `target`; returns the number of pages."""
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    size = paper(info.paper)
    doc = SimpleDocTemplate(
        target, pagesize=size, leftMargin=MARGIN_MM * mm, rightMargin=MARGIN_MM * mm,
        topMargin=(MARGIN_MM + 1) * mm, bottomMargin=(MARGIN_MM + 5) * mm, title=info.title,
        author=info.author or "safedesk", subject=info.subject or info.kind,
        keywords=", ".join(info.keywords), creator=f"safedesk {__version__}",
        producer=f"safedesk {__version__} (ReportLab)", lang="en-GB",
    )  # fmt: skip
    counted: dict[str, int] = {}

    def canvas_maker(*args: Any, **kwargs: Any) -> Any:
        # the canvas starts each page in this font; left to ReportLab it would be Helvetica,
        # which is never embedded
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FAMILY
        return _numbered_canvas(info, counted)(*args, **kwargs)

    doc.build(story, canvasmaker=canvas_maker)
    return counted.get("pages", 0)


def _numbered_canvas(info: PageInfo, counted: dict[str, int]) -> Any:
    """A canvas that holds each page until the end, so the footer can say "page x of y"."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            counted["pages"] = total
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            width, height = self._pagesize
            left, right = MARGIN_MM * mm, width - MARGIN_MM * mm
            self.setStrokeColor(HexColor(RULE))
            self.setLineWidth(0.6)
            self.line(left, height - 12 * mm, right, height - 12 * mm)
            self.line(left, 16 * mm, right, 16 * mm)
            self.setFont(f"{FAMILY}-Bold", 8)
            self.setFillColor(HexColor(ACCENT))
            self.drawString(left, height - 10.5 * mm, f"safedesk · {info.kind}")
            self.setFont(FAMILY, 8)
            self.setFillColor(HexColor(MUTED))
            self.drawRightString(
                right, height - 10.5 * mm, _fit(self, info.title, right - left - 60 * mm)
            )
            self.drawString(
                left, 12.5 * mm, _fit(self, f"Source: {info.source}", right - left - 45 * mm)
            )
            self.drawString(left, 8.5 * mm, f"Exported {info.exported}")
            self.drawRightString(right, 12.5 * mm, f"Page {self._pageNumber} of {total}")

    return NumberedCanvas


def _fit(canvas: Any, text: str, width: float) -> str:
    """`text` shortened with an ellipsis to fit `width` points in the current font."""
    from safedesk.briefing.parts import printable

    text = " ".join(printable(text).split())
    if canvas.stringWidth(text) <= width:
        return text
    while text and canvas.stringWidth(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"
