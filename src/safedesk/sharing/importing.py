"""Importing a collection file: what in it is new to this library, ready for the store to merge.

The file is validated whole first (`collection_file.read_collection_file`); then each item is
checked against this library (does its key name something here?) and each example's theme is
matched by title. The store merges the result in one transaction (`Collections.merge`).
"""

from __future__ import annotations

from pathlib import Path

from safedesk.interfaces import Content
from safedesk.sharing.collection_file import CollectionFile, read_collection_file
from safedesk.store.collections import (
    IncomingCollection,
    IncomingExample,
    IncomingItem,
    Snapshot,
)
from safedesk.store.sessions import IncomingAction, IncomingRecord, IncomingStep
from safedesk.store.userdata import EXAMPLE_PREFIX


def read_incoming(lib: Content, path: Path) -> IncomingCollection:
    """The collection in the file at `path`, its items linked to this library where they can be."""
    return incoming_from(lib, read_collection_file(path))


def incoming_from(lib: Content, doc: CollectionFile) -> IncomingCollection:
    reports = {r.key: r.title for r in doc.reports}
    themes = {t.title.casefold(): t for t in lib.themes()}
    arriving = {f"{EXAMPLE_PREFIX}{ex.uid}" for ex in doc.examples}  # linked once merged
    items = [
        IncomingItem(
            uid=item.uid, key=item.key,
            snapshot=Snapshot(item.title, item.text, item.report, reports.get(item.report, "")),
            note=item.note, prompts=list(item.prompts), minutes=item.minutes,
            linked=item.key in arriving or lib.has(item.key), changed_at=item.changed_at,
        )
        for item in doc.items
    ]  # fmt: skip
    examples = []
    for ex in doc.examples:
        theme = themes.get(ex.theme.casefold()) if ex.theme else None
        examples.append(IncomingExample(
            uid=ex.uid, title=ex.title, theme_key=theme.key if theme else "",
            theme_title=theme.title if theme else ex.theme, team=ex.team, text=ex.text,
            outcomes=ex.outcomes,
        ))  # fmt: skip
    steps = [IncomingStep(s.uid, s.title, s.minutes, s.instructions, s.position) for s in doc.steps]
    records = [
        IncomingRecord(
            r.uid, r.date, r.team, r.attendees, r.note, list(r.covered),
            [IncomingAction(a.uid, a.what, a.who, a.due, a.done_at) for a in r.actions],
        )
        for r in doc.records
    ]  # fmt: skip
    return IncomingCollection(
        uid=doc.collection.uid, name=doc.collection.name,
        description=doc.collection.description, items=items, examples=examples,
        exported_at=doc.exported_at, changed_at=doc.collection.changed_at,
        plan_length=doc.plan.length if doc.plan else None,
        plan_start=doc.plan.start if doc.plan else None, steps=steps, records=records,
    )  # fmt: skip
