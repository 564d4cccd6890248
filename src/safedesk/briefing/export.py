"""Make a briefing PDF at a path: all or nothing (a temporary file, then a rename)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from safedesk.briefing.request import BriefRequest
from safedesk.fileio import write_atomically
from safedesk.interfaces import Source


@dataclass
class BriefResult:
    path: str
    kind: str
    pages: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def export_brief(source: Source, output: Path, request: BriefRequest) -> BriefResult:
    """Write the briefing `request` asks for to `output`."""
    from safedesk.briefing import documents, page

    request = request.checked()
    started = time.perf_counter()
    story, info = documents.build(source, request)
    pages: list[int] = []

    def make(tmp: Path) -> None:
        nonlocal story, info
        pages.append(page.build(story, str(tmp), info))
        # a practice sheet should fit one page: show fewer key-learning points until it does
        for fewer in range(documents.SHEET_LEARNING - 1, 1, -1):
            if info.kind != "Practice sheet" or pages[-1] == 1:
                break
            story, info = documents.build(source, request, learning=fewer)
            pages.append(page.build(story, str(tmp), info))

    write_atomically(output, make, "the PDF")
    return BriefResult(str(output), info.kind, pages[-1], round(time.perf_counter() - started, 3))
