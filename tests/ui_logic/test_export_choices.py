"""What the export dialog offers and the request each choice makes (Qt-free)."""

from __future__ import annotations

import pytest

from safedesk.briefing.request import BriefRequest
from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.ui.export.choices import ExportTargets, offers_for, slug

B = "nfer-2011-safeguarding-children-council-developments/"


def test_offers_follow_what_is_open(library: Library) -> None:
    library.create_collection("March")
    library.add_to_collection("March", B + "box-9")
    offers = offers_for(
        library,
        ExportTargets(key=B + "box-3", theme=B + "theme-3.1", authority=B + "authority-d",
                      collection="March"),
    )  # fmt: skip
    assert [o.kind for o in offers] == ["sheet", "theme", "authority", "pack", "handout", "seven"]
    sheet, theme, authority, pack, handout, seven = offers
    assert sheet.title.startswith("Box 3: ") and theme.title.startswith("Theme 3.1: ")
    assert authority.title == "Authority D" and pack.detail.startswith("1 item ")
    assert sheet.request("letter", True) == BriefRequest(key=B + "box-3", paper="letter")
    assert handout.request("a4", True) == BriefRequest(
        collection="March", handout=True, notes_space=False
    )
    assert theme.request("a4", True).kind == "theme"
    assert handout.suggested_name() == "march-handout.pdf"
    assert authority.suggested_name() == "authority-d-profile.pdf"
    assert seven.request("a4", True) == BriefRequest(
        key=B + "box-3", seven_minute=True, notes_space=False
    )
    assert seven.suggested_name("docx").endswith("-to-increase-7-minute-briefing.docx")


def test_findings_sections_and_themes_offer_a_seven_minute_briefing(library: Library) -> None:
    finding = offers_for(library, ExportTargets(key=B + "theme-3.1/laming-review"))
    assert [o.kind for o in finding] == ["seven"]  # not a practice sheet, which it cannot be
    assert finding[0].request("a4", False).checked().kind == "seven"
    theme = offers_for(library, ExportTargets(theme=B + "theme-3.4"))
    assert [o.kind for o in theme] == ["theme", "seven"]
    assert theme[1].request("letter", False) == BriefRequest(
        theme=B + "theme-3.4", seven_minute=True, paper="letter", notes_space=False
    )


def test_a_request_asks_for_exactly_one_thing() -> None:
    with pytest.raises(LibraryError, match="say what to brief on"):
        BriefRequest().checked()
    with pytest.raises(LibraryError, match="--handout goes with --collection"):
        BriefRequest(key="x", handout=True).checked()
    with pytest.raises(LibraryError, match="paper must be"):
        BriefRequest(key="x", paper="a5").checked()
    assert slug("../../etc/passwd") == "etc-passwd"


def test_a_sheet_is_offered_only_for_what_makes_one(library: Library) -> None:
    """A case-study section (or a theme, a finding...) is no practice: no practice sheet is
    offered for it, only what can be made (a 7-minute briefing is made for any section)."""
    section = library.get(library.case_studies()[0].sections[0].key)
    example = library.add_example(title="Peer circles", text="Fortnightly.")
    assert [o.kind for o in offers_for(library, ExportTargets(key=section.key))] == ["seven"]
    offers = offers_for(library, ExportTargets(key=section.key, authority=B + "authority-a"))
    assert "sheet" not in [o.kind for o in offers] and "authority" in [o.kind for o in offers]
    assert [o.kind for o in offers_for(library, ExportTargets(key=example.key))] == [
        "sheet",
        "seven",
    ]
    assert [o.kind for o in offers_for(library, ExportTargets(key=B + "theme-3.1"))] == ["seven"]
    with pytest.raises(LibraryError) as raised:
        library.export_brief("/nonexistent/x.pdf", key=section.key)
    assert "--" not in str(raised.value) and "practice sheet is made for" in str(raised.value)
