"""Plain-text rendering of library items (for `safedesk show` and anywhere text is wanted)."""

from __future__ import annotations

import textwrap

from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
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
            parts.append(f"{item.evidence_title}\n{_para(item.evidence_intro)}\n{_list(item.evidence)}")
        return "\n\n".join(parts)
    if isinstance(item, AuthorityInfo):
        grades = "\n".join(f"  {k}: {v}" for k, v in item.grades.items())
        return f"{item.name} ({item.type or 'type not given'})\n{grades}\n{item.practices} practices"
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
    assert isinstance(item, Item)
    where = " | ".join(x for x in (item.authority, item.theme) if x)
    return f"{item.title}\n{where}\n\n{_para(item.text)}\n\n[{item.key}]".replace("\n\n\n", "\n\n")
