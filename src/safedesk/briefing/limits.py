"""How much of one text a briefing prints.

Briefings are for paper: a facilitator's note, a prompt or an item's text that runs to hundreds of
pages is not something anyone wants printed, and laying it out would keep the export busy for
minutes (ReportLab re-wraps the rest of a paragraph on every page it splits across). So each text
is printed up to `MAX_CHARS` characters and `MAX_LINES` lines, then marked `CONTINUED`; runs of
blank lines print as one; a heading or a table cell prints up to `MAX_HEADING_CHARS` characters.
Nothing is cut from the library: the whole text stays in safedesk. Every text in the bundled
reports is far under these limits (the longest is about 4,000 characters and 21 lines).
"""

from __future__ import annotations

MAX_CHARS = 12_000  # about three and a half A4 pages of body text
MAX_LINES = 200
MAX_HEADING_CHARS = 300
CONTINUED = "… (continued in safedesk)"


def excerpt(text: str, max_chars: int = MAX_CHARS, max_lines: int = MAX_LINES) -> str:
    """`text` as a briefing prints it: blank-line runs as one blank line, at most `max_chars`
    characters and `max_lines` lines, ending with `CONTINUED` when anything was left out.
    Linear in the length of `text` (it stops reading once the limit is reached)."""
    if len(text) <= max_chars and text.count("\n") < max_lines and "\n\n\n" not in text:
        return text
    kept: list[str] = []
    used = lines = 0
    cut = False
    blank = False
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end]
        start = end + 1
        if not line.strip():
            blank = bool(kept)  # one blank line between paragraphs, none at the start
            continue
        if blank:
            kept.append("")
            lines += 1
            blank = False
        room = max_chars - used
        if lines >= max_lines or room <= 0:
            cut = True
            break
        if len(line) > room:
            kept.append(_shorten(line, room))
            cut = True
            break
        kept.append(line)
        used += len(line) + 1
        lines += 1
    if cut:
        return "\n".join(kept).rstrip() + f"\n{CONTINUED}"
    return "\n".join(kept)


def heading(text: str, max_chars: int = MAX_HEADING_CHARS) -> str:
    """A title or table cell: one line, at most `max_chars` characters (ending "…" if cut)."""
    if len(text) <= max_chars and "\n" not in text:
        return text
    flat = " ".join(text.split())
    return flat if len(flat) <= max_chars else _shorten(flat, max_chars - 1) + "…"


def _shorten(line: str, room: int) -> str:
    """The start of `line`, at most `room` characters, cut at a space where there is one."""
    head = line[:room]
    space = head.rfind(" ")
    return head[:space] if space > room // 2 else head
