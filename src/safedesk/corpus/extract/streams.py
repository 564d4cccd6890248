"""Refuse a PDF whose compressed streams inflate past the caps, before PDFium inflates them.

Every Flate-compressed stream that is not an image is inflated here in 1 MiB steps, counting
what comes out and stopping as soon as a cap is passed (images are not inflated to read text).
Damaged streams are left for PDFium to report.
"""

from __future__ import annotations

import re
import zlib

from safedesk.corpus.extract.limits import Limits, MiB
from safedesk.errors import ReportFormatError

_STREAM = re.compile(rb"stream\r?\n")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_STEP = MiB


def check_inflation(data: bytes, name: str, limits: Limits) -> None:
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        head_from = data.rfind(b" obj", max(0, match.start() - 4096), match.start())
        head = data[head_from if head_from >= 0 else max(0, match.start() - 4096) : match.start()]
        if not _FLATE.search(head) or _IMAGE.search(head):
            continue
        end = data.find(b"endstream", start)
        size = _inflated_size(data[start : end if end > 0 else len(data)], limits.max_stream_bytes)
        if size > limits.max_stream_bytes:
            raise ReportFormatError(
                f"{name} has a compressed stream that inflates past "
                f"{limits.max_stream_bytes // MiB} MiB; it is refused (a damaged or hostile file)"
            )
        total += size
        if total > limits.max_inflated_bytes:
            raise ReportFormatError(
                f"{name} inflates past {limits.max_inflated_bytes // MiB} MiB of streams; "
                "it is refused (a damaged or hostile file)"
            )


def _inflated_size(raw: bytes, cap: int) -> int:
    """How many bytes `raw` inflates to, counting no further than just past `cap`."""
    inflater = zlib.decompressobj()
    size = 0
    pending = raw
    try:
        while pending and size <= cap:
            size += len(inflater.decompress(pending, _STEP))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
    except zlib.error:
        return size  # a damaged stream: PDFium reports it if it matters
    return size
