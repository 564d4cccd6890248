"""Briefing speed, in process and warm: practice sheets, 7-minute briefings, and a 20-item
facilitator pack and participant handout (with agenda steps) as PDF and as Word.

.venv/bin/python -m benchmarks.bench_briefing
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.table import pct, print_table
from safedesk.library import Library


def _times(run: Callable[[], object], repeat: int) -> list[float]:
    found = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _row(label: str, times: list[float], target: str) -> tuple[str, ...]:
    return (label, f"{pct(times, 50):.0f}", f"{pct(times, 95):.0f}", f"{max(times):.0f}", target)


def main() -> None:
    os.environ.pop("SAFEDESK_DATA_DIR", None)
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-brief-"))
    rows = []
    try:
        with Library.open(work / "lib") as lib:
            practices = lib.practices()
            lib.export_brief(work / "warm.pdf", key=practices[0].key)  # imports, fonts
            lib.export_brief(work / "warm.docx", key=practices[0].key, format="docx")
            sheets: list[float] = []
            for p in practices * 2:
                sheets += _times(lambda p=p: lib.export_brief(work / "s.pdf", key=p.key), 1)
            rows.append(_row(f"practice sheet ({len(sheets)} builds, all 24 boxes)", sheets,
                             "< 150 ms"))  # fmt: skip
            subjects = [p.key for p in practices] + [t.key for t in lib.themes()]
            seven: list[float] = []
            for key in subjects * 2:
                seven += _times(
                    lambda key=key: lib.export_brief(work / "7.pdf", key=key, seven_minute=True), 1
                )
            rows.append(_row(f"7-minute briefing PDF ({len(seven)}: boxes and themes)", seven,
                             "< 150 ms"))  # fmt: skip
            seven_docx: list[float] = []
            for key in subjects:
                seven_docx += _times(lambda key=key: lib.export_brief(
                    work / "7.docx", key=key, seven_minute=True, format="docx"), 1)  # fmt: skip
            rows.append(_row(f"7-minute briefing Word ({len(seven_docx)})", seven_docx, "-"))
            lib.create_collection("Pack")
            keys = [p.key for p in practices[:14]]
            keys += [s.key for c in lib.case_studies() for s in c.sections][:6]
            for key in keys:
                lib.add_to_collection("Pack", key, note="Facilitator note " * 8,
                                      prompts=["What would this look like here?", "Who leads?"],
                                      minutes=10)  # fmt: skip
            lib.plan_collection("Pack", length=240, start="09:30")
            for title, at in (("Welcome", 1), ("Break", 8), ("Lunch", 15), ("Close", 30)):
                lib.add_step("Pack", title, 10, position=at, instructions="Set the room " * 4)
            for handout in (False, True):
                kind = "handout" if handout else "pack"
                for fmt in ("pdf", "docx"):
                    result = lib.export_brief(
                        work / f"p.{fmt}", collection="Pack", handout=handout, format=fmt
                    )
                    times = _times(lambda h=handout, f=fmt: lib.export_brief(
                        work / f"p.{f}", collection="Pack", handout=h, format=f), 4)  # fmt: skip
                    pages = f", {result.pages} pages" if result.pages else ""
                    rows.append(_row(f"20-item {kind}, 4 steps ({fmt}{pages})", times,
                                     "< 2000 ms"))  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(("measurement (ms)", "p50", "p95", "max", "target"), rows)


if __name__ == "__main__":
    main()
