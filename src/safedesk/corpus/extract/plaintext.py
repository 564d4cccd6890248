"""The text reader (.txt, .md): the existing decoding and page-break rejoining, as blocks.

A report laid out as text is parsed from `Extracted.text` exactly as before; the blocks serve the
document parser. In a file with Markdown "#" headings those are the headings (one level per "#");
otherwise headings are short unpunctuated lines standing alone ("3.1" numbers give a level per
dot). "- " lines are list items.
"""

from __future__ import annotations

import re

from safedesk.corpus.extract import cleanup
from safedesk.corpus.extract.model import TextBlock
from safedesk.corpus.text import blocks, decode, normalise

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+\S")


def read_text(data: bytes, name: str) -> tuple[list[TextBlock], str]:
    text = decode(data, name)
    markdown = any(_MARKDOWN_HEADING.match(line) for line in normalise(text).split("\n"))
    out: list[TextBlock] = []
    parsed = blocks(normalise(text))
    for i, b in enumerate(parsed):
        body = cleanup.plain(b.text)
        if b.table:
            out.append(TextBlock("table_row", body))
            continue
        if b.bullet:
            out.append(TextBlock("list_item", body))
            continue
        marked = _MARKDOWN_HEADING.match(body)
        if marked and markdown:
            out.append(TextBlock("heading", marked.group(2), level=len(marked.group(1))))
            continue
        alone = b.after_blank and (i + 1 == len(parsed) or parsed[i + 1].after_blank)
        if alone and not markdown and b.looks_like_heading() and len(body) <= 100:
            numbered = _NUMBERED_HEADING.match(body)
            level = numbered.group(1).count(".") + 1 if numbered else 1
            out.append(TextBlock("heading", body, level=level))
            continue
        out.append(TextBlock("paragraph", body))
    return out, text
