"""Make a briefing at a path, as a PDF or a Word document: all or nothing (a temporary file, then a
rename)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from safedesk.briefing.request import BriefRequest
from safedesk.fileio import write_atomically
from safedesk.interfaces import Source

Progress = Callable[[str, float], None]  # (what is happening, fraction done 0..1)
Cancelled = Callable[[], bool]  # True once the user has asked to stop


@dataclass
class BriefResult:
    path: str
    kind: str
    pages: int | None  # None for a Word document (Word lays out its own pages)
    seconds: float
    format: str = "pdf"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def export_brief(
    source: Source,
    output: Path,
    request: BriefRequest,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> BriefResult:
    """Write the briefing `request` asks for to `output`. For a PDF, `progress(message,
    fraction)` and `cancelled()` (True: stop, raising `page.ExportCancelled` and leaving nothing
    behind) serve a window's progress dialog; see `page.build`."""
    from safedesk.briefing import documents

    request = request.checked()
    started = time.perf_counter()
    doc = documents.build(source, request)
    pages: list[int | None] = []

    def make_docx(tmp: Path) -> None:
        from safedesk.briefing import word

        word.build(doc, str(tmp))
        pages.append(None)

    def make_pdf(tmp: Path) -> None:
        nonlocal doc
        from safedesk.briefing import pdf

        pages.append(pdf.build(doc, str(tmp), progress, cancelled))
        # a practice sheet should fit one page: show fewer key-learning points until it does
        for fewer in range(documents.SHEET_LEARNING - 1, 1, -1):
            if request.kind != "sheet" or pages[-1] == 1:
                break
            doc = documents.build(source, request, learning=fewer)
            pages.append(pdf.build(doc, str(tmp), None, cancelled))

    if request.format == "docx":
        write_atomically(output, make_docx, "the Word document")
    else:
        write_atomically(output, make_pdf, "the PDF")
    seconds = round(time.perf_counter() - started, 3)
    return BriefResult(str(output), doc.info.kind, pages[-1], seconds, request.format)


def document(source: Source, request: BriefRequest) -> Any:
    """The document model of a briefing (what both writers render), for checks and previews."""
    from safedesk.briefing import documents

    return documents.build(source, request.checked())
