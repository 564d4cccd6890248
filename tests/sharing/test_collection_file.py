"""Collection files: fields round-trip, re-imports add nothing, hostile files change nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.sharing.collection_file import MAX_FILE_BYTES, MAX_ITEMS, CollectionFileError
from tests.helpers import dump_database

B = "nfer-2011-safeguarding-children-council-developments/"
NOTE = '<b>Facilitator</b> & "quotes" — Ελληνικά кириллица 🧒'


@pytest.fixture
def shared(library: Library, tmp_path: Path) -> Path:
    library.create_collection("March session", "Reflective <group> & co")
    library.add_to_collection(
        "March session", B + "box-9", note=NOTE, prompts=["Why?", NOTE], minutes=20
    )
    library.add_to_collection("March session", B + "case-study-4/working-with-schools")
    example = library.add_example(
        "Peer circles", theme="3.2", team="North", text="Circles.", outcomes="Less churn."
    )
    library.add_to_collection("March session", example.key, prompts=["Could we?"])
    return library.export_collection("March session", tmp_path / "march.json")


def test_the_file_is_documented_json(shared: Path) -> None:
    data = json.loads(shared.read_text("utf-8"))
    assert (data["format"], data["schema"]) == ("safedesk-collection", 1)
    assert data["reports"][0]["citation"].endswith("Slough: NFER.")
    first = data["items"][0]
    assert first["title"].startswith("Developing reflective practice") and first["text"]
    assert data["examples"][0]["title"] == "Peer circles"


def test_round_trip_of_every_field_into_a_library_without_the_report(
    shared: Path, tmp_path: Path
) -> None:
    with Library.open(tmp_path / "colleague", bundled=False) as other:
        result = other.import_collection(shared)
        assert (result.created, result.added, result.skipped, result.snapshots) == (True, 3, 0, 2)
        c = other.collection("March session")
        assert c.description == "Reflective <group> & co"
        first, second, third = c.items
        assert (first.note, first.prompts, first.minutes) == (NOTE, ["Why?", NOTE], 20)
        assert first.title.startswith("Developing reflective practice") and not first.linked
        assert first.report_title == "Safeguarding Children: Council Developments"
        assert second.key == B + "case-study-4/working-with-schools" and not second.linked
        assert third.linked and third.prompts == ["Could we?"]
        [example] = other.examples()
        assert (example.title, example.team, example.text, example.outcomes) == (
            "Peer circles",
            "North",
            "Circles.",
            "Less churn.",
        )
        assert "shared" in example.origin
        row = other.store.collections.items(
            other.store.collections.collection("March session")["id"]
        )[0]
        assert "Group sessions on reflective practice" in row["text"]  # the snapshot travelled


def test_in_a_library_with_the_report_items_link_to_it(
    shared: Path, tmp_path: Path, library_template: Path
) -> None:
    import shutil

    shutil.copytree(library_template, tmp_path / "colleague")
    with Library.open(tmp_path / "colleague") as other:
        result = other.import_collection(shared)
        assert (result.linked, result.snapshots) == (3, 0)
        assert all(i.linked for i in other.collection("March session").items)


def test_importing_twice_adds_nothing_and_a_name_clash_is_renamed(
    shared: Path, tmp_path: Path
) -> None:
    with Library.open(tmp_path / "colleague", bundled=False) as other:
        other.create_collection("March session", "someone else's")
        first = other.import_collection(shared)
        assert (first.name, first.renamed_from) == ("March session (2)", "March session")
        again = other.import_collection(shared)
        assert (again.created, again.added, again.skipped) == (False, 0, 3)
        assert len(other.examples()) == 1
        assert [c.name for c in other.collections()] == ["March session", "March session (2)"]


def test_export_to_a_missing_folder_fails_cleanly(
    library: Library, shared: Path, tmp_path: Path
) -> None:
    with pytest.raises(LibraryError, match="does not exist"):
        library.export_collection("March session", tmp_path / "nope" / "x.json")
    assert not list((tmp_path / "nope").parent.glob(".*.partial"))


def _valid(shared: Path) -> dict[str, Any]:
    return json.loads(shared.read_text("utf-8"))


def _hostile(shared: Path) -> dict[str, bytes]:
    doc = _valid(shared)
    many = dict(doc, items=[dict(doc["items"][0], uid=f"u{i}") for i in range(MAX_ITEMS + 1)])
    return {
        "empty": b"",
        "random bytes": bytes(range(256)) * 8,
        "not the format": json.dumps({"hello": "world"}).encode(),
        "a list": b"[1, 2, 3]",
        "newer schema": json.dumps(dict(doc, schema=2)).encode(),
        "deeply nested": b"[" * 50_000 + b"]" * 50_000,
        "nested in a string is fine but wrong type": json.dumps(dict(doc, items="[[[[")).encode(),
        "wrong types": json.dumps(dict(doc, collection=dict(doc["collection"], name=42))).encode(),
        "string minutes": json.dumps(
            dict(doc, items=[dict(doc["items"][0], minutes="20")])
        ).encode(),
        "absurd minutes": json.dumps(
            dict(doc, items=[dict(doc["items"][0], minutes=10**9)])
        ).encode(),
        "absurd counts": json.dumps(many).encode(),
        "bad uid": json.dumps(dict(doc, items=[dict(doc["items"][0], uid="../../etc")])).encode(),
        "truncated": shared.read_bytes()[: len(shared.read_bytes()) // 2],
    }


@pytest.mark.parametrize("case", [
    "empty", "random bytes", "not the format", "a list", "newer schema", "deeply nested",
    "nested in a string is fine but wrong type", "wrong types", "string minutes", "absurd minutes",
    "absurd counts", "bad uid", "truncated",
])  # fmt: skip
def test_hostile_files_are_refused_and_change_nothing(
    shared: Path, tmp_path: Path, case: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(_hostile(shared)[case])
    with Library.open(tmp_path / "colleague", bundled=False) as other:
        other.create_collection("Existing")
        before = dump_database(other.db_path)
        with pytest.raises(CollectionFileError) as error:
            other.import_collection(bad)
        assert "\n" not in str(error.value) and "bad.json" in str(error.value)
        assert dump_database(other.db_path) == before


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    with (
        Library.open(tmp_path / "lib", bundled=False) as lib,
        pytest.raises(CollectionFileError, match="MiB"),
    ):
        lib.import_collection(big)


def _plan(library: Library) -> None:
    library.plan_collection("March session", length=60, start="13:30")
    library.add_step("March session", "Welcome", 5, position=1, instructions=NOTE)
    library.add_step("March session", "Break", 10, position=3)
    library.record_session(
        "March session", "2026-12-10", team="North", attendees=7, note=NOTE,
        actions=[f"{NOTE}|Sam|2027-01-15"],
    )  # fmt: skip


def test_the_plan_and_steps_travel_and_records_only_when_asked(
    library: Library, shared: Path, tmp_path: Path
) -> None:
    _plan(library)
    plain = library.export_collection("March session", tmp_path / "plain.json")
    data = json.loads(plain.read_text("utf-8"))
    assert data["schema"] == 1 and data["plan"] == {"length": 60, "start": "13:30"}
    assert [(s["title"], s["position"]) for s in data["steps"]] == [("Welcome", 0), ("Break", 2)]
    assert "records" not in data  # a team's discussion notes stay home unless asked for
    full = library.export_collection("March session", tmp_path / "full.json", with_records=True)
    mine = library.collection("March session")
    with Library.open(tmp_path / "colleague", bundled=False) as other:
        result = other.import_collection(full)
        assert (result.steps_added, result.records_added) == (2, 1)
        c = other.collection("March session")
        assert [(e.kind, e.starts_at, e.minutes) for e in c.steps] == [
            (e.kind, e.starts_at, e.minutes) for e in mine.steps
        ]
        assert (c.length, c.start, c.steps[0].instructions) == (60, "13:30", NOTE)
        [record] = other.sessions()
        assert (record.note, record.actions[0].what, record.actions[0].due) == (
            NOTE, NOTE, "2027-01-15"
        )  # fmt: skip
        again = other.import_collection(full)
        assert (again.added, again.steps_added, again.records_added) == (0, 0, 0)
        assert len(other.collection("March session").steps) == 5


def test_a_schema_1_file_without_a_plan_still_imports(shared: Path, tmp_path: Path) -> None:
    data = json.loads(shared.read_text("utf-8"))
    for newer in ("plan", "steps"):
        data.pop(newer)
    shared.write_text(json.dumps(data), "utf-8")
    with Library.open(tmp_path / "colleague", bundled=False) as other:
        other.import_collection(shared)
        c = other.collection("March session")
        assert (c.length, c.start) == (None, None) and {e.kind for e in c.steps} == {"item"}


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("plan", {"length": 90, "start": "25:00"}),
        ("steps", [{"uid": "a1", "title": "", "minutes": 5}]),
        ("steps", [{"uid": "a1", "title": "Break", "minutes": -5}]),
        ("records", [{"uid": "r1", "date": "10/12/2026"}]),
        ("records", [{"uid": "r1", "date": "2026-12-10", "actions": [{"uid": "x", "what": ""}]}]),
    ],
)
def test_bad_plans_steps_and_records_are_refused_whole(
    library: Library, shared: Path, part: str, value: Any
) -> None:
    data = json.loads(shared.read_text("utf-8"))
    data["collection"]["uid"] = "another"
    data[part] = value
    shared.write_text(json.dumps(data), "utf-8")
    before = dump_database(library.db_path)
    with pytest.raises(CollectionFileError, match="is damaged"):
        library.import_collection(shared)
    assert dump_database(library.db_path) == before
