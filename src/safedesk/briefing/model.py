"""The one document model every briefing is made of, written out twice: as a PDF (`pdf.py`,
ReportLab) and as a Word document (`word.py`, python-docx). A briefing kind is a function that
returns a `Doc`; both writers render every block, so a new kind is written once.

Text in blocks is plain text exactly as stored (report text and user text alike); the writers
escape it for their format. Cheap to import: no ReportLab, no python-docx.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from safedesk.briefing.limits import excerpt, heading
from safedesk.briefing.page import PageInfo


@dataclass(frozen=True)
class Kicker:
    """The small line above the title: what kind of document, and what it is about."""

    text: str


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 2: a section (Word "Heading 1"); 3: within one (Word "Heading 2")


@dataclass(frozen=True)
class Para:
    """A paragraph; line breaks in `text` are kept. `prefix` is printed in bold before it."""

    text: str
    style: str = "body"  # body, meta (quieter), small
    prefix: str = ""


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]
    style: str = "bullet"  # bullet, prompt (a discussion question)
    numbered: bool = False


@dataclass(frozen=True)
class Note:
    """A facilitator's note: boxed and shaded."""

    text: str
    prefix: str = ""


@dataclass(frozen=True)
class Table:
    """Rows of cells. With `header`, the first row names the columns (repeated on new pages);
    `widths` are fractions of the text width; `bold_last` prints the last column in bold."""

    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    header: bool = False
    bold_last: bool = False

    def __post_init__(self) -> None:
        # a cell holds a label: a huge one would be one row taller than a page
        cells = tuple(tuple(heading(text) for text in row) for row in self.rows)
        object.__setattr__(self, "rows", cells)


@dataclass(frozen=True)
class Grades:
    """Inspection grades side by side: "heading: grade" per column."""

    grades: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class NotesSpace:
    """A ruled "Your notes" space taking the room left on the page (PDF), or a few ruled lines."""


@dataclass(frozen=True)
class WriteIn:
    """Ruled lines to write on (under a discussion prompt in a handout)."""

    lines: int = 3


@dataclass(frozen=True)
class Keep:
    """Blocks kept on one page together (a prompt with its write-in space)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class NeedSpace:
    """Start a new page unless this much room (mm) is left, so a heading is not left alone."""

    mm: float = 45


@dataclass(frozen=True)
class Rule:
    pass


@dataclass(frozen=True)
class Part:
    """One numbered part of a 7-minute briefing."""

    number: int
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Parts:
    """Numbered parts laid out together on one page (a grid in the PDF; headings in Word)."""

    parts: tuple[Part, ...]


Block = (
    Kicker | Title | Heading | Para | Bullets | Note | Table | Grades | NotesSpace | WriteIn
    | Keep | PageBreak | NeedSpace | Rule | Parts
)  # fmt: skip


@dataclass
class Doc:
    """A briefing: what its pages say about it (`info`), its blocks, and how to cite its
    sources (printed last, never alone on a page)."""

    info: PageInfo
    blocks: list[Block] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def text(self) -> str:
        """Every word the document prints (for tests and checks), in order."""
        return "\n".join(_words(b) for b in [*self.blocks, *(Para(c) for c in self.citations)])


def stored_text(text: str) -> list[Block]:
    """Stored text (paragraphs apart by a blank line; lines starting "- " are bullets) as blocks,
    as much of it as a briefing prints (`limits.excerpt`)."""
    out: list[Block] = []
    for chunk in excerpt(text).split("\n\n"):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            out.append(Bullets(tuple(line[2:] for line in lines)))
        elif lines:
            out.append(Para("\n".join(lines)))
    return out


def _words(block: Block) -> str:
    if isinstance(block, Kicker | Title | Heading):
        return block.text
    if isinstance(block, Para | Note):
        return f"{block.prefix} {block.text}".strip()
    if isinstance(block, Bullets):
        return "\n".join(block.items)
    if isinstance(block, Table):
        return "\n".join(" ".join(row) for row in block.rows)
    if isinstance(block, Grades):
        return " ".join(f"{h}: {g}" for h, g in block.grades)
    if isinstance(block, Keep):
        return "\n".join(_words(b) for b in block.blocks)
    if isinstance(block, Parts):
        return "\n".join(
            f"{p.number}. {p.heading}\n" + "\n".join(_words(b) for b in p.blocks)
            for p in block.parts
        )
    return ""
