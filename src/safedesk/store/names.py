"""Turning what people type ("3.2", "Partnership working", "Authority D", "nfer") into keys."""

from __future__ import annotations

from safedesk.errors import NotFoundError
from safedesk.store.reader import Reader


def report_key(reader: Reader, value: str | None) -> str | None:
    """The key of the one report `value` names (its key, or part of its key or title)."""
    if not value:
        return None
    reports = reader.reports()
    for r in reports:
        if value == r.key:
            return r.key
    wanted = value.strip().lower()
    matches = [r.key for r in reports if wanted in r.key or wanted in r.title.lower()]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(f"no report matches {value!r}; see `safedesk reports`")
    raise NotFoundError(f"{value!r} matches several reports ({', '.join(matches)}); give its key")


def resolve(reader: Reader, what: str, value: str | None, report: str | None) -> list[str] | None:
    """Theme or authority keys (`what`) for a key, number, name or title as a user would type it;
    None for no value, NotFoundError if nothing matches."""
    if not value:
        return None
    wanted = value.strip().lower()
    if what == "theme":
        options = [
            (t.key, [t.key, t.number, t.title, t.key.split("/")[-1]]) for t in reader.themes(report)
        ]
    else:
        options = [
            (a.key, [a.key, a.name, a.key.split("/")[-1]]) for a in reader.authorities(report)
        ]
    matches = [key for key, names in options if wanted in (n.lower() for n in names)]
    if not matches:
        matches = [key for key, names in options if any(wanted in n.lower() for n in names[2:3])]
    if not matches:
        raise NotFoundError(
            f"no {what} matches {value!r}; see `safedesk {what.replace('y', 'ie')}s`"
        )
    return matches
