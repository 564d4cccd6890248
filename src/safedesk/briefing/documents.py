"""The briefings, each a `model.Doc` built from the library: practice sheets, theme briefs,
authority profiles, facilitator packs and participant handouts (7-minute briefings are in
`seven.py`). The PDF and Word writers render the same document."""

from __future__ import annotations

from safedesk.briefing.model import (
    Block,
    Bullets,
    Doc,
    Grades,
    Heading,
    Keep,
    Kicker,
    NeedSpace,
    Note,
    NotesSpace,
    PageBreak,
    Para,
    Table,
    Title,
    WriteIn,
    stored_text,
)
from safedesk.briefing.page import PageInfo
from safedesk.briefing.request import BriefRequest
from safedesk.errors import LibraryError
from safedesk.interfaces import Source
from safedesk.search.related import word_overlap
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    CollectionInfo,
    ExampleInfo,
    Item,
    PlanEntry,
    PracticeInfo,
    ReportDetail,
    ThemeInfo,
)

SHEET_LEARNING = 4  # key-learning points on a one-page sheet (the profile has them all)
WRITE_IN_LINES = 3  # ruled lines under each prompt of a handout


def build(lib: Source, request: BriefRequest, learning: int = SHEET_LEARNING) -> Doc:
    """The document for a (checked) request."""
    if request.seven_minute:
        from safedesk.briefing.seven import seven_minute

        return seven_minute(lib, request)
    if request.collection:
        return session_pack(lib, request.collection, request.paper, request.handout)
    if request.theme:
        return theme_brief(lib, request.theme, request.paper)
    if request.authority:
        return authority_profile(lib, request.authority, request.paper)
    assert request.key is not None
    return practice_sheet(lib, request.key, request.paper, request.notes_space, learning)


def source_line(report: ReportDetail) -> str:
    who = report.publisher_short or report.publisher or ""
    return f"{report.title} ({report.year}), {who}".strip().rstrip(",")


def report_of(lib: Source, key: str) -> ReportDetail:
    detail = lib.report_detail(key)
    if detail is None:
        raise LibraryError(f"the report {key!r} is not in the library")
    return detail


def _findings(theme: ThemeInfo) -> list[Block]:
    out: list[Block] = []
    for finding in theme.findings:
        out += [Heading(f"{finding.review} review", 3), *stored_text(finding.text)]
    return out


# -- practice sheet ------------------------------------------------------------------------------
def practice_sheet(
    lib: Source, key: str, paper: str, notes: bool = True, learning: int = SHEET_LEARNING
) -> Doc:
    """One practice on (ideally) one page; `learning` caps the key-learning points shown."""
    item = lib.get(key)
    if isinstance(item, ExampleInfo):
        return _example_sheet(lib, item, paper, notes)
    if not isinstance(item, PracticeInfo):
        raise LibraryError(
            f"a practice sheet is made for a practice or your own example, not for a {item.kind}"
        )
    report = report_of(lib, item.report)
    authority = lib.get(item.authority_key)
    theme = lib.get(item.theme_key)
    assert isinstance(authority, AuthorityInfo) and isinstance(theme, ThemeInfo)
    study = next(
        (c for c in lib.case_studies(item.report) if c.authority_key == authority.key), None
    )
    doc = Doc(PageInfo(
        title=f"Box {item.number}: {item.title}", source=source_line(report),
        kind="Practice sheet", paper=paper, author=", ".join(report.authors),
        subject=f"{theme.title}; {authority.name}",
        keywords=["safeguarding", "practice", theme.title, authority.name],
    ))  # fmt: skip
    doc.add(
        Kicker(f"Box {item.number} · {theme.number} {theme.title}"),
        Title(item.title),
        Para(f"{authority.name} · {authority.type or 'type not given'}", "meta"),
    )
    if authority.grades:
        doc.add(Grades(tuple(authority.grades.items())))
    doc.add(Heading("The practice"), *stored_text(item.text))
    if theme.findings:
        doc.add(Heading("What the reviews found"), *_findings(theme))
    if study is not None:
        chosen = sorted(study.key_learning, key=lambda k: -word_overlap(item.text, k))[:learning]
        shown = [k for k in study.key_learning if k in chosen]  # in the report's order
        more = len(study.key_learning) - len(shown)
        doc.add(
            Heading(f"Key learning for other councils ({authority.name})"),
            Bullets(tuple(shown)),
        )
        if more:
            doc.add(Para(
                f"The {len(shown)} points most related to this practice; {more} more are in the "
                f"authority profile of {authority.name}.", "small",
            ))  # fmt: skip
        account = lib.full_account(key)
        where = f"Case study {study.number} ({authority.name})"
        if account and account != study.key:
            where += f", section “{_title(lib, account)}”"
        doc.add(Para(f"{where}.", prefix="The fuller account:"))
    doc.add(*_user_note(lib, key))
    if notes:
        doc.add(NotesSpace())
    doc.citations = [report.citation]
    return doc


def _example_sheet(lib: Source, ex: ExampleInfo, paper: str, notes: bool) -> Doc:
    doc = Doc(PageInfo(
        title=ex.title, source="a local example added by a safedesk user", kind="Practice sheet",
        paper=paper, keywords=["safeguarding", "local example"],
    ))  # fmt: skip
    doc.add(
        Kicker("My example · not from a report"),
        Title(ex.title),
        Para(" · ".join(x for x in (ex.team, ex.theme) if x) or "Local example", "meta"),
        *stored_text(ex.text),
    )
    if ex.outcomes:
        doc.add(Heading("Outcomes"), *stored_text(ex.outcomes))
    doc.add(*_user_note(lib, ex.key))
    if notes:
        doc.add(NotesSpace())
    return doc


def _title(lib: Source, key: str) -> str:
    item = lib.get(key)
    return str(getattr(item, "title", "") or key)


def _user_note(lib: Source, key: str) -> list[Heading | Note]:
    mark = lib.bookmarked(key)
    if mark is None or not mark.note.strip():
        return []
    return [Heading("Your note", 3), Note(mark.note)]


# -- theme brief ---------------------------------------------------------------------------------
def theme_brief(lib: Source, theme_key: str, paper: str) -> Doc:
    theme = one_theme(lib, theme_key)
    report = report_of(lib, theme.report)
    practices = lib.practices(theme=theme.key)
    doc = Doc(PageInfo(
        title=f"Theme {theme.number}: {theme.title}", source=source_line(report),
        kind="Theme brief", paper=paper, author=", ".join(report.authors), subject=theme.title,
        keywords=["safeguarding", "theme", theme.title],
    ))  # fmt: skip
    doc.add(
        Kicker(f"Theme {theme.number} · {len(practices)} examples of good practice"),
        Title(theme.title),
        Heading("What the reviews found"),
        *_findings(theme),
        Heading("Examples of good practice"),
    )
    for p in practices:
        doc.add(Heading(f"Box {p.number}: {p.title}", 3), Para(p.authority, "meta"))
        doc.add(*stored_text(p.text))
    context = theme.title + " " + " ".join(p.text for p in practices)
    for kind, heading in (("factor", "Supporting factors"), ("barrier", "Barriers")):
        ranked = related_factors(lib, theme.report, kind, context)
        if ranked:
            doc.add(Heading(f"{heading} most related to this theme"))
            for f in ranked[:2]:
                doc.add(Heading(f.title, 3), *stored_text(f.text))
    doc.citations = [report.citation]
    return doc


def one_theme(lib: Source, theme_key: str) -> ThemeInfo:
    keys = lib.resolve("theme", theme_key)
    if len(keys) != 1:
        raise LibraryError(f"{theme_key!r} matches {len(keys)} themes; give the theme's key")
    theme = lib.get(keys[0])
    assert isinstance(theme, ThemeInfo)
    return theme


def related_factors(lib: Source, report: str, kind: str, context: str) -> list[Item]:
    """The report's supporting factors (or barriers) most like `context`, best first."""
    factors = [f for f in lib.factors(report) if f.kind == kind]
    return sorted(factors, key=lambda f: -word_overlap(context, f.text))


# -- authority profile ---------------------------------------------------------------------------
def authority_profile(lib: Source, authority_key: str, paper: str) -> Doc:
    keys = lib.resolve("authority", authority_key)
    if len(keys) != 1:
        raise LibraryError(f"{authority_key!r} matches {len(keys)} authorities; give its key")
    authority = lib.get(keys[0])
    assert isinstance(authority, AuthorityInfo)
    report = report_of(lib, authority.report)
    doc = Doc(PageInfo(
        title=f"{authority.name}: authority profile", source=source_line(report),
        kind="Authority profile", paper=paper, author=", ".join(report.authors),
        subject=authority.name, keywords=["safeguarding", "case study", authority.name],
    ))  # fmt: skip
    doc.add(
        Kicker(f"Authority profile · {authority.practices} examples of good practice"),
        Title(authority.name),
        Para(authority.type or "Type not given", "meta"),
    )
    if authority.grades:
        doc.add(Table(tuple(authority.grades.items()), (0.58, 0.42), bold_last=True))
    study = lib.get(authority.case_study) if authority.case_study else None
    if isinstance(study, CaseStudyInfo):
        doc.add(Heading(f"Case study {study.number}"), *stored_text(study.introduction))
        doc.add(Heading("Key learning for other councils"), Bullets(tuple(study.key_learning)))
        doc.add(Heading("Background"), *stored_text(study.background))
        for section in study.sections:
            doc.add(Heading(section.title), *stored_text(section.text))
        doc.add(Heading("Enablers"), Bullets(tuple(study.enablers)))
        doc.add(Heading("Barriers"), Bullets(tuple(study.barriers)))
        doc.add(Heading("Evidence of outcomes"), *stored_text(study.outcomes))
        if study.could_do_better:
            doc.add(Heading("What could have been done better?"))
            doc.add(*stored_text(study.could_do_better))
        doc.add(Heading("Next steps"), *stored_text(study.next_steps))
    practices = lib.practices(authority=authority.key)
    if practices:
        doc.add(Heading("Its boxed examples in the report"))
        doc.add(Bullets(tuple(f"Box {p.number}: {p.title} ({p.theme})" for p in practices)))
    doc.citations = [report.citation]
    return doc


# -- facilitator pack and participant handout ----------------------------------------------------
def session_pack(lib: Source, name: str, paper: str, handout: bool = False) -> Doc:
    """The facilitator's pack (a run sheet with clock times on its cover, then each entry with
    its timing, prompts and notes) or the participants' handout (the running order without
    timings, then each item with its prompts and room to write under each; no facilitator
    notes, timings or step instructions; no page left near-empty)."""
    collection = lib.collection(name)
    kind = "Participant handout" if handout else "Session pack"
    reports: dict[str, ReportDetail] = {}
    for item in collection.items:
        if item.report and item.report not in reports:
            detail = lib.report_detail(item.report)
            if detail is not None:
                reports[item.report] = detail
    sources = [source_line(r) for r in reports.values()]
    if any(i.key.startswith("my-examples/") for i in collection.items):
        sources.append("local examples")
    doc = Doc(PageInfo(
        title=f"{collection.name} ({kind.lower()})", source="; ".join(sources) or "safedesk",
        kind=kind, paper=paper, subject=collection.description or collection.name,
        keywords=["safeguarding", "reflective practice", "session"],
    ))  # fmt: skip
    doc.add(
        Kicker(kind if handout else "Session pack · facilitator's copy"), Title(collection.name)
    )
    if collection.description:
        doc.add(Para(collection.description, "meta"))
    if handout:
        _handout(lib, collection, doc)
    else:
        _pack(lib, collection, doc)
    doc.citations = [r.citation for r in reports.values()]
    return doc


def plan_line(c: CollectionInfo) -> str:
    """ "Starts 09:30 · ends 11:05 · 95 minutes planned, 5 over the 90-minute target" """
    parts = []
    if c.start and c.ends_at:
        parts.append(f"Starts {c.start} · ends {c.ends_at}")
    planned = f"{c.total_minutes} minutes planned"
    if c.length:
        over = c.over_by or 0
        state = f"{over} over" if over > 0 else f"{-over} under" if over < 0 else "exactly"
        planned += f" ({state} the {c.length}-minute target)"
    parts.append(planned)
    return " · ".join(parts)


def _when(entry: PlanEntry) -> str:
    if entry.starts_at:
        return entry.starts_at
    return f"{entry.elapsed // 60}:{entry.elapsed % 60:02d}"


def _pack(lib: Source, c: CollectionInfo, doc: Doc) -> None:
    doc.add(Para(plan_line(c), "meta"))
    doc.add(*(Para(w, "small", prefix="Check:") for w in c.warnings))
    if c.steps:
        header = ("Time" if c.start else "From start", "#", "What", "Minutes")
        rows = [header] + [
            (_when(e), str(e.position), e.title, "" if e.minutes is None else str(e.minutes))
            for e in c.steps
        ]
        doc.add(Heading("Running order"), Table(tuple(rows), (0.15, 0.07, 0.63, 0.15), True))
    doc.add(Para(
        "Facilitator's copy: your notes for each item are in the shaded boxes. The participant "
        "handout has the same items and prompts with room to write, and leaves out your notes, "
        "timings and step instructions.", "small",
    ))  # fmt: skip
    doc.add(PageBreak())
    items = {i.key: i for i in c.items}
    for e in c.steps:
        span = f"{e.starts_at}–{e.ends_at} · " if e.starts_at and e.ends_at else ""
        timing = f"{span}{e.minutes} min" if e.minutes is not None else f"{span}no time set"
        if e.kind == "step":
            step: list[Heading | Para] = [Heading(f"{e.position}. {e.title}", 3)]
            step.append(Para(f"Agenda step · {timing}", "meta"))
            step += [Para(t) for t in [e.instructions] if t.strip()]
            doc.add(Keep(tuple(step)))
            continue
        item = items[e.ref]
        doc.add(NeedSpace(), Heading(f"{e.position}. {e.title}"))
        doc.add(Para(f"{_item_source(lib, item.key, item.report_title)} · {timing}", "meta"))
        doc.add(*stored_text(lib.item_snapshot(c.name, item.key).text))
        if item.prompts:
            doc.add(
                Keep((Heading("Discussion prompts", 3), Bullets(tuple(item.prompts), "prompt")))
            )
        if item.note:
            doc.add(Note(item.note, "Facilitator's note:"))


def _handout(lib: Source, c: CollectionInfo, doc: Doc) -> None:
    if c.steps:
        doc.add(Heading("Running order"), Bullets(tuple(e.title for e in c.steps), numbered=True))
    items = {i.key: i for i in c.items}
    for e in c.steps:
        if e.kind == "step":
            continue
        item = items[e.ref]
        doc.add(NeedSpace(), Heading(f"{e.position}. {e.title}"))
        doc.add(Para(_item_source(lib, item.key, item.report_title), "meta"))
        doc.add(*stored_text(lib.item_snapshot(c.name, item.key).text))
        for n, prompt in enumerate(item.prompts):  # each with room to write, kept together
            heading = (Heading("Discussion prompts", 3),) if n == 0 else ()
            doc.add(Keep((*heading, Bullets((prompt,), "prompt"), WriteIn(WRITE_IN_LINES))))


def _item_source(lib: Source, key: str, report_title: str) -> str:
    try:
        item = lib.get(key)
    except LibraryError:
        return f"From {report_title or 'another library'} (saved copy)"
    if isinstance(item, ExampleInfo):
        return f"My example · {item.team or 'own team'} · not from a report"
    if isinstance(item, PracticeInfo):
        return f"Box {item.number} · {item.authority} · {item.theme}"
    if isinstance(item, Item):
        label = "Case study section" if item.kind == "section" else item.title
        return " · ".join(x for x in (label, item.authority, item.theme) if x)
    return report_title
