"""What the reading pane shows: an item as rich text, with the words searched for marked, acronyms
explained in tooltips, and links to its theme, authority, full account and related practice (each
with the practice concepts it shares).

Everything here is Qt-free HTML building; every piece of report or user text is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.render import render_html
from safedesk.search.analysis import WORD
from safedesk.search.glossary import Glossary
from safedesk.search.highlight import Matched, spans
from safedesk.ui.rows import hit_title
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    DocumentSectionInfo,
    ExampleInfo,
    Item,
    PassageInfo,
    PracticeInfo,
    SearchResult,
    ThemeInfo,
    View,
)

if TYPE_CHECKING:
    from safedesk.store.collections import Snapshot

LINK_SCHEME = "safedesk"
ORIGINAL_SCHEME = "safedesk-original"  # "Open the original at page N"


def item_link(key: str, text: str) -> str:
    """An in-library link: clicking it opens `key` in the reading pane."""
    return f'<a href="{LINK_SCHEME}:{escape(quote(key, safe="/.-"))}">{escape(text)}</a>'


def key_of_link(url: str) -> str | None:
    """The library key an in-library link points at (None for any other link)."""
    prefix = f"{LINK_SCHEME}:"
    return unquote(url[len(prefix) :]) if url.startswith(prefix) else None


def original_link(key: str, page: int) -> str:
    """A link that shows the original file at the page where `key` starts."""
    href = f"{ORIGINAL_SCHEME}:{escape(quote(key, safe='/.-'))}"
    return f'<a href="{href}">Open the original at page {page}</a>'


def key_of_original_link(url: str) -> str | None:
    """The key whose original an "Open the original" link asks for (None for other links)."""
    prefix = f"{ORIGINAL_SCHEME}:"
    return unquote(url[len(prefix) :]) if url.startswith(prefix) else None


def missing_html(key: str, copy: Snapshot) -> str:
    """What the user kept of an item that is no longer in the library (a new edition of its
    document dropped it, or its report is not here): the saved copy, plainly marked."""
    report = copy.report_title or key.split("/")[0]
    text = render_html(
        Item(key=key, kind="missing", report=copy.report_key, title=copy.title, text=copy.text)
    )
    return (
        f"<p class='meta'><b>No longer in the library</b>: {escape(report)} does not have this "
        "any more (a new edition may have changed or dropped it). This is the copy saved with "
        f"your bookmark or collection.</p>{text}"
    )


@dataclass(frozen=True)
class Emphasis:
    """What to mark: what the search looked for, as it says itself (`SearchResult.matched`:
    stems, prefixes of unfinished words, and phrases), so nothing re-parses the query."""

    matched: Matched = field(default_factory=Matched)

    def __bool__(self) -> bool:
        m = self.matched
        return bool(m.stems or m.prefixes or m.phrases)

    @classmethod
    def of(cls, result: SearchResult) -> Emphasis:
        return cls(Matched.from_json(result.matched))


@dataclass
class TextMarker:
    """Escapes running text, marking what was searched for and explaining acronyms (tooltips)."""

    emphasis: Emphasis = field(default_factory=Emphasis)
    glossary: Glossary | None = None
    highlight: str = "#fff2a8"  # background of a searched word (from the palette)

    def __call__(self, text: str) -> str:
        marks = (
            [(s, e) for s, e, _what in spans(text, self.emphasis.matched)] if self.emphasis else []
        )
        tips = [
            (m.start(), m.end(), tip)
            for m in WORD.finditer(text)
            if (tip := self._explain(m.group()))
        ]
        cuts = sorted({0, len(text), *(x for s, e in marks for x in (s, e)),
                       *(x for s, e, _t in tips for x in (s, e))})  # fmt: skip
        out: list[str] = []
        mark = tip_at = 0
        for start, end in pairwise(cuts):
            while mark < len(marks) and marks[mark][1] <= start:
                mark += 1
            while tip_at < len(tips) and tips[tip_at][1] <= start:
                tip_at += 1
            piece = escape(text[start:end])
            if tip_at < len(tips) and tips[tip_at][0] <= start:
                piece = f'<span title="{escape(tips[tip_at][2])}">{piece}</span>'
            if mark < len(marks) and marks[mark][0] <= start:
                piece = f'<span style="background-color: {self.highlight}">{piece}</span>'
            out.append(piece)
        return "".join(out)

    def _explain(self, word: str) -> str:
        if self.glossary is None or len(word) < 2 or not word.isupper():
            return ""
        term = self.glossary.acronym(word)
        if term is None:
            return ""
        description = term.description
        return f"{term.term}: {term.expansions[0]}" + (f". {description}" if description else "")


def reading_html(library: Library, item: View, marker: TextMarker) -> str:
    """The item, then the links a reader follows from it."""
    return render_html(item, marker) + _original(library, item) + _links(library, item)


def _original(library: Library, item: View) -> str:
    """ "Open the original at page N" for an item of a PDF kept in the library."""
    if not getattr(item, "page", None):
        return ""
    try:
        original = library.original(item.key)
    except LibraryError:
        return ""
    if original is None or original.format != "pdf" or not original.page:
        return ""
    return f"<p class='links'>{original_link(item.key, original.page)}</p>"


def _document_links(library: Library, item: PassageInfo | DocumentSectionInfo) -> str:
    """A passage names its section, a section its document; Word files have no pages, so the
    section is where a passage is found."""
    links = []
    if isinstance(item, PassageInfo) and item.section_key:
        links.append(f"Section: {item_link(item.section_key, item.section or 'this section')}")
    detail = library.report_detail(item.report)
    if detail is not None:
        links.append(f"In {item_link(detail.key, detail.title)}")
        links.append(f"<span class='meta'>Cite: {escape(detail.citation)}</span>")
    return "<p class='links'>" + "<br>".join(links) + "</p>"


def _links(library: Library, item: View) -> str:
    try:
        if isinstance(item, PassageInfo | DocumentSectionInfo):
            return _document_links(library, item)
        if isinstance(item, PracticeInfo):
            return _practice_links(library, item)
        if isinstance(item, ThemeInfo):
            return _practice_list(
                "Practice under this theme", library.practices(theme=item.key), by="authority"
            )
        if isinstance(item, AuthorityInfo):
            account = (
                f"<p>{item_link(item.case_study, 'Read the full account (case study)')}</p>"
                if item.case_study
                else ""
            )
            return account + _practice_list(
                "Practice in this authority", library.practices(authority=item.key), by="theme"
            )
        if isinstance(item, CaseStudyInfo) and item.authority_key:
            link = item_link(item.authority_key, item.authority)
            return f"<p class='links'>{link}: grades and practice</p>"
        if isinstance(item, ExampleInfo) and item.theme_key:
            return f"<p class='links'>Theme: {item_link(item.theme_key, item.theme)}</p>"
        if isinstance(item, Item) and item.parent:
            parent = library.get(item.parent)
            label = getattr(parent, "title", "") or getattr(parent, "authority", "") or item.parent
            if isinstance(parent, CaseStudyInfo):
                label = f"Case study {parent.number}: {parent.authority}"
            return f"<p class='links'>Part of {item_link(item.parent, str(label))}</p>"
    except LibraryError:
        return ""
    return ""


def _practice_links(library: Library, practice: PracticeInfo) -> str:
    links = []
    if practice.theme_key:
        theme = f"{practice.theme_number} {practice.theme}".strip()
        links.append(
            f"Theme: {item_link(practice.theme_key, theme)} (review findings and evidence)"
        )
    if practice.authority_key:
        links.append(
            f"{item_link(practice.authority_key, practice.authority)} (context and grades)"
        )
        account = library.full_account(practice.key)
        if account:
            links.append(item_link(account, "Read the full account"))
    out = "<p class='links'>" + "<br>".join(links) + "</p>" if links else ""
    related = library.related(practice.key, limit=5).related
    if related:
        out += (
            "<h3>Related practice</h3><ul>"
            + "".join(
                f"<li>{item_link(h.key, hit_title(h.kind, h.number, h.title))}"
                f"<span class='meta'> · {escape(h.authority or '')}{_shares(h.shares)}</span></li>"
                for h in related
            )
            + "</ul>"
        )
    return out


def _shares(concepts: list[str]) -> str:
    """Why an item is related: the practice concepts both are about."""
    return f" · shares: {escape(', '.join(concepts))}" if concepts else ""


def _practice_list(heading: str, practices: list[PracticeInfo], by: str) -> str:
    if not practices:
        return ""
    rows = "".join(
        f"<li>{item_link(p.key, f'Box {p.number}: {p.title}')}"
        f"<span class='meta'> · {escape(p.authority if by == 'authority' else p.theme)}</span></li>"
        for p in practices
    )
    return f"<h3>{escape(heading)}</h3><ul>{rows}</ul>"
