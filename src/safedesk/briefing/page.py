"""The page around every briefing: source and date in the footer, "page x of y", PDF metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safedesk import __version__
from safedesk.briefing.style import ACCENT, FAMILY, MUTED, RULE, paper, register_fonts
from safedesk.errors import LibraryError

MARGIN_MM = 17
Progress = Callable[[str, float], None]  # (what is happening, fraction done 0..1)
Cancelled = Callable[[], bool]  # True once the user has asked to stop


class ExportCancelled(LibraryError):
    """The user stopped the export; nothing was written."""


LANGUAGE = "en-GB"  # the document language (/Lang): screen readers pick their voice by it


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


def build(
    story: list[Any],
    target: str,
    info: PageInfo,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> int:
    """Lay out `story` into the PDF at `target`; returns the number of pages.

    `progress("Laying out pages", fraction)` is called as the layout goes (about every 1%);
    `cancelled()` is asked as often, and when it says True the build stops with ExportCancelled
    (the caller's temporary file is then removed). Writing the finished pages is quick.
    Headings made by `parts.para` (title, h2, h3) become the PDF's outline, which opens with the
    document.
    """
    from reportlab.lib.units import mm

    register_fonts()
    size = paper(info.paper)
    doc = _outlined_doc()(
        target, pagesize=size, leftMargin=MARGIN_MM * mm, rightMargin=MARGIN_MM * mm,
        topMargin=(MARGIN_MM + 1) * mm, bottomMargin=(MARGIN_MM + 5) * mm, title=info.title,
        author=info.author or "safedesk", subject=info.subject or info.kind,
        keywords=", ".join(info.keywords), creator=f"safedesk {__version__}",
        producer=f"safedesk {__version__} (ReportLab)", lang=LANGUAGE,
    )  # fmt: skip
    counted: dict[str, int] = {}

    def canvas_maker(*args: Any, **kwargs: Any) -> Any:
        # the canvas starts each page in this font; left to ReportLab it would be Helvetica,
        # which is never embedded
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FAMILY
        return _numbered_canvas(info, counted)(*args, **kwargs)

    if progress is not None or cancelled is not None:
        doc.watch = _watcher(story, progress, cancelled)
    doc.build(story, canvasmaker=canvas_maker)
    return counted.get("pages", 0)


def _watcher(
    story: list[Any], progress: Progress | None, cancelled: Cancelled | None
) -> Callable[[Any], None]:
    """Called after each flowable is placed. ReportLab consumes `story` from the front (putting
    back the rest of a split flowable), so what is left of it says how far the layout is."""
    total = max(1, len(story))
    step = max(1, total // 100)
    seen = 0

    def after(_flowable: Any) -> None:
        nonlocal seen
        seen += 1
        if seen % step:
            return
        if cancelled is not None and cancelled():
            raise ExportCancelled("the export was cancelled; no file was written")
        if progress is not None:
            progress("Laying out pages", min(1.0, 1 - len(story) / total))

    return after


@dataclass(frozen=True)
class OutlineEntry:
    title: str
    key: str  # the bookmark's name in the PDF
    level: int  # 0: the document's title; 1: a section; 2: a part of one
    y: float  # the top of the heading on its page


def _outlined_doc() -> Any:
    """A document template that hands each outline heading, once placed, to the canvas."""
    from reportlab.platypus import SimpleDocTemplate

    class OutlinedDoc(SimpleDocTemplate):
        watch: Callable[[Any], None] | None = None  # told of every flowable placed

        def afterFlowable(self, flowable: Any) -> None:
            if self.watch is not None:
                self.watch(flowable)
            level = getattr(flowable, "outline_level", None)
            if level is None:
                return
            title = " ".join(flowable.getPlainText().split())
            self.canv.outline_here(title, level, self.frame._y + flowable.height)

    return OutlinedDoc


def _numbered_canvas(info: PageInfo, counted: dict[str, int]) -> Any:
    """A canvas that holds each page until the end, so the footer can say "page x of y"."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Pages are written in `save`, when their count is known. Outline entries are kept
        with their page and bookmarked then (a bookmark made earlier would point at page 1)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []
            self._outline: list[OutlineEntry] = []  # this page's entries
            self._outline_count = 0
            self._last_level = -1

        def outline_here(self, title: str, level: int, y: float) -> None:
            """An outline entry for a heading on the page being laid out. A level never goes
            more than one deeper than the entry before it (PDF outlines are strict trees)."""
            level = min(level, self._last_level + 1)
            self._last_level = level
            self._outline_count += 1
            self._outline.append(OutlineEntry(title, f"outline-{self._outline_count}", level, y))

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._outline = []
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            counted["pages"] = total
            if any(state["_outline"] for state in self._pages):
                self.showOutline()  # viewers open the bookmarks beside the pages
            self.setViewerPreference("DisplayDocTitle", "true")  # the title, not the file name
            for state in self._pages:
                self.__dict__.update(state)
                for entry in state["_outline"]:
                    self.bookmarkHorizontal(entry.key, 0, entry.y)
                    self.addOutlineEntry(entry.title, entry.key, level=entry.level, closed=False)
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
