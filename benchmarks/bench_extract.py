"""PDF text extraction: candidates compared on the same files, and a whole import of 60 pages.

.venv/bin/python -m benchmarks.bench_extract [--runs N]

Candidates (each only if installed; pdfminer.six is not a dependency, `pip install pdfminer.six`
to include it): pypdfium2 (PDFium) as safedesk uses it (characters with boxes, sizes and styles,
then layout and cleanup), pypdfium2's plain text, pypdf, pdfminer.six; `pdftotext` (poppler) as
the reference. The files are the committed fixtures (two reports and a guidance document made by
LibreOffice) and a 60-page PDF joined from them.

Besides seconds and pages/s, the table says what the parser would receive from each: ligature
characters left ("ﬁ"), words still split by a line-end hyphen, lines with the running header's
words (the cover and title pages print the title once each, and keep it: 2 per report), and
whether a box split by a page break reads on in order. The last table times a whole import of the
60-page PDF by `safedesk import` in a fresh process (read, parse, keep the original, store, index).
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.table import print_table

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "tests" / "fixtures" / "documents"
FILES = [
    "northfield-2019-early-help.pdf",
    "safeguarding-council-developments-2011.pdf",
    "neglect-guidance.pdf",
]
HEADERS = re.compile(  # the running headers make_documents.py sets
    r"^\s*(?:Early help and family safeguarding: council approaches|Safeguarding children: council"
    r" developments|Responding to neglect: practice guidance for all agencies)\s*$",
    re.M | re.I,
)
SPLIT = re.compile(r"[a-z]-\n\s*[a-z]")
BOX_BREAK = ("can remain involved after a case has been closed by", "children's social care")


def _safedesk(data: bytes) -> str:
    from safedesk.corpus.extract import DEFAULT_LIMITS
    from safedesk.corpus.extract.pdf import read_pdf
    from safedesk.corpus.layout import report_text

    blocks, _pages, _meta = read_pdf(data, "bench.pdf", DEFAULT_LIMITS)
    return report_text(blocks)


def _pdfium_plain(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    out = []
    for page in pdf:
        textpage = page.get_textpage()
        out.append(textpage.get_text_range())
        textpage.close()
        page.close()
    pdf.close()
    return "\n".join(out).replace("\r\n", "\n")


def _pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(io.BytesIO(data)))


CANDIDATES: list[tuple[str, str, Callable[[bytes], str]]] = [
    ("safedesk (pypdfium2 chars)", "pypdfium2", _safedesk),
    ("pypdfium2 plain text", "pypdfium2", _pdfium_plain),
    ("pypdf extract_text", "pypdf", _pypdf),
    ("pdfminer.six extract_text", "pdfminer", _pdfminer),
]


def _installed(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def _joined(work: Path) -> Path:
    """A 60-page PDF: the bundled report, the guidance and the first pages of the second report."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for name in FILES[1:] + FILES[:1]:
        for page in PdfReader(DOCS / name).pages:
            if len(writer.pages) < 60:
                writer.add_page(page)
    target = work / "joined-60.pdf"
    with target.open("wb") as stream:
        writer.write(stream)
    return target


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def _quality(text: str) -> tuple[str, str, str, str]:
    ligatures = sum(text.count(chr(c)) for c in range(0xFB00, 0xFB07))
    split = len(SPLIT.findall(text))
    headers = len(HEADERS.findall(text))
    flat = " ".join(text.split())
    in_order = "n/a"
    if BOX_BREAK[0] in flat:
        in_order = "yes" if f"{BOX_BREAK[0]} {BOX_BREAK[1]}" in flat else "no"
    return str(ligatures), str(split), str(headers), in_order


def _best(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def _import_process(pdf: Path, work: Path) -> float:
    """Wall time of `safedesk import` in a fresh process, into a library that holds the bundled
    report (made beforehand, not timed): read, parse, keep the original, store, index."""
    target = work / f"lib-{time.monotonic_ns()}"
    command = [sys.executable, "-m", "safedesk", "--data-dir", str(target)]
    subprocess.run([*command, "reports"], check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run([*command, "import", str(pdf)], check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-extract-"))
    try:
        files = [DOCS / name for name in FILES] + [_joined(work)]
        rows = []
        for path in files:
            data = path.read_bytes()
            pages = _pages(path)
            if shutil.which("pdftotext"):
                seconds = _best(
                    args.runs,
                    lambda p=path: subprocess.run(["pdftotext", str(p), "-"], capture_output=True),
                )
                text = subprocess.run(
                    ["pdftotext", str(path), "-"], capture_output=True, text=True
                ).stdout
                rows.append(_row("pdftotext (poppler)", path, pages, seconds, text))
            for label, module, run in CANDIDATES:
                if not _installed(module):
                    rows.append([label, path.name, str(pages), "not installed", "", "", "", "", ""])
                    continue
                seconds = _best(args.runs, lambda r=run, d=data: r(d))
                rows.append(_row(label, path, pages, seconds, run(data)))
        print_table(
            ["extractor", "file", "pages", "seconds", "pages/s", "ﬁ left", "split words",
             "headers left", "box in order"],
            rows,
        )  # fmt: skip
        print()
        joined = files[-1]
        report = DOCS / FILES[1]
        whole = [
            [
                path.name,
                str(_pages(path)),
                f"{min(_import_process(path, work) for _ in range(2)):.2f}",
            ]
            for path in (joined, report)
        ]
        print_table(["whole import in a new process", "pages", "seconds (target ≤ 5)"], whole)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _row(label: str, path: Path, pages: int, seconds: float, text: str) -> list[str]:
    return [
        label,
        path.name,
        str(pages),
        f"{seconds:.3f}",
        f"{pages / seconds:.0f}",
        *_quality(text),
    ]


if __name__ == "__main__":
    main()
