"""The conflict rule, as a pure function: the same rule the server's `safedesk.push` applies.

For the client's other road in: a collection file sent by email that updates the copy it came
from (docs/team-sync-design.md, "Collection files"). Two versions of one thing, `current` (what
is here) and `incoming` (the changed fields that arrive), both started from `base`:

- a field clashes when `current` holds neither the starting value (someone changed it here)
  nor the incoming value (they did not make the same change);
- no clash: every incoming field is taken ("merged", or "applied" when the base was current);
- a clash: the later change wins (ties go to the larger author name, so both sides agree); the
  other version is returned as `loser`, a full version of the thing to keep as a conflict copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

_MISSING = object()


@dataclass(frozen=True)
class Merge:
    outcome: Literal["applied", "merged", "won", "lost"]
    fields: dict[str, Any]  # the values to keep, for every field of current and incoming
    clashed: tuple[str, ...]
    loser: dict[str, Any] | None  # the version that lost, whole; None without a clash
    loser_by: str | None
    loser_at: datetime | None


def merge_change(
    current: Mapping[str, Any],
    incoming: Mapping[str, Any],
    base: Mapping[str, Any],
    *,
    stale: bool,
    current_at: datetime,
    current_by: str,
    incoming_at: datetime,
    incoming_by: str,
) -> Merge:
    """Apply `incoming` to `current` by the rule; `stale`: `current` moved on since `base`."""
    whole = {**current, **incoming}
    if not stale:
        return Merge("applied", whole, (), None, None, None)
    clashed = tuple(
        sorted(
            name
            for name, value in incoming.items()
            if current.get(name, _MISSING) != value
            and current.get(name, _MISSING) != base.get(name, _MISSING)
        )
    )
    if not clashed:
        return Merge("merged", whole, (), None, None, None)
    if (incoming_at, incoming_by) > (current_at, current_by):
        return Merge("won", whole, clashed, dict(current), current_by, current_at)
    kept = {**current, **{k: v for k, v in incoming.items() if k not in clashed}}
    return Merge("lost", kept, clashed, whole, incoming_by, incoming_at)
