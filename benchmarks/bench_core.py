"""Library-core speed: first run, a listing command, and warm in-process search.

    .venv/bin/python -m benchmarks.bench_core [--runs N]

Whole-process timings run the installed `safedesk` command in fresh processes; search timings run
`Library.search` in this process after one warm-up pass. Prints a table; targets from issue 2.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.table import pct, print_table

QUERIES = [
    "reflective practice",
    "NQSW support",
    "supervision",
    "co-location with police",
    "LAC",
    "performance management data",
    "child trafficking airport",
    "no-blame culture",
    "referral thresholds",
    "quality assurance audits",
    "leadership",
    "domestic abuse",
    "social work forum",
    "recruitment and retention",
    "schools safeguarding",
]


def _cli(*args: str, data_dir: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "safedesk", "--data-dir", str(data_dir), *args],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-"))
    rows: list[tuple[str, str, str, str, str]] = []
    try:
        first = []
        for i in range(args.runs):
            first.append(_cli("reports", "--json", data_dir=work / f"fresh-{i}"))
        rows.append(
            (
                "first run: empty dir -> imported + indexed (process)",
                f"{statistics.median(first):.3f} s",
                f"{min(first):.3f}",
                f"{max(first):.3f}",
                "< 3 s",
            )
        )
        listing = [
            _cli("reports", "--json", data_dir=work / "fresh-0") for _ in range(args.runs * 2)
        ]
        rows.append(
            (
                "safedesk reports --json, existing library (process)",
                f"{statistics.median(listing):.3f} s",
                f"{min(listing):.3f}",
                f"{max(listing):.3f}",
                "< 0.6 s",
            )
        )

        os.environ.pop("SAFEDESK_DATA_DIR", None)
        from safedesk.library import Library

        with Library.open(work / "fresh-0") as lib:
            for q in QUERIES:
                lib.search(q)
            times = []
            for _ in range(20):
                for q in QUERIES:
                    started = time.perf_counter()
                    lib.search(q)
                    times.append((time.perf_counter() - started) * 1000)
        rows.append(
            (
                f"Library.search warm, {len(times)} queries (p50 / p95)",
                f"{pct(times, 50):.2f} ms",
                f"p95 {pct(times, 95):.2f}",
                f"max {max(times):.2f}",
                "p95 < 16 ms",
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print_table(("measurement", "median", "min/p95", "max", "target"), rows)


if __name__ == "__main__":
    main()
