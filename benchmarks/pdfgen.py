"""Generated documents for the benchmarks: varied text, typeset by a small PDF writer of our own.

The text comes from a word-level Markov chain over the two report texts in the repository
(the bundled one and the second report fixture), so the vocabulary and word frequencies are those
of safeguarding reports, but every document says something different. Each document has a title
page line, headings at two levels, numbered and plain paragraphs and bullet lists.

`write_pdf` lays a document out on A4 pages in the PDF base fonts (Helvetica and Helvetica-Bold,
not embedded): a running header, a page number in the footer, words wrapped by Helvetica's widths
at 11 pt. It writes PDF 1.4 by hand (one content stream per page), which takes a millisecond a page
where a document producer takes tens; `docx_document` writes the same content as a Word file for
LibreOffice to convert, for the few documents made by a real producer.
"""

from __future__ import annotations

import itertools
import random
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [
    ROOT / "resources" / "corpus" / "safeguarding-council-developments-2011.txt",
    ROOT / "tests" / "fixtures" / "reports" / "northfield-2019-early-help.txt",
]
ORGANISATIONS = [
    "Northfield Safeguarding Children Partnership", "Easterby Council", "Saltmarsh Borough",
    "Riverton Children's Services", "Westmoor Safeguarding Partnership", "Ashdale County Council",
    "Brookfield Local Safeguarding Children Board", "Harbour City Council",
]  # fmt: skip
KINDS = [
    "Learning review", "Practice guidance", "Seven-minute briefing", "Annual report",
    "Thematic review", "Multi-agency audit", "Serious case review", "Procedures",
]  # fmt: skip


@dataclass
class Block:
    kind: str  # "title", "h1", "h2", "p", "n" (numbered), "b" (bullet)
    text: str
    number: int | None = None


@dataclass
class GeneratedDocument:
    title: str
    organisation: str
    year: int
    blocks: list[Block] = field(default_factory=list)


class Chain:
    """A word bigram chain over the repository's report texts."""

    def __init__(self) -> None:
        words: list[str] = []
        for source in SOURCES:
            text = source.read_text("utf-8")
            text = re.sub(r"[*#|]", " ", text)
            words += re.findall(r"[A-Za-z][A-Za-z'’-]*[.,;:]?", text)
        self.next: dict[str, list[str]] = {}
        for a, b in itertools.pairwise(words):
            self.next.setdefault(a, []).append(b)
        self.starts = [w for w in self.next if w[0].isupper() and not w.endswith((".", ","))]

    def sentence(self, rng: random.Random, low: int = 10, high: int = 28) -> str:
        word = rng.choice(self.starts)
        out = [word]
        size = rng.randint(low, high)
        while len(out) < size or not out[-1].endswith("."):
            options = self.next.get(word.rstrip(".,;:")) or self.next.get(word) or self.starts
            word = rng.choice(options)
            if len(out) > high + 12:
                word = word.rstrip(".,;:") + "."
            out.append(word)
        text = " ".join(out).replace("’", "'")
        return text[0].upper() + text[1:]

    def heading(self, rng: random.Random) -> str:
        words = self.sentence(rng, 3, 6).rstrip(".").split()[: rng.randint(2, 6)]
        return " ".join(words).strip(",;:").capitalize()


def generate(n: int, pages: int, chain: Chain) -> GeneratedDocument:
    """Document `n`: about `pages` pages of sections, paragraphs and lists (seeded by `n`)."""
    rng = random.Random(n)
    organisation = ORGANISATIONS[n % len(ORGANISATIONS)]
    kind = KINDS[(n // len(ORGANISATIONS)) % len(KINDS)]
    title = f"{kind} {n}: {chain.heading(rng).lower()}"
    doc = GeneratedDocument(title, organisation, 2012 + n % 13)
    doc.blocks += [
        Block("title", title),
        Block("p", f"Published by {organisation}, {doc.year}."),
    ]
    number = 0
    lines = 0
    budget = pages * 44  # lines of 11 pt text a page holds, roughly
    while lines < budget:
        doc.blocks.append(Block("h1", chain.heading(rng)))
        lines += 3
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.6:
                doc.blocks.append(Block("h2", chain.heading(rng)))
                lines += 2
            for _ in range(rng.randint(2, 6)):
                text = " ".join(chain.sentence(rng) for _ in range(rng.randint(2, 5)))
                if rng.random() < 0.5:
                    number += 1
                    doc.blocks.append(Block("n", text, number))
                else:
                    doc.blocks.append(Block("p", text))
                lines += len(text) // 85 + 2
                if rng.random() < 0.15:
                    doc.blocks[-1].text = doc.blocks[-1].text.rstrip(".") + ":"
                    for _ in range(rng.randint(2, 4)):
                        doc.blocks.append(Block("b", chain.sentence(rng, 6, 14)))
                        lines += 2
    return doc


# -- the PDF writer ------------------------------------------------------------------------------
_HELVETICA = (  # widths (1/1000 em) of the printable ASCII characters, from the AFM files
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 556 "
    "833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 556 500 "
    "556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 500 500 500 "
    "334 260 334 584"
)
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 556 "
    "556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 611 "
    "833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 611 556 "
    "611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 556 556 500 "
    "389 280 389 584"
)
WIDTHS = {
    "F1": [int(w) for w in _HELVETICA.split()],
    "F2": [int(w) for w in _BOLD.split()],
}
PAGE_W, PAGE_H, MARGIN = 595.0, 842.0, 72.0
STYLE = {  # kind -> font, size, space before, indent
    "title": ("F2", 20.0, 0.0, 0.0),
    "h1": ("F2", 15.0, 14.0, 0.0),
    "h2": ("F2", 12.5, 8.0, 0.0),
    "p": ("F1", 11.0, 6.0, 0.0),
    "n": ("F1", 11.0, 6.0, 22.0),
    "b": ("F1", 11.0, 2.0, 22.0),
}


def _width(text: str, font: str, size: float) -> float:
    table = WIDTHS[font]
    return sum(table[ord(c) - 32] if 32 <= ord(c) < 127 else 556 for c in text) * size / 1000


def _wrap(text: str, font: str, size: float, width: float) -> Iterator[str]:
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and _width(trial, font, size) > width:
            yield line
            line = word
        else:
            line = trial
    if line:
        yield line


def _esc(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _pages(doc: GeneratedDocument) -> list[bytes]:
    """Each page's content stream."""
    pages: list[list[bytes]] = [[]]
    y = PAGE_H - MARGIN

    def put(x: float, text: str, font: str, size: float) -> None:
        pages[-1].append(
            b"BT /%s %.1f Tf %.2f %.2f Td (%s) Tj ET" % (font.encode(), size, x, y, _esc(text))
        )

    for block in doc.blocks:
        font, size, before, indent = STYLE[block.kind]
        leading = size * 1.3
        lines = list(_wrap(block.text, font, size, PAGE_W - 2 * MARGIN - indent))
        keep = 2 if block.kind.startswith("h") else 1  # a heading never ends a page
        if y - before - leading * keep < MARGIN + 20:
            pages.append([])
            y = PAGE_H - MARGIN
        else:
            y -= before
        for n, line in enumerate(lines):
            if y - leading < MARGIN + 20:
                pages.append([])
                y = PAGE_H - MARGIN
            y -= leading
            if n == 0 and block.kind == "n":
                put(MARGIN, f"{block.number}.", font, size)
            if n == 0 and block.kind == "b":
                put(MARGIN + 8, "-", font, size)
            put(MARGIN + indent, line, font, size)
    out = []
    for number, parts in enumerate(pages, start=1):
        furniture = [
            b"BT /F1 8.5 Tf %.2f %.2f Td (%s) Tj ET" % (MARGIN, PAGE_H - 40, _esc(doc.title)),
            b"BT /F1 8.5 Tf %.2f 36 Td (%d) Tj ET" % (PAGE_W / 2 - 4, number),
        ]
        out.append(b"\n".join(furniture + parts))
    return out


def write_pdf(doc: GeneratedDocument, path: Path) -> int:
    """Write `doc` as a PDF at `path`; returns the number of pages."""
    streams = _pages(doc)
    objects: list[bytes] = []
    n_pages = len(streams)
    first_page = 5
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids.encode(), n_pages))
    for name in ("Helvetica", "Helvetica-Bold"):
        objects.append(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>"
            % name.encode()
        )
    for i, stream in enumerate(streams):
        packed = zlib.compress(stream)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>"
            % (int(PAGE_W), int(PAGE_H), first_page + 2 * i + 1)
        )
        objects.append(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed)
        )
    info = len(objects) + 1
    objects.append(
        b"<< /Title (%s) /Author (%s) /Producer (safedesk benchmarks) >>"
        % (_esc(doc.title), _esc(doc.organisation))
    )
    body = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        info,
        xref,
    )
    path.write_bytes(bytes(body))
    return n_pages


def docx_document(doc: GeneratedDocument, path: Path) -> None:
    """The same document as a Word file (headings, numbered and bulleted lists), for LibreOffice."""
    from docx import Document

    word = Document()
    word.core_properties.title = doc.title
    word.core_properties.author = doc.organisation
    word.sections[0].header.paragraphs[0].text = doc.title
    for block in doc.blocks:
        if block.kind == "title":
            word.add_paragraph(block.text, style="Title")
        elif block.kind in ("h1", "h2"):
            word.add_heading(block.text, 1 if block.kind == "h1" else 2)
        elif block.kind == "n":
            word.add_paragraph(block.text, style="List Number")
        elif block.kind == "b":
            word.add_paragraph(block.text, style="List Bullet")
        else:
            word.add_paragraph(block.text)
    word.save(str(path))
