"""Which reader a file needs, from its first bytes (the name's suffix only has to agree)."""

from __future__ import annotations

from pathlib import Path

from safedesk.corpus.extract.model import Format
from safedesk.errors import ReportFormatError

SUFFIXES: dict[str, Format] = {".pdf": "pdf", ".docx": "docx", ".txt": "text", ".md": "text"}
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")  # old binary Office files (.doc, .xls)
_WHAT = {"pdf": "a PDF", "docx": "a Word (.docx) file", "text": "a text file"}


def content_format(data: bytes) -> Format | None:
    """ "pdf", "docx" or "text" from the bytes themselves; None for anything else."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(_OLE) or b"\x00" in head.replace(b"\xff\xfe", b"").replace(b"\xfe\xff", b""):
        return None
    return "text"


def choose_reader(path: Path, data: bytes) -> Format:
    """The reader for `path` holding `data`, or ReportFormatError naming the mismatch."""
    name = path.name
    suffix = path.suffix.lower()
    claimed = SUFFIXES.get(suffix)
    if claimed is None:
        raise ReportFormatError(
            f"{name}: safedesk imports PDF (.pdf), Word (.docx) and text (.txt, .md) files"
            + ("; save a .doc as .docx first" if suffix == ".doc" else "")
        )
    if not data:
        raise ReportFormatError(f"{name} is empty")
    found = content_format(data)
    if data.startswith(_OLE):
        raise ReportFormatError(
            f"{name} is an old binary Office file (.doc), not {_WHAT[claimed]}; "
            "save it as .docx or PDF and import that"
        )
    if found is None and claimed != "text":
        raise ReportFormatError(f"{name} is not {_WHAT[claimed]}: its content is not recognised")
    if claimed != "text" and found != claimed:
        what = _WHAT[found] if found else "something else"
        raise ReportFormatError(f"{name} is named {suffix} but is {what}, not {_WHAT[claimed]}")
    if claimed == "text" and found in ("pdf", "docx"):
        raise ReportFormatError(f"{name} is named {suffix} but is {_WHAT[found]}; rename it")
    return claimed
