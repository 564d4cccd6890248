"""Worst-case inputs under the caps: how long a hostile report import or session pack takes.

.venv/bin/python -m benchmarks.bench_worst_case [--timeout SECONDS] [CASE...]

Each case runs in its own process, stopped after --timeout seconds (default 300), so a case that
is still quadratic shows as "> 300 s" instead of hanging the run. The inputs are those of
tests/reliability/worst_case.py. To time another checkout (say, the code before a fix), put its
src/ first: `PYTHONPATH=/path/to/old/src:. .venv/bin/python -m benchmarks.bench_worst_case`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.table import print_table
from tests.reliability.worst_case import REPORTS, big_collection, collection_file

MiB = 1024 * 1024


def _report(case: str, size: int) -> Callable[[Path], str]:
    def run(library: Path) -> str:
        from safedesk.library import Library

        source = library.parent / "report.txt"
        source.write_text(REPORTS[case][1](size), "utf-8")
        with Library.open(library) as lib:
            started = time.perf_counter()
            summary = lib.import_report(source)
            took = time.perf_counter() - started
        return f"{took:.2f}\t{summary.practices} practices"

    return run


def _pack(make: Callable[[Path], Path]) -> Callable[[Path], str]:
    def run(library: Path) -> str:
        from safedesk.library import Library

        file = make(library.parent / "collection.json")
        with Library.open(library) as lib:
            started = time.perf_counter()
            lib.import_collection(file)
            result = lib.export_brief(library.parent / "pack.pdf", collection="Worst case")
            took = time.perf_counter() - started
        return f"{took:.2f}\t{result.pages} pages"

    return run


# name -> (what, how to run it against a library folder)
CASES: dict[str, tuple[str, Callable[[Path], str]]] = {
    "stars 148 KB": ("import: " + REPORTS["stars"][0], _report("stars", 148_000)),
    "stars 5 MiB": ("import: " + REPORTS["stars"][0], _report("stars", 5 * MiB - 70_000)),
    "tables 5 MiB": ("import: " + REPORTS["tables"][0], _report("tables", 5 * MiB - 70_000)),
    **{
        f"{name} 1 MB": (f"import: {what}", _report(name, 1_000_000))
        for name, (what, _make) in REPORTS.items()
        if name not in ("stars", "tables")
    },
    "note 200,000 lines": ("pack: a 400 KB file, one note of 200,000 lines", _pack(
        lambda p: collection_file(p, note="\n" * 199_980 + "the last line"))),
    "500 items 19.5 MB": ("pack: 500 items of 39,000 characters", _pack(big_collection)),
}  # fmt: skip


def _child(case: str, folder: Path) -> None:
    print(CASES[case][1](folder / "library"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--child", nargs=2, metavar=("CASE", "FOLDER"), help=argparse.SUPPRESS)
    parser.add_argument("cases", nargs="*", default=list(CASES))
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
    from safedesk.library import Library

    os.environ.pop("SAFEDESK_DATA_DIR", None)
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-worst-"))
    rows = []
    try:
        Library.open(work / "template").close()
        for case in args.cases:
            folder = work / f"case-{len(rows)}"
            shutil.copytree(work / "template", folder / "library")
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
            try:
                done = subprocess.run(
                    [sys.executable, "-m", "benchmarks.bench_worst_case", "--child", case,
                     str(folder)],
                    capture_output=True, text=True, timeout=args.timeout, env=env,
                )  # fmt: skip
                out = done.stdout.strip().splitlines()
                if done.returncode == 0 and out:
                    seconds, detail = out[-1].split("\t")
                else:
                    last = (done.stderr.strip().splitlines() or ["?"])[-1]
                    seconds, detail = "failed", last[:60]
            except subprocess.TimeoutExpired:
                seconds, detail = f"> {args.timeout:.0f}", "stopped"
            rows.append((case, CASES[case][0], seconds, detail))
            print("\t".join(rows[-1]), file=sys.stderr, flush=True)
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(("case", "what", "seconds", "result"), rows)


if __name__ == "__main__":
    main()
