"""One entry point for importing any file: extract it, then read it as a report or a document.

`read_source(path, progress)` is what the service layer calls for `.pdf`, `.docx`, `.txt` and
`.md` alike. The choice between report and document is made from layout evidence
(`layout.looks_like_report`), never from the file's name. A text file laid out as a report is
parsed from its text exactly as before; a PDF or Word report is parsed from its blocks rendered
as the same text, and its boxes and case-study sections get their pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

from safedesk.corpus.document import Document, parse_document
from safedesk.corpus.extract import DEFAULT_LIMITS, Extracted, Limits, Progress, extract
from safedesk.corpus.layout import looks_like_report, place_pages, report_text
from safedesk.corpus.model import Report


@dataclass
class Source:
    """A file read for import: a report or a document, and what was extracted from it."""

    kind: Literal["report", "document"]
    extracted: Extracted
    report: Report | None = None
    document: Document | None = None

    @property
    def slug(self) -> str:
        return self.report.slug if self.report is not None else self._document.slug

    @property
    def title(self) -> str:
        return self.report.title if self.report is not None else self._document.title

    @property
    def pages(self) -> int | None:
        return self.extracted.pages

    @property
    def _document(self) -> Document:
        assert self.document is not None
        return self.document


def read_source(
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Source:
    """Read `path` (progress from 0 to 1 while reading); ReportFormatError says what is wrong."""
    from safedesk.corpus.parser import parse_report

    extracted = extract(path, progress, limits)
    if looks_like_report(extracted.blocks):
        if extracted.text is not None:
            report = parse_report(extracted.text, extracted.name)
        else:
            report = parse_report(report_text(extracted.blocks), extracted.name)
            place_pages(report, extracted.blocks)
        return Source("report", extracted, report=report)
    return Source("document", extracted, document=parse_document(extracted))
