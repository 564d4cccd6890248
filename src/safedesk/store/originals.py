"""Original files kept in the library folder (``originals/``), named by their content hash.

Importing the same bytes twice keeps one file; a file is written under a temporary name, flushed
to disk and renamed, so a crash or a full disk never leaves half an original under the real name
(the temporary is removed on failure; `leftovers` lists one a killed process left behind).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from safedesk.errors import LibraryError

FOLDER = "originals"


def original_name(sha256: str, suffix: str) -> str:
    """The name an original with this content hash and suffix (".pdf") is kept under."""
    suffix = suffix.lower() if suffix.lower() in (".pdf", ".docx", ".txt", ".md") else ""
    return f"{sha256}{suffix}"


def original_path(data_dir: Path, name: str) -> Path:
    return data_dir / FOLDER / name


def keep_original(data_dir: Path, data: bytes, suffix: str) -> str:
    """Keep `data` in `data_dir/originals/` (once per content) and return the name it has there.

    LibraryError (one line) if it cannot be written; nothing is left behind then.
    """
    digest = hashlib.sha256(data).hexdigest()
    name = original_name(digest, suffix)
    folder = data_dir / FOLDER
    target = folder / name
    if target.is_file() and target.stat().st_size == len(data):
        return name
    partial = folder / f".{name}.partial"
    try:
        folder.mkdir(exist_ok=True)
        with partial.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        partial.replace(target)
    except OSError as exc:
        _discard(partial)
        raise LibraryError(
            f"cannot keep the original file in {folder}: {exc.strerror or exc}; nothing was changed"
        ) from None
    except BaseException:
        _discard(partial)
        raise
    return name


def _discard(partial: Path) -> None:
    with contextlib.suppress(OSError):  # no folder (or not a folder): nothing was written
        partial.unlink(missing_ok=True)


def forget_original(data_dir: Path, name: str) -> None:
    """Remove a kept original no report row refers to any more (missing is fine)."""
    if name and "/" not in name and not name.startswith("."):
        (data_dir / FOLDER / name).unlink(missing_ok=True)


def prune_originals(data_dir: Path, referenced: set[str]) -> list[str]:
    """Remove kept originals that no report row names (`referenced`: every `original_name`),
    e.g. the old edition's file once a new edition replaced it, or the file kept for an import
    that then failed. Temporaries are left to `leftovers`. Returns the names removed."""
    folder = data_dir / FOLDER
    removed = []
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.is_file() and not path.name.startswith(".") and path.name not in referenced:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path.name)
    return removed
