"""Sending local changes to the team server: a batch per transaction, each change once.

A change names the shared thing (`kind`, `uid`), the revision the client last saw (`base_revision`)
with the values it started from (`base`), and the new values (`fields`). The server function
`safedesk.push` applies it under the conflict rule and returns what it did:

    applied  written (the base was current, or the thing is new)
    merged   the base was stale but nobody else changed the same fields: written
    won      both changed a field; this change is later: written, the server's version kept as a
             conflict copy (conflict_id)
    lost     both changed a field; the server's is later: the other fields written, this
             change's version kept as a conflict copy
    refused  the member may not change it (row-level security): their version kept as a copy
    deleted  it was deleted meanwhile: this version kept as a copy (the client moves it to Trash)
    gone     a delete of something already deleted or never shared: nothing to do
    invalid  the server's checks refused the values (`error` says why); nothing written

`change_id` makes a push idempotent: sending the same change again (say the connection dropped
after the server committed but before the reply arrived) returns the first result and writes
nothing. A batch is one transaction: if it does not commit, nothing of it happened.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import psycopg
from psycopg.types.json import Jsonb

from safedesk.team.connect import Connection, server_of, translate
from safedesk.team.errors import TeamError
from safedesk.team.records import WRITABLE, Kind, validate_fields

Outcome = Literal["applied", "merged", "won", "lost", "refused", "deleted", "gone", "invalid"]
BATCH = 500  # changes per server transaction: bounds how long one push holds the write lock
LOCK_TIMEOUT = "10s"  # a push waits at most this long for another member's push to finish


@dataclass(frozen=True)
class Change:
    change_id: UUID
    kind: Kind
    uid: str
    op: Literal["put", "delete"] = "put"
    fields: Mapping[str, Any] = field(default_factory=dict)
    base: Mapping[str, Any] = field(default_factory=dict)
    base_revision: int | None = None
    changed_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        changed = self.changed_at or datetime.now(UTC)
        return {
            "change_id": str(self.change_id),
            "kind": self.kind,
            "uid": self.uid,
            "op": self.op,
            "fields": dict(self.fields),
            "base": dict(self.base),
            "base_revision": self.base_revision,
            "changed_at": changed.isoformat(),
        }


@dataclass(frozen=True)
class PushResult:
    change_id: UUID
    outcome: Outcome
    revision: int | None
    conflict_id: UUID | None
    clashed: tuple[str, ...]
    error: str | None

    @property
    def conflict(self) -> bool:
        return self.conflict_id is not None


def check_change(change: Change) -> None:
    """Refuse a change the server would reject as malformed, before anything is sent."""
    unknown = set(change.fields) - set(WRITABLE[change.kind])
    if unknown:
        raise TeamError(f"a shared {change.kind} has no field {', '.join(sorted(unknown))}")
    try:
        validate_fields(change.kind, dict(change.fields))
    except ValueError as exc:
        raise TeamError(f"cannot share {change.kind} {change.uid}: {exc}") from None


def push(conn: Connection, changes: Sequence[Change]) -> list[PushResult]:
    """Send `changes` in order, BATCH to a transaction; returns one result per change.

    If the connection drops, the batches already committed stay done and a TeamConnectionError
    is raised; sending the same changes again completes the rest and repeats nothing.
    """
    for change in changes:
        check_change(change)
    results: list[PushResult] = []
    server = server_of(conn)
    for start in range(0, len(changes), BATCH):
        batch = [c.to_json() for c in changes[start : start + BATCH]]
        try:
            with conn.transaction():
                conn.execute("SELECT set_config('lock_timeout', %s, true)", (LOCK_TIMEOUT,))
                row = conn.execute("SELECT safedesk.push_all(%s)", (Jsonb(batch),)).fetchone()
        except psycopg.Error as exc:
            raise translate(exc, "sending your changes", server) from None
        assert row is not None
        results.extend(_result(r) for r in _as_list(row[0]))
    return results


def _as_list(value: Any) -> list[dict[str, Any]]:
    return list(json.loads(value) if isinstance(value, str) else value)


def _result(raw: Mapping[str, Any]) -> PushResult:
    conflict = raw.get("conflict_id")
    return PushResult(
        change_id=UUID(str(raw["change_id"])),
        outcome=raw["outcome"],
        revision=raw.get("revision"),
        conflict_id=UUID(str(conflict)) if conflict else None,
        clashed=tuple(raw.get("clashed") or ()),
        error=raw.get("error"),
    )
