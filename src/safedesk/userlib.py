"""The user-data half of `Library`: bookmarks, collections, local examples and the trash.

Mixed into `Library`; every method here is part of the public Python API (see the README).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from safedesk.errors import LibraryError, NotFoundError
from safedesk.planning import label_of, where_from
from safedesk.search.lifecycle import IndexKeeper
from safedesk.store.collections import Snapshot
from safedesk.store.local import LocalStore
from safedesk.store.reader import Document
from safedesk.store.running_order import STEP_PREFIX, is_step
from safedesk.store.userdata import EXAMPLE_PREFIX
from safedesk.views import (
    BookmarkInfo,
    CollectionInfo,
    CollectionItem,
    DocumentSectionInfo,
    ExampleInfo,
    TrashEntry,
    View,
)

EXAMPLES_REPORT = EXAMPLE_PREFIX.rstrip("/")  # the index files local examples under this "report"


class UserLibraryMixin:
    store: LocalStore
    index: IndexKeeper

    # provided by Library
    def get(self, key: str) -> View:  # pragma: no cover - overridden
        raise NotImplementedError

    def resolve(self, what: str, value: str, report: str | None = None) -> list[str]:
        raise NotImplementedError  # pragma: no cover - provided by Library

    def _examples_changed(self, before: str) -> None:
        """Keep the index in step with local examples (a stale index is rebuilt by search)."""
        self.index.follow(EXAMPLES_REPORT, before)

    def snapshot(self, key: str) -> Snapshot:
        """The title and text of `key` now (NotFoundError if nothing has that key)."""
        item = self.get(key)
        title = title_of(item, key)
        if isinstance(item, ExampleInfo):
            return Snapshot(item.title, _example_text(item), EXAMPLES_REPORT, "My examples")
        text = str(getattr(item, "text", "") or "")
        if isinstance(item, DocumentSectionInfo):  # a section's text is its passages'
            text = "\n\n".join(
                f"{p.number}. {p.text}" if p.number else p.text for p in item.passages
            )
        report_key = str(getattr(item, "report", "") or "")
        report_title = ""
        if report_key:
            detail = self.store.content.report_detail(report_key)
            report_title = detail.title if detail else ""
        return Snapshot(title, text, report_key, report_title)

    def item_snapshot(self, collection: str, key: str) -> Snapshot:
        """A collection item's title and text: live if its key is in this library, else the copy
        saved with the item (for items from a report this library does not have)."""
        try:
            return self.snapshot(key)
        except NotFoundError:
            collections = self.store.collections
            r = collections.item(collections.collection(collection)["id"], key)
            if r is not None:
                return Snapshot(r["title"], r["text"], r["report_key"], r["report_title"])
            raise

    def saved_copy(self, key: str) -> Snapshot | None:
        """The copy kept with a bookmark or collection item of `key` (for when `key` is gone,
        e.g. a new edition dropped that passage): a collection item's text, else the bookmark's
        title; None if the user kept nothing under `key`."""
        collections = self.store.collections
        for c in collections.collections():
            for r in collections.items(c["id"]):
                if r["key"] == key:
                    return Snapshot(r["title"], r["text"], r["report_key"], r["report_title"])
        mark = self.store.user.bookmark_for(key)
        if mark is not None:
            return Snapshot(mark["title"], "")
        return None

    def _live(self, key: str) -> tuple[str, str, str] | None:
        """(kind, report, title) of `key` in this library, or None if it is not here."""
        try:
            item = self.get(key)
        except NotFoundError:
            return None
        return (
            str(getattr(item, "kind", "")),
            str(getattr(item, "report", "") or ""),
            title_of(item, key),
        )

    # -- bookmarks ----------------------------------------------------------------------------
    def bookmark(
        self,
        key: str,
        note: str | None = None,
        tags: list[str] | None = None,
        replace_tags: bool = False,
    ) -> BookmarkInfo:
        """Bookmark an item (or change the note/tags of a bookmark); note text is kept as typed.
        New tags are added to the bookmark's tags, or replace them with `replace_tags=True`."""
        self.store.user.bookmark(key, self.snapshot(key), note, tags, replace_tags)
        return self._bookmark_info(self.store.user.bookmark_for(key))

    def unbookmark(self, key: str) -> None:
        """Move a bookmark to the trash."""
        self.store.user.unbookmark(key)

    def bookmarks(self, tag: str | None = None) -> list[BookmarkInfo]:
        return [self._bookmark_info(r) for r in self.store.user.bookmarks(tag)]

    def bookmark_count(self) -> int:
        """How many bookmarks there are (cheap: the sidebar asks after every change)."""
        return self.store.user.count_bookmarks()

    def bookmarked(self, key: str) -> BookmarkInfo | None:
        row = self.store.user.bookmark_for(key)
        return self._bookmark_info(row) if row is not None else None

    def _bookmark_info(self, row: sqlite3.Row | None) -> BookmarkInfo:
        assert row is not None
        live = self._live(row["key"])
        kind, report, title = live or ("", "", row["title"])
        return BookmarkInfo(
            key=row["key"], title=title, note=row["note"], tags=json.loads(row["tags"]),
            created_at=row["created_at"], updated_at=row["updated_at"], kind=kind,
            report=report, missing=live is None,
        )  # fmt: skip

    # -- collections --------------------------------------------------------------------------
    def create_collection(self, name: str, description: str = "") -> CollectionInfo:
        return self.collection(self.store.collections.create_collection(name, description))

    def rename_collection(self, name: str, new_name: str) -> CollectionInfo:
        return self.collection(self.store.collections.rename_collection(name, new_name))

    def describe_collection(self, name: str, description: str) -> CollectionInfo:
        self.store.collections.describe_collection(name, description)
        return self.collection(name)

    def duplicate_collection(self, name: str, new_name: str | None = None) -> CollectionInfo:
        return self.collection(self.store.collections.duplicate_collection(name, new_name))

    def delete_collection(self, name: str) -> None:
        """Move a collection (with its items) to the trash."""
        self.store.collections.delete_collection(name)

    def add_to_collection(
        self,
        name: str,
        key: str,
        note: str | None = None,
        prompts: list[str] | None = None,
        minutes: int | None = None,
    ) -> CollectionInfo:
        """Add an item (or update its facilitator note, prompts and timing if already there)."""
        if minutes is not None and not 0 <= minutes <= 24 * 60:
            raise LibraryError("minutes must be between 0 and 1440")
        self.store.collections.add_item(name, key, self.snapshot(key), note, prompts, minutes)
        return self.collection(name)

    def remove_from_collection(self, name: str, key: str) -> CollectionInfo:
        """Move an item (or an agenda step, ``step:<id>``) of a collection to the trash."""
        if is_step(key):
            self.store.sessions.remove_step(name, key.removeprefix(STEP_PREFIX))
        else:
            self.store.collections.remove_item(name, key)
        return self.collection(name)

    def move_in_collection(self, name: str, key: str, position: int) -> CollectionInfo:
        """Move an item (or an agenda step, ``step:<id>``) to `position` of the running order
        (1 = first)."""
        self.store.collections.move_item(name, key, position)
        return self.collection(name)

    def place_in_collection(
        self, name: str, keys: list[str], before: int | None = None
    ) -> CollectionInfo:
        """Put `keys` (items, or agenda steps as ``step:<id>``) in the collection, in their order,
        just before the entry now at `before` in the running order (1 = first; None: at the end),
        adding items not in it yet (what a drop does)."""
        order = [e.ref for e in self.collection(name).steps]
        anchor = order[before - 1] if before is not None and 1 <= before <= len(order) else None
        while anchor in keys:  # dropped onto one of the moving items: before the next other one
            following = order[order.index(anchor) + 1 :]
            anchor = following[0] if following else None
        for key in keys:
            if key not in order and not is_step(key):
                self.add_to_collection(name, key)
        self.store.collections.place(name, list(dict.fromkeys(keys)), anchor)
        return self.collection(name)

    def step_in_collection(self, name: str, key: str, step: int) -> CollectionInfo:
        """Move an item (or an agenda step, ``step:<id>``) `step` places up (negative) or down
        the running order, stopping at either end."""
        keys = [e.ref for e in self.collection(name).steps]
        if key not in keys:
            raise NotFoundError(f"{key} is not in the collection {name!r}")
        position = min(max(keys.index(key) + 1 + step, 1), len(keys))
        return self.move_in_collection(name, key, position)

    def collection(self, name: str) -> CollectionInfo:
        return self._collection_info(self.store.collections.collection(name))

    def collections(self) -> list[CollectionInfo]:
        return [self._collection_info(r) for r in self.store.collections.collections()]

    def _collection_info(self, row: sqlite3.Row) -> CollectionInfo:
        names = self.store.team.names() if row["shared"] else {}
        conflicts = self.store.team.open_conflicts("collection_item")
        items = []
        for r in self.store.collections.items(row["id"]):
            try:
                item: View | None = self.get(r["key"])
            except NotFoundError:
                item = None
            title = title_of(item, r["key"]) if item is not None else r["title"]
            where = self._where_from(item) if item is not None else _saved_copy(r["report_title"])
            items.append(CollectionItem(
                key=r["key"], title=title, note=r["note"], prompts=json.loads(r["prompts"]),
                minutes=r["minutes"], kind=str(getattr(item, "kind", "")),
                report=r["report_key"], report_title=r["report_title"], linked=item is not None,
                uid=r["uid"], context=where,
                label=label_of(item, title, where) if item is not None else title,
                updated_at=r["updated_at"] or r["created_at"],
                conflicts=conflicts.get(r["uid"], 0),
            ))  # fmt: skip
        info = CollectionInfo(
            name=row["name"], description=row["description"], items=items, uid=row["uid"],
            created_at=row["created_at"], updated_at=row["updated_at"],
            shared=bool(row["shared"]),
            shared_by=names.get(row["shared_by"], row["shared_by"]) if row["shared"] else None,
        )  # fmt: skip
        return self._with_plan(row, info)

    if TYPE_CHECKING:

        def _with_plan(self, row: sqlite3.Row, info: CollectionInfo) -> CollectionInfo: ...

    def _where_from(self, item: View) -> str:
        def parent(key: str) -> View | None:
            try:
                return self.get(key)
            except NotFoundError:
                return None

        return where_from(item, parent)

    # -- local examples -----------------------------------------------------------------------
    def add_example(
        self,
        title: str,
        theme: str | None = None,
        team: str = "",
        text: str = "",
        outcomes: str = "",
    ) -> ExampleInfo:
        """Add an example of good practice from the user's own team (searchable, collectable)."""
        fields = self._example_fields(
            title=title, theme=theme, team=team, text=text, outcomes=outcomes
        )
        before = self.store.index_token()
        uid = self.store.user.add_example(fields)
        self._examples_changed(before)
        return self.example(uid)

    def edit_example(self, example_id: str, **changes: str) -> ExampleInfo:
        uid = self._example_uid(example_id)
        fields = self._example_fields(**changes)
        before = self.store.index_token()
        self.store.user.edit_example(uid, fields)
        self._examples_changed(before)
        return self.example(uid)

    def remove_example(self, example_id: str) -> None:
        """Move a local example to the trash."""
        before = self.store.index_token()
        self.store.user.remove_example(self._example_uid(example_id))
        self._examples_changed(before)

    def example(self, example_id: str) -> ExampleInfo:
        row = self.store.user.example(self._example_uid(example_id))
        if row is None:
            raise NotFoundError(f"there is no example {example_id!r}; see `safedesk examples`")
        return _example_info(row, self.store.team.names() if row["shared"] else {})

    def examples(self) -> list[ExampleInfo]:
        rows = self.store.user.examples()
        names = self.store.team.names() if any(r["shared"] for r in rows) else {}
        return [_example_info(r, names) for r in rows]

    def _example_uid(self, example_id: str) -> str:
        uid = example_id.removeprefix(EXAMPLE_PREFIX)
        if self.store.user.example(uid) is not None:
            return uid
        matches = [r["uid"] for r in self.store.user.examples() if r["uid"].startswith(uid)]
        if len(matches) == 1 and len(uid) >= 4:
            return str(matches[0])
        raise NotFoundError(f"there is no example {example_id!r}; see `safedesk examples`")

    def _example_fields(self, **given: Any) -> dict[str, str]:
        fields = {k: str(v) for k, v in given.items() if v is not None and k != "theme"}
        if "title" in fields and not fields["title"].strip():
            raise LibraryError("an example needs a title")
        theme = given.get("theme")
        if theme:
            keys = self.resolve("theme", theme)
            if len(keys) != 1:
                raise LibraryError(f"{theme!r} matches {len(keys)} themes; give the theme's key")
            detail = self.get(keys[0])
            fields["theme_key"], fields["theme_title"] = keys[0], str(getattr(detail, "title", ""))
        return fields

    def example_documents(self) -> list[Document]:
        """Local examples as search documents (kind "example")."""
        return [
            Document(
                e.key,
                "example",
                EXAMPLES_REPORT,
                e.title,
                _example_text(e),
                "",
                e.theme_key,
                e.theme,
                "",
                e.team,
            )
            for e in self.examples()
        ]

    # -- trash --------------------------------------------------------------------------------
    def trash(self) -> list[TrashEntry]:
        return [TrashEntry(**entry) for entry in self.store.user.trash()]

    def restore(self, trash_id: str) -> str:
        """Bring something back from the trash; returns a description of what came back."""
        before = self.store.index_token()
        restored = self.store.user.restore(trash_id)
        self._examples_changed(before)
        return restored

    def empty_trash(self) -> int:
        """Delete everything in the trash for good; returns how many rows went."""
        return self.store.user.empty_trash()


def _saved_copy(report_title: str) -> str:
    return f"saved copy from {report_title}" if report_title else "saved copy"


def title_of(item: object, fallback: str) -> str:
    """What to call any library view: its title, or its name (authorities), or `fallback`."""
    return str(getattr(item, "title", None) or getattr(item, "name", None) or fallback)


def _example_info(row: sqlite3.Row, names: dict[str, str]) -> ExampleInfo:
    return ExampleInfo(
        key=f"{EXAMPLE_PREFIX}{row['uid']}", id=row["uid"], title=row["title"],
        theme=row["theme_title"], theme_key=row["theme_key"], team=row["team"], text=row["text"],
        outcomes=row["outcomes"], origin=row["origin"], created_at=row["created_at"],
        updated_at=row["updated_at"], shared=bool(row["shared"]),
        shared_by=names.get(row["shared_by"], row["shared_by"]) if row["shared"] else None,
    )  # fmt: skip


def _example_text(example: ExampleInfo) -> str:
    parts = [example.text]
    if example.outcomes:
        parts.append(f"Outcomes\n\n{example.outcomes}")
    return "\n\n".join(p for p in parts if p)
