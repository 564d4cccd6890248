"""Fetching what changed on the team server since a revision, page by page, validated.

Every shared row carries a revision from one sequence, given out in commit order (the server
holds one lock from a transaction's first write to its commit), so a snapshot always holds every
revision up to its highest: "everything after revision N" never misses a row that commits later
with a lower number. A page is read in one REPEATABLE READ transaction, so it is consistent
across tables (an item never arrives before its collection's row in the same page's snapshot).

The client applies a page and stores `upto` as its cursor in one local transaction; interrupted
anywhere, it asks again from the cursor it has, and gets the rest, nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg.rows import dict_row
from pydantic import BaseModel, ValidationError

from safedesk.team.connect import Connection, server_of, translate
from safedesk.team.records import (
    ConflictCopy,
    SharedCollection,
    SharedDocument,
    SharedExample,
    SharedItem,
    TeamMemberRow,
)

PAGE = 5000  # rows per page (a page of full collection items is a few MB)

_COMMON = "uid, shared_by, shared_at, updated_by, changed_at, deleted, revision"
# table -> (model, columns); the order is the order a client applies them in
TABLES: dict[str, tuple[type[BaseModel], str]] = {
    "member": (TeamMemberRow, "role, display_name, joined_at, left_team, revision"),
    "collection": (SharedCollection, f"{_COMMON}, name, description"),
    "collection_item": (
        SharedItem,
        f"{_COMMON}, collection_uid, position, key, kind, report_key, report_title, title, "
        "text, note, prompts, minutes",
    ),
    "example": (
        SharedExample,
        f"{_COMMON}, title, theme_key, theme_title, team, text, outcomes",
    ),
    "document": (SharedDocument, f"{_COMMON}, title, document_type, source_name, sha256, size"),
    "conflict": (
        ConflictCopy,
        "id, kind, uid, reason, fields, clashed, author, authored_at, recorded_by, "
        "recorded_at, resolved, resolved_by, revision",
    ),
}


@dataclass(frozen=True)
class Rejected:
    """A row that failed validation: never applied, reported to the user."""

    table: str
    uid: str
    revision: int
    reason: str


@dataclass
class PullBatch:
    since: int
    upto: int  # the cursor to store with what was applied
    more: bool  # another page waits
    members: list[TeamMemberRow] = field(default_factory=list)
    collections: list[SharedCollection] = field(default_factory=list)
    items: list[SharedItem] = field(default_factory=list)
    examples: list[SharedExample] = field(default_factory=list)
    documents: list[SharedDocument] = field(default_factory=list)
    conflicts: list[ConflictCopy] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)

    def __len__(self) -> int:
        return (
            len(self.members) + len(self.collections) + len(self.items) + len(self.examples)
            + len(self.documents) + len(self.conflicts) + len(self.rejected)
        )  # fmt: skip


def pull(conn: Connection, since: int, *, limit: int = PAGE) -> PullBatch:
    """One page: the rows changed after revision `since` (at most `limit` of them), validated."""
    server = server_of(conn)
    try:
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            union = " UNION ALL ".join(
                f"SELECT revision FROM safedesk.{table} WHERE revision > %(since)s"
                for table in TABLES
            )
            beyond = conn.execute(
                f"SELECT revision FROM ({union}) AS r ORDER BY revision LIMIT 1 OFFSET %(limit)s",
                {"since": since, "limit": limit},
            ).fetchone()
            # revisions are unique across tables, so everything below `beyond` is exactly `limit`
            # rows; without `beyond`, everything there is fits in this page
            ceiling = beyond[0] if beyond else None
            rows: dict[str, list[dict[str, Any]]] = {}
            with conn.cursor(row_factory=dict_row) as cur:
                for table, (_, columns) in TABLES.items():
                    bound = " AND revision < %(ceiling)s" if ceiling is not None else ""
                    cur.execute(
                        f"SELECT {columns} FROM safedesk.{table} "
                        f"WHERE revision > %(since)s{bound} ORDER BY revision",
                        {"since": since, "ceiling": ceiling},
                    )
                    rows[table] = cur.fetchall()
    except psycopg.Error as exc:
        raise translate(exc, "fetching the team's changes", server) from None
    highest = max((r["revision"] for found in rows.values() for r in found), default=since)
    batch = PullBatch(
        since=since, upto=ceiling - 1 if ceiling is not None else highest, more=beyond is not None
    )
    for table, found in rows.items():
        model = TABLES[table][0]
        for raw in found:
            _accept(batch, table, model, raw)
    return batch


def pull_pages(conn: Connection, since: int, *, limit: int = PAGE) -> Iterator[PullBatch]:
    """Pages from `since` until none is left; apply each (and store its `upto`) before the next."""
    while True:
        batch = pull(conn, since, limit=limit)
        yield batch
        if not batch.more:
            return
        since = batch.upto


def _accept(batch: PullBatch, table: str, model: type[BaseModel], raw: dict[str, Any]) -> None:
    try:
        record = model.model_validate(raw)
        if isinstance(record, ConflictCopy):
            record.version()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        reason = f"{where}: {first['msg']}"
        uid = str(raw.get("uid") or raw.get("role") or raw.get("id") or "?")[:200]
        batch.rejected.append(Rejected(table, uid, int(raw.get("revision") or 0), reason))
        return
    targets: dict[str, list[Any]] = {
        "member": batch.members,
        "collection": batch.collections,
        "collection_item": batch.items,
        "example": batch.examples,
        "document": batch.documents,
        "conflict": batch.conflicts,
    }
    targets[table].append(record)
