"""Error messages in the app's words. The library's errors are written for both the command line
and the app, and some end with a command-line hint ("see `safedesk collections`"); in a window
those hints mean nothing, so the app leaves them out."""

from __future__ import annotations

import re

_COMMAND = re.compile(r"`safedesk\b[^`]*`|(?<![\w-])--[a-z][\w-]*")
_BRACKETED = re.compile(r"\s*\([^()]*\)")


def for_the_app(message: str) -> str:
    """`message` without the parts that name a command or an option of the command line: a
    bracketed aside, a clause after a semicolon, or a sentence. Unchanged if nothing is left."""
    if not _COMMAND.search(message):
        return message
    text = _BRACKETED.sub(lambda m: "" if _COMMAND.search(m.group()) else m.group(), message)
    lines = []
    for line in text.split("\n"):
        sentences = []
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            clauses = [c for c in sentence.split(";") if not _COMMAND.search(c)]
            kept = ";".join(clauses).strip()
            if kept:
                end = sentence.rstrip()[-1:] if sentence.rstrip()[-1:] in ".!?" else ""
                sentences.append(kept if kept.endswith((".", "!", "?")) or not end else kept + end)
        lines.append(" ".join(sentences))
    result = "\n".join(lines).strip()
    return result or message
