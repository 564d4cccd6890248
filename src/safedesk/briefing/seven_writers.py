"""What a 7-minute briefing says about each kind of subject: its seven parts as pieces of text,
its title and where it comes from (`Subject`). `seven.py` fits them on one page.

Each kind has a writer in `WRITERS` (practice, theme, review finding, case-study section, document
section, local example); a new kind plugs in with one function that returns a `Subject`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from safedesk.briefing.sources import related_factors, report_of
from safedesk.interfaces import Source
from safedesk.search.related import word_overlap
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    DocumentSectionInfo,
    ExampleInfo,
    Item,
    PracticeInfo,
    ReportDetail,
    ThemeInfo,
    View,
)

HEADINGS = (
    "The background",
    "Why it matters",
    "The practice",
    "What the reviews found",
    "Questions to reflect on",
    "What to do next",
    "Where to read more",
)
Piece = tuple[str, str]  # ("p", paragraph) or ("b", bullet), shortened to fit; ("k", bullet) kept
# whole (a question, a reference): left out if there is no room for it
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"'(])")
_ASKS = re.compile(r"\b(must|should|need(?:s)? to|ought to|are expected to|is expected to)\b", re.I)


@dataclass
class Subject:
    """What a writer says about one subject: seven parts of pieces, and where it comes from."""

    title: str
    kicker: str
    where: str  # "Box 9 · p. 23": cited under the title and in part 7
    parts: list[tuple[str, list[Piece]]]  # (heading, pieces), seven of them
    report: ReportDetail | None
    subject: str = ""
    keywords: list[str] = field(default_factory=list)


def shorten(text: str, limit: int, words: bool = True) -> str:
    """`text` on one line, cut to at most `limit` characters: whole sentences if one fits, else
    whole words and an ellipsis (or, without `words`, nothing)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE.split(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if kept or not words:
        return kept
    cut = text[: max(limit - 1, 1)].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—-– ") + "…"


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(" ".join(text.split())) if s]


def _page(page: int | None) -> str:
    return f"p. {page}" if page else ""


def _questions(title: str, barrier: Item | None) -> list[Piece]:
    short = shorten(title, 90).rstrip(".…")
    asked = [f"What would “{short}” look like in our team, and for the children we work with?"]
    if barrier is not None:
        asked.append(f"Could “{barrier.title.rstrip('.')}” get in the way here? What would help?")
    else:
        asked.append("What gets in the way of this here, and what would help?")
    asked.append("Who would we need to involve, and how would we know it made a difference?")
    return [("k", q) for q in asked]


def _barrier(lib: Source, report: str, context: str) -> Item | None:
    ranked = related_factors(lib, report, "barrier", context)
    return ranked[0] if ranked else None


def _findings_pieces(theme: ThemeInfo | None) -> list[Piece]:
    if theme is None or not theme.findings:
        return [("p", "The reviews the report draws on say nothing on this in particular.")]
    return [("b", f"{f.review} review: {' '.join(f.text.split())}") for f in theme.findings]


# -- the writers ---------------------------------------------------------------------------------
def practice(lib: Source, item: View) -> Subject:
    assert isinstance(item, PracticeInfo)
    report = report_of(lib, item.report)
    authority = lib.get(item.authority_key)
    theme = lib.get(item.theme_key)
    assert isinstance(authority, AuthorityInfo) and isinstance(theme, ThemeInfo)
    study = next((c for c in lib.case_studies(item.report) if c.key == authority.case_study), None)
    grades = "; ".join(f"{k}: {v}" for k, v in authority.grades.items())
    background: list[Piece] = [
        ("p", f"{authority.name} ({authority.type or 'type not given'}). {grades}."),
    ]
    if study is not None:
        background.append(("p", study.introduction))
    learning = sorted(study.key_learning, key=lambda k: -word_overlap(item.text, k))[:3] if study \
        else []  # fmt: skip
    account = lib.full_account(item.key)
    section = lib.get(account) if account else None
    where = " · ".join(x for x in (f"Box {item.number}", _page(item.page)) if x)
    more = [f"Box {item.number} in {report.title} ({report.year})" + (
        f", {_page(item.page)}" if item.page else "")]  # fmt: skip
    if study is not None:
        told = f"Case study {study.number} ({authority.name})"
        if isinstance(section, Item) and section.key != study.key:
            told += f", section “{section.title}”" + (f", {_page(section.page)}" if section.page
                                                      else "")  # fmt: skip
        more.append(f"The fuller account: {told}")
    more.append(f"Theme {theme.number} and the {authority.name} profile in safedesk")
    return Subject(
        title=item.title,
        kicker=f"7-minute briefing · Box {item.number} · {theme.number} {theme.title}",
        where=where,
        parts=[
            (HEADINGS[0], background),
            (
                HEADINGS[1],
                [
                    (
                        "p",
                        f"It is an example of {theme.number} {theme.title}, a priority area of the "
                        "report.",
                    ),
                    *(("p", s) for s in sentences(theme.evidence_intro)[:2]),
                ],
            ),
            (HEADINGS[2], [("p", item.text)]),
            (HEADINGS[3], _findings_pieces(theme)),
            (HEADINGS[4], _questions(item.title, _barrier(lib, item.report, item.text))),
            (HEADINGS[5], [("b", k) for k in learning] or [("p", "Agree one change to try.")]),
            (HEADINGS[6], [("k", m) for m in more]),
        ],
        report=report,
        subject=f"{theme.title}; {authority.name}",
        keywords=[theme.title, authority.name],
    )


def theme_subject(lib: Source, item: View) -> Subject:
    assert isinstance(item, ThemeInfo)
    report = report_of(lib, item.report)
    practices = lib.practices(theme=item.key)
    authorities = sorted({p.authority for p in practices})
    context = item.title + " " + " ".join(p.text for p in practices)
    factors = related_factors(lib, item.report, "factor", context)[:2]
    pages = [p.page for p in practices if p.page]
    span = (f"pp. {min(pages)}–{max(pages)}" if len(set(pages)) > 1 else _page(pages[0])) \
        if pages else ""  # fmt: skip
    return Subject(
        title=item.title,
        kicker=f"7-minute briefing · Theme {item.number}",
        where=" · ".join(x for x in (f"Theme {item.number}", span) if x),
        parts=[
            (
                HEADINGS[0],
                [
                    (
                        "p",
                        f"Theme {item.number} is one of the priority areas of {report.title} "
                        f"({report.year}): {len(practices)} examples of good practice from "
                        f"{', '.join(authorities) or 'the authorities studied'}.",
                    ),
                ],
            ),
            (
                HEADINGS[1],
                [("p", item.evidence_intro)]
                if item.evidence_intro
                else [("p", s) for s in sentences(report.executive_summary)[:2]],
            ),
            (
                "The practice",
                [("k", f"Box {p.number}: {p.title} ({p.authority})") for p in practices],
            ),
            (HEADINGS[3], _findings_pieces(item)),
            (HEADINGS[4], _questions(item.title, _barrier(lib, item.report, context))),
            (
                HEADINGS[5],
                [("b", f"{f.title}: {sentences(f.text)[0] if f.text else ''}") for f in factors]
                or [("b", e) for e in item.evidence[:3]],
            ),
            (
                HEADINGS[6],
                [
                    ("k", f"The theme brief for {item.number} {item.title} in safedesk"),
                    ("k", f"{report.title} ({report.year})" + (f", {span}" if span else "")),
                ],
            ),
        ],
        report=report,
        subject=item.title,
        keywords=[item.title],
    )


def finding(lib: Source, item: View) -> Subject:
    assert isinstance(item, Item)
    report = report_of(lib, item.report)
    theme = lib.get(item.parent) if item.parent else None
    theme = theme if isinstance(theme, ThemeInfo) else None
    others = [f for f in theme.findings if f.key != item.key] if theme else []
    practices = lib.practices(theme=theme.key) if theme else []
    ranked = sorted(practices, key=lambda p: -word_overlap(item.text, p.text))[:3]
    label = f"{theme.number} {theme.title}" if theme else ""
    return Subject(
        title=f"{item.title}: {theme.title}" if theme else item.title,
        kicker="7-minute briefing · Review finding" + (f" · {label}" if label else ""),
        where=item.title + (f" · {label}" if label else ""),
        parts=[
            (
                HEADINGS[0],
                [
                    (
                        "p",
                        f"{report.title} ({report.year}) sets what the {item.title} "
                        f"found beside the councils' practice"
                        + (f" on {theme.title.lower()}." if theme else "."),
                    )
                ],
            ),
            (
                HEADINGS[1],
                [
                    (
                        "p",
                        theme.evidence_intro
                        if theme and theme.evidence_intro
                        else "It is one of the findings the report's councils acted on.",
                    )
                ],
            ),
            ("What the review found", [("p", item.text)]),
            (
                "What the other reviews found",
                [("b", f"{f.review} review: {f.text}") for f in others]
                or [("p", "The report cites this review alone on this theme.")],
            ),
            (HEADINGS[4], _questions(item.text, _barrier(lib, item.report, item.text))),
            (
                HEADINGS[5],
                [("k", f"Look at Box {p.number}: {p.title} ({p.authority})") for p in ranked]
                or [("p", "Agree one change to try.")],
            ),
            (
                HEADINGS[6],
                [
                    (
                        "k",
                        f"{report.title} ({report.year})" + (f", theme {label}" if label else ""),
                    ),
                    ("k", "The theme brief in safedesk"),
                ],
            ),
        ],
        report=report,
        subject=item.title,
        keywords=["review finding", *([theme.title] if theme else [])],
    )


def case_section(lib: Source, item: View) -> Subject:
    assert isinstance(item, Item)
    report = report_of(lib, item.report)
    study = lib.get(item.parent) if item.parent else None
    study = study if isinstance(study, CaseStudyInfo) else None
    label = f"Case study {study.number}, {study.authority}" if study else (item.authority or "")
    where = " · ".join(x for x in (label, _page(item.page)) if x)
    learning = sorted(study.key_learning, key=lambda k: -word_overlap(item.text, k))[:3] \
        if study else []  # fmt: skip
    return Subject(
        title=item.title,
        kicker="7-minute briefing · Case study" + (f" · {label}" if label else ""),
        where=where,
        parts=[
            (HEADINGS[0], [("p", study.introduction)] if study else [("p", label)]),
            (
                HEADINGS[1],
                [("b", k) for k in (study.improvement_areas if study else [])]
                or [("p", "The council named this among its developments in practice.")],
            ),
            (HEADINGS[2], [("p", item.text)]),
            (
                "What changed",
                [("p", study.outcomes)]
                if study and study.outcomes
                else [("p", "The case study gives no separate evidence of outcomes.")],
            ),
            (HEADINGS[4], _questions(item.title, _barrier(lib, item.report, item.text))),
            (
                HEADINGS[5],
                [("b", k) for k in learning]
                or [("p", study.next_steps if study else "Agree one change to try.")],
            ),
            (
                HEADINGS[6],
                [
                    (
                        "k",
                        f"{label}: “{item.title}”" + (f", {_page(item.page)}" if item.page else ""),
                    ),
                    ("k", f"{report.title} ({report.year})"),
                    (
                        "k",
                        f"The {study.authority} profile in safedesk"
                        if study
                        else "The case study in safedesk",
                    ),
                ],
            ),
        ],
        report=report,
        subject=label or item.title,
        keywords=["case study", *([study.authority] if study else [])],
    )


def document_section(lib: Source, item: View) -> Subject:
    """A section of a document (guidance, a review...): its passages by rule, not by wording."""
    assert isinstance(item, DocumentSectionInfo)
    report = report_of(lib, item.report)
    passages = [p for p in item.passages if p.text.strip()]
    first, rest = (passages[0].text, passages[1:]) if passages else ("", [])
    asks = [s for p in passages for s in sentences(p.text) if _ASKS.search(s)]
    numbered = [p for p in rest if p.number]
    where = " · ".join(x for x in (item.title, _page(item.page)) if x)
    return Subject(
        title=item.title,
        kicker=f"7-minute briefing · {report.title}",
        where=where,
        parts=[
            (
                HEADINGS[0],
                [
                    (
                        "p",
                        f"From {report.title}"
                        + (f" ({report.year})" if report.year else "")
                        + f", “{item.title}”.",
                    )
                ],
            ),
            (HEADINGS[1], [("p", first or "This section has no text of its own.")]),
            (
                "The information",
                [("p", f"{p.number} {p.text}" if p.number else p.text) for p in (numbered or rest)]
                or [("p", first)],
            ),
            (
                "What it asks",
                [("b", s) for s in asks] or [("p", "It sets out information rather than duties.")],
            ),
            (HEADINGS[4], _questions(item.title, None)),
            (
                HEADINGS[5],
                [
                    ("k", "Talk through one recent case against this section."),
                    ("k", "Agree one change to try, and when to look at it again."),
                ],
            ),
            (
                HEADINGS[6],
                [
                    (
                        "b",
                        f"{report.title}, “{item.title}”"
                        + (f", {_page(item.page)}" if item.page else ""),
                    )
                ],
            ),
        ],
        report=report,
        subject=item.title,
        keywords=[report.title],
    )


def example(lib: Source, item: View) -> Subject:
    assert isinstance(item, ExampleInfo)
    theme = lib.get(item.theme_key) if item.theme_key and lib.has(item.theme_key) else None
    theme = theme if isinstance(theme, ThemeInfo) else None
    return Subject(
        title=item.title,
        kicker="7-minute briefing · My example · not from a report",
        where=" · ".join(x for x in (item.team, item.theme) if x),
        parts=[
            (
                HEADINGS[0],
                [
                    (
                        "p",
                        f"An example from {item.team or 'our own team'}, added to "
                        "safedesk by a user; it is not from a published report.",
                    )
                ],
            ),
            (
                HEADINGS[1],
                [("p", f"It is an example of {theme.number} {theme.title}.")]
                if theme
                else [("p", "It shows how a team here works.")],
            ),
            (HEADINGS[2], [("p", item.text or "No description yet.")]),
            (HEADINGS[3], _findings_pieces(theme)),
            (HEADINGS[4], _questions(item.title, None)),
            (
                HEADINGS[5],
                [("p", item.outcomes)] if item.outcomes else [("p", "Agree one change to try.")],
            ),
            (
                HEADINGS[6],
                [
                    ("k", f"The team: {item.team or 'not given'}"),
                    ("k", "This example in safedesk, under My examples"),
                ],
            ),
        ],
        report=None,
        keywords=["local example"],
    )


WRITERS: dict[str, Callable[[Source, View], Subject]] = {
    "practice": practice,
    "theme": theme_subject,
    "finding": finding,
    "section": case_section,
    "document-section": document_section,
    "example": example,
}
