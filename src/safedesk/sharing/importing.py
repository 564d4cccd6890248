"""Importing a collection file: all or nothing, no duplicates, clashes renamed and reported."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk.errors import NotFoundError
from safedesk.sharing.collection_file import read_collection_file
from safedesk.store.userdata import EXAMPLE_PREFIX, bump_counter, insert_row, new_uid, now

if TYPE_CHECKING:
    from safedesk.library import Library


@dataclass
class CollectionImport:
    name: str  # the collection's name in this library
    created: bool  # False: the same collection was imported before; new items were merged in
    renamed_from: str | None  # the name in the file, if a clash made us rename it
    added: int  # items added
    skipped: int  # items already there (from an earlier import of the same file)
    linked: int  # added items whose report is in this library (they show its current text)
    snapshots: int  # added items shown from the file's snapshot (their report is not here)
    examples_added: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        verb = "Created" if self.created else "Updated"
        parts = [f"{verb} collection {self.name!r}"]
        if self.renamed_from:
            parts.append(f"(renamed from {self.renamed_from!r}: that name was taken)")
        parts.append(f"{self.added} items added, {self.skipped} already there")
        if self.snapshots:
            parts.append(f"{self.snapshots} shown from the file because their report is not here")
        if self.examples_added:
            parts.append(f"{self.examples_added} local examples added")
        return "; ".join(parts)


def import_collection(lib: Library, path: Path) -> CollectionImport:
    doc = read_collection_file(path)  # everything is validated before anything is written
    user = lib._user
    reports = {r.key: r.title for r in doc.reports}
    before = lib._index_token()
    examples_added = 0
    with user.write() as conn:
        row = conn.execute(
            "SELECT * FROM collection WHERE uid = ? AND deleted_at IS NULL", (doc.collection.uid,)
        ).fetchone()
        stamp = now()
        renamed_from = None
        if row is None:
            name = user.free_name(doc.collection.name, conn)
            renamed_from = doc.collection.name if name != doc.collection.name else None
            cur = conn.execute(
                "INSERT INTO collection (uid, name, description, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (doc.collection.uid, name, doc.collection.description, stamp, stamp),
            )
            collection_id, created = cur.lastrowid, True
        else:
            collection_id, name, created = row["id"], row["name"], False
        known_examples = {r[0] for r in conn.execute("SELECT uid FROM example")}
        for ex in doc.examples:
            if ex.uid in known_examples:
                continue
            theme_key, theme_title = _theme(lib, ex.theme)
            insert_row(conn, "example", {
                "uid": ex.uid, "title": ex.title, "theme_key": theme_key,
                "theme_title": theme_title, "team": ex.team, "text": ex.text,
                "outcomes": ex.outcomes, "origin": f"shared in the collection {name!r}",
                "created_at": stamp, "updated_at": stamp,
            })  # fmt: skip
            known_examples.add(ex.uid)
            examples_added += 1
        if examples_added:
            bump_counter(conn, "examples_generation")
        have = {r[0] for r in conn.execute(
            "SELECT uid FROM collection_item WHERE collection_id = ?", (collection_id,)
        )}  # fmt: skip
        position = conn.execute(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM collection_item "
            "WHERE collection_id = ? AND deleted_at IS NULL",
            (collection_id,),
        ).fetchone()[0]
        added = skipped = linked = 0
        for item in doc.items:
            if item.uid in have:
                skipped += 1
                continue
            is_here = _exists(lib, item.key)
            linked += is_here
            insert_row(conn, "collection_item", {
                "uid": item.uid or new_uid(), "collection_id": collection_id, "position": position,
                "key": item.key, "title": item.title, "text": item.text,
                "report_key": item.report, "report_title": reports.get(item.report, ""),
                "note": item.note, "prompts": json.dumps(item.prompts), "minutes": item.minutes,
                "created_at": stamp,
            })  # fmt: skip
            have.add(item.uid)
            position += 1
            added += 1
        conn.execute("UPDATE collection SET updated_at = ? WHERE id = ?", (stamp, collection_id))
    if examples_added:
        lib._examples_changed(before)
    return CollectionImport(
        name=name, created=created, renamed_from=renamed_from, added=added, skipped=skipped,
        linked=linked, snapshots=added - linked, examples_added=examples_added,
    )  # fmt: skip


def _exists(lib: Library, key: str) -> bool:
    if key.startswith(EXAMPLE_PREFIX):
        return lib._user.example(key.removeprefix(EXAMPLE_PREFIX)) is not None
    try:
        lib.get(key)
    except NotFoundError:
        return False
    return True


def _theme(lib: Library, title: str) -> tuple[str, str]:
    """The local theme with this title, if there is one (examples keep the title either way)."""
    if not title:
        return "", ""
    for theme in lib.themes():
        if theme.title.casefold() == title.casefold():
            return theme.key, theme.title
    return "", title
