"""Search quality figures for the regression sets in tests/search/test_quality.py, with practice
concepts on and off (`exact`).

    .venv/bin/python -m benchmarks.bench_quality

"pass" counts the queries that meet the test's criterion (existing set: one of the named boxes
among the first `top` practice hits; concept set: all of them). "MRR" is the mean reciprocal rank
of the first named box among practice hits (0 when none is in the first 50 hits). "found" counts
the queries for which any named box is in the first 50 hits.
"""

from __future__ import annotations

import inspect
import os
import shutil
import tempfile
from pathlib import Path

from benchmarks.table import print_table
from safedesk.library import Library
from tests.search.test_quality import CASES, CONCEPT_CASES

Case = tuple[str, set[int], int]


def measure(lib: Library, cases: list[Case], every: bool, exact: bool) -> tuple[str, ...]:
    accepts_exact = "exact" in inspect.signature(lib.search).parameters
    passed = found = 0
    reciprocal = 0.0
    for query, boxes, top in cases:
        kwargs = {"exact": exact} if accepts_exact else {}
        hits = lib.search(query, limit=50, **kwargs).hits
        numbers = [h.number for h in hits if h.kind == "practice"]
        first = set(numbers[:top])
        passed += (boxes <= first) if every else bool(boxes & first)
        ranks = [numbers.index(b) + 1 for b in boxes if b in numbers]
        found += bool(ranks)
        reciprocal += 1 / min(ranks) if ranks else 0.0
    n = len(cases)
    return f"{passed}/{n}", f"{reciprocal / n:.3f}", f"{found}/{n}"


def main() -> None:
    os.environ.pop("SAFEDESK_DATA_DIR", None)
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-quality-"))
    rows: list[tuple[str, ...]] = []
    try:
        with Library.open(work / "lib") as lib:
            for name, cases, every in (
                (f"existing set ({len(CASES)})", CASES, False),
                (f"concept set ({len(CONCEPT_CASES)})", CONCEPT_CASES, True),
            ):
                for exact in (False, True):
                    mode = "words only (exact)" if exact else "with concepts"
                    rows.append((name, mode, *measure(lib, cases, every, exact)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(("set", "search", "pass", "MRR", "found"), rows)


if __name__ == "__main__":
    main()
