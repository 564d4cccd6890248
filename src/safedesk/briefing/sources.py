"""What every briefing looks up about its sources: the report (and the line naming it), one
theme by key or number, and a report's factors most like some text."""

from __future__ import annotations

from safedesk.errors import LibraryError
from safedesk.interfaces import Source
from safedesk.search.related import word_overlap
from safedesk.views import Item, ReportDetail, ThemeInfo


def source_line(report: ReportDetail) -> str:
    who = report.publisher_short or report.publisher or ""
    return f"{report.title} ({report.year}), {who}".strip().rstrip(",")


def report_of(lib: Source, key: str) -> ReportDetail:
    detail = lib.report_detail(key)
    if detail is None:
        raise LibraryError(f"the report {key!r} is not in the library")
    return detail


def one_theme(lib: Source, theme_key: str) -> ThemeInfo:
    keys = lib.resolve("theme", theme_key)
    if len(keys) != 1:
        raise LibraryError(f"{theme_key!r} matches {len(keys)} themes; give the theme's key")
    theme = lib.get(keys[0])
    assert isinstance(theme, ThemeInfo)
    return theme


def related_factors(lib: Source, report: str, kind: str, context: str) -> list[Item]:
    """The report's supporting factors (or barriers) most like `context`, best first."""
    factors = [f for f in lib.factors(report) if f.kind == kind]
    return sorted(factors, key=lambda f: -word_overlap(context, f.text))
