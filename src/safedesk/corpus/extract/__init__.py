"""Read a PDF, Word or text file into clean text blocks: one function, `extract`, for every format.

The reader is chosen from the file's content (the suffix must agree); the file is read once, in
memory, within the caps of `limits.Limits`; every problem is a one-line ReportFormatError (or
LibraryError for a file that cannot be read at all). Nothing is written anywhere.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from safedesk.corpus.extract.limits import DEFAULT_LIMITS, Limits, MiB
from safedesk.corpus.extract.metadata import first_page_metadata
from safedesk.corpus.extract.model import Extracted, Metadata, Progress, TextBlock
from safedesk.corpus.extract.sniff import choose_reader
from safedesk.errors import LibraryError, ReportFormatError

__all__ = [
    "DEFAULT_LIMITS",
    "Extracted",
    "Limits",
    "Metadata",
    "Progress",
    "TextBlock",
    "extract",
    "read_bytes",
]


def read_bytes(path: Path, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The file's bytes, read once; a missing, unreadable or oversized file is one line."""
    name = path.name
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > limits.max_file_bytes:
                raise ReportFormatError(
                    f"{name} is {size / MiB:.0f} MiB; safedesk imports files of up to "
                    f"{limits.max_file_bytes // MiB} MiB"
                )
            data = stream.read(limits.max_file_bytes + 1)
    except FileNotFoundError:
        raise LibraryError(f"{name} is no longer there (it was moved or deleted)") from None
    except IsADirectoryError:
        raise LibraryError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise LibraryError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > limits.max_file_bytes:  # it grew while being read
        raise ReportFormatError(f"{name} changed while being read; import it again")
    return data


def extract(
    path: str | os.PathLike[str],
    progress: Progress | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Extracted:
    """The file's clean blocks, page count and metadata; see the module docstring."""
    source = Path(path)
    data = read_bytes(source, limits)
    fmt = choose_reader(source, data)
    digest = hashlib.sha256(data).hexdigest()
    if progress:
        progress(f"Reading {source.name}", 0.0)
    if fmt == "pdf":
        from safedesk.corpus.extract.pdf import read_pdf

        blocks, pages, meta = read_pdf(data, source.name, limits, progress)
        return Extracted("pdf", source.name, blocks, pages, meta, digest, data)
    if fmt == "docx":
        from safedesk.corpus.extract.word import read_docx

        blocks, meta = read_docx(data, source.name, limits, progress)
        _first_blocks_metadata(meta, blocks)
        return Extracted("docx", source.name, blocks, None, meta, digest, data)
    from safedesk.corpus.extract.plaintext import read_text

    blocks, text = read_text(data, source.name)
    meta = Metadata()
    _first_blocks_metadata(meta, blocks)
    if progress:
        progress(f"Read {source.name}", 1.0)
    return Extracted("text", source.name, blocks, None, meta, digest, data, text=text)


def _first_blocks_metadata(meta: Metadata, blocks: list[TextBlock]) -> None:
    first = blocks[:15]
    first_page_metadata(meta, first)
