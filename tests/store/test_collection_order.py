"""Where dropped and moved items land in a collection (the arithmetic lives behind Library)."""

from __future__ import annotations

from safedesk.library import Library

B = "nfer-2011-safeguarding-children-council-developments/"


def _keys(library: Library) -> list[str]:
    return [i.key.removeprefix(B) for i in library.collection("S").items]


def _make(library: Library, *boxes: int) -> None:
    library.create_collection("S")
    for n in boxes:
        library.add_to_collection("S", f"{B}box-{n}")


def test_dropping_before_a_row_keeps_the_dropped_order(library: Library) -> None:
    _make(library, 1, 2, 3, 4)
    library.place_in_collection("S", [B + "box-4", B + "box-3"], before=1)
    assert _keys(library) == ["box-4", "box-3", "box-1", "box-2"]
    library.place_in_collection("S", [B + "box-4"], before=None)  # at the end
    assert _keys(library) == ["box-3", "box-1", "box-2", "box-4"]


def test_dropping_onto_a_moving_item_lands_before_the_next_other_one(library: Library) -> None:
    _make(library, 1, 2, 3)
    library.place_in_collection("S", [B + "box-1", B + "box-2"], before=2)
    assert _keys(library) == ["box-1", "box-2", "box-3"]


def test_dropping_new_practice_adds_it_where_it_was_dropped(library: Library) -> None:
    _make(library, 1, 2)
    library.place_in_collection("S", [B + "box-9"], before=2)
    assert _keys(library) == ["box-1", "box-9", "box-2"]
    assert library.collection("S").items[1].title  # a real item, with its snapshot


def test_stepping_stops_at_either_end(library: Library) -> None:
    _make(library, 1, 2, 3)
    library.step_in_collection("S", B + "box-1", -1)
    assert _keys(library) == ["box-1", "box-2", "box-3"]
    library.step_in_collection("S", B + "box-1", +1)
    assert _keys(library) == ["box-2", "box-1", "box-3"]
    library.step_in_collection("S", B + "box-3", +5)
    assert _keys(library) == ["box-2", "box-1", "box-3"]


def test_the_full_account_is_one_answer_for_the_pane_and_the_sheet(
    library: Library, tmp_path: object
) -> None:
    from pathlib import Path

    from pypdf import PdfReader

    for practice in library.practices():
        account = library.full_account(practice.key)
        assert account is not None and "/case-study-" in account, practice.number
    key = B + "box-21"
    section = library.get(library.full_account(key) or "")
    out = Path(str(tmp_path)) / "sheet.pdf"
    library.export_brief(out, key=key)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert f"section “{section.title}”" in text  # type: ignore[union-attr]
