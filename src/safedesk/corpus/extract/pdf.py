"""The PDF reader: PDFium (pypdfium2, Apache-2.0/BSD) opens the file and gives each character.

Before PDFium sees the bytes, `streams.check_inflation` refuses streams that inflate past the
caps. Encrypted files, damaged files, files without a text layer and files over the page cap are
refused with one line saying which.
"""

from __future__ import annotations

import re
from typing import Any

from safedesk.corpus.extract import cleanup, pdf_layout
from safedesk.corpus.extract.limits import Limits
from safedesk.corpus.extract.metadata import first_page_metadata, from_pdf_info
from safedesk.corpus.extract.model import Metadata, Progress, TextBlock
from safedesk.corpus.extract.pdf_chars import Line, page_lines
from safedesk.corpus.extract.streams import check_inflation
from safedesk.errors import ReportFormatError

_PASSWORD_ERRORS = ("password", "security", "FPDF_ERR_PASSWORD")


def read_pdf(
    data: bytes, name: str, limits: Limits, progress: Progress | None = None
) -> tuple[list[TextBlock], int, Metadata]:
    """The PDF's clean blocks, its page count and its metadata; ReportFormatError if unreadable."""
    import pypdfium2 as pdfium

    check_inflation(data, name, limits)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReportFormatError(_open_error(name, str(exc))) from None
    try:
        count = len(pdf)
        if count == 0:
            raise ReportFormatError(f"{name} has no pages")
        if count > limits.max_pages:
            raise ReportFormatError(
                f"{name} has {count:,} pages; safedesk imports documents of up to "
                f"{limits.max_pages:,} pages (split it into parts and import each)"
            )
        pages: list[list[Line]] = []
        heights: list[float] = []
        for n in range(count):
            pages.append(_read_page(pdf, n, heights, name))
            if progress and (n % 5 == 4 or n + 1 == count):
                progress(f"Reading page {n + 1} of {count}", (n + 1) / count)
        metadata = from_pdf_info(pdf.get_metadata_dict(skip_empty=True))
    finally:
        pdf.close()
    if not any(line.text.strip() for lines in pages for line in lines):
        raise ReportFormatError(
            f"{name} has no text layer (its pages are pictures, as in a scan); "
            "OCR is not supported, so there is nothing to import"
        )
    pages = cleanup.drop_running_lines(pages, heights)
    words = cleanup.vocabulary(line.text for lines in pages for line in lines)
    pieces = pdf_layout.blocks(pages, words)
    blocks = cleanup.rejoin(pieces, words)
    first_page_metadata(metadata, blocks)
    return blocks, count, metadata


def _open_error(name: str, why: str) -> str:
    inner = re.findall(r"\(PDFium: ([^()]+)\)", why)
    why = inner[-1].lower() if inner else why
    if any(word.lower() in why.lower() for word in _PASSWORD_ERRORS):
        return f"{name} is encrypted (password-protected); save a copy without a password first"
    if "format" in why.lower() or "file" in why.lower():
        return f"{name} is damaged or not a complete PDF (PDFium says: {why.rstrip('.')})"
    return f"{name} cannot be read as a PDF ({why.rstrip('.')})"


def _read_page(pdf: Any, n: int, heights: list[float], name: str) -> list[Line]:
    import pypdfium2 as pdfium

    try:
        page = pdf[n]
    except pdfium.PdfiumError as exc:
        raise ReportFormatError(f"{name} is damaged: page {n + 1} cannot be read ({exc})") from None
    try:
        height = page.get_height()
        heights.append(height)
        textpage = page.get_textpage()
        try:
            return page_lines(textpage, page, height)
        finally:
            textpage.close()
    finally:
        page.close()
