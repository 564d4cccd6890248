"""A library of 200 PDF documents (about 8,000 pages): import rate, search, listing, start-up.

    .venv/bin/python -m benchmarks.bench_documents [--documents 200] [--pages 40] [--fresh]

The documents are generated (benchmarks/pdfgen.py): varied text from the repository's report
texts, typeset by the benchmark's own small PDF writer; the first three are instead typeset as
Word files with python-docx and converted by LibreOffice (`soffice --headless`), when it is
installed. Every one is imported through `Library.import_report`, the path `safedesk import`
takes (backup, extraction, store, index update). The corpus and the library are kept in a folder
under the temporary directory and reused by the next run (`--fresh` builds them again), since
building them takes many minutes here.

Measured: the import rate (pages/s) beside `pdftotext` on the same files; a 60-page PDF imported
by a whole `safedesk import` process into a new library and into the big one; search p50/p95 for
full queries and keystrokes; `safedesk reports` as a whole process; the app's start (first paint
and ready) against a library of the bundled report alone; the index and database sizes. CPU
seconds are given beside wall seconds: this machine is shared, so wall time swings.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.pdfgen import Chain, docx_document, generate, write_pdf
from benchmarks.table import pct, print_table

QUERIES = [
    "reflective practice", "supervision", "early help assessment", "family hubs",
    "child protection plan", "quality assurance audits", "domestic abuse", "neglect",
    '"management oversight"', "recruitment -agency", "superv*", "looked after children",
    "CAF coordinator", "safeguarding", "multi-agency working", "serious case review",
    "kind:passage thresholds", "partnership police", "young people participation", "NQSW",
]  # fmt: skip
TYPED = ["reflective practice", "supervision", "family hubs", "neglect", "thresholds"]
LIBREOFFICE_DOCUMENTS = 3


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of a whole process, and its output."""
    cpu = _cpu_children()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command} failed: {done.stderr}")
    return wall, _cpu_children() - cpu, done.stdout


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


def build_corpus(folder: Path, count: int, pages: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    chain: Chain | None = None
    made = []
    soffice = shutil.which("soffice")
    for n in range(count):
        target = folder / f"doc-{n:03d}.pdf"
        if not target.exists():
            chain = chain or Chain()
            doc = generate(n, pages + pages // 8, chain)
            if n < LIBREOFFICE_DOCUMENTS and soffice:
                _libreoffice(doc, target, soffice)
            else:
                write_pdf(doc, target)
        made.append(target)
    return made


def _libreoffice(doc: object, target: Path, soffice: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{target.stem}.docx"
        docx_document(doc, source)  # type: ignore[arg-type]
        profile = Path(tmp) / "profile"
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             "pdf", "--outdir", tmp, str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        shutil.move(Path(tmp) / f"{target.stem}.pdf", target)


def build_library(folder: Path, files: list[Path]) -> dict[str, list[float]]:
    """Import every file through the library's import; the seconds each took (kept on disk)."""
    from safedesk.library import Library

    record = folder / "imports.json"
    if record.exists():
        data: dict[str, list[float]] = json.loads(record.read_text())
        return data
    shutil.rmtree(folder / "library", ignore_errors=True)
    wall: list[float] = []
    cpu: list[float] = []
    pages: list[float] = []
    with Library.open(folder / "library") as lib:
        for n, path in enumerate(files):
            started, cpu_started = time.perf_counter(), time.process_time()
            summary = lib.import_report(path)
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            pages.append(float(summary.pages or 0))
            if n % 20 == 19:
                print(f"  imported {n + 1} of {len(files)}", file=sys.stderr)
    data = {"wall": wall, "cpu": cpu, "pages": pages}
    record.write_text(json.dumps(data))
    return data


def _timed(fn: object, repeat: int, settle: object = None) -> list[float]:
    """`repeat` timings of `fn` after one untimed call (and, with `settle`, after what that
    call started aside is done: the time a reader takes to look at the results)."""
    call = fn  # type: ignore[assignment]
    call()  # type: ignore[operator]
    if settle is not None:
        settle()  # type: ignore[operator]
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        out.append((time.perf_counter() - started) * 1000)
    return out


def _once(data_dir: Path, texts: list[str], typing: bool) -> list[float]:
    """Each text searched once in a freshly opened library (its index open, nothing else read
    yet): what a search costs before the words it holds have been read once."""
    from safedesk.library import Library

    with Library.open(data_dir) as lib:
        lib.ensure_index()
        out = []
        for text in texts:
            started = time.perf_counter()
            (lib.search_as_you_type if typing else lib.search)(text)
            out.append((time.perf_counter() - started) * 1000)
    return out


def measure_search(data_dir: Path, repeat: int) -> tuple[dict[str, list[float]], int]:
    from safedesk.library import Library

    prefixes = [word[:i] for word in TYPED for i in range(1, len(word) + 1)]
    first = {"full": _once(data_dir, QUERIES, False), "keys": _once(data_dir, prefixes, True)}
    with Library.open(data_dir) as lib:
        lib.ensure_index()
        full: list[float] = []
        for q in QUERIES:
            full += _timed(lambda q=q: lib.search(q), repeat, lib.ensure_index().settle)
        keys: list[float] = []
        for word in TYPED:
            for i in range(1, len(word) + 1):
                keys += _timed(
                    lambda t=word[:i]: lib.search_as_you_type(t),
                    max(1, repeat // 2),
                    lib.ensure_index().settle,
                )
        docs = lib.ensure_index().doc_count()
    times = {"full": full, "keys": keys, "full once": first["full"], "keys once": first["keys"]}
    return times, docs


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--pages", type=int, default=40, help="pages per document, about")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="generate and import again")
    parser.add_argument("--reimport", action="store_true", help="import the kept PDFs again")
    args = parser.parse_args()
    os.environ.pop("SAFEDESK_DATA_DIR", None)
    work = Path(tempfile.gettempdir()) / f"safedesk-bench-documents-{args.documents}x{args.pages}"
    if args.fresh:
        shutil.rmtree(work, ignore_errors=True)
    if args.reimport:
        shutil.rmtree(work / "library", ignore_errors=True)
        (work / "imports.json").unlink(missing_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(work / "config"))
    safedesk = [sys.executable, "-m", "safedesk"]

    files = build_corpus(work / "pdfs", args.documents, args.pages)
    page_counts = [_pages(f) for f in files]
    total_pages = sum(page_counts)
    imports = build_library(work, files)
    library = work / "library"
    small = work / "one-report"
    if not small.exists():
        _run([*safedesk, "--data-dir", str(small), "reports"], env)

    rows: list[list[str]] = []
    # import rate beside pdftotext
    wall, cpu = sum(imports["wall"]), sum(imports["cpu"])
    rows.append([
        f"import {len(files)} PDFs into one library (Library.import_report)",
        f"{total_pages}", f"{wall:.0f} s wall / {cpu:.0f} s CPU",
        f"{total_pages / wall:.0f} / {total_pages / cpu:.0f}", "",
    ])  # fmt: skip
    tail = imports["wall"][-20:]
    rows.append([
        "  the last 20 imports, each (library near full size)", "",
        f"p50 {statistics.median(tail):.1f} s, max {max(tail):.1f} s", "", "",
    ])  # fmt: skip
    from safedesk.corpus.reading import read_source

    sample = files[LIBREOFFICE_DOCUMENTS : LIBREOFFICE_DOCUMENTS + 10]
    sample_pages = sum(page_counts[LIBREOFFICE_DOCUMENTS : LIBREOFFICE_DOCUMENTS + 10])
    cpu0, started = time.process_time(), time.perf_counter()
    for f in sample:
        read_source(f)
    r_wall, r_cpu = time.perf_counter() - started, time.process_time() - cpu0
    rows.append([
        f"  reading alone (extract + parse), {len(sample)} of them, in process", f"{sample_pages}",
        f"{r_wall:.1f} s wall / {r_cpu:.1f} s CPU",
        f"{sample_pages / r_wall:.0f} / {sample_pages / r_cpu:.0f}", "",
    ])  # fmt: skip
    if shutil.which("pdftotext"):
        cpu0, started = _cpu_children(), time.perf_counter()
        for f in files:
            subprocess.run(["pdftotext", str(f), os.devnull], check=True)
        t_wall, t_cpu = time.perf_counter() - started, _cpu_children() - cpu0
        rows.append([
            "pdftotext on the same files (reference)", f"{total_pages}",
            f"{t_wall:.0f} s wall / {t_cpu:.0f} s CPU",
            f"{total_pages / t_wall:.0f} / {total_pages / t_cpu:.0f}", "",
        ])  # fmt: skip

    # a 60-page PDF, whole process
    sixty = work / "sixty-pages.pdf"
    if not sixty.exists():
        write_pdf(generate(10_000, 66, Chain()), sixty)
    n60 = _pages(sixty)
    fresh = work / "fresh-library"
    shutil.rmtree(fresh, ignore_errors=True)
    _run([*safedesk, "--data-dir", str(fresh), "reports"], env)
    w, c, _ = _run([*safedesk, "--data-dir", str(fresh), "import", str(sixty)], env)
    rows.append([f"safedesk import, {n60}-page PDF, new library", f"{n60}",
                 f"{w:.2f} s wall / {c:.2f} s CPU", f"{n60 / w:.0f} / {n60 / c:.0f}",
                 "<= 5 s"])  # fmt: skip
    big = work / "big-copy"
    shutil.rmtree(big, ignore_errors=True)
    shutil.copytree(library, big)
    w, c, _ = _run([*safedesk, "--data-dir", str(big), "import", str(sixty)], env)
    rows.append([f"safedesk import, {n60}-page PDF, into the {len(files)}-document library",
                 f"{n60}", f"{w:.2f} s wall / {c:.2f} s CPU", f"{n60 / w:.0f} / {n60 / c:.0f}",
                 "<= 5 s"])  # fmt: skip
    shutil.rmtree(big, ignore_errors=True)
    shutil.rmtree(fresh, ignore_errors=True)
    print_table(["import", "pages", "time", "pages/s (wall / CPU)", "target"], rows)
    print()

    # search
    times, docs = measure_search(library, args.repeat)
    small_times, small_docs = measure_search(small, args.repeat)

    def row(label: str, values: list[float], target: str) -> list[str]:
        return [label, f"{pct(values, 50):.1f}", f"{pct(values, 95):.1f}",
                f"{max(values):.1f}", target]  # fmt: skip

    print_table(
        ["search (ms, in process; warm unless said)", "p50", "p95", "max", "target"],
        [
            row(f"full query, 1 report ({small_docs} docs)", small_times["full"], ""),
            row("keystroke, 1 report", small_times["keys"], ""),
            row(f"full query, {len(files)} documents ({docs} docs)", times["full"], "p95 <= 50"),
            row(f"keystroke, {len(files)} documents", times["keys"], "p95 <= 50"),
            row("  full query, each once after opening", times["full once"], ""),
            row("  keystroke, each once after opening", times["keys once"], ""),
        ],
    )
    print()

    # listing and start-up, whole processes
    out = []
    for label, folder in (("1 report", small), (f"{len(files)} documents", library)):
        runs = [_run([*safedesk, "--data-dir", str(folder), "reports", "--json"], env)
                for _ in range(5)]  # fmt: skip
        out.append([f"safedesk reports --json, {label}",
                    f"{statistics.median(r[0] for r in runs):.2f} s wall",
                    f"{statistics.median(r[1] for r in runs):.2f} s CPU", "<= 0.6 s"])  # fmt: skip
    from benchmarks.bench_startup import _probe

    for label, folder in (("1 report", small), (f"{len(files)} documents", library)):
        _probe("safedesk", env, folder)  # byte-code and font caches
        probes = [_probe("safedesk", env, folder) for _ in range(3)]
        out.append([f"app start, {label}",
                    f"first paint {statistics.median(p['paint_ms'] for p in probes):.0f} ms",
                    f"ready {statistics.median(p['ready_ms'] for p in probes):.0f} ms",
                    "unchanged"])  # fmt: skip
    out.append(["search index on disk", f"{_size(library / 'index') / 2**20:.1f} MiB",
                f"database {(library / 'library.sqlite3').stat().st_size / 2**20:.1f} MiB",
                f"originals {_size(library / 'originals') / 2**20:.1f} MiB"])  # fmt: skip
    print_table(["whole process", "", "", "target"], out)
    print(f"\n{len(files)} documents, {total_pages} pages; corpus and library kept in {work}")


if __name__ == "__main__":
    main()
