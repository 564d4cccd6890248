"""Places in a shared collection: fractional positions that let one moved item be one change.

Locally a collection's items are numbered 0, 1, 2...; the team's copy orders them by a float
`position` each. Moving an item gives it a position half-way between its new neighbours', so a
move sends one change and two members moving different items while apart both keep their moves.
Only when two neighbours come closer than `MIN_GAP` is the whole collection renumbered.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence

MIN_GAP = 1e-9


def kept_in_place(positions: Sequence[float | None]) -> set[int]:
    """Indexes of a longest run of positions that already increase along the order (those items
    need not move); items without a position are never in it."""
    tails: list[float] = []  # the smallest tail of an increasing run of each length
    tail_index: list[int] = []
    previous: list[int] = [-1] * len(positions)
    for i, value in enumerate(positions):
        if value is None:
            continue
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[at] = value
            tail_index[at] = i
        previous[i] = tail_index[at - 1] if at else -1
    kept: set[int] = set()
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        kept.add(i)
        i = previous[i]
    return kept


def placed(order: Sequence[tuple[Hashable, float | None]]) -> dict[Hashable, float]:
    """New positions for the fewest items of `order` (ids with their current positions, in the
    order wanted) so that positions increase along it; every item if a gap runs out."""
    values = [p for _, p in order]
    kept = kept_in_place(values)
    moved: dict[Hashable, float] = {}
    i = 0
    while i < len(order):
        if i in kept:
            i += 1
            continue
        run_end = i
        while run_end < len(order) and run_end not in kept:
            run_end += 1
        before = values[i - 1] if i else None  # a run is maximal: its neighbours are kept
        after = values[run_end] if run_end < len(order) else None
        count = run_end - i
        if before is None and after is None:
            new = [float(n) for n in range(count)]
        elif before is None:
            assert after is not None
            new = [after - (count - n) for n in range(count)]
        elif after is None:
            new = [before + 1 + n for n in range(count)]
        else:
            step = (after - before) / (count + 1)
            if step < MIN_GAP:
                return {ident: float(n) for n, (ident, _) in enumerate(order)}
            new = [before + step * (n + 1) for n in range(count)]
        for offset, value in enumerate(new):
            moved[order[i + offset][0]] = value
        i = run_end
    return moved
