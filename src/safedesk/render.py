"""Plain-text rendering of library items (for `safedesk show` and anywhere text is wanted)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    ExampleInfo,
    Item,
    PracticeInfo,
    ReportDetail,
    ThemeInfo,
    View,
)

WIDTH = 88


def _para(text: str) -> str:
    out = []
    for block in text.split("\n"):
        if block.startswith("- "):
            out.append(textwrap.fill(block, WIDTH, subsequent_indent="  "))
        elif block:
            out.append(textwrap.fill(block, WIDTH))
        else:
            out.append("")
    return "\n".join(out)


def _list(items: list[str]) -> str:
    return _para("\n".join(f"- {i}" for i in items))


def render_text(item: View) -> str:
    if isinstance(item, PracticeInfo):
        head = f"Box {item.number}: {item.title}\n{item.authority} | {item.theme}"
        return f"{head}\n\n{_para(item.text)}\n\n[{item.key}]"
    if isinstance(item, ThemeInfo):
        parts = [f"{item.number} {item.title} ({item.practices} practices)"]
        for f in item.findings:
            parts.append(f"{f.review} review\n{_para(f.text)}")
        if item.evidence:
            parts.append(
                f"{item.evidence_title}\n{_para(item.evidence_intro)}\n{_list(item.evidence)}"
            )
        return "\n\n".join(parts)
    if isinstance(item, AuthorityInfo):
        grades = "\n".join(f"  {k}: {v}" for k, v in item.grades.items())
        return (
            f"{item.name} ({item.type or 'type not given'})\n{grades}\n{item.practices} practices"
        )
    if isinstance(item, CaseStudyInfo):
        parts = [f"Case study {item.number}: {item.authority}", _para(item.introduction)]
        parts.append("Key learning for other councils\n" + _list(item.key_learning))
        parts.append("Background\n" + _para(item.background))
        parts += [f"{s.title}\n{_para(s.text)}" for s in item.sections]
        parts.append("Enablers\n" + _list(item.enablers))
        parts.append("Barriers\n" + _list(item.barriers))
        parts.append("Evidence of outcomes\n" + _para(item.outcomes))
        if item.could_do_better:
            parts.append("What could have been done better?\n" + _para(item.could_do_better))
        parts.append("Next steps\n" + _para(item.next_steps))
        return "\n\n".join(parts)
    if isinstance(item, ReportDetail):
        authors = ", ".join(item.authors)
        return (
            f"{item.title} ({item.year})\n{authors}\n{item.publisher}; ISBN {item.isbn}\n\n"
            f"Executive summary\n{_para(item.executive_summary)}\n\nHow to cite\n{item.citation}"
        )
    if isinstance(item, ExampleInfo):
        where = " | ".join(x for x in (item.team, item.theme) if x)
        parts = [f"My example: not from a report\n{item.title}" + (f"\n{where}" if where else "")]
        parts.append(_para(item.text))
        if item.outcomes:
            parts.append("Outcomes\n" + _para(item.outcomes))
        parts.append(f"[{item.key}]")
        return "\n\n".join(p for p in parts if p)
    if isinstance(item, Item):
        where = " | ".join(x for x in (item.authority, item.theme) if x)
        text = f"{item.title}\n{where}\n\n{_para(item.text)}\n\n[{item.key}]"
        return text.replace("\n\n\n", "\n\n")
    # anything else (document passages and sections...): its title and text, whatever it has
    title = str(getattr(item, "title", "") or "")
    text = str(getattr(item, "text", "") or "")
    return "\n\n".join(x for x in (title, _para(text), f"[{item.key}]") if x)


def _html_blocks(text: str, esc: Callable[[str], str] = escape) -> str:
    """Paragraphs and '- ' bullets as HTML; every character of the text goes through `esc`."""
    out: list[str] = []
    items: list[str] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            items.append(f"<li>{esc(line[2:])}</li>")
            continue
        if items:
            out.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line.strip():
            out.append(f"<p>{esc(line)}</p>")
    if items:
        out.append("<ul>" + "".join(items) + "</ul>")
    return "".join(out)


def _html_list(items: list[str], esc: Callable[[str], str] = escape) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def render_html(item: View, text_html: Callable[[str], str] = escape) -> str:
    """Rich text for the reading pane. Text from reports or users is always escaped; `text_html`
    (which must escape too) may also mark search words or explain acronyms in running text."""
    esc = text_html
    if isinstance(item, PracticeInfo):
        return (
            f"<h2>Box {item.number}: {escape(item.title)}</h2>"
            f"<p class='meta'><b>{escape(item.authority)}</b> · {escape(item.theme)}</p>"
            + _html_blocks(item.text, esc)
        )
    if isinstance(item, ThemeInfo):
        parts = [f"<h2>{escape(item.number)} {escape(item.title)}</h2>"]
        for f in item.findings:
            parts.append(f"<h3>{escape(f.review)} review</h3>" + _html_blocks(f.text, esc))
        if item.evidence:
            parts.append(
                f"<h3>{escape(item.evidence_title)}</h3>"
                + _html_blocks(item.evidence_intro, esc)
                + _html_list(item.evidence, esc)
            )
        return "".join(parts)
    if isinstance(item, AuthorityInfo):
        # a list, not a table: Qt's accessibility bridge cannot expose a table's structure, and a
        # table's text reaches screen readers with frame separators; a list reads as it looks.
        # The grades go through `esc` like running text: tooltips on "LAC", "APA"
        grades = "".join(f"<li>{esc(k)}: <b>{esc(v)}</b></li>" for k, v in item.grades.items())
        return (
            f"<h2>{escape(item.name)}</h2><p>{escape(item.type or 'Type not given')} · "
            f"{item.practices} practices</p>" + (f"<ul>{grades}</ul>" if grades else "")
        )
    if isinstance(item, CaseStudyInfo):
        parts = [
            f"<h2>Case study {item.number}: {escape(item.authority)}</h2>",
            _html_blocks(item.introduction, esc),
        ]
        parts.append(
            "<h3>Key learning for other councils</h3>" + _html_list(item.key_learning, esc)
        )
        parts.append("<h3>Background</h3>" + _html_blocks(item.background, esc))
        parts += [f"<h3>{escape(s.title)}</h3>" + _html_blocks(s.text, esc) for s in item.sections]
        parts.append("<h3>Enablers</h3>" + _html_list(item.enablers, esc))
        parts.append("<h3>Barriers</h3>" + _html_list(item.barriers, esc))
        parts.append("<h3>Evidence of outcomes</h3>" + _html_blocks(item.outcomes, esc))
        if item.could_do_better:
            parts.append(
                "<h3>What could have been done better?</h3>"
                + _html_blocks(item.could_do_better, esc)
            )
        parts.append("<h3>Next steps</h3>" + _html_blocks(item.next_steps, esc))
        return "".join(parts)
    if isinstance(item, ReportDetail):
        return (
            f"<h2>{escape(item.title)} ({item.year})</h2><p>{escape(', '.join(item.authors))}<br>"
            f"{escape(item.publisher or '')} · ISBN {escape(item.isbn or '')}</p>"
            f"<h3>Executive summary</h3>{_html_blocks(item.executive_summary, esc)}"
            f"<h3>How to cite</h3><p>{escape(item.citation)}</p>"
        )
    if isinstance(item, ExampleInfo):
        where = " · ".join(escape(x) for x in (item.team, item.theme) if x)
        outcomes = f"<h3>Outcomes</h3>{_html_blocks(item.outcomes, esc)}" if item.outcomes else ""
        return (
            f"<p class='meta'><b>My example</b>: not from a report</p><h2>{escape(item.title)}</h2>"
            f"<p class='meta'>{where}</p>{_html_blocks(item.text, esc)}{outcomes}"
        )
    assert isinstance(item, Item)
    where = " · ".join(escape(x) for x in (item.authority, item.theme) if x)
    return f"<h2>{escape(item.title)}</h2><p class='meta'>{where}</p>" + _html_blocks(
        item.text, esc
    )
