"""Session planning arithmetic: clock times, the running total against the target, warnings, and
where each collection item comes from. Pure functions over plain values (no store, no Qt)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from safedesk.errors import LibraryError
from safedesk.views import (
    AuthorityInfo,
    CaseStudyInfo,
    CollectionInfo,
    DocumentSectionInfo,
    ExampleInfo,
    Item,
    PassageInfo,
    PracticeInfo,
    ThemeInfo,
    View,
)

MAX_MINUTES = 24 * 60
UNDER_SLACK = 5  # a plan this many minutes (or fewer) short of its target is not worth a warning
_CLOCK = re.compile(r"^\s*(\d{1,2})(?:[:.h]?(\d{2}))?\s*$")


def parse_clock(text: str) -> str:
    """A start time as people type it ("9:30", "09.30", "0930", "14") as "HH:MM"; LibraryError
    with the reason otherwise."""
    match = _CLOCK.match(text)
    if match is not None:
        hours, minutes = int(match.group(1)), int(match.group(2) or 0)
        if hours < 24 and minutes < 60:
            return f"{hours:02d}:{minutes:02d}"
    raise LibraryError(f"{text!r} is not a time of day; write it as 09:30 (24-hour clock)")


def clock(start: str, minutes: int) -> str:
    """The time of day `minutes` after `start` ("HH:MM"), wrapping at midnight."""
    hours, mins = (int(x) for x in start.split(":"))
    total = (hours * 60 + mins + minutes) % MAX_MINUTES
    return f"{total // 60:02d}:{total % 60:02d}"


def check_minutes(minutes: int | None, what: str = "minutes") -> None:
    if minutes is not None and not 0 <= minutes <= MAX_MINUTES:
        raise LibraryError(f"{what} must be between 0 and {MAX_MINUTES}")


@dataclass(frozen=True)
class Timed:
    """One entry of a running order as the arithmetic sees it."""

    minutes: int | None
    kind: str  # "item" or "step"


@dataclass(frozen=True)
class Timing:
    elapsed: int  # minutes from the start of the session to the start of this entry
    starts_at: str | None
    ends_at: str | None


def timings(entries: list[Timed], start: str | None) -> tuple[list[Timing], int]:
    """Each entry's start (minutes in, and clock time if there is a start time) and the total."""
    out, elapsed = [], 0
    for entry in entries:
        took = entry.minutes or 0
        out.append(Timing(
            elapsed, clock(start, elapsed) if start else None,
            clock(start, elapsed + took) if start else None,
        ))  # fmt: skip
        elapsed += took
    return out, elapsed


def total_line(c: CollectionInfo, unit: str, without_target: str = "") -> str:
    """ "Total 95 of 90 <unit> (5 over) · 09:30–11:05" and the like: the plan's total against
    its target length (`without_target` follows the total when there is none), and its times."""
    if c.length:
        over = c.over_by or 0
        state = f" ({over} over)" if over > 0 else f" ({-over} to spare)" if over < 0 else ""
        total = f"Total {c.total_minutes} of {c.length} {unit}{state}"
    else:
        total = f"Total {c.total_minutes} {unit}{without_target}"
    return total + (f" · {c.start}–{c.ends_at}" if c.start and c.ends_at else "")


def over_by(total: int, length: int | None) -> int | None:
    """Minutes over the target (negative: under it); None without a target."""
    return None if length is None else total - length


def warnings(entries: list[Timed], total: int, length: int | None) -> list[str]:
    """What a facilitator should hear about the plan, in plain words."""
    found = []
    over = over_by(total, length)
    if over is not None and over > 0:
        found.append(f"The plan runs {_min(over)} over the {length}-minute target.")
    elif over is not None and over < -UNDER_SLACK:
        found.append(f"The plan is {_min(-over)} short of the {length}-minute target.")
    untimed = sum(1 for e in entries if e.kind == "item" and e.minutes is None)
    if untimed:
        found.append(
            f"{untimed} item{'s have' if untimed > 1 else ' has'} no time set "
            "(counted as 0 minutes)."
        )
    return found


def _min(n: int) -> str:
    return f"{n} minute{'' if n == 1 else 's'}"


# -- where an item comes from --------------------------------------------------------------------
def where_from(item: View, get: Callable[[str], View | None]) -> str:
    """Where a library item comes from, in words: "3.1 Leadership and management" for a review
    finding, "Case study 1, Authority A" for a case-study section, "Authority D · 3.2 …" for a
    practice. `get(key)` looks up a parent (None if it is not there)."""
    if isinstance(item, PracticeInfo):
        theme = f"{item.theme_number} {item.theme}".strip()
        return " · ".join(x for x in (item.authority, theme) if x)
    if isinstance(item, ExampleInfo):
        return " · ".join(x for x in ("My example", item.team, item.theme) if x)
    if isinstance(item, ThemeInfo):
        return f"Theme {item.number}"
    if isinstance(item, AuthorityInfo):
        return item.type or "Authority"
    if isinstance(item, CaseStudyInfo):
        return item.authority
    if isinstance(item, PassageInfo):
        page = f"p. {item.page}" if item.page else ""
        return " · ".join(x for x in (item.section or "", page) if x)
    if isinstance(item, DocumentSectionInfo):
        return f"p. {item.page}" if item.page else ""
    if isinstance(item, Item):
        parent = get(item.parent) if item.parent else None
        if isinstance(parent, ThemeInfo):
            return f"{parent.number} {parent.title}"
        if isinstance(parent, CaseStudyInfo):
            return f"Case study {parent.number}, {parent.authority}"
        if item.kind in ("factor", "barrier"):
            return "Supporting factor" if item.kind == "factor" else "Barrier"
        return " · ".join(x for x in (item.authority, item.theme) if x)
    return ""


def label_of(item: View, title: str, where: str) -> str:
    """How an item is named in a running order: practice by box number, others with where they
    come from ("Laming review · 3.1 Leadership and management")."""
    if isinstance(item, PracticeInfo):
        return f"Box {item.number}: {title}"
    if isinstance(item, ExampleInfo) or not where:
        return title
    return f"{title} · {where}"
