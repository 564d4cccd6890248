"""Search speed at 1 and 30 reports, with practice concepts (the default) and without (exact),
and SQLite FTS5 over the same texts as a reference.

    .venv/bin/python -m benchmarks.bench_search [--reports 30]

The 29 extra reports are variants of the bundled text with their own titles and ISBNs (so their
keys differ), imported through the normal path. Timings are in process and warm (after one pass),
except "import one more report", which runs `safedesk import` as a whole process. On a machine
shared with other work, `--clock cpu` times searches in this process's CPU time, which other
processes do not inflate (wall-clock time is the default).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.table import pct, print_table
from safedesk.library import Library
from safedesk.paths import bundled_report

QUERIES = [
    "reflective practice", "NQSW support", "supervision", "co-location with police", "LAC",
    "performance management data", "child trafficking airport", "no-blame culture",
    "referral thresholds", "quality assurance audits", "leadership", "domestic abuse",
    "social work forum", '"management oversight"', "recruitment -agency", "superv*",
    "theme:partnership police", "looked after children", "CAF coordinator", "safeguarding",
]  # fmt: skip
TYPED = ["reflective practice", "supervision", "trafficking", "NQSW", "co-location", "audits"]
# words practitioners use that name practice concepts (measured in both sets of rows)
CONCEPT_QUERIES = [
    "staff retention", "front door", "morale", "CPD", "burnout", "think family", "workload",
    "audit of case files", "multi-agency working", "supervision clinic",
]  # fmt: skip
CONCEPT_TYPED = ["staff retention", "front door", "workload"]


def variant(text: str, n: int) -> str:
    """The bundled report under another title and ISBN: a different report to the library."""
    text = text.replace(
        "*Safeguarding Children: Council Developments*",
        f"*Safeguarding Children: Council Developments, Volume {n}*",
    )
    return re.sub(r"^ISBN 978 1 906792 97 8$", f"ISBN 978 1 906792 {n:02d} 0", text, flags=re.M)


CLOCK = time.perf_counter


def timed(
    fn: Callable[[], object], repeat: int, settle: Callable[[], None] | None = None
) -> list[float]:
    """`repeat` timings of `fn` after one untimed call (and, with `settle`, after what that
    call started aside is done: the time a reader takes to look at the results)."""
    fn()
    if settle is not None:
        settle()
    out = []
    for _ in range(repeat):
        started = CLOCK()
        fn()
        out.append((CLOCK() - started) * 1000)
    return out


def measure(lib: Library, repeat: int, exact: bool = False) -> dict[str, list[float]]:
    full: list[float] = []
    for q in [*QUERIES, *CONCEPT_QUERIES]:
        full += timed(lambda q=q: lib.search(q, exact=exact), repeat, lib.ensure_index().settle)
    keys: list[float] = []
    for word in [*TYPED, *CONCEPT_TYPED]:
        for i in range(1, len(word) + 1):
            keys += timed(
                lambda t=word[:i]: lib.search_as_you_type(t, exact=exact),
                max(1, repeat // 2),
                lib.ensure_index().settle,
            )
    return {"full": full, "keys": keys}


def cold(folder: Path) -> dict[str, list[float]]:
    """A freshly opened library: the first search for each concept query (its wordings are read
    from the index then), the concept tree's counts the first time, again, and after opening the
    library again; related practice; and in another, each keystroke typed once (searches keep
    each word's scores while the index is open: this is before they are kept)."""
    with Library.open(folder) as lib:
        first = []
        for q in CONCEPT_QUERIES:
            started = CLOCK()
            lib.search(q)
            first.append((CLOCK() - started) * 1000)
        tree = []
        for _ in range(3):
            started = CLOCK()
            lib.concepts()
            tree.append((CLOCK() - started) * 1000)
        boxes = [p.key for p in lib.practices()][:10]
        related: list[float] = []
        for key in boxes:
            related += timed(lambda key=key: lib.related(key), 3)
    typed: list[float] = []
    with Library.open(folder) as lib:  # each prefix typed once, freshly opened
        lib.search("x")
        for word in [*TYPED, *CONCEPT_TYPED]:
            for i in range(1, len(word) + 1):
                started = CLOCK()
                lib.search_as_you_type(word[:i])
                typed.append((CLOCK() - started) * 1000)
    with Library.open(folder) as lib:  # what was worked out is on disk now
        lib.search("x")
        started = CLOCK()
        lib.concepts()
        reopened = [(CLOCK() - started) * 1000]
    return {
        "first": first, "tree": tree, "reopened": reopened, "related": related, "typed": typed,
    }  # fmt: skip


def fts5(lib: Library, repeat: int) -> list[float]:
    """The same documents in an in-memory FTS5 table: bm25 ranking and snippets, top 20."""
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE doc USING fts5(key UNINDEXED, title, body, tokenize='porter')"
    )
    conn.executemany(
        "INSERT INTO doc VALUES (?, ?, ?)",
        [(d.key, d.title, d.text) for d in lib.store.content.documents()],
    )
    plain = [" ".join(re.findall(r"\w+", q.replace("theme:", ""))) for q in QUERIES]
    out: list[float] = []
    for q in plain:
        sql = (
            "SELECT key, snippet(doc, 2, '[', ']', '…', 30) FROM doc WHERE doc MATCH ? "
            "ORDER BY bm25(doc, 2.0, 1.0) LIMIT 20"
        )
        out += timed(lambda q=q, sql=sql: conn.execute(sql, (q,)).fetchall(), repeat)
    conn.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--clock", choices=["wall", "cpu"], default="wall")
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.process_time if args.clock == "cpu" else time.perf_counter
    os.environ.pop("SAFEDESK_DATA_DIR", None)
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-search-"))
    rows: list[tuple[str, ...]] = []
    try:
        source = bundled_report().read_text("utf-8")
        with Library.open(work / "lib") as lib:
            one = measure(lib, args.repeat)
            one_exact = measure(lib, args.repeat, exact=True)
            docs_one = lib.ensure_index().searcher.doc_count()
            imports = []
            for n in range(2, args.reports + 1):
                path = work / f"variant-{n}.txt"
                path.write_text(variant(source, n), "utf-8")
                started = time.perf_counter()
                lib.import_report(path)
                imports.append(time.perf_counter() - started)
            many = measure(lib, args.repeat)
            many_exact = measure(lib, args.repeat, exact=True)
            docs_many = lib.ensure_index().searcher.doc_count()
            reference = fts5(lib, args.repeat)
        later = cold(work / "lib")
        extra = work / f"variant-{args.reports + 1}.txt"
        extra.write_text(variant(source, args.reports + 1), "utf-8")
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "safedesk",
                "--data-dir",
                str(work / "lib"),
                "import",
                str(extra),
            ],
            check=True,
            capture_output=True,
        )
        one_more = time.perf_counter() - started

        def row(label: str, values: list[float], target: str) -> tuple[str, ...]:
            return (
                label,
                f"{pct(values, 50):.2f}",
                f"{pct(values, 95):.2f}",
                f"{max(values):.2f}",
                target,
            )

        n = args.reports
        rows += [
            row(f"full query, 1 report ({docs_one} docs)", one["full"], "p95 <= 16 ms"),
            row("  without concepts (exact)", one_exact["full"], "p95 <= 16 ms"),
            row("keystroke, 1 report", one["keys"], "p95 <= 16 ms"),
            row("  without concepts (exact)", one_exact["keys"], "p95 <= 16 ms"),
            row(f"full query, {n} reports ({docs_many} docs)", many["full"], "p95 <= 50 ms"),
            row("  without concepts (exact)", many_exact["full"], "p95 <= 50 ms"),
            row(f"keystroke, {n} reports", many["keys"], "p95 <= 50 ms"),
            row("  without concepts (exact)", many_exact["keys"], "p95 <= 50 ms"),
            row(f"keystroke, {n} reports, each prefix once after opening", later["typed"], ""),
            row(f"first concept search after opening, {n} reports", later["first"], ""),
            row(f"concept tree counts, {n} reports, first call", later["tree"][:1], ""),
            row("  again (kept with the open index)", later["tree"][1:], ""),
            row("  first call after opening again (kept on disk)", later["reopened"], ""),
            row(f"related practice with concepts, {n} reports", later["related"], ""),
            row(
                f"FTS5 reference, {args.reports} reports (bm25 + snippet)", reference, "(reference)"
            ),
            *(
                [
                    row(
                        f"import in process (each of the {len(imports)}), ms",
                        [t * 1000 for t in imports],
                        "",
                    )
                ]
                if imports
                else []
            ),
            ("import one more, whole process", f"{one_more * 1000:.0f}", "", "", "< 5000 ms"),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table((f"measurement (ms, {args.clock} clock)", "p50", "p95", "max", "target"), rows)


if __name__ == "__main__":
    main()
