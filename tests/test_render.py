"""Rich text for the reading pane: every piece of report text, table cells too, goes through the
same text function, which escapes it and may mark it (glossary tooltips, search words)."""

from __future__ import annotations

from html import escape

from safedesk.render import render_html
from safedesk.views import AuthorityInfo


def test_table_cells_go_through_the_text_function() -> None:
    authority = AuthorityInfo(
        key="r/authority-a",
        report="r",
        name="Authority A",
        type="County",
        grades={"Safeguarding and LAC Inspection": "Adequate <b>", "APA (2008)": "Good"},
    )
    seen: list[str] = []

    def marked(text: str) -> str:
        seen.append(text)
        return f"<span class='t'>{escape(text)}</span>"

    html = render_html(authority, marked)
    assert {"Safeguarding and LAC Inspection", "Adequate <b>", "APA (2008)", "Good"} <= set(seen)
    assert "<span class='t'>Safeguarding and LAC Inspection</span>" in html
    assert "Adequate &lt;b&gt;" in html and "Adequate <b>" not in html
    plain = render_html(authority)  # the default still escapes
    assert "Adequate &lt;b&gt;" in plain
