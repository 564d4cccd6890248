"""Extracted blocks as report text, the evidence that they are laid out as a report, and pages.

`report_text` renders blocks the way a report's text file is written (paragraphs apart, "- "
bullets, tab-separated table rows, "*italic*"), so `parser.parse_report` reads a PDF or Word
report exactly as it reads the text. `looks_like_report` decides by layout evidence;
`place_pages` gives boxes and case-study sections the page where their heading stands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from safedesk.corpus.extract.model import TextBlock
from safedesk.corpus.model import Report

_BOX = re.compile(r"^Box\s+(\d{1,3})[.:]?\s+.+?\s*\(([^()]+)\)$")
_CASE_STUDY = re.compile(r"^Case study\s+(\d{1,2})\s*[:.–-]\s*(.+)$")
_CHAPTER = re.compile(r"^(\d{1,2})(?:\.\d{1,2}){0,2}\.?\s+\S")
_TABLE_CAPTION = re.compile(r"^Table\s+\d+\b")


def _marked(block: TextBlock) -> str:
    """The block's text with its italic spans as *...* (spans apart only by spaces are one)."""
    text = block.text
    if not block.emphasis or block.kind == "table_row":
        return text
    spans: list[list[int]] = []
    for a, b in sorted(block.emphasis):
        if spans and not text[spans[-1][1] : a].strip(" \n:;,'\"-"):
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    out = []
    at = 0
    for a, b in spans:
        inner = text[a:b]
        lead = len(inner) - len(inner.lstrip())
        trail = len(inner) - len(inner.rstrip())
        a, b = a + lead, b - trail
        if b <= a or "*" in text[a:b]:
            continue
        out.append(text[at:a])
        out.append(f"*{text[a:b]}*")
        at = b
    out.append(text[at:])
    return "".join(out)


def report_text(blocks: Sequence[TextBlock]) -> str:
    """The blocks as a report text file: what `parse_report` reads."""
    lines: list[str] = []
    previous: TextBlock | None = None
    for block in blocks:
        text = _marked(block)
        if block.kind == "table_row":
            if previous is None or previous.kind != "table_row":
                lines.append("")
            lines.append(text)
        elif block.kind == "list_item":
            if previous is None or previous.kind != "list_item":
                lines.append("")
            lines.append(f"- {text}")
        else:
            if block.number is not None:
                text = f"{block.number} {text}"
            lines.append("")
            lines.append(text)
        previous = block
    return "\n".join(lines).strip() + "\n"


def looks_like_report(blocks: Sequence[TextBlock]) -> bool:
    """Layout evidence of the report layout: numbered chapters holding two or more
    "Box N Title (Authority)" headings, and a table (or case studies) naming their authorities."""
    boxes = [m for b in blocks if b.kind != "table_row" and (m := _BOX.match(_one_line(b)))]
    if len({m.group(1) for m in boxes}) < 2:
        return False
    if not any(_CHAPTER.match(_one_line(b)) for b in blocks if b.kind == "heading"):
        return False
    named = {m.group(2).strip().casefold() for m in boxes}
    rows = {b.text.split("\t")[0].strip().casefold() for b in blocks if b.kind == "table_row"}
    studies = {
        m.group(2).strip().casefold() for b in blocks if (m := _CASE_STUDY.match(_one_line(b)))
    }
    return bool(named & rows) or bool(named & studies)


def _one_line(block: TextBlock) -> str:
    return " ".join(block.text.split())


def place_pages(report: Report, blocks: Sequence[TextBlock]) -> None:
    """Set each box's and case-study section's page: where its heading is printed.

    Boxes are found by their "Box N" heading; a case study's sections by their titles after the
    last "Case study N:" heading (the first ones are the contents list). Nothing is set for
    formats without pages.
    """
    box_pages: dict[int, int] = {}
    for block in blocks:
        match = _BOX.match(_one_line(block))
        if match and block.page is not None:
            box_pages.setdefault(int(match.group(1)), block.page)
    for practice in report.practices:
        practice.page = box_pages.get(practice.number)
    starts: dict[int, int] = {}
    for i, block in enumerate(blocks):
        match = _CASE_STUDY.match(_one_line(block))
        if match:
            starts[int(match.group(1))] = i
    ordered = sorted(starts.items(), key=lambda kv: kv[1])
    for n, (number, start) in enumerate(ordered):
        end = ordered[n + 1][1] if n + 1 < len(ordered) else len(blocks)
        study = next((c for c in report.case_studies if c.number == number), None)
        if study is None:
            continue
        study.page = blocks[start].page
        part = blocks[start + 1 : end]
        for section in study.sections:
            found = next((b for b in part if _one_line(b) == section.title), None)
            section.page = found.page if found is not None else None
