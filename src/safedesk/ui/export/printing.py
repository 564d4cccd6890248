"""Printing a PDF: each chosen page rendered at the printer's resolution and scaled to its page."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from safedesk.errors import LibraryError

PRINT_DPI_MAX = 300  # pages are rasterised for printing at the printer's resolution, up to this
PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}


def make_printer(paper: str, title: str) -> QPrinter:
    """A printer set up for `paper` ("a4" or "letter"), the document named `title`."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(PAGE_SIZES.get(paper, QPageSize.PageSizeId.A4)))
    printer.setFullPage(True)  # the PDF has its own margins
    printer.setDocName(title)
    return printer


def print_document(document: QPdfDocument, printer: QPrinter, pages: list[int]) -> int:
    """Paint `pages` (1-based) of `document` onto `printer`; returns how many were printed."""
    if not pages:
        return 0
    painter = QPainter()
    if not painter.begin(printer):
        raise LibraryError("the printer could not be started")
    dpi = min(printer.resolution(), PRINT_DPI_MAX)
    area = QRectF(0, 0, printer.width(), printer.height())
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        for n, page in enumerate(pages):
            if n and not printer.newPage():
                raise LibraryError("the printer could not start a new page")
            points: QSizeF = document.pagePointSize(page - 1)
            pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = _opaque(document.render(page - 1, pixels))
            scale = min(area.width() / points.width(), area.height() / points.height())
            size = QSizeF(points.width() * scale, points.height() * scale)
            corner = area.center() - QPointF(size.width() / 2, size.height() / 2)
            painter.drawImage(QRectF(corner, size), image)
    finally:
        painter.end()
        QApplication.restoreOverrideCursor()
    return len(pages)


def _opaque(rendered: QImage) -> QImage:
    """The page on white paper: QtPdf renders onto a transparent background."""
    page = QImage(rendered.size(), QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page


def pages_to_print(printer: QPrinter, total: int, current: int) -> list[int]:
    """1-based page numbers the user picked in the print dialog, in printing order (`current`:
    the page the preview shows, for "current page")."""
    pages = list(range(1, total + 1))
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        if not ranges.isEmpty():
            pages = [p for p in pages if ranges.contains(p)]
        elif printer.fromPage() > 0:
            last = printer.toPage() or total
            pages = [p for p in pages if printer.fromPage() <= p <= last]
    elif printer.printRange() == QPrinter.PrintRange.CurrentPage:
        pages = [min(total, current)]
    if printer.pageOrder() == QPrinter.PageOrder.LastPageFirst:
        pages.reverse()
    return pages
