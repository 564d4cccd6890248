"""The rows the list pane shows, built from library views: Qt-free, so they are tested alone.

A `Row` carries what is drawn (title, meta line, snippet with [marks]) and the facet values the
filters and sorts use (keys, with `*_label`s that say them to people).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from safedesk import planning
from safedesk.views import (
    BookmarkInfo,
    CollectionInfo,
    ExampleInfo,
    PassageInfo,
    PracticeInfo,
    SearchHit,
    TrashEntry,
)


@dataclass(frozen=True)
class Row:
    """One line of the list. Facet values are keys; `*_label` say them to people."""

    key: str
    title: str
    meta: str = ""  # authority · theme, or a note
    snippet: str = ""  # with [marks] around matched words
    kind: str = "practice"
    theme: str = ""
    theme_label: str = ""
    authority: str = ""
    authority_label: str = ""
    number: int | None = None
    row_kind: str = "item"  # item; step (an agenda step); trash; session; action
    order: int = 0  # the order the rows came in (relevance, or the collection's order)
    button: str = ""  # a control drawn on the row ("Edit…"): what clicking it does

    @property
    def text(self) -> str:
        """Everything the row says, as plain text (for tooltips, screen readers and tests)."""
        return "\n".join(x for x in (self.title, self.meta, self.snippet) if x)


def hit_title(kind: str, number: object, title: str) -> str:
    """How a search hit or related item is named: practice boxes by their number."""
    return f"Box {number}: {title}" if kind == "practice" and number is not None else title


def practice_row(p: PracticeInfo) -> Row:
    theme = f"{p.theme_number} {p.theme}".strip()
    return Row(
        p.key, f"Box {p.number}: {p.title}", f"{p.authority} · {theme}", kind="practice",
        theme=p.theme_key, theme_label=theme, authority=p.authority_key,
        authority_label=p.authority, number=p.number,
    )  # fmt: skip


def hit_row(hit: SearchHit, theme_labels: dict[tuple[str, str], str]) -> Row:
    """A search hit; `theme_labels` maps (report, theme title) to "3.2 Theme title"."""
    theme = theme_labels.get((hit.report, hit.theme or ""), hit.theme or "")
    authority = hit.authority or ""
    where = " · ".join(x for x in (authority, theme, f"p. {hit.page}" if hit.page else "") if x)
    return Row(
        hit.key, hit_title(hit.kind, hit.number, hit.title), where, hit.snippet, kind=hit.kind,
        theme=f"{hit.report}|{hit.theme}" if hit.theme else "", theme_label=theme,
        authority=f"{hit.report}|{authority}" if authority else "", authority_label=authority,
        number=hit.number if isinstance(hit.number, int) else None,
    )  # fmt: skip


def passage_row(p: PassageInfo) -> Row:
    """A passage of a document: its printed number and first words, its section and page."""
    title = f"{p.number}. {p.title}" if p.number else p.title
    meta = " · ".join(x for x in (p.section or "", f"p. {p.page}" if p.page else "") if x)
    return Row(p.key, title, meta, kind="passage")


def bookmark_row(b: BookmarkInfo) -> Row:
    return Row(b.key, b.title, ", ".join(b.tags), b.note[:160])


EDIT_ITEM = "Notes, prompts, time…"
EDIT_STEP = "Edit step…"


def collection_rows(c: CollectionInfo) -> list[Row]:
    """A collection's running order: items (with where they come from) and agenda steps,
    numbered, with their clock time, minutes, note or instructions, and prompts. Each row has a
    button for its form."""
    items = {i.key: i for i in c.items}
    rows = []
    for e in c.steps:
        at = f"{e.starts_at}  " if e.starts_at else ""
        minutes = f"{e.minutes} min" if e.minutes is not None else "no time set"
        if e.kind == "step":
            meta = " · ".join(x for x in ("Agenda step", minutes, e.instructions[:120]) if x)
            rows.append(Row(
                e.ref, f"{at}{e.position}. {e.title}", meta, kind="step", row_kind="step",
                button=EDIT_STEP,
            ))  # fmt: skip
            continue
        item = items[e.ref]
        where = item.context if item.kind == "practice" or not item.linked else ""
        conflict = (
            "⚠ another version was kept (right-click: Compare versions)" if item.conflicts else ""
        )
        meta = " · ".join(x for x in (where, minutes, item.note[:120], conflict) if x)
        prompts = "\n".join(f"? {p}" for p in item.prompts)
        rows.append(Row(
            e.ref, f"{at}{e.position}. {e.title}", meta, prompts, kind=item.kind or "practice",
            button=EDIT_ITEM,
        ))  # fmt: skip
    return rows


def plan_status(c: CollectionInfo) -> str:
    """ "Total 95 of 90 min (5 over) · 09:30–11:05" for the planner's bar."""
    return planning.total_line(c, "min")


def example_row(e: ExampleInfo) -> Row:
    shared = f" · Shared by {e.shared_by}" if e.shared else ""
    return Row(
        e.key, e.title, f"{e.team or 'own team'} · {e.theme or 'no theme'}{shared}",
        kind="example", theme=e.theme_key, theme_label=e.theme,
    )  # fmt: skip


def trash_row(t: TrashEntry) -> Row:
    return Row(t.id, t.label, t.deleted_at[:16].replace("T", " "), row_kind="trash")


def marked(snippet: str) -> str:
    """A snippet's [matched words] in bold; everything else escaped."""
    out, pos = [], 0
    for match in re.finditer(r"\[([^\[\]]+)\]", snippet):
        out.append(escape(snippet[pos : match.start()]))
        out.append(f"<b>{escape(match.group(1))}</b>")
        pos = match.end()
    out.append(escape(snippet[pos:]))
    return "".join(out)


SORTS: dict[str, Callable[[Row], Any]] = {
    "Relevance": lambda r: r.order,
    "Box number": lambda r: (r.number is None, r.number or 0, r.order),
    "Title": lambda r: re.sub(r"^Box \d+: ", "", r.title).casefold(),
    "Authority": lambda r: (r.authority_label.casefold() or "~", r.number or 0, r.order),
    "Theme": lambda r: (r.theme_label.casefold() or "~", r.number or 0, r.order),
}


def passes(row: Row, chosen: dict[str, str]) -> bool:
    return all(not value or getattr(row, name) == value for name, value in chosen.items())


KIND_LABELS = {
    "practice": "Practice (boxes)", "finding": "Review findings", "section": "Case-study sections",
    "key-learning": "Key learning", "enabler": "Enablers", "barrier": "Barriers",
    "outcome": "Outcomes", "next-steps": "Next steps", "factor": "Supporting factors",
    "example": "My examples", "passage": "Passages (documents)",
    "document-section": "Document sections",
}  # fmt: skip


def label_of(row: Row, name: str) -> str:
    if name == "theme":
        return row.theme_label or row.theme
    if name == "authority":
        return row.authority_label or row.authority
    return KIND_LABELS.get(row.kind, row.kind.replace("-", " ").capitalize())
