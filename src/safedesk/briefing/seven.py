"""7-minute briefings: the one-page format safeguarding partnerships use for team meetings and
supervision. Seven short numbered parts (the background; why it matters; the practice or
information; what the reviews found; questions to reflect on; what to do next; where to read
more), with the source and page cited. One page, always: the parts are shortened, a sentence at a
time, until the page holds them. What each kind of subject says is `seven_writers.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from safedesk.briefing import model
from safedesk.briefing.page import PageInfo
from safedesk.briefing.request import BriefRequest
from safedesk.briefing.seven_writers import WRITERS, Piece, Subject, shorten
from safedesk.briefing.sources import one_theme, source_line
from safedesk.errors import LibraryError
from safedesk.interfaces import Source
from safedesk.views import View

MOST, LEAST = 700, 90  # characters per part: the longest tried, and the shortest


def seven_minute(lib: Source, request: BriefRequest) -> model.Doc:
    """The one-page 7-minute briefing on the request's key (or theme)."""
    from safedesk.briefing import pdf

    item: View = one_theme(lib, request.theme) if request.theme else lib.get(request.key or "")
    writer = WRITERS.get(item.kind)
    if writer is None:
        raise LibraryError(
            f"a 7-minute briefing is made for a practice, theme, review finding or section, "
            f"not a {item.kind}"
        )
    subject = writer(lib, item)
    return fit(subject, request.paper, pdf.height, pdf.frame(request.paper)[1] * pdf.SLACK)


def fit(
    subject: Subject, paper: str, measure: Callable[[model.Doc], float], room: float
) -> model.Doc:
    """The document with the longest parts that fit `room` points: the most, else a guess from
    how the height falls between the most and the least, corrected until it fits."""
    doc = compose(subject, paper, MOST)
    tall = measure(doc)
    if tall <= room:
        return doc
    least = compose(subject, paper, LEAST)
    short = measure(least)
    if short > room:
        return least  # the page is printed anyway; the export checks its page count
    budget = LEAST + (MOST - LEAST) * (room - short) / max(tall - short, 1)
    budget = min(max(int(budget), LEAST), MOST)
    while budget > LEAST:
        doc = compose(subject, paper, budget)
        if measure(doc) <= room:
            return doc
        budget = int(budget * 0.92)
    return least


def compose(subject: Subject, paper: str, budget: int) -> model.Doc:
    """The document with each part shortened to about `budget` characters."""
    report = subject.report
    source = source_line(report) if report else "a local example added by a safedesk user"
    doc = model.Doc(PageInfo(
        title=f"7-minute briefing: {subject.title}", source=source, kind="7-minute briefing",
        paper=paper, author=", ".join(report.authors) if report else "",
        subject=subject.subject or subject.title,
        keywords=["safeguarding", "7-minute briefing", *subject.keywords],
    ))  # fmt: skip
    cited = " · ".join(x for x in (f"Source: {source}", subject.where) if x)
    doc.add(model.Kicker(subject.kicker), model.Title(subject.title), model.Para(cited, "meta"))
    parts = []
    for n, (heading, pieces) in enumerate(subject.parts, start=1):
        parts.append(model.Part(n, heading, tuple(_blocks(pieces, budget))))
    doc.add(model.Parts(tuple(parts)))
    if report is not None:
        doc.citations = [report.citation]
    return doc


def _blocks(pieces: list[Piece], budget: int) -> list[model.Block]:
    """The pieces as blocks, cut to about `budget` characters in all (whole sentences first);
    "k" pieces are kept whole or left out (the first always stays)."""
    out: list[model.Block] = []
    bullets: list[str] = []
    left = budget
    for n, (kind, text) in enumerate(pieces):
        text = " ".join(text.split())
        if kind == "k":
            if n and len(text) > left:
                continue
        elif left < 50:
            break
        else:
            whole = shorten(text, left, words=False)
            if kind == "b" and bullets and not whole:
                continue  # a later bullet without room for a whole sentence is left out
            text = whole or shorten(text, left)
        left -= len(text) + 25
        if kind in ("b", "k"):
            bullets.append(text)
            continue
        if bullets:
            out.append(model.Bullets(tuple(bullets)))
            bullets = []
        out.append(model.Para(text))
    if bullets:
        out.append(model.Bullets(tuple(bullets)))
    return out
