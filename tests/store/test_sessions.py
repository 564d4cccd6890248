"""Session plans, agenda steps in one running order with the items, records of sessions and
their actions, on a real library: clock arithmetic, the trash, short ids, and durability."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from safedesk.errors import LibraryError, NotFoundError
from safedesk.library import Library
from safedesk.sessionlib import action_status, parse_action

B = "nfer-2011-safeguarding-children-council-developments/"
FINDING = B + "theme-3.1/laming-review"
SECTION = B + "case-study-1/supervision"


@pytest.fixture
def planned(library: Library) -> Library:
    library.create_collection("Oversight", "Management oversight and supervision")
    library.add_to_collection("Oversight", B + "box-3", minutes=20)
    library.add_to_collection("Oversight", FINDING, minutes=15)
    library.add_to_collection("Oversight", SECTION, minutes=25)
    library.plan_collection("Oversight", length=90, start="9:30")
    library.add_step("Oversight", "Welcome", 10, position=1, instructions="Names and roles")
    library.add_step("Oversight", "Break", 10, position=4)
    return library


def _order(lib: Library) -> list[tuple[str, str | None, str]]:
    return [(e.kind, e.starts_at, e.title) for e in lib.collection("Oversight").steps]


def test_the_running_order_has_clock_times_and_a_total_against_the_target(
    planned: Library,
) -> None:
    c = planned.collection("Oversight")
    assert _order(planned) == [
        ("step", "09:30", "Welcome"),
        ("item", "09:40", "Box 3: Restructuring of social care teams to increase management "
                          "oversight"),
        ("item", "10:00", "Laming review · 3.1 Leadership and management"),
        ("step", "10:15", "Break"),
        ("item", "10:25", "Supervision · Case study 1, Authority A"),
    ]  # fmt: skip
    assert (c.length, c.start, c.total_minutes, c.over_by, c.ends_at) == (
        90, "09:30", 80, -10, "10:50"
    )  # fmt: skip
    assert c.warnings == ["The plan is 10 minutes short of the 90-minute target."]
    planned.add_step("Oversight", "Activity: audit a case", 25, position=5)
    c = planned.collection("Oversight")
    assert (c.total_minutes, c.over_by) == (105, 15)
    assert c.warnings == ["The plan runs 15 minutes over the 90-minute target."]
    assert [e.position for e in c.steps] == [1, 2, 3, 4, 5, 6]
    data = c.to_json()
    assert {"length", "start", "total_minutes", "over_by"} <= set(data)
    assert [s["kind"] for s in data["steps"]] == ["step", "item", "item", "step", "step", "item"]
    assert data["steps"][0]["starts_at"] == "09:30" and data["steps"][-1]["starts_at"] == "10:50"


def test_items_say_where_they_come_from(planned: Library) -> None:
    items = {i.key: i for i in planned.collection("Oversight").items}
    assert items[FINDING].context == "3.1 Leadership and management"
    assert items[SECTION].label == "Supervision · Case study 1, Authority A"
    assert items[B + "box-3"].context == "Authority D · 3.1 Leadership and management"


def test_no_start_time_no_clock_times_and_untimed_items_are_named(library: Library) -> None:
    library.create_collection("Loose")
    library.add_to_collection("Loose", B + "box-1")
    library.add_step("Loose", "Welcome", 5)
    c = library.collection("Loose")
    assert [e.starts_at for e in c.steps] == [None, None] and c.over_by is None
    assert [e.elapsed for e in c.steps] == [0, 0]
    assert c.warnings == ["1 item has no time set (counted as 0 minutes)."]
    library.plan_collection("Loose", start="14")
    assert library.collection("Loose").start == "14:00"
    library.plan_collection("Loose", start="none", length=0)
    c = library.collection("Loose")
    assert (c.start, c.length) == (None, None)


@pytest.mark.parametrize("bad", ["25:00", "9:75", "half past nine", "", "9:3"])
def test_start_times_that_are_not_times_are_refused(library: Library, bad: str) -> None:
    library.create_collection("T")
    if bad == "":
        library.plan_collection("T", start=bad)  # clears
        return
    with pytest.raises(LibraryError, match="not a time of day"):
        library.plan_collection("T", start=bad)


def test_steps_are_edited_moved_and_removed_by_id_or_place(planned: Library) -> None:
    welcome = planned.collection("Oversight").steps[0]
    assert welcome.id is not None and len(welcome.id) == 8
    moved = planned.move_step("Oversight", welcome.id, 3)
    assert moved.position == 3 and moved.starts_at == "10:05"
    edited = planned.edit_step("Oversight", "3", title="Welcome back", minutes=5)
    assert (edited.title, edited.minutes, edited.instructions) == (
        "Welcome back", 5, "Names and roles"
    )  # fmt: skip
    planned.edit_step("Oversight", welcome.id[:4], instructions="")
    assert planned.collection("Oversight").steps[2].instructions == ""
    with pytest.raises(NotFoundError, match="not an agenda step"):
        planned.edit_step("Oversight", "1", minutes=1)  # entry 1 is an item now
    with pytest.raises(LibraryError, match="needs a title"):
        planned.add_step("Oversight", "   ", 5)
    with pytest.raises(LibraryError, match="between 0 and 1440"):
        planned.add_step("Oversight", "Long", 2000)
    planned.remove_step("Oversight", welcome.id)
    assert [e.title for e in planned.collection("Oversight").steps].count("Welcome back") == 0


def test_restoring_puts_items_and_steps_back_in_their_place(planned: Library) -> None:
    before = _order(planned)
    planned.remove_from_collection("Oversight", FINDING)
    break_ref = planned.collection("Oversight").steps[2].ref
    assert break_ref.startswith("step:")
    planned.remove_from_collection("Oversight", break_ref)
    labels = {t.label for t in planned.trash()}
    assert "Step in Oversight: Break" in labels
    for entry in planned.trash():
        planned.restore(entry.id)
    assert _order(planned) == before


def test_moving_items_counts_steps_and_steps_can_be_dragged(planned: Library) -> None:
    planned.move_in_collection("Oversight", SECTION, 1)
    assert planned.collection("Oversight").steps[0].key == SECTION
    step = planned.collection("Oversight").steps[1].ref  # Welcome
    planned.place_in_collection("Oversight", [step], before=None)
    assert planned.collection("Oversight").steps[-1].title == "Welcome"
    planned.step_in_collection("Oversight", step, -1)
    assert planned.collection("Oversight").steps[-2].title == "Welcome"


def test_duplicating_copies_the_plan_and_steps(planned: Library) -> None:
    copy = planned.duplicate_collection("Oversight")
    assert [(e.kind, e.starts_at, e.title) for e in copy.steps] == _order(planned)
    assert (copy.length, copy.start) == (90, "09:30")
    assert {e.id for e in copy.steps if e.id}.isdisjoint(
        {e.id for e in planned.collection("Oversight").steps if e.id}
    )


def test_a_record_keeps_what_was_covered_and_its_actions(planned: Library) -> None:
    soon = (date.today() + timedelta(days=3)).isoformat()
    record = planned.record_session(
        "Oversight", "2026-12-10", team="North locality", attendees=8,
        note="<b>Supervision</b> & reflection", actions=[
            "Book group supervision|Sam|2020-01-15", ("Share Box 3", "Priya", soon), "Read it",
        ],
    )  # fmt: skip
    assert (record.date, record.team, record.attendees) == ("2026-12-10", "North locality", 8)
    assert record.covered[0] == "Welcome" and len(record.covered) == 5
    assert [a.status for a in record.actions] == ["overdue", "due", "open"]
    assert len(record.id) == 8 and all(len(a.id) == 8 for a in record.actions)
    done = planned.action_done(record.actions[0].id[:5])
    assert done.status == "done" and done.done_at
    assert [a.what for a in planned.actions(open_only=True)] == ["Share Box 3", "Read it"]
    assert planned.action_done(done.id, done=False).status == "overdue"
    added = planned.add_action(record.id, "Audit five cases", "Lee", "2027-02-01")
    assert planned.session(record.id).actions[-1] == added
    planned.delete_collection("Oversight")
    [kept] = planned.sessions()
    assert kept.collection == "Oversight" and not kept.linked  # the record outlives it
    planned.empty_trash()
    assert planned.session(record.id).note == "<b>Supervision</b> & reflection"


def test_records_go_to_the_trash_with_their_actions(planned: Library) -> None:
    record = planned.record_session("Oversight", actions=["One|A|2027-01-01"])
    assert record.date == date.today().isoformat()
    planned.remove_action(record.actions[0].id)
    planned.remove_session(record.id)
    assert planned.sessions() == [] and planned.actions() == []
    kinds = sorted(t.kind for t in planned.trash())
    assert kinds == ["session"]  # the action went with its record
    planned.restore(next(t.id for t in planned.trash()))
    assert planned.sessions()[0].actions == []  # removed before: still in the trash
    assert [t.kind for t in planned.trash()] == ["action"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Book supervision|Sam|2027-01-15", ("Book supervision", "Sam", "2027-01-15")),
        ("Book supervision", ("Book supervision", "", None)),
        (" Read | | ", ("Read", "", None)),
    ],
)
def test_actions_as_typed(text: str, expected: tuple[str, str, str | None]) -> None:
    assert parse_action(text) == expected


@pytest.mark.parametrize("text", ["|Sam|2027-01-15", "a|b|15/01/2027", "a|b|c|d"])
def test_malformed_actions_are_refused(text: str) -> None:
    with pytest.raises(LibraryError):
        parse_action(text)


def test_action_status_by_date() -> None:
    today = date(2026, 12, 10)
    assert action_status("2026-12-09", None, today) == "overdue"
    assert action_status("2026-12-10", None, today) == "due"
    assert action_status("2026-12-17", None, today) == "due"
    assert action_status("2026-12-18", None, today) == "open"
    assert action_status("2026-12-01", "2026-12-02T10:00", today) == "done"


def test_bad_records_change_nothing(planned: Library) -> None:
    for bad in ({"held_on": "10/12/2026"}, {"attendees": -1}, {"actions": ["|nobody"]}):
        with pytest.raises(LibraryError):
            planned.record_session("Oversight", **bad)  # type: ignore[arg-type]
    assert planned.sessions() == []


def test_short_example_ids_and_old_long_ones_still_work(library: Library, data_dir: Path) -> None:
    new = library.add_example("Peer circles", team="North")
    assert len(new.id) == 8 and new.key == f"my-examples/{new.id}"
    old_uid = "0123456789abcdef0123456789abcdef"
    conn = sqlite3.connect(data_dir / "library.sqlite3")
    with conn:
        conn.execute(
            "INSERT INTO example (uid, title, theme_key, theme_title, team, text, outcomes, "
            "origin, created_at, updated_at) VALUES (?, 'Old one', '', '', '', 'x', '', '', "
            "'2026-01-01', '2026-01-01')",
            (old_uid,),
        )
    conn.close()
    assert library.get(f"my-examples/{old_uid}").title == "Old one"
    assert library.example(old_uid[:6]).title == "Old one"
    library.create_collection("Mine")
    library.add_to_collection("Mine", f"my-examples/{old_uid}")
    assert library.collection("Mine").items[0].title == "Old one"
