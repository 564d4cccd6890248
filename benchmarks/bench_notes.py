"""What one autosave of a note costs the window, in a library of 10,000 bookmarks.

A red-team pass measured ~0.57 s per autosave there (the window blocked): every save rebuilt the
sidebar, which listed every bookmark to count them. Now a save writes one row and the sidebar is
rebuilt only when a bookmark is added or removed, from a count.

QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_notes
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.table import pct, print_table

BOOKMARKS = 10_000


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.pop("SAFEDESK_DATA_DIR", None)
    from PySide6.QtWidgets import QApplication

    from safedesk.library import Library
    from safedesk.ui.note_panel import NotePanel
    from safedesk.ui.sidebar import SidebarModel

    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-notes-"))
    try:
        with Library.open(work / "lib") as lib:
            key = lib.practices()[0].key
            lib.bookmark(key, note="start")
            conn = sqlite3.connect(work / "lib" / "library.sqlite3")
            stamp = "2026-12-01T10:00:00.000+00:00"
            conn.executemany(
                "INSERT INTO bookmark (key, title, note, tags, created_at, updated_at) "
                "VALUES (?, ?, '', '[]', ?, ?)",
                [(f"gone/{n}", f"Gone {n}", stamp, stamp) for n in range(BOOKMARKS)],
            )
            conn.commit()
            conn.close()
            panel, sidebar = NotePanel(), SidebarModel()
            panel.changed.connect(lambda: sidebar.refresh(lib))
            panel.show_item(lib, key)
            saves, refreshes = [], []
            for n in range(20):
                panel.note.setPlainText(f"note {n}")
                started = time.perf_counter()
                panel.save()
                app.processEvents()
                saves.append((time.perf_counter() - started) * 1000)
            for _ in range(5):
                started = time.perf_counter()
                sidebar.refresh(lib)
                refreshes.append((time.perf_counter() - started) * 1000)
        print_table(
            ["measurement (10,000 bookmarks)", "median ms", "p95 ms"],
            [
                ["one autosave of a note", f"{pct(saves, 50):.1f}", f"{pct(saves, 95):.1f}"],
                [
                    "rebuilding the sidebar",
                    f"{pct(refreshes, 50):.1f}",
                    f"{pct(refreshes, 95):.1f}",
                ],
            ],
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
