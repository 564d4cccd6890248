"""Caps on what an import reads and inflates (documented in the README's import section).

A file that passes them is read in memory, once; one that does not is refused with one line.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 100 * MiB  # a PDF or Word file on disk
    max_pages: int = 1000  # longer PDFs are refused: split them (1,000 pages take 20-60 s here)
    max_stream_bytes: int = 64 * MiB  # one PDF stream (not an image) once inflated
    max_inflated_bytes: int = 256 * MiB  # all of a PDF's streams, or a .docx's parts, inflated
    max_part_bytes: int = 64 * MiB  # one part (zip member) of a .docx once inflated
    max_parts: int = 5000  # zip members in a .docx


DEFAULT_LIMITS = Limits()
