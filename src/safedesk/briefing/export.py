"""Make a briefing PDF at a path: all or nothing (a temporary file, then a rename)."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk.briefing import page
from safedesk.errors import LibraryError
from safedesk.fileio import write_atomically

if TYPE_CHECKING:
    from safedesk.library import Library


@dataclass
class BriefResult:
    path: str
    kind: str
    pages: int
    seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def export_brief(
    lib: Library,
    output: Path,
    key: str | None = None,
    theme: str | None = None,
    authority: str | None = None,
    collection: str | None = None,
    handout: bool = False,
    paper: str = "a4",
    notes_space: bool = True,
    progress: page.Progress | None = None,
    cancelled: page.Cancelled | None = None,
) -> BriefResult:
    """Write the chosen briefing to `output`. `progress(message, fraction)` and `cancelled()`
    (True: stop, raising `page.ExportCancelled` and leaving nothing behind) serve a window's
    progress dialog; see `page.build`."""
    from safedesk.briefing import documents

    chosen = [x for x in (key, theme, authority, collection) if x]
    if len(chosen) != 1:
        raise LibraryError("say what to brief on: one KEY, or --theme, --authority or --collection")
    if handout and not collection:
        raise LibraryError(
            "--handout goes with --collection (it leaves out the facilitator's notes)"
        )
    started = time.perf_counter()
    if key:
        story, info = documents.practice_sheet(lib, key, paper, notes_space)
    elif theme:
        story, info = documents.theme_brief(lib, theme, paper)
    elif authority:
        story, info = documents.authority_profile(lib, authority, paper)
    else:
        assert collection is not None
        story, info = documents.session_pack(lib, collection, paper, handout)
    pages: list[int] = []

    def make(tmp: Path) -> None:
        nonlocal story, info
        pages.append(page.build(story, str(tmp), info, progress, cancelled))
        # a practice sheet should fit one page: show fewer key-learning points until it does
        for fewer in range(documents.SHEET_LEARNING - 1, 1, -1):
            if not key or pages[-1] == 1:
                break
            story, info = documents.practice_sheet(lib, key, paper, notes_space, learning=fewer)
            pages.append(page.build(story, str(tmp), info, None, cancelled))

    write_atomically(output, make, "the PDF")
    return BriefResult(str(output), info.kind, pages[-1], round(time.perf_counter() - started, 3))
