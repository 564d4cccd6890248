"""What the reading pane shows: an item as rich text, with the words searched for marked, acronyms
explained in tooltips, and links to its theme, authority, full account and related practice.

Everything here is Qt-free HTML building; every piece of report or user text is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote, unquote

from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.render import render_html
from safedesk.search.analysis import WORD, word_stems
from safedesk.search.glossary import Glossary
from safedesk.search.querylang import FUNCTION_WORDS, OPERATORS
from safedesk.ui.rows import hit_title
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    ExampleInfo,
    Item,
    PracticeInfo,
    ThemeInfo,
    View,
)

LINK_SCHEME = "safedesk"
_FILTER = re.compile(r'(?i)\b(?:theme|authority|report|kind):(?:"[^"]*"?|\S*)')


def item_link(key: str, text: str) -> str:
    """An in-library link: clicking it opens `key` in the reading pane."""
    return f'<a href="{LINK_SCHEME}:{escape(quote(key, safe="/.-"))}">{escape(text)}</a>'


def key_of_link(url: str) -> str | None:
    """The library key an in-library link points at (None for any other link)."""
    prefix = f"{LINK_SCHEME}:"
    return unquote(url[len(prefix) :]) if url.startswith(prefix) else None


@dataclass(frozen=True)
class Emphasis:
    """The words to mark: stems of what was searched for, and prefixes of unfinished words."""

    stems: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.stems or self.prefixes)

    def matches(self, word: str) -> bool:
        lower = word.lower()
        return not word_stems(word).isdisjoint(self.stems) or (
            bool(self.prefixes) and lower.startswith(self.prefixes)
        )


def emphasis_for(
    query: str, expanded: Iterable[dict[str, str]] = (), typing: bool = True
) -> Emphasis:
    """What to mark for a search: its plain words (not filters, operators, function words or
    excluded words), the acronyms it expanded, and the unfinished last word as a prefix."""
    text = _FILTER.sub(" ", query)
    tokens = re.findall(r'-?"[^"]*"?|\S+', text)
    stems: set[str] = set()
    prefixes: list[str] = []
    finished = text.endswith((" ", '"'))
    for n, token in enumerate(tokens):
        if token.startswith("-") or token in OPERATORS:
            continue
        last = n == len(tokens) - 1
        for word in WORD.findall(token):
            if word.lower() in FUNCTION_WORDS:
                continue
            unfinished = typing and last and not finished and '"' not in token
            if (token.endswith("*") or unfinished) and len(word) >= 3:
                prefixes.append(word.lower())
                continue
            stems |= word_stems(word)
    for used in expanded:  # the acronym itself (marking every word of its expansion is noise)
        for word in WORD.findall(used.get("term", "")):
            stems |= word_stems(word)
    return Emphasis(frozenset(stems), tuple(prefixes))


@dataclass
class TextMarker:
    """Escapes running text, marking searched words and explaining acronyms (tooltips)."""

    emphasis: Emphasis = field(default_factory=Emphasis)
    glossary: Glossary | None = None
    highlight: str = "#fff2a8"  # background of a searched word (from the palette)

    def __call__(self, text: str) -> str:
        out: list[str] = []
        pos = 0
        for match in WORD.finditer(text):
            word = match.group()
            marked = bool(self.emphasis) and self.emphasis.matches(word)
            tip = self._explain(word)
            if not marked and not tip:
                continue
            out.append(escape(text[pos : match.start()]))
            inner = escape(word)
            if tip:
                inner = f'<span title="{escape(tip)}">{inner}</span>'
            if marked:
                inner = f'<span style="background-color: {self.highlight}">{inner}</span>'
            out.append(inner)
            pos = match.end()
        out.append(escape(text[pos:]))
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
    return render_html(item, marker) + _links(library, item)


def _links(library: Library, item: View) -> str:
    try:
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
                f"<span class='meta'> · {escape(h.authority or '')}</span></li>"
                for h in related
            )
            + "</ul>"
        )
    return out


def _practice_list(heading: str, practices: list[PracticeInfo], by: str) -> str:
    if not practices:
        return ""
    rows = "".join(
        f"<li>{item_link(p.key, f'Box {p.number}: {p.title}')}"
        f"<span class='meta'> · {escape(p.authority if by == 'authority' else p.theme)}</span></li>"
        for p in practices
    )
    return f"<h3>{escape(heading)}</h3><ul>{rows}</ul>"
