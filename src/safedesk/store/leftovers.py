"""Temporary files a crash can leave in the library folder, and clearing them away.

Every multi-step write in safedesk goes through a temporary name and a rename, so a process
killed (or a disk that filled up) mid-way leaves a temporary behind but never a half-written
real file. These leftovers are harmless; `doctor` lists them and `doctor --repair` removes them.
Only files older than `STALE_SECONDS` count, so a running safedesk's work in progress is never
touched.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

STALE_SECONDS = 3600

# (folder relative to the library folder, glob pattern). Every temp-then-rename write goes through
# fileio.replace_atomically, whose temporaries are `.NAME.<random>.partial`: one pattern,
# `*.partial` (it also matches older versions' `NAME.partial`), in each folder written that way.
PATTERNS = [
    (".", ".index-build-*"),  # a search index being built (SearchIndex.rebuild)
    (".", "index.old"),  # the previous index, mid-swap
    *[(folder, "*.partial") for folder in (".", "index", "backups", "originals", "team-files")],
    (".", ".team-import-*"),  # a shared document being imported (team.documents)
]


def find(data_dir: Path, min_age: float = STALE_SECONDS) -> list[Path]:
    """Leftover temporaries in `data_dir` at least `min_age` seconds old, sorted."""
    cutoff = time.time() - min_age
    found: set[Path] = set()
    for folder, pattern in PATTERNS:
        base = data_dir / folder
        if not base.is_dir():
            continue
        for path in base.glob(pattern):
            try:
                if path.lstat().st_mtime <= cutoff:
                    found.add(path)
            except OSError:
                continue
    return sorted(found)


def remove(paths: list[Path]) -> list[Path]:
    """Delete the given leftovers; return those that were removed."""
    removed = []
    for path in paths:
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:  # gone already, or in use: leave it for another time
            continue
        removed.append(path)
    return removed
