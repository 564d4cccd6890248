"""A sheet for part of a document: one section (its passages) or one passage, citing its pages.

`safedesk brief KEY` and the export dialog's sheet make it when KEY is a document's section or
passage. Each passage keeps its printed paragraph number; where the text moves on to another page
of the original a "p. N" marker says so, and "How to cite" ends with the page or pages ("p. 4",
"pp. 4–5"). Word documents have no pages, so their sheets cite the section instead.
"""

from __future__ import annotations

from typing import Any

from safedesk.briefing.page import PageInfo
from safedesk.briefing.parts import blocks, notes_space, para, rule
from safedesk.errors import LibraryError
from safedesk.interfaces import Source
from safedesk.views import DocumentSectionInfo, PassageInfo, ReportDetail

Story = list[Any]


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
) -> tuple[Story, PageInfo]:
    detail = lib.report_detail(item.report)
    if detail is None:
        raise LibraryError(f"the document {item.report!r} is not in the library")
    if isinstance(item, DocumentSectionInfo):
        passages, heading, what = item.passages, item.title, "Section"
        first_page = item.page
    else:
        passages, heading, what = [item], item.section or item.title, "Passage"
        first_page = item.page
    pages = pages_cited([first_page, *(p.page for p in passages)])
    story: Story = [
        para(" · ".join(x for x in (f"{what} of {detail.title}", pages) if x), "kicker"),
        para(heading, "title"),
        para(_byline(detail), "meta"),
    ]
    if isinstance(item, PassageInfo) and item.section is None:
        story[1] = para(detail.title, "title")
    shown = first_page
    for passage in passages:
        if passage.page and passage.page != shown:
            story.append(para(f"p. {passage.page}", "small"))
            shown = passage.page
        story += _passage(passage)
    if not passages:
        story.append(para("There is no text under this heading in the document.", "meta"))
    story += _user_note(lib, item.key)
    if notes:
        story.append(notes_space())
    where = pages or (f"section “{heading}”" if heading else "")
    story += [rule(), para(cite_with_pages(detail.citation, where), "small", "How to cite:")]
    info = PageInfo(
        title=heading, source=_source(detail, pages), kind=f"{what} sheet", paper=paper,
        author=", ".join(detail.authors) or (detail.publisher or ""), subject=detail.title,
        keywords=["safeguarding", "document", detail.title],
    )  # fmt: skip
    return story, info


def _passage(passage: PassageInfo) -> Story:
    """The passage's paragraphs, its printed number leading the first."""
    return blocks(f"{passage.number}. {passage.text}" if passage.number else passage.text)


def _byline(detail: ReportDetail) -> str:
    who = ", ".join(detail.authors) or detail.publisher or "Author not given"
    return f"{who} · {detail.year or 'n.d.'}"


def _source(detail: ReportDetail, pages: str) -> str:
    who = detail.publisher_short or detail.publisher or ", ".join(detail.authors)
    base = f"{detail.title} ({detail.year or 'n.d.'}), {who}".strip().rstrip(",")
    return f"{base}, {pages}" if pages else base


def _user_note(lib: Source, key: str) -> Story:
    mark = lib.bookmarked(key)
    if mark is None or not mark.note.strip():
        return []
    return [para("Your note", "h3"), para(mark.note, "note")]
