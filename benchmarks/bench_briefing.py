"""Briefing PDF speed, in process and warm: practice sheets and a 20-item session pack.

.venv/bin/python -m benchmarks.bench_briefing
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.table import pct, print_table
from safedesk.library import Library


def main() -> None:
    os.environ.pop("SAFEDESK_DATA_DIR", None)
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-brief-"))
    try:
        with Library.open(work / "lib") as lib:
            practices = lib.practices()
            lib.export_brief(work / "warm.pdf", key=practices[0].key)  # imports, fonts
            sheets = []
            for _ in range(3):
                for p in practices:
                    started = time.perf_counter()
                    lib.export_brief(work / "sheet.pdf", key=p.key)
                    sheets.append((time.perf_counter() - started) * 1000)
            lib.create_collection("Pack")
            keys = [p.key for p in practices[:14]]
            keys += [s.key for c in lib.case_studies() for s in c.sections][:6]
            for key in keys:
                lib.add_to_collection("Pack", key, note="Facilitator note " * 8,
                                      prompts=["What would this look like here?", "Who leads?"],
                                      minutes=10)  # fmt: skip
            packs = []
            for handout in (False, True, False, True):
                started = time.perf_counter()
                result = lib.export_brief(work / "pack.pdf", collection="Pack", handout=handout)
                packs.append((time.perf_counter() - started) * 1000)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(
        ("measurement (ms)", "p50", "p95", "max", "target"),
        [
            (f"practice sheet ({len(sheets)} builds, all 24 boxes)", f"{pct(sheets, 50):.0f}",
             f"{pct(sheets, 95):.0f}", f"{max(sheets):.0f}", "< 150 ms"),
            (f"20-item session pack ({result.pages} pages)", f"{pct(packs, 50):.0f}",
             f"{pct(packs, 95):.0f}", f"{max(packs):.0f}", "< 2000 ms"),
        ],
    )  # fmt: skip


if __name__ == "__main__":
    main()
