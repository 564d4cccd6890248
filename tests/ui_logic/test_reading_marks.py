"""What the reading pane marks and links, as HTML, without a window (Qt-free)."""

from __future__ import annotations

from safedesk.library import Library
from safedesk.ui.reading import Emphasis, TextMarker, emphasis_for, key_of_link, reading_html

B = "nfer-2011-safeguarding-children-council-developments/"


def test_searched_words_filters_and_exclusions() -> None:
    emphasis = emphasis_for('supervision theme:"Partnership working" -police superv', typing=True)
    assert emphasis.matches("Supervisions") and emphasis.matches("supervisor")  # the prefix
    assert not emphasis.matches("police") and not emphasis.matches("partnership")
    finished = emphasis_for("reflective practice ", typing=True)
    assert finished.prefixes == () and finished.matches("practices")


def test_the_marker_escapes_marks_and_explains(library: Library) -> None:
    marker = TextMarker(Emphasis(frozenset({"supervis"})), library.glossary_index(), "#ff0")
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
