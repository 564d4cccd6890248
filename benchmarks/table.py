"""Shared by the benchmark scripts: percentiles and the printed table."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def pct(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(line.format(*header))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    python = sys.version.split()[0]
    print(f"\n{os.cpu_count()} cores; Python {python}; times swing about ±35% run to run here")
