"""What every reader returns: clean text blocks with the page where each starts, and metadata.

Plain dataclasses, no Qt, no database. Offsets in `emphasis` are into `text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Progress = Callable[[str, float], None]
BlockKind = Literal["heading", "paragraph", "list_item", "table_row"]
Format = Literal["pdf", "docx", "text"]


@dataclass
class TextBlock:
    """One logical block of the document, after cleanup.

    `text` may hold "\\n" where the original breaks a line on purpose (an address, a list of
    authors) and "\\t" between table cells or before a right-aligned page number. `level` is the
    heading level (1 is the biggest); `number` is a paragraph's or list item's printed number
    ("12", "3.2", "a") with the number itself removed from `text`. `frame` is True inside a
    shaded or bordered box. `page` is 1-based, None for formats without pages.
    """

    kind: BlockKind
    text: str
    page: int | None = None
    level: int = 0
    number: str | None = None
    frame: bool = False
    emphasis: list[tuple[int, int]] = field(default_factory=list)  # italic spans


@dataclass
class Metadata:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    organisation: str = ""
    year: int | None = None


@dataclass
class Extracted:
    """A file's text, cleaned: what the report parser and the document parser read."""

    format: Format
    name: str  # the file's name, for messages
    blocks: list[TextBlock]
    pages: int | None
    metadata: Metadata
    sha256: str
    data: bytes  # the bytes that were read (kept as the original, never read twice)
    text: str | None = None  # a text file's decoded text, which the report parser reads as is
