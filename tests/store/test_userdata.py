"""Bookmarks, collections, local examples and the trash, on a real library."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from safedesk.errors import LibraryError, NotFoundError
from safedesk.library import Library
from safedesk.store import database
from tests.conftest import SEED
from tests.helpers import database_at_revision

B = "nfer-2011-safeguarding-children-council-developments/"
HOSTILE_NOTES = [
    "<b>bold</b> & <img src='http://example.com/x.png'> \"quoted\" 'single'",
    "Ελληνικά, кириллица, العربية, 中文, emoji 🧒🏽 and a tab\there",
    "line one\nline two\r\nline three",
]


def _user_rows(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        rows = []
        for table in ("bookmark", "collection", "collection_item", "example"):
            rows += [(table, *r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY id")]
        return rows
    finally:
        conn.close()


@pytest.mark.parametrize("note", HOSTILE_NOTES)
def test_notes_are_stored_exactly_as_typed(library: Library, note: str) -> None:
    library.bookmark(B + "box-9", note=note)
    assert library.bookmarked(B + "box-9").note == note
    library.create_collection("Notes")
    library.add_to_collection("Notes", B + "box-9", note=note, prompts=[note])
    item = library.collection("Notes").items[0]
    assert (item.note, item.prompts) == (note, [note])


def test_bookmark_tags_merge_and_removal_goes_to_the_trash(library: Library) -> None:
    library.bookmark(B + "box-9", note="first", tags=["Reflective", "NQSW"])
    again = library.bookmark(B + "box-9", tags=["reflective", "supervision"])
    assert again.note == "first" and again.tags == ["Reflective", "NQSW", "supervision"]
    library.bookmark(B + "case-study-1/supervision")
    assert [b.key for b in library.bookmarks(tag="nqsw")] == [B + "box-9"]
    library.unbookmark(B + "box-9")
    assert library.bookmarked(B + "box-9") is None
    [entry] = library.trash()
    assert entry.kind == "bookmark"
    library.restore(entry.id)
    assert library.bookmarked(B + "box-9").note == "first"


def test_only_real_keys_can_be_bookmarked(library: Library) -> None:
    with pytest.raises(NotFoundError):
        library.bookmark(B + "box-99")


def test_collections_order_rename_duplicate_delete_restore(library: Library) -> None:
    library.create_collection("March session", "Reflective practice group")
    for n in (9, 11, 3):
        library.add_to_collection("March session", B + f"box-{n}")
    library.add_to_collection(
        "March session", B + "box-9", note="Open", prompts=["Why?"], minutes=20
    )
    library.move_in_collection("March session", B + "box-3", 1)
    c = library.collection("March session")
    assert [i.key.split("/")[-1] for i in c.items] == ["box-3", "box-9", "box-11"]
    assert (c.items[1].note, c.items[1].prompts, c.items[1].minutes) == ("Open", ["Why?"], 20)
    library.rename_collection("March session", "April session")
    copy = library.duplicate_collection("April session")
    assert copy.name == "April session (copy)" and len(copy.items) == 3
    with pytest.raises(LibraryError, match="already exists"):
        library.create_collection("april SESSION")
    library.remove_from_collection("April session", B + "box-9")
    assert [i.key.split("/")[-1] for i in library.collection("April session").items] == [
        "box-3",
        "box-11",
    ]
    library.delete_collection("April session")
    library.create_collection("April session")  # the name is free again
    trashed = next(t for t in library.trash() if t.kind == "collection")
    assert "renamed" in library.restore(trashed.id)
    assert {c.name for c in library.collections()} == {
        "April session",
        "April session (2)",
        "April session (copy)",
    }
    assert library.empty_trash() == 1  # the removed item of the restored collection
    assert library.trash() == []


def test_local_examples_are_searchable_and_collectable(library: Library) -> None:
    e = library.add_example(
        "Peer supervision circles",
        theme="3.2",
        team="North locality",
        text="Fortnightly circles.",
        outcomes="Fewer leavers.",
    )
    assert (
        e.theme.startswith("Recruiting") and e.kind == "example" and "not from a report" in e.source
    )
    hit = library.search("fortnightly circles").hits[0]
    assert (hit.key, hit.kind) == (e.key, "example")
    library.create_collection("Ideas")
    library.add_to_collection("Ideas", e.key, prompts=["Could we?"])
    assert library.collection("Ideas").items[0].kind == "example"
    library.edit_example(e.id[:8], text="Weekly huddles.")
    assert library.search("weekly huddles").hits[0].key == e.key
    assert e.key not in {h.key for h in library.search("fortnightly", limit=100).hits}
    library.remove_example(e.id)
    assert e.key not in {h.key for h in library.search("weekly huddles", limit=100).hits}
    library.restore(next(t.id for t in library.trash() if t.kind == "example"))
    assert library.search("weekly huddles").hits[0].key == e.key


def test_reimporting_the_report_leaves_user_data_untouched(library: Library) -> None:
    library.bookmark(B + "box-9", note=HOSTILE_NOTES[0], tags=["a"])
    library.create_collection("Kept")
    library.add_to_collection(
        "Kept", B + "case-study-4/working-with-schools", note="n", prompts=["p"]
    )
    library.add_example("Mine", theme="3.4", text="t")
    before = _user_rows(library.db_path)
    library.import_report(SEED)
    assert _user_rows(library.db_path) == before
    assert library.collection("Kept").items[0].linked


def test_a_library_from_the_first_schema_is_upgraded_with_a_backup(tmp_path: Path) -> None:
    db = tmp_path / "library.sqlite3"
    database_at_revision(db, "0001")
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO library_meta VALUES ('marker', 'from 0001')")
    conn.commit()
    conn.close()
    with Library.open(tmp_path, bundled=False) as lib:
        assert database.current_revision(lib.store.conn) == database.KNOWN_REVISIONS[-1]
        assert (
            lib.store.conn.execute("SELECT value FROM library_meta WHERE name='marker'").fetchone()[
                0
            ]
            == "from 0001"
        )
    [backup] = (tmp_path / "backups").glob("*-before-migration.sqlite3")
    old = sqlite3.connect(backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    old.close()
