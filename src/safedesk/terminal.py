"""Text on its way to a terminal: control characters made visible, so that nothing a report or a
colleague's collection file says can drive the terminal.

A title holding ESC[2J would clear the screen, OSC 0 would retitle the window, OSC 8 would plant
a hidden link, a carriage return would print over what came before it. `visible` replaces every
C0 control but newline and tab, DEL, every C1 control and the Unicode bidirectional overrides and
isolates (which reorder what is shown) with an escape that shows what was there (`\\x1b`,
`\\x9b`, `\\u202e`). The CLI wraps stdout and stderr in `SafeStream` once, in `cli.main`, so no
command can forget; `dumps` writes JSON whose strings keep their exact values (they only use
JSON's own `\\u` escapes for those characters).
"""

from __future__ import annotations

import json
from typing import Any, TextIO

KEPT = "\n\t"  # what the layout of plain-text output needs
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]  # embeddings, overrides, isolates
_C0_C1 = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
_VISIBLE = {
    code: (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")
    for code in [*_C0_C1, *_BIDI]
    if chr(code) not in KEPT
}
# JSON already escapes C0; these it would write raw (valid JSON, but raw in a terminal)
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in [0x7F, *range(0x80, 0xA0), *_BIDI]}


def visible(text: str) -> str:
    """`text` with control characters replaced by visible escapes (newline and tab kept)."""
    return text.translate(_VISIBLE)


def dumps(data: Any) -> str:
    """`data` as indented JSON, exact when parsed back, with no raw control character in it."""
    return json.dumps(data, ensure_ascii=False, indent=2).translate(_JSON_ESCAPES)


class SafeStream:
    """A text stream that writes `visible(text)` to the stream it wraps; anything else (flush,
    isatty, encoding, fileno...) is the wrapped stream's. `raw` is the wrapped stream, for the
    CLI's own control output (the carriage return of a progress line)."""

    def __init__(self, raw: TextIO) -> None:
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(visible(text))
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)


def raw(stream: TextIO | SafeStream) -> TextIO:
    """The real stream under `stream` (itself if it is not wrapped)."""
    return stream.raw if isinstance(stream, SafeStream) else stream
