"""`safedesk --self-test`: prove an installation works, one line per step (for bundles and IT)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any


def run_self_test() -> int:
    """Open a temporary library, import the bundled report, search, make a PDF, build the window
    offscreen. Exit status 0 only if every step passed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="safedesk-self-test-") as folder:
        data = Path(folder) / "library"
        state: dict[str, object] = {}

        def step(name: str, action: Callable[[], str]) -> None:
            nonlocal failures
            started = time.perf_counter()
            try:
                detail = action()
            except Exception as exc:  # report every failure and carry on with the next step
                failures += 1
                print(f"FAIL  {name}: {type(exc).__name__}: {exc}", flush=True)
                traceback.print_exc(file=sys.stderr)
                return
            print(f"ok    {name}: {detail} ({time.perf_counter() - started:.2f} s)", flush=True)

        def library() -> str:
            from safedesk.library import Library

            lib = Library.open(data)
            state["lib"] = lib
            report = lib.reports()[0]
            assert report.practices > 0, "the bundled report has no practices"
            return f"imported {report.title!r}, {report.practices} practices"

        def search() -> str:
            result = state["lib"].search("reflective practice")  # type: ignore[attr-defined]
            assert result.total > 0, "no results"
            return f"{result.total} results, first: {result.hits[0].title[:50]!r}"

        def briefing() -> str:
            lib = state["lib"]
            key = lib.practices()[0].key  # type: ignore[attr-defined]
            target = Path(folder) / "sheet.pdf"
            result = lib.export_brief(target, key=key)  # type: ignore[attr-defined]
            assert target.read_bytes()[:5] == b"%PDF-", "not a PDF"
            return f"{result.pages}-page practice sheet, {target.stat().st_size // 1024} KiB"

        def window() -> str:
            from PySide6.QtWidgets import QApplication

            from safedesk.ui.app import run

            lib = state.pop("lib", None)
            if lib is not None:
                lib.close()  # type: ignore[attr-defined]
            win = run(str(data), exec_=False)
            assert not isinstance(win, int)
            app = QApplication.instance()
            deadline = time.monotonic() + 60
            while not win.is_ready() and time.monotonic() < deadline:
                app.processEvents()  # type: ignore[union-attr]
                time.sleep(0.01)
            assert win.is_ready(), "the window did not finish opening the library"
            state["win"] = win
            rows = win.list_model.rowCount()
            return f"main window {win.windowTitle()!r} with {rows} practices listed"

        def preview() -> str:
            """The export dialog shows the real PDF (QtPdf must be there and work)."""
            from PySide6.QtWidgets import QApplication

            from safedesk.ui.export.dialog import ExportDialog, ExportTargets

            win: Any = state["win"]
            first = win.list_model.rows[0].key  # a practice of the theme the window opened on
            dialog = ExportDialog(win.library, ExportTargets(key=first))
            pages: list[int] = []
            dialog.preview_ready.connect(pages.append)
            deadline = time.monotonic() + 60
            while not pages and time.monotonic() < deadline:
                QApplication.processEvents()
                time.sleep(0.01)
            dialog.close()
            assert pages, "the export preview did not appear"
            return f"export preview of {pages[-1]} page(s)"

        for name, action in (("library", library), ("search", search), ("briefing", briefing),
                             ("window", window), ("preview", preview)):  # fmt: skip
            step(name, action)
        if "win" in state:
            state.pop("win").close()  # type: ignore[attr-defined]
        lib = state.get("lib")
        if lib is not None:
            lib.close()  # type: ignore[attr-defined]
    print(
        "self-test passed" if not failures else f"self-test FAILED ({failures} steps)", flush=True
    )
    return 0 if not failures else 1
