"""Original files of shared reports and documents, kept in the library folder (``team-files/``)
under their content hash, never under a name a teammate chose.

Written through `fileio.replace_atomically` (an exclusive temporary with an unpredictable name,
flushed, then renamed), so a crash never leaves half a file under the real name and a planted
link is never written through (`leftovers` lists a temporary a killed process left behind).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from safedesk.errors import LibraryError
from safedesk.fileio import replace_atomically

FOLDER = "team-files"
SUFFIXES = (".pdf", ".docx", ".txt", ".md")


def file_name(sha256: str, source_name: str) -> str:
    """`<sha256><suffix>`: the suffix of `source_name` if it is one safedesk imports, else none."""
    suffix = Path(source_name).suffix.lower()
    return sha256 + (suffix if suffix in SUFFIXES else "")


def keep(data_dir: Path, data: bytes, source_name: str) -> Path:
    """Keep `data` once per content; returns where it is. LibraryError if it cannot be written."""
    digest = hashlib.sha256(data).hexdigest()
    folder = data_dir / FOLDER
    target = folder / file_name(digest, source_name)
    if target.is_file() and target.stat().st_size == len(data):
        return target

    def write(partial: Path) -> None:
        with partial.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())

    try:
        folder.mkdir(exist_ok=True)
        replace_atomically(target, write)
    except OSError as exc:
        raise LibraryError(
            f"cannot keep a shared file in {folder}: {exc.strerror or exc}; nothing was changed"
        ) from None
    return target


def find(data_dir: Path, sha256: str, source_name: str) -> Path | None:
    """The kept file with this hash, if it is here and whole."""
    path = data_dir / FOLDER / file_name(sha256, source_name)
    if not path.is_file():
        return None
    with path.open("rb") as stream:
        digest = hashlib.file_digest(stream, "sha256").hexdigest()
    return path if digest == sha256 else None
