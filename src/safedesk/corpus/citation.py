"""A citation written from a report's or document's catalogue fields, the way safedesk prints one
when the file gives none of its own or the user corrected a field:

    Northfield Safeguarding Children Partnership (2020). Responding to neglect. Northfield SCP.
    Martin, K. and White, R. (2011). Safeguarding Children (LG Group Research Report). NFER. ISBN …
"""

from __future__ import annotations

from collections.abc import Sequence


def names(authors: Sequence[str]) -> str:
    """Authors as a citation names them: "A", "A and B", "A, B and C"."""
    people = [a.strip() for a in authors if a.strip()]
    if len(people) <= 1:
        return "".join(people)
    return ", ".join(people[:-1]) + " and " + people[-1]


def cite(
    title: str,
    authors: Sequence[str],
    year: int | None,
    publisher: str | None = None,
    series: str | None = None,
    isbn: str | None = None,
) -> str:
    """Who (year). Title (series). Publisher. ISBN …; the publisher stands in for missing authors
    (and is not repeated then)."""
    publisher = (publisher or "").strip()
    who = names(authors) or publisher
    text = f"{who} " if who else ""
    text += f"({year or 'n.d.'}). {title.strip().rstrip('.')}"
    if series:
        text += f" ({series})"
    text += "."
    if publisher and publisher != who:
        text += f" {publisher.rstrip('.')}."
    if isbn:
        text += f" ISBN {isbn}."
    return text
