"""Any document that is not laid out as a report: title, sections from headings, passages.

Keys are relative to the document, as a report's are (the store prefixes the document's slug):

- a section is ``s-<slug of its heading>`` (``s-escalation``; ``-2``, ``-3`` for repeats, in order);
- a passage is ``p-<10 hex digits>``: a hash of its words (case, spacing, punctuation and its
  paragraph number left out), with ``-2``, ``-3`` for repeated text in order.

So a key stays the same when the same file is imported again, and also when a new edition moves
a passage to another page or section or renumbers it: a bookmark stays attached as long as the
passage's words are unchanged. A passage whose words changed gets a new key; what pointed at the
old one is then missing (and shown from its snapshot). The document's own slug comes from its
organisation and title, not its year or file name, so a new edition replaces the old one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from safedesk.corpus.extract.model import Extracted, TextBlock
from safedesk.corpus.text import slugify
from safedesk.errors import ReportFormatError

SLUG_MAX = 80


@dataclass
class DocumentSection:
    key: str  # relative: "s-escalation"
    title: str
    level: int  # 1 is the top level below the title
    page: int | None
    position: int


@dataclass
class Passage:
    key: str  # relative: "p-3f9a0c1d2e"
    text: str
    page: int | None  # 1-based page of the original where it starts; None for Word and text
    section: str | None  # the section's relative key, None before the first heading
    number: str | None  # the printed paragraph number ("12", "3.2"), if numbered
    position: int


@dataclass
class Document:
    title: str
    authors: list[str]
    organisation: str
    year: int | None
    pages: int | None
    sections: list[DocumentSection] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return document_slug(self.title, self.organisation)

    @property
    def citation(self) -> str:
        who = ", ".join(self.authors) if self.authors else self.organisation
        parts = [f"{who} " if who else "", f"({self.year or 'n.d.'}). ", f"{self.title}."]
        if self.organisation and self.organisation != who:
            parts.append(f" {self.organisation}.")
        return "".join(parts).strip()


def document_slug(title: str, organisation: str = "") -> str:
    slug = slugify(f"{organisation} {title}")[:SLUG_MAX].rstrip("-")
    return slug or "document"


def passage_key(text: str) -> str:
    words = re.sub(r"[\W_]+", " ", text.casefold()).split()
    return "p-" + hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:10]


def parse_document(extracted: Extracted) -> Document:
    """The document in `extracted` as sections and passages; ReportFormatError if it has no text."""
    meta = extracted.metadata
    blocks = list(extracted.blocks)
    title = meta.title or _first_heading(blocks) or Path(extracted.name).stem
    if blocks and blocks[0].kind == "heading" and _same(blocks[0].text, title):
        blocks = blocks[1:]  # the title printed at the top is not a section
    doc = Document(
        title=title,
        authors=list(meta.authors),
        organisation=meta.organisation,
        year=meta.year,
        pages=extracted.pages,
    )
    _fill(doc, blocks)
    if not doc.passages:
        raise ReportFormatError(f"{extracted.name} has no text to import")
    return doc


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _first_heading(blocks: Sequence[TextBlock]) -> str:
    headings = [b for b in blocks if b.kind == "heading"]
    if not headings:
        return ""
    top = min(b.level for b in headings)
    return next(b.text for b in headings if b.level == top)


def _fill(doc: Document, blocks: Sequence[TextBlock]) -> None:
    levels = sorted({b.level for b in blocks if b.kind == "heading"})
    section_names: dict[str, int] = {}
    passage_names: dict[str, int] = {}
    section: str | None = None
    pending: list[TextBlock] = []  # one passage being gathered: a paragraph and its list, a table

    def close() -> None:
        if not pending:
            return
        first = pending[0]
        parts = []
        for b in pending:
            if b.kind == "list_item":
                parts.append(f"- {b.text}")
            elif b.kind == "table_row":
                parts.append(" | ".join(c.strip() for c in b.text.split("\t")))
            else:
                parts.append(b.text)
        sep = "\n" if all(b.kind != "paragraph" for b in pending[1:]) else "\n\n"
        text = sep.join(parts).strip()
        pending.clear()
        if not text:
            return
        key = _unique(passage_key(text), passage_names)
        doc.passages.append(
            Passage(key, text, first.page, section, first.number, len(doc.passages))
        )

    for b in blocks:
        if b.kind == "heading":
            close()
            key = _unique(f"s-{slugify(b.text)[:60].rstrip('-') or 'section'}", section_names)
            doc.sections.append(
                DocumentSection(key, b.text, levels.index(b.level) + 1, b.page, len(doc.sections))
            )
            section = key
            continue
        if pending:
            last = pending[-1]
            goes_on = (
                (b.kind == "list_item" and last.kind == "list_item")
                or (b.kind == "list_item" and last.kind == "paragraph" and _introduces(last))
                or (b.kind == "table_row" and last.kind == "table_row")
            )
            if not goes_on:
                close()
        pending.append(b)
    close()


def _introduces(block: TextBlock) -> bool:
    return block.text.rstrip().endswith(":")


def _unique(base: str, seen: dict[str, int]) -> str:
    seen[base] = seen.get(base, 0) + 1
    return base if seen[base] == 1 else f"{base}-{seen[base]}"
