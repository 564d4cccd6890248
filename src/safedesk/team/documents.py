"""Shared reports and documents arriving here: each file fetched by its hash (size checked before,
hash after), kept under that hash, and imported all or nothing with the importer's own caps.

The file is imported from a private temporary folder under a plain name made from the teammate's
`source_name` (validated as a file name, never a path; anything unusual in it is replaced), so the
library records a readable source name while nothing a teammate typed ever chooses where a file
is written. A file that cannot be imported is marked failed with the reason, alone: it never stops
the team's sync.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from sqlite3 import Row
from typing import Any

from safedesk.errors import LibraryError
from safedesk.interfaces import TeamHost
from safedesk.store.local import LocalStore
from safedesk.store.team_files import SUFFIXES
from safedesk.team.errors import TeamConnectionError
from safedesk.team.files import fetch_file

log = logging.getLogger(__name__)
Progress = Callable[[str, float], None]


def fetch_documents(
    host: TeamHost,
    side: LocalStore,
    conn: Any,
    wanted: Sequence[Row],
    progress: Progress | None = None,
) -> int:
    """Fetch and import the shared documents not here yet; returns how many were imported."""
    imported = 0
    team = side.team
    if wanted and side.content.has_report():
        side.backup("before-import")  # once for the batch, as every import does
    for n, doc in enumerate(wanted):
        if progress:
            progress(f"Fetching {doc['title']}", 0.5 + 0.5 * n / len(wanted))
        try:
            path = team.file_for(doc["sha256"], doc["source_name"])
            if path is None:
                data = fetch_file(conn, doc["sha256"], max_bytes=max(int(doc["size"]), 1))
                path = team.keep_file(data, doc["source_name"])
            _import(host, path, doc["source_name"])
        except TeamConnectionError:
            raise  # the next sync fetches it; nothing half-done
        except LibraryError as exc:
            log.warning("the shared document %s could not be imported: %s", doc["report_key"], exc)
            team.document_done(doc["report_key"], doc["sha256"], error=str(exc))
            continue
        team.document_done(doc["report_key"], doc["sha256"])
        imported += 1
    return imported


def _import(host: TeamHost, kept: Path, source_name: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix=".team-import-", dir=host.store.data_dir))
    try:
        copy = folder / safe_name(source_name, kept.suffix)
        shutil.copyfile(kept, copy)
        host.import_report(copy, in_batch=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def safe_name(source_name: str, suffix: str) -> str:
    """A plain file name for `source_name`: letters, digits, spaces, dots, dashes and brackets,
    at most 100 characters, with a suffix safedesk imports."""
    stem = Path(source_name).stem if source_name else "shared"
    stem = re.sub(r"[^\w .()-]", "_", stem, flags=re.ASCII).strip(" .") or "shared"
    suffix = suffix if suffix in SUFFIXES else ".txt"
    return stem[:100] + suffix
