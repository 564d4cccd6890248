"""The four briefings, each a story of flowables plus what its pages say about it."""

from __future__ import annotations

from typing import Any

from safedesk.briefing.document_sheet import document_sheet, pages_cited
from safedesk.briefing.page import PageInfo
from safedesk.briefing.parts import blocks, bullets, grades_row, notes_space, para, rule, table
from safedesk.briefing.request import BriefRequest
from safedesk.errors import LibraryError
from safedesk.interfaces import Source
from safedesk.search.related import word_overlap
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    DocumentSectionInfo,
    ExampleInfo,
    Item,
    PassageInfo,
    PracticeInfo,
    ReportDetail,
    ThemeInfo,
)

Story = list[Any]
SHEET_LEARNING = 4  # key-learning points on a one-page sheet (the profile has them all)


def build(
    lib: Source, request: BriefRequest, learning: int = SHEET_LEARNING
) -> tuple[Story, PageInfo]:
    """The story and page information for a (checked) request."""
    if request.collection:
        return session_pack(lib, request.collection, request.paper, request.handout)
    if request.theme:
        return theme_brief(lib, request.theme, request.paper)
    if request.authority:
        return authority_profile(lib, request.authority, request.paper)
    assert request.key is not None
    return practice_sheet(lib, request.key, request.paper, request.notes_space, learning)


def _source(report: ReportDetail) -> str:
    who = report.publisher_short or report.publisher or ""
    return f"{report.title} ({report.year}), {who}".strip().rstrip(",")


def _cite(reports: list[ReportDetail], pages: str = "") -> Story:
    """ "How to cite" for each report; `pages` ("p. 10") when one item of one report is cited."""
    story: Story = [rule()]
    story += [
        para(f"{r.citation} {pages}." if pages else r.citation, "small", bold_prefix="How to cite:")
        for r in reports
    ]
    return story


def _report(lib: Source, key: str) -> ReportDetail:
    detail = lib.report_detail(key)
    if detail is None:
        raise LibraryError(f"the report {key!r} is not in the library")
    return detail


# -- practice sheet ------------------------------------------------------------------------------
def practice_sheet(
    lib: Source, key: str, paper: str, notes: bool = True, learning: int = SHEET_LEARNING
) -> tuple[Story, PageInfo]:
    """One practice on (ideally) one page; `learning` caps the key-learning points shown."""
    item = lib.get(key)
    if isinstance(item, ExampleInfo):
        return _example_sheet(lib, item, paper, notes)
    if isinstance(item, PassageInfo | DocumentSectionInfo):
        return document_sheet(lib, item, paper, notes)
    if not isinstance(item, PracticeInfo):
        raise LibraryError(
            f"{key} is a {item.kind}, not a practice; use --theme, --authority or --collection"
        )
    report = _report(lib, item.report)
    authority = lib.get(item.authority_key)
    theme = lib.get(item.theme_key)
    assert isinstance(authority, AuthorityInfo) and isinstance(theme, ThemeInfo)
    study = next(
        (c for c in lib.case_studies(item.report) if c.authority_key == authority.key), None
    )

    page = pages_cited([item.page])
    story: Story = [
        para(
            " · ".join(
                x for x in (f"Box {item.number}", f"{theme.number} {theme.title}", page) if x
            ),
            "kicker",
        ),
        para(item.title, "title"),
        para(f"{authority.name} · {authority.type or 'type not given'}", "meta"),
    ]
    if authority.grades:
        story.append(grades_row(authority.grades))
    story += [para("The practice", "h2"), *blocks(item.text)]
    if theme.findings:
        story.append(para("What the reviews found", "h2"))
        for finding in theme.findings:
            story += [para(f"{finding.review} review", "h3"), *blocks(finding.text)]
    if study is not None:
        chosen = sorted(study.key_learning, key=lambda k: -word_overlap(item.text, k))[:learning]
        shown = [k for k in study.key_learning if k in chosen]  # in the report's order
        more = len(study.key_learning) - len(shown)
        heading = f"Key learning for other councils ({authority.name})"
        story += [para(heading, "h2"), *bullets(shown)]
        if more:
            story.append(para(
                f"The {len(shown)} points most related to this practice; {more} more are in the "
                f"authority profile (safedesk brief --authority \"{authority.name}\").", "small",
            ))  # fmt: skip
        account = lib.full_account(key)
        where = f"Case study {study.number} ({authority.name})"
        if account and account != study.key:
            where += f", section “{_title(lib, account)}”"
        story.append(para(f"{where}.", "body", bold_prefix="The fuller account:"))
    story += _user_note(lib, key)
    if notes:
        story.append(notes_space())
    story += _cite([report], page)
    info = PageInfo(
        title=f"Box {item.number}: {item.title}", source=_source(report), kind="Practice sheet",
        paper=paper, author=", ".join(report.authors), subject=f"{theme.title}; {authority.name}",
        keywords=["safeguarding", "practice", theme.title, authority.name],
    )  # fmt: skip
    return story, info


def _example_sheet(lib: Source, ex: ExampleInfo, paper: str, notes: bool) -> tuple[Story, PageInfo]:
    story: Story = [
        para("My example · not from a report", "kicker"),
        para(ex.title, "title"),
        para(" · ".join(x for x in (ex.team, ex.theme) if x) or "Local example", "meta"),
        *blocks(ex.text),
    ]
    if ex.outcomes:
        story += [para("Outcomes", "h2"), *blocks(ex.outcomes)]
    story += _user_note(lib, ex.key)
    if notes:
        story.append(notes_space())
    info = PageInfo(
        title=ex.title,
        source="a local example added by a safedesk user",
        kind="Practice sheet",
        paper=paper,
        keywords=["safeguarding", "local example"],
    )
    return story, info


def _title(lib: Source, key: str) -> str:
    item = lib.get(key)
    return str(getattr(item, "title", "") or key)


def _user_note(lib: Source, key: str) -> Story:
    mark = lib.bookmarked(key)
    if mark is None or not mark.note.strip():
        return []
    return [para("Your note", "h3"), para(mark.note, "note")]


# -- theme brief ---------------------------------------------------------------------------------
def theme_brief(lib: Source, theme_key: str, paper: str) -> tuple[Story, PageInfo]:
    keys = lib.resolve("theme", theme_key)
    if len(keys) != 1:
        raise LibraryError(f"{theme_key!r} matches {len(keys)} themes; give the theme's key")
    theme = lib.get(keys[0])
    assert isinstance(theme, ThemeInfo)
    report = _report(lib, theme.report)
    practices = lib.practices(theme=theme.key)
    story: Story = [
        para(f"Theme {theme.number} · {len(practices)} examples of good practice", "kicker"),
        para(theme.title, "title"),
        para("What the reviews found", "h2"),
    ]
    for finding in theme.findings:
        story += [para(f"{finding.review} review", "h3"), *blocks(finding.text)]
    story.append(para("Examples of good practice", "h2"))
    for p in practices:
        story += [
            para(f"Box {p.number}: {p.title}", "h3"),
            para(" · ".join(x for x in (p.authority, pages_cited([p.page])) if x), "meta"),
            *blocks(p.text),
        ]
    factors = lib.factors(theme.report)
    context = theme.title + " " + " ".join(p.text for p in practices)
    for kind, heading in (("factor", "Supporting factors"), ("barrier", "Barriers")):
        ranked = sorted(
            (f for f in factors if f.kind == kind), key=lambda f: -word_overlap(context, f.text)
        )
        if ranked:
            story.append(para(f"{heading} most related to this theme", "h2"))
            for f in ranked[:2]:
                story += [para(f.title, "h3"), *blocks(f.text)]
    story += _cite([report])
    info = PageInfo(
        title=f"Theme {theme.number}: {theme.title}", source=_source(report), kind="Theme brief",
        paper=paper, author=", ".join(report.authors), subject=theme.title,
        keywords=["safeguarding", "theme", theme.title],
    )  # fmt: skip
    return story, info


# -- authority profile ---------------------------------------------------------------------------
def authority_profile(lib: Source, authority_key: str, paper: str) -> tuple[Story, PageInfo]:
    keys = lib.resolve("authority", authority_key)
    if len(keys) != 1:
        raise LibraryError(f"{authority_key!r} matches {len(keys)} authorities; give its key")
    authority = lib.get(keys[0])
    assert isinstance(authority, AuthorityInfo)
    report = _report(lib, authority.report)
    story: Story = [
        para(f"Authority profile · {authority.practices} examples of good practice", "kicker"),
        para(authority.name, "title"),
        para(authority.type or "Type not given", "meta"),
    ]
    if authority.grades:
        story.append(table(list(authority.grades.items())))
    study = lib.get(authority.case_study) if authority.case_study else None
    if isinstance(study, CaseStudyInfo):
        story += [para(f"Case study {study.number}", "h2"), *blocks(study.introduction)]
        story += [para("Key learning for other councils", "h2"), *bullets(study.key_learning)]
        story += [para("Background", "h2"), *blocks(study.background)]
        for section in study.sections:
            story += [para(section.title, "h2"), *blocks(section.text)]
        story += [para("Enablers", "h2"), *bullets(study.enablers)]
        story += [para("Barriers", "h2"), *bullets(study.barriers)]
        story += [para("Evidence of outcomes", "h2"), *blocks(study.outcomes)]
        if study.could_do_better:
            story += [
                para("What could have been done better?", "h2"),
                *blocks(study.could_do_better),
            ]
        story += [para("Next steps", "h2"), *blocks(study.next_steps)]
    practices = lib.practices(authority=authority.key)
    if practices:
        story.append(para("Its boxed examples in the report", "h2"))
        story += bullets([f"Box {p.number}: {p.title} ({p.theme})" for p in practices])
    story += _cite([report])
    info = PageInfo(
        title=f"{authority.name}: authority profile", source=_source(report),
        kind="Authority profile", paper=paper, author=", ".join(report.authors),
        subject=authority.name, keywords=["safeguarding", "case study", authority.name],
    )  # fmt: skip
    return story, info


# -- session pack --------------------------------------------------------------------------------
def session_pack(
    lib: Source, name: str, paper: str, handout: bool = False
) -> tuple[Story, PageInfo]:
    from reportlab.platypus import CondPageBreak, PageBreak

    collection = lib.collection(name)
    kind = "Participant handout" if handout else "Session pack"
    reports: dict[str, ReportDetail] = {}
    for item in collection.items:
        if item.report and item.report not in reports:
            detail = lib.report_detail(item.report)
            if detail is not None:
                reports[item.report] = detail
    total = sum(i.minutes or 0 for i in collection.items)
    story: Story = [para(kind, "kicker"), para(collection.name, "title")]
    if collection.description:
        story.append(para(collection.description, "meta"))
    story.append(para("Contents", "h2"))
    rows = [
        (f"{n}. {i.title}", f"{i.minutes} min" if i.minutes is not None else "")
        for n, i in enumerate(collection.items, start=1)
    ]
    if rows:
        story.append(table(rows, widths=(0.82, 0.18)))
    if total:
        story.append(para(f"Planned time: {total} minutes", "meta"))
    if not handout:
        story.append(para(
            "Facilitator's copy: your notes for each item are in the yellow boxes. "
            "Print the participant handout for the group "
            "(safedesk brief --collection … --handout).",
            "small",
        ))  # fmt: skip
    story.append(PageBreak())
    for n, item in enumerate(collection.items, start=1):
        story.append(CondPageBreak(60 * 2.835))
        timing = f" · {item.minutes} min" if item.minutes is not None else ""
        story.append(para(f"{n}. {item.title}", "h2"))
        story.append(para(_item_source(lib, item.key, item.report_title) + timing, "meta"))
        story += blocks(lib.item_snapshot(collection.name, item.key).text)
        if item.prompts:
            story.append(para("Discussion prompts", "h3"))
            story += bullets(item.prompts, "prompt", mark="?")
        if item.note and not handout:
            story.append(para(item.note, "note", bold_prefix="Facilitator's note:"))
    story += _cite(list(reports.values()))
    sources = [_source(r) for r in reports.values()]
    if any(i.key.startswith("my-examples/") for i in collection.items):
        sources.append("local examples")
    info = PageInfo(
        title=f"{collection.name} ({kind.lower()})", source="; ".join(sources) or "safedesk",
        kind=kind, paper=paper, subject=collection.description or collection.name,
        keywords=["safeguarding", "reflective practice", "session"],
    )  # fmt: skip
    return story, info


def _item_source(lib: Source, key: str, report_title: str) -> str:
    try:
        item = lib.get(key)
    except LibraryError:
        return f"From {report_title or 'another library'} (saved copy)"
    if isinstance(item, ExampleInfo):
        return f"My example · {item.team or 'own team'} · not from a report"
    if isinstance(item, PracticeInfo):
        where = (f"Box {item.number}", item.authority, item.theme, pages_cited([item.page]))
        return " · ".join(x for x in where if x)
    if isinstance(item, Item):
        label = "Case study section" if item.kind == "section" else item.title
        parts = (label, item.authority, item.theme, pages_cited([item.page]))
        return " · ".join(x for x in parts if x)
    if isinstance(item, PassageInfo | DocumentSectionInfo):
        passages = item.passages if isinstance(item, DocumentSectionInfo) else [item]
        pages = pages_cited([item.page, *(p.page for p in passages)])
        section = item.title if isinstance(item, DocumentSectionInfo) else item.section
        return " · ".join(x for x in (report_title, section, pages) if x)
    return report_title
