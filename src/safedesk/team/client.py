"""The client half of the team library: join, sync, leave (docs/team-sync-design.md §3).

A sync is push then pull, each local step one short SQLite transaction on a connection of its own
(so the window's own writes wait at most one step), each server step one PostgreSQL transaction.
No SQLite transaction is ever held across a network call. Interrupted anywhere (the server
stopped, the connection dropped, the process killed), it loses nothing and repeats nothing:

    freeze       unsent outbox entries are frozen (their change_id, fields and base never change)
    push         in batches; a batch the server committed is answered again from its receipts
    receipts     stored per batch; the shadow follows
    pull         page by page from the cursor; a page and its cursor are applied together
    documents    shared files fetched by hash, kept under their hash, imported all or nothing

Everything that arrives is validated as untrusted (`team.records`) before the store sees it.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import psycopg

from safedesk.errors import LibraryError
from safedesk.interfaces import TeamHost
from safedesk.store.local import LocalStore
from safedesk.store.team import Applied, Link, Pending, PulledPage, Receipt, TeamStore
from safedesk.team import members
from safedesk.team.connect import PasswordPrompt, describe_server, translate, without_password
from safedesk.team.errors import TeamConnectionError, TeamError
from safedesk.team.files import put_file
from safedesk.team.pull import PullBatch, pull_pages
from safedesk.team.push import BATCH, Change, check_change, push
from safedesk.team.session import TeamSession, open_team

log = logging.getLogger(__name__)
Progress = Callable[[str, float], None]
PAUSE = "SAFEDESK_TEST_PAUSE_SYNC"  # tests stop a real sync at a named step to kill it there


@dataclass
class SyncReport:
    """What one sync did: `team sync --json` prints `to_json()`."""

    pushed: int = 0
    pulled: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    trashed: list[str] = field(default_factory=list)  # shared collections a teammate deleted
    documents: int = 0  # shared documents fetched and imported
    rejected: int = 0  # pulled rows refused by validation (never applied)
    failed: list[dict[str, Any]] = field(default_factory=list)  # changes the server refused
    outcomes: dict[str, int] = field(default_factory=dict)
    pending: int = 0  # changes still waiting (made during the sync)
    seconds: dict[str, float] = field(default_factory=dict)  # where the time went, by step

    def to_json(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed, "pulled": self.pulled, "conflicts": self.conflicts,
            "trashed": self.trashed, "documents": self.documents, "rejected": self.rejected,
            "failed": self.failed, "outcomes": self.outcomes, "pending": self.pending,
            "seconds": {k: round(v, 4) for k, v in self.seconds.items()},
        }  # fmt: skip


def join(
    host: TeamHost, url: str, member: str, *, prompt: PasswordPrompt | None = None
) -> SyncReport:
    """Join the team at `url` as `member` (your name on the team), then sync for the first time.
    The URL is kept without a password (libpq finds it: .pgpass, PGPASSFILE, or a prompt)."""
    given, url = url, without_password(url)  # a password in the URL is used, never kept
    team = host.store.team
    link = team.link()
    with open_team(given, prompt=prompt) as session:
        registered = members.register(session.conn, member)
        if link is not None and link.joined and link.url == url:
            team.rename(registered.display_name)  # joined already: a new name on the team
        else:
            team.join(
                url=url, server=describe_server(url), team_name=session.info.name,
                member_role=registered.role, display_name=registered.display_name,
                team_schema=session.info.schema, editor=registered.editor,
            )  # fmt: skip
        return sync(host, session=session)


def leave(host: TeamHost) -> int:
    """Disconnect from the team, keeping everything here; returns changes that were not sent."""
    return host.store.team.leave()


def sync(
    host: TeamHost,
    *,
    prompt: PasswordPrompt | None = None,
    session: TeamSession | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Push this library's changes, then pull the team's; see the module docstring."""
    side = host.store.reopen()  # a connection of its own: the window keeps writing on its one
    try:
        team = side.team
        link = team.joined()
        before = side.index_token()
        own = session is None
        started = time.perf_counter()
        try:
            if own:
                session = open_team(link.url, prompt=prompt)
        except LibraryError as exc:
            team.attempted(str(exc))
            raise
        assert session is not None
        connected = time.perf_counter() - started
        try:
            report = _sync(host, side, session, link, progress)
            report.seconds = {"connect": connected, **report.seconds}
        except LibraryError as exc:
            team.attempted(str(exc))
            raise
        except psycopg.Error as exc:
            error = translate(exc, "syncing with the team", session.server)
            team.attempted(str(error))
            raise error from None
        finally:
            if own:
                session.close()
        team.attempted(None)
        report.pending = team.pending()
        host.after_sync(before, report.documents)
        return report
    finally:
        side.close()


def _sync(
    host: TeamHost, side: LocalStore, session: TeamSession, link: Link, progress: Progress | None
) -> SyncReport:
    report = SyncReport()
    team = side.team
    conn = session.conn
    clock = _Clock(report.seconds)
    _checkpoint("connected")
    sent = team.freeze()
    clock.lap("freeze")
    _checkpoint("frozen")
    if progress:
        progress(f"Sending {len(sent)} changes", 0.1)
    for start in range(0, len(sent), BATCH):
        batch = sent[start : start + BATCH]
        receipts = _push(conn, team, batch)
        clock.lap("push")
        _checkpoint("pushed")
        counts = team.store_receipts(batch, receipts)
        clock.lap("receipts")
        for outcome, n in counts.items():
            report.outcomes[outcome] = report.outcomes.get(outcome, 0) + n
        report.pushed += len(receipts)
    _checkpoint("receipts")
    _tell_resolutions(conn, team)
    applied = Applied()
    if progress:
        progress("Fetching the team's changes", 0.3)
    clock.lap("resolutions")
    for page in pull_pages(conn, link.cursor):
        clock.lap("pull")
        team.apply_page(_page(page), applied)
        clock.lap("apply")
        _checkpoint("applied")
    report.pulled = applied.rows
    report.conflicts = applied.conflicts
    report.trashed = applied.trashed
    report.rejected = applied.rejected
    report.failed = team.failed()
    wanted = team.wanted_documents()
    if wanted:
        from safedesk.team.documents import fetch_documents

        report.documents = fetch_documents(host, side, conn, wanted, progress)
        clock.lap("documents")
    team.set_editor(_is_editor(conn, session))
    clock.lap("finish")
    return report


class _Clock:
    """Adds the time since the last lap to `seconds[step]`."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds = seconds
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - self.last
        self.last = now


def _push(conn: Any, team: TeamStore, batch: Sequence[Pending]) -> list[Receipt]:
    """Send one batch; changes this library cannot send (values past the team's caps, a shared
    file that went missing) are answered here as invalid, with the reason, and never sent."""
    receipts: list[Receipt] = []
    changes: list[Change] = []
    for entry in batch:
        change = Change(
            change_id=uuid.UUID(entry.change_id), kind=entry.kind,  # type: ignore[arg-type]
            uid=entry.uid, op=entry.op,  # type: ignore[arg-type]
            fields=entry.fields, base=entry.base, base_revision=entry.base_revision,
            changed_at=_when(entry.changed_at),
        )  # fmt: skip
        try:
            check_change(change)
            if entry.kind == "document" and entry.op == "put" and "sha256" in entry.fields:
                _send_file(conn, team, entry)
        except TeamConnectionError:
            raise
        except TeamError as exc:
            receipts.append(Receipt(entry.change_id, "invalid", None, error=str(exc)))
            continue
        changes.append(change)
    for result in push(conn, changes):
        receipts.append(Receipt(
            str(result.change_id), result.outcome, result.revision, result.clashed, result.error
        ))  # fmt: skip
    return receipts


def _send_file(conn: Any, team: TeamStore, entry: Pending) -> None:
    path = team.file_for(str(entry.fields["sha256"]), str(entry.fields.get("source_name", "")))
    if path is None:
        raise TeamError(
            f"the original file of the shared report {entry.uid} is no longer in this library"
        )
    put_file(conn, path.read_bytes())


def _tell_resolutions(conn: Any, team: TeamStore) -> None:
    """Conflict copies resolved here since the last sync: marked resolved on the server too."""
    ids = team.resolutions()
    if not ids:
        return
    try:
        with conn.transaction():
            conn.execute(
                "UPDATE safedesk.conflict SET resolved = true WHERE id = ANY(%s::uuid[]) "
                "AND NOT resolved",
                (ids,),
            )
    except psycopg.Error as exc:
        raise translate(exc, "marking conflicts resolved", "the team server") from None
    team.told(ids)


def _is_editor(conn: Any, session: TeamSession) -> bool:
    try:
        with conn.transaction():
            row = conn.execute("SELECT safedesk.is_editor()").fetchone()
    except psycopg.Error as exc:
        raise translate(exc, "reading your rights", session.server) from None
    return bool(row and row[0])


def _page(batch: PullBatch) -> PulledPage:
    """A validated page as plain values for the store."""
    return PulledPage(
        upto=batch.upto,
        members=[m.model_dump() for m in batch.members],
        collections=[c.model_dump() for c in batch.collections],
        items=[i.model_dump() for i in batch.items],
        examples=[e.model_dump() for e in batch.examples],
        documents=[d.model_dump() for d in batch.documents],
        conflicts=[{**c.model_dump(), "id": str(c.id)} for c in batch.conflicts],
        rejected=[(r.table, r.uid, r.revision, r.reason) for r in batch.rejected],
    )


def _when(stamp: str) -> datetime:
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return datetime.now(UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _checkpoint(step: str) -> None:
    """Tests kill a real sync at a known step: with SAFEDESK_TEST_PAUSE_SYNC=<step> the process
    says so on stderr and waits there to be killed. Nothing happens otherwise."""
    if os.environ.get(PAUSE) == step:
        print(f"safedesk: sync paused at {step}", file=sys.stderr, flush=True)
        time.sleep(3600)
