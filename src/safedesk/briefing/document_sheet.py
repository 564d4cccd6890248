"""A sheet for part of a document: one section (its passages) or one passage, citing its pages.

`safedesk brief KEY` and the export dialog's sheet make it when KEY is a document's section or
passage. Each passage keeps its printed paragraph number; where the text moves on to another page
of the original a "p. N" marker says so, and "How to cite" ends with the page or pages ("p. 4",
"pp. 4–5"). Word documents have no pages, so their sheets cite the section instead.
"""

from __future__ import annotations

from safedesk.briefing.model import (
    Block,
    Doc,
    Heading,
    Kicker,
    Note,
    NotesSpace,
    Para,
    Title,
    stored_text,
)
from safedesk.briefing.page import PageInfo
from safedesk.errors import LibraryError
from safedesk.interfaces import Source
from safedesk.views import DocumentSectionInfo, PassageInfo, ReportDetail


def pages_cited(pages: list[int | None]) -> str:
    """ "p. 4" or "pp. 4–6" for the pages some text runs over ("" when there are none)."""
    known = sorted({p for p in pages if p})
    if not known:
        return ""
    if known[0] == known[-1]:
        return f"p. {known[0]}"
    return f"pp. {known[0]}–{known[-1]}"


def cite_with_pages(citation: str, pages: str) -> str:
    """A citation with the pages cited added at its end."""
    return f"{citation.rstrip()} {pages}." if pages else citation


def document_sheet(
    lib: Source, item: PassageInfo | DocumentSectionInfo, paper: str, notes: bool = True
) -> Doc:
    detail = lib.report_detail(item.report)
    if detail is None:
        raise LibraryError(f"the document {item.report!r} is not in the library")
    if isinstance(item, DocumentSectionInfo):
        passages, heading, what = item.passages, item.title, "Section"
    else:
        passages, heading, what = [item], item.section or item.title, "Passage"
    first_page = item.page
    pages = pages_cited([first_page, *(p.page for p in passages)])
    if isinstance(item, PassageInfo) and item.section is None:
        heading = detail.title
    doc = Doc(PageInfo(
        title=heading, source=_source(detail, pages), kind=f"{what} sheet", paper=paper,
        author=", ".join(detail.authors) or (detail.publisher or ""), subject=detail.title,
        keywords=["safeguarding", "document", detail.title],
    ))  # fmt: skip
    doc.add(
        Kicker(" · ".join(x for x in (f"{what} of {detail.title}", pages) if x)),
        Title(heading),
        Para(_byline(detail), "meta"),
    )
    shown = first_page
    for passage in passages:
        if passage.page and passage.page != shown:
            doc.add(Para(f"p. {passage.page}", "small"))
            shown = passage.page
        doc.add(*_passage(passage))
    if not passages:
        doc.add(Para("There is no text under this heading in the document.", "meta"))
    doc.add(*user_note(lib, item.key))
    if notes:
        doc.add(NotesSpace())
    where = pages or (f"section “{heading}”" if heading else "")
    doc.citations = [cite_with_pages(detail.citation, where)]
    return doc


def _passage(passage: PassageInfo) -> list[Block]:
    """The passage's paragraphs, its printed number leading the first."""
    return stored_text(f"{passage.number}. {passage.text}" if passage.number else passage.text)


def _byline(detail: ReportDetail) -> str:
    who = ", ".join(detail.authors) or detail.publisher or "Author not given"
    return f"{who} · {detail.year or 'n.d.'}"


def _source(detail: ReportDetail, pages: str) -> str:
    who = detail.publisher_short or detail.publisher or ", ".join(detail.authors)
    base = f"{detail.title} ({detail.year or 'n.d.'}), {who}".strip().rstrip(",")
    return f"{base}, {pages}" if pages else base


def user_note(lib: Source, key: str) -> list[Heading | Note]:
    """The user's note on `key` under its heading (nothing when there is none)."""
    mark = lib.bookmarked(key)
    if mark is None or not mark.note.strip():
        return []
    return [Heading("Your note", 3), Note(mark.note)]
