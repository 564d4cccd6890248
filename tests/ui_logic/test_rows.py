"""The list's rows, built from library views without a window (Qt-free)."""

from __future__ import annotations

from safedesk.library import Library
from safedesk.ui.rows import (
    EDIT_ITEM,
    EDIT_STEP,
    SORTS,
    Row,
    bookmark_row,
    collection_rows,
    example_row,
    hit_row,
    label_of,
    marked,
    passes,
    plan_status,
    practice_row,
    trash_row,
)

B = "nfer-2011-safeguarding-children-council-developments/"


def test_a_practice_row_names_its_box_authority_and_numbered_theme(library: Library) -> None:
    box = next(p for p in library.practices() if p.key == B + "box-9")
    row = practice_row(box)
    assert row.title == f"Box 9: {box.title}"
    assert row.meta == f"{box.authority} · {box.theme_number} {box.theme}"
    assert (row.theme, row.authority, row.number) == (box.theme_key, box.authority_key, 9)
    assert label_of(row, "theme") == f"{box.theme_number} {box.theme}"


def test_a_hit_row_carries_facet_keys_per_report_and_the_snippet(library: Library) -> None:
    result = library.search("reflective practice", limit=5)
    labels = {(t.report, t.title): f"{t.number} {t.title}" for t in library.themes()}
    hit = next(h for h in result.hits if h.kind == "practice")
    row = hit_row(hit, labels)
    assert row.title.startswith(f"Box {hit.number}: ")
    assert row.snippet == hit.snippet and "[" in row.snippet
    assert row.theme == f"{hit.report}|{hit.theme}"
    assert row.theme_label == labels[(hit.report, hit.theme or "")]
    other = next(h for h in result.hits if h.kind != "practice")
    assert hit_row(other, labels).title == other.title  # only boxes are named by number


def test_collection_rows_follow_the_order_with_timing_note_and_prompts(library: Library) -> None:
    library.create_collection("March")
    library.add_to_collection("March", B + "box-9", note="start here", minutes=20)
    library.add_to_collection("March", B + "box-3", prompts=["Who supervises?", "How often?"])
    rows = collection_rows(library.collection("March"))
    assert [r.key for r in rows] == [B + "box-9", B + "box-3"]
    assert rows[0].title.startswith("1. Box 9: ") and rows[1].title.startswith("2. Box 3: ")
    assert rows[0].meta == (
        "Authority D · 3.2 Recruiting, retaining and maintaining a highly competent workforce"
        " · 20 min · start here"
    )
    assert rows[1].meta.endswith("no time set")
    assert rows[1].snippet == "? Who supervises?\n? How often?"
    assert {r.button for r in rows} == {EDIT_ITEM}


def test_a_planned_collection_shows_clock_times_steps_and_where_items_come_from(
    library: Library,
) -> None:
    library.create_collection("Oversight")
    library.add_to_collection("Oversight", B + "theme-3.1/laming-review", minutes=15)
    library.add_to_collection("Oversight", B + "case-study-1/supervision", minutes=20)
    library.plan_collection("Oversight", length=30, start="14:00")
    library.add_step("Oversight", "Break", 5, position=2, instructions="Tea <and> cake")
    c = library.collection("Oversight")
    rows = collection_rows(c)
    assert [r.title for r in rows] == [
        "14:00  1. Laming review · 3.1 Leadership and management",
        "14:15  2. Break",
        "14:20  3. Supervision · Case study 1, Authority A",
    ]
    assert rows[1].row_kind == "step" and rows[1].button == EDIT_STEP
    assert rows[1].meta == "Agenda step · 5 min · Tea <and> cake"
    assert plan_status(c) == "Total 40 of 30 min (10 over) · 14:00–14:40"


def test_bookmark_example_and_trash_rows(library: Library) -> None:
    mark = library.bookmark(B + "box-9", note="n" * 300, tags=["a", "b"])
    row = bookmark_row(mark)
    assert (row.meta, len(row.snippet)) == ("a, b", 160)
    example = library.add_example("Our huddle", theme="3.2", team="North team")
    assert example_row(example).meta == f"North team · {example.theme}"
    assert example_row(example).kind == "example"
    library.unbookmark(B + "box-9")
    entry = library.trash()[0]
    row = trash_row(entry)
    assert (row.key, row.row_kind) == (entry.id, "trash")
    assert "T" not in row.meta and len(row.meta) == 16


def test_filters_sorts_and_marks() -> None:
    rows = [
        Row("k1", "Box 10: Beta", number=10, theme="t1", authority_label="Authority B", order=0),
        Row("k2", "Box 2: Alpha", number=2, theme="t2", authority_label="Authority A", order=1),
    ]
    assert [r.key for r in sorted(rows, key=SORTS["Box number"])] == ["k2", "k1"]
    assert [r.key for r in sorted(rows, key=SORTS["Title"])] == ["k2", "k1"]
    assert [r.key for r in sorted(rows, key=SORTS["Authority"])] == ["k2", "k1"]
    assert [r.key for r in sorted(rows, key=SORTS["Relevance"])] == ["k1", "k2"]
    assert [r.key for r in rows if passes(r, {"theme": "t2", "kind": ""})] == ["k2"]
    assert marked("a [b] <i>&") == "a <b>b</b> &lt;i&gt;&amp;"
