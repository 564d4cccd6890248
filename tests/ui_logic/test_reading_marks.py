"""What the reading pane marks and links, as HTML, without a window (Qt-free)."""

from __future__ import annotations

from safedesk.library import Library
from safedesk.ui.reading import Emphasis, TextMarker, key_of_link, reading_html

B = "nfer-2011-safeguarding-children-council-developments/"


def _marked(library: Library, query: str, text: str, typing: bool = False) -> list[str]:
    """The pieces of `text` the reading pane marks after searching for `query`."""
    import re

    search = library.search_as_you_type if typing else library.search
    html = TextMarker(Emphasis.of(search(query)), None, "#ff0")(text)
    return re.findall(r'<span style="background-color: #ff0">([^<]*)</span>', html)


def test_marks_come_from_what_the_search_matched(library: Library) -> None:
    text = "Supervisions and a supervisor; police partnership; reflective practice here."
    marked = _marked(library, 'supervision theme:"Partnership working" -police', text)
    assert "Supervisions" in marked and "police" not in marked and "partnership" not in marked
    assert _marked(library, "superv", text, typing=True)[:2] == ["Supervisions", "supervisor"]
    assert _marked(library, '"reflective practice"', text) == ["reflective practice"]  # one span


def test_the_marker_escapes_marks_and_explains(library: Library) -> None:
    marker = TextMarker(
        Emphasis.of(library.search("supervision")), library.glossary_index(), "#ff0"
    )
    html = marker("<b>LAC</b> & supervision")
    assert html.startswith("&lt;b&gt;")
    assert '<span style="background-color: #ff0">supervision</span>' in html
    assert 'title="LAC: looked after children' in html


def test_a_practice_links_to_its_full_account(library: Library) -> None:
    html = reading_html(library, library.get(B + "box-21"), TextMarker())
    account = library.full_account(B + "box-21")
    assert account is not None and account.startswith(B + "case-study")
    assert f'href="safedesk:{account}"' in html
    assert key_of_link(f"safedesk:{account}") == account
    assert key_of_link("https://example.org") is None
