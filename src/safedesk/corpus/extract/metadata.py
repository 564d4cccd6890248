"""Document metadata: from the file's own properties, then from its first page.

The year printed on the first page beats the file's creation date (a PDF converted years after
publication keeps the conversion date); the organisation comes from a "Published by ..." or
"© ..." line there when the file does not name one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from safedesk.corpus.extract.model import Metadata, TextBlock


def from_pdf_info(info: dict[str, str]) -> Metadata:
    meta = Metadata()
    title = " ".join(info.get("Title", "").split())
    if title and not re.search(r"\.(?:docx?|pdf|indd|odt)$|^untitled|^microsoft word", title, re.I):
        meta.title = title
    author = " ".join(info.get("Author", "").split())
    if author:
        meta.authors = [a.strip() for a in re.split(r";|\s+and\s+|,\s*(?=[A-Z][a-z]+\s)", author)]
        meta.authors = [a for a in meta.authors if a]
    year = re.match(r"D?:?(\d{4})", info.get("CreationDate", ""))
    if year:
        meta.year = int(year.group(1))
    return meta


_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_BY = re.compile(r"(?:^|\n)(?:published\s+)?by\s+(?:the\s+)?(.+?)[,.]?(?:\n|$)", re.I)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s+)?(?:the\s+)?(.+?)(?:\s+\d{4})?[,.]?$", re.I | re.M
)


def first_page_metadata(meta: Metadata, blocks: Sequence[TextBlock]) -> None:
    """Fill what the document metadata lacks from the first page: title, year, organisation."""
    first = [b for b in blocks if b.page == 1] or list(blocks[:15])
    if not meta.title:
        headings = [b for b in first if b.kind == "heading"]
        if headings:
            top = min(b.level for b in headings)
            meta.title = next(b.text for b in headings if b.level == top).replace("\n", " ")
        elif first:
            meta.title = first[0].text.split("\n")[0][:200]
    text = "\n".join(b.text for b in first)
    printed = _YEAR.search(text)
    if printed:  # the year printed on the first page beats the file's creation date
        meta.year = int(printed.group(1))
    if not meta.organisation:
        found = _BY.search(text) or _COPYRIGHT.search(text)
        if found:
            meta.organisation = found.group(1).strip()
