"""The team library as the local store sees it (`store.team`): the link to a team, what is shared
from here, conflict copies, status, and the local steps of a sync (`team_sync.py`).

Everything here is local and instant; nothing touches the network. Sharing marks a collection,
example or report as shared and logs it in the outbox; the next sync sends it. Bookmarks and
personal notes are never shared.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from safedesk.errors import LibraryError, NotFoundError
from safedesk.store import outbox, team_apply, team_files, team_sync
from safedesk.store.collections import _update_item, free_name
from safedesk.store.team_sync import Applied, Pending, PulledPage, Receipt
from safedesk.store.transactions import bump_counter, new_uid, now, transaction

__all__ = ["Applied", "Link", "Pending", "PulledPage", "Receipt", "TeamStore"]
NOT_JOINED = "this library has not joined a team: `safedesk team join URL --member NAME`"


@dataclass(frozen=True)
class Link:
    url: str
    server: str
    team_name: str
    member_role: str
    display_name: str
    team_schema: int
    editor: bool
    cursor: int
    state: str
    joined_at: str
    last_sync_at: str | None
    last_attempt_at: str | None
    last_error: str | None

    @property
    def joined(self) -> bool:
        return self.state == "joined"


class TeamStore:
    def __init__(self, conn: sqlite3.Connection, data_dir: Path) -> None:
        self.conn = conn
        self.data_dir = data_dir

    # -- the link ---------------------------------------------------------------------------------
    def link(self) -> Link | None:
        row = self.conn.execute("SELECT * FROM team_link WHERE id = 1").fetchone()
        if row is None:
            return None
        values = {k: row[k] for k in row.keys() if k != "id"}  # noqa: SIM118 (a Row)
        return Link(**{**values, "editor": bool(values["editor"])})

    def joined(self) -> Link:
        """The link of a joined library, else a LibraryError saying how to join."""
        link = self.link()
        if link is None or not link.joined:
            raise LibraryError(NOT_JOINED)
        return link

    def join(
        self, *, url: str, server: str, team_name: str, member_role: str, display_name: str,
        team_schema: int, editor: bool,
    ) -> Link:  # fmt: skip
        """Link this library to a team, pulling from the start at the next sync. Changes logged
        under an earlier membership are dropped (the words stay in the library's rows, and are
        kept as conflict copies where they differ from the team's when it arrives)."""
        with transaction(self.conn) as conn:
            link = self.link()
            if link is not None and link.joined and link.url != url:
                raise LibraryError(
                    f"this library is joined to the team {link.team_name!r} already; "
                    "`safedesk team leave` first"
                )
            again = link is not None and link.url == url
            conn.execute("DELETE FROM team_link")
            conn.execute("DELETE FROM team_change")
            if again:  # what the team held when this library left: the base for adopting anew
                conn.execute("UPDATE team_shadow SET revision = -1")
            else:
                conn.execute("DELETE FROM team_shadow")
            conn.execute(
                "INSERT INTO team_link (id, url, server, team_name, member_role, display_name, "
                "team_schema, editor, cursor, state, joined_at) "
                "VALUES (1, ?, ?, ?, ?, ?, ?, ?, 0, 'joined', ?)",
                (url, server, team_name, member_role, display_name, team_schema, editor, now()),
            )
        return self.joined()

    def rename(self, display_name: str) -> None:
        with transaction(self.conn) as conn:
            conn.execute("UPDATE team_link SET display_name = ? WHERE id = 1", (display_name,))

    def leave(self) -> int:
        """Disconnect: shared things stay here as local copies (`shared_by` kept for the record);
        changes not yet sent are kept, never sent again. Returns how many there were."""
        with transaction(self.conn) as conn:
            self.joined()
            for table in ("collection", "example", "shared_document"):
                conn.execute(f"UPDATE {table} SET shared = 0 WHERE shared = 1")
            conn.execute("UPDATE team_link SET state = 'left' WHERE id = 1")
            return int(conn.execute(
                "SELECT count(*) FROM team_change WHERE outcome IS NULL"
            ).fetchone()[0])  # fmt: skip

    def attempted(self, error: str | None) -> None:
        """A sync ended (`error` None: it completed)."""
        stamp = now()
        with transaction(self.conn) as conn:
            if error is None:
                conn.execute(
                    "UPDATE team_link SET last_sync_at = ?, last_attempt_at = ?, last_error = NULL "
                    "WHERE id = 1",
                    (stamp, stamp),
                )
            else:
                conn.execute(
                    "UPDATE team_link SET last_attempt_at = ?, last_error = ? WHERE id = 1",
                    (stamp, error),
                )

    def set_editor(self, editor: bool) -> None:
        with transaction(self.conn) as conn:
            conn.execute("UPDATE team_link SET editor = ? WHERE id = 1", (editor,))

    # -- people -----------------------------------------------------------------------------------
    def names(self) -> dict[str, str]:
        """Team roles and the names members gave themselves (this member's own included)."""
        names = {
            r[0]: r[1] for r in self.conn.execute("SELECT role, display_name FROM team_member")
        }
        link = self.link()
        if link is not None:
            names[link.member_role] = link.display_name
        return names

    # -- status -----------------------------------------------------------------------------------
    def pending(self) -> int:
        """Changes made here that the server has not acknowledged yet."""
        return int(self.conn.execute(
            "SELECT count(*) FROM team_change WHERE outcome IS NULL"
        ).fetchone()[0])  # fmt: skip

    def failed(self) -> list[dict[str, Any]]:
        """Changes the server refused as invalid (kept here, with the reason)."""
        return [
            {"kind": r["kind"], "uid": r["uid"], "error": r["error"]}
            for r in self.conn.execute(
                "SELECT kind, uid, error FROM team_change WHERE outcome = 'invalid' ORDER BY seq"
            )
        ]

    def _count(self, query: str) -> int:
        return int(self.conn.execute(query).fetchone()[0])

    def rejected(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM team_rejected").fetchone()[0])

    def status(self) -> dict[str, Any]:
        """`team status --json`: {team, member, server, last_sync, pending, ...}."""
        link = self.link()
        if link is None:
            return {"team": None, "member": None, "server": None, "last_sync": None,
                    "pending": 0, "state": "not joined"}  # fmt: skip
        return {
            "team": link.team_name, "member": link.display_name, "server": link.server,
            "last_sync": link.last_sync_at, "pending": self.pending(), "state": link.state,
            "role": link.member_role, "editor": link.editor, "last_error": link.last_error,
            "conflicts": self._count("SELECT count(*) FROM team_conflict WHERE resolved = 0"),
            "failed": len(self.failed()),
            "rejected": self.rejected(),
            "documents_waiting": self._count(
                "SELECT count(*) FROM shared_document WHERE shared = 1 AND state = 'wanted'"
            ),
        }  # fmt: skip

    # -- sharing collections and examples ---------------------------------------------------------
    def share_collection(self, name: str) -> str:
        """Share a collection and its items with the team (sent at the next sync)."""
        with transaction(self.conn) as conn:
            me = self.joined().member_role
            row = _live_by_name(conn, name)
            if row["shared"]:
                raise LibraryError(f"the collection {row['name']!r} is shared already")
            uid = row["uid"]
            if _known(conn, "collection", uid):  # shared before and unshared: a new identity
                uid = new_uid()
                conn.execute("UPDATE collection SET uid = ? WHERE id = ?", (uid, row["id"]))
                for item in conn.execute(
                    "SELECT id FROM collection_item WHERE collection_id = ?", (row["id"],)
                ).fetchall():
                    conn.execute(
                        "UPDATE collection_item SET uid = ? WHERE id = ?", (new_uid(), item["id"])
                    )
            conn.execute(
                "UPDATE collection SET shared = 1, shared_by = ? WHERE id = ?", (me, row["id"])
            )
            outbox.record(conn, "collection", uid, outbox.collection_fields(row))
            items = conn.execute(
                "SELECT * FROM collection_item WHERE collection_id = ? AND deleted_at IS NULL "
                "ORDER BY position, id",
                (row["id"],),
            ).fetchall()
            for n, item in enumerate(items):
                if _known(conn, "collection_item", item["uid"]):
                    conn.execute(
                        "UPDATE collection_item SET uid = ? WHERE id = ?", (new_uid(), item["id"])
                    )
                conn.execute(
                    "UPDATE collection_item SET team_position = ? WHERE id = ?",
                    (float(n), item["id"]),
                )
                fresh = conn.execute(
                    "SELECT * FROM collection_item WHERE id = ?", (item["id"],)
                ).fetchone()
                outbox.record(
                    conn, "collection_item", fresh["uid"], outbox.item_fields(conn, fresh)
                )
            return str(row["name"])

    def unshare_collection(self, name: str) -> str:
        """Stop sharing a collection: it stays here; teammates' copies go to their Trash."""
        with transaction(self.conn) as conn:
            link = self.joined()
            row = _live_by_name(conn, name)
            self._may_unshare("collection", row, link)
            conn.execute(
                "UPDATE collection SET shared = 0, shared_by = '' WHERE id = ?", (row["id"],)
            )
            for item in conn.execute(
                "SELECT uid FROM collection_item WHERE collection_id = ?", (row["id"],)
            ).fetchall():
                conn.execute(
                    "DELETE FROM team_change WHERE kind = 'collection_item' AND uid = ? "
                    "AND sent_at IS NULL",
                    (item["uid"],),
                )
            outbox.record(conn, "collection", row["uid"], op="delete")
            return str(row["name"])

    def share_example(self, uid: str) -> None:
        with transaction(self.conn) as conn:
            me = self.joined().member_role
            row = _live_example(conn, uid)
            if row["shared"]:
                raise LibraryError(f"the example {row['title']!r} is shared already")
            if _known(conn, "example", uid):
                raise LibraryError(
                    f"the example {row['title']!r} was shared before and deleted from the team "
                    "library; a shared thing that was deleted cannot be shared again under the "
                    "same id: copy it into a new example to share it"
                )
            conn.execute(
                "UPDATE example SET shared = 1, shared_by = ? WHERE id = ?", (me, row["id"])
            )
            outbox.record(conn, "example", uid, outbox.example_fields(row))

    def unshare_example(self, uid: str) -> None:
        with transaction(self.conn) as conn:
            link = self.joined()
            row = _live_example(conn, uid)
            self._may_unshare("example", row, link)
            conn.execute("UPDATE example SET shared = 0, shared_by = '' WHERE id = ?", (row["id"],))
            outbox.record(conn, "example", uid, op="delete")

    def _may_unshare(self, kind: str, row: sqlite3.Row, link: Link) -> None:
        label = row["name"] if kind == "collection" else row["title"]
        if not row["shared"]:
            raise LibraryError(f"the {kind} {label!r} is not shared")
        if row["shared_by"] not in (link.member_role, "") and not link.editor:
            who = self.names().get(row["shared_by"], row["shared_by"])
            raise LibraryError(
                f"the {kind} {label!r} was shared by {who}: only {who} or a team editor can stop "
                "sharing it (deleting it removes it from your library only)"
            )

    # -- sharing reports and documents ------------------------------------------------------------
    def share_document(
        self, key: str, content: bytes, *, title: str, document_type: str, source_name: str
    ) -> str:
        """Share a report (or document) with its original file, kept here under its hash."""
        import hashlib

        with transaction(self.conn) as conn:
            me = self.joined().member_role
            current = conn.execute(
                "SELECT shared FROM shared_document WHERE report_key = ?", (key,)
            ).fetchone()
            if current is not None and current["shared"]:
                raise LibraryError(f"the report {key} is shared already")
            if _known(conn, "document", key):
                raise LibraryError(
                    f"the report {key} was shared before and deleted from the team library; it "
                    "cannot be shared again under the same key"
                )
            team_files.keep(self.data_dir, content, source_name)
            digest = hashlib.sha256(content).hexdigest()
            fields = {"title": title, "document_type": document_type, "source_name": source_name,
                      "sha256": digest, "size": len(content)}  # fmt: skip
            conn.execute(
                "INSERT OR REPLACE INTO shared_document (report_key, shared, shared_by, title, "
                "document_type, source_name, sha256, size, state) "
                "VALUES (?, 1, ?, ?, ?, ?, ?, ?, 'here')",
                (key, me, title, document_type, source_name, digest, len(content)),
            )
            outbox.record(conn, "document", key, fields)
            return digest

    def unshare_document(self, key: str) -> None:
        with transaction(self.conn) as conn:
            link = self.joined()
            row = conn.execute(
                "SELECT * FROM shared_document WHERE report_key = ? AND shared = 1", (key,)
            ).fetchone()
            if row is None:
                raise LibraryError(f"the report {key} is not shared")
            if row["shared_by"] != link.member_role and not link.editor:
                who = self.names().get(row["shared_by"], row["shared_by"])
                raise LibraryError(f"the report {key} was shared by {who}: only {who} or a team "
                                   "editor can stop sharing it")  # fmt: skip
            conn.execute("UPDATE shared_document SET shared = 0 WHERE report_key = ?", (key,))
            outbox.record(conn, "document", key, op="delete")

    def report_source(self, key: str) -> dict[str, Any]:
        """Where a report came from: source name and hash, the kept original (if any)."""
        row = self.conn.execute(
            "SELECT source_name, source_sha256, original_sha256, original_name, bundled "
            "FROM report WHERE key = ?",
            (key,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"there is no report {key!r}; see `safedesk reports`")
        return dict(row)

    def shared_documents(self) -> dict[str, sqlite3.Row]:
        """Reports shared with the team, by key."""
        return {
            r["report_key"]: r
            for r in self.conn.execute("SELECT * FROM shared_document WHERE shared = 1")
        }

    def wanted_documents(self) -> list[sqlite3.Row]:
        """Shared documents whose files are still to fetch and import here."""
        return self.conn.execute(
            "SELECT * FROM shared_document WHERE shared = 1 AND state = 'wanted' "
            "ORDER BY report_key"
        ).fetchall()

    def document_done(self, key: str, sha256: str, error: str | None = None) -> None:
        with transaction(self.conn) as conn:
            conn.execute(
                "UPDATE shared_document SET state = ?, error = ? WHERE report_key = ? "
                "AND sha256 = ?",
                ("failed" if error else "here", error, key, sha256),
            )

    def file_for(self, sha256: str, source_name: str) -> Path | None:
        """The kept original with this hash (to send, or to import)."""
        return team_files.find(self.data_dir, sha256, source_name)

    def keep_file(self, data: bytes, source_name: str) -> Path:
        return team_files.keep(self.data_dir, data, source_name)

    # -- a sync's local steps -------------------------------------------------------------------
    def freeze(self) -> list[Pending]:
        return team_sync.freeze(self.conn)

    def store_receipts(self, sent: list[Pending], receipts: list[Receipt]) -> dict[str, int]:
        return team_sync.store_receipts(self.conn, sent, receipts, self.joined().member_role)

    def apply_page(self, page: PulledPage, applied: Applied) -> None:
        team_apply.apply_page(self.conn, page, applied)

    def resolutions(self) -> list[str]:
        """Conflict copies resolved here that the server is still to be told about."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM team_conflict WHERE resolved_here = 1 AND source = 'team' "
            "AND id NOT LIKE 'local-%'"
        )]  # fmt: skip

    def told(self, ids: list[str]) -> None:
        with transaction(self.conn) as conn:
            conn.executemany(
                "UPDATE team_conflict SET resolved_here = 0 WHERE id = ?", [(i,) for i in ids]
            )

    # -- conflict copies --------------------------------------------------------------------------
    def conflicts(self, *, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Conflict copies (newest first), each as `team sync --json` lists them."""
        where = "" if include_resolved else "WHERE resolved = 0"
        return [
            team_apply.describe_conflict(self.conn, r[0])
            for r in self.conn.execute(
                f"SELECT id FROM team_conflict {where} ORDER BY arrived_at DESC, authored_at DESC"
            )
        ]

    def open_conflicts(self, kind: str) -> dict[str, int]:
        """Unresolved conflict copies of one kind, counted by uid."""
        return {
            r[0]: r[1]
            for r in self.conn.execute(
                "SELECT uid, count(*) FROM team_conflict WHERE kind = ? AND resolved = 0 "
                "GROUP BY uid",
                (kind,),
            )
        }

    def conflict_version(self, copy_id: str) -> dict[str, Any]:
        """The fields of a conflict copy (the version that lost), validated when it arrived."""
        row = self.conn.execute(
            "SELECT fields FROM team_conflict WHERE id = ?", (copy_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"there is no conflict copy {copy_id!r}")
        fields: dict[str, Any] = json.loads(row["fields"])
        return fields

    def current_fields(self, kind: str, uid: str) -> dict[str, Any]:
        """The shared fields of the row here now (empty if it is gone)."""
        if kind == "collection_item":
            row = self.conn.execute(
                "SELECT * FROM collection_item WHERE uid = ? ORDER BY deleted_at IS NULL DESC",
                (uid,),
            ).fetchone()
            return outbox.item_fields(self.conn, row) if row is not None else {}
        if kind in ("collection", "example"):
            row = self.conn.execute(
                f"SELECT * FROM {kind} WHERE uid = ? ORDER BY deleted_at IS NULL DESC", (uid,)
            ).fetchone()
            if row is None:
                return {}
            if kind == "collection":
                return outbox.collection_fields(row)
            return outbox.example_fields(row)
        return {}

    def resolve(self, copy_id: str, *, use: bool = False) -> None:
        """Mark a conflict copy resolved; with `use`, its version becomes the current one first
        (a new change, logged for the team if the thing is shared)."""
        with transaction(self.conn) as conn:
            row = conn.execute("SELECT * FROM team_conflict WHERE id = ?", (copy_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"there is no conflict copy {copy_id!r}")
            if use:
                _use_version(conn, row["kind"], row["uid"], json.loads(row["fields"]))
            conn.execute(
                "UPDATE team_conflict SET resolved = 1, resolved_here = 1 WHERE id = ?", (copy_id,)
            )


def _use_version(conn: sqlite3.Connection, kind: str, uid: str, version: dict[str, Any]) -> None:
    if kind == "collection_item":
        item = conn.execute(
            "SELECT i.id, c.shared FROM collection_item i JOIN collection c "
            "ON c.id = i.collection_id WHERE i.uid = ? AND i.deleted_at IS NULL",
            (uid,),
        ).fetchone()
        if item is None:
            raise LibraryError("that item is not in a collection here any more")
        changed: dict[str, Any] = {
            k: version[k] for k in ("note", "prompts", "minutes") if k in version
        }
        _update_item(conn, item["id"], changed)
        if item["shared"]:
            outbox.record(conn, kind, uid, changed)
    elif kind == "collection":
        row = conn.execute(
            "SELECT * FROM collection WHERE uid = ? AND deleted_at IS NULL", (uid,)
        ).fetchone()
        if row is None:
            raise LibraryError("that collection is not here any more")
        changed = {k: version[k] for k in outbox.COLLECTION_FIELDS if k in version}
        if "name" in changed and changed["name"] != row["name"]:
            changed["name"] = free_name(conn, changed["name"])
        conn.execute(
            f"UPDATE collection SET {''.join(f'{k} = ?, ' for k in changed)}updated_at = ? "
            "WHERE id = ?",
            [*changed.values(), now(), row["id"]],
        )
        if row["shared"]:
            outbox.record(conn, kind, uid, changed)
    elif kind == "example":
        row = conn.execute(
            "SELECT * FROM example WHERE uid = ? AND deleted_at IS NULL", (uid,)
        ).fetchone()
        if row is None:
            raise LibraryError("that example is not here any more")
        changed = {k: version[k] for k in outbox.EXAMPLE_FIELDS if k in version}
        conn.execute(
            f"UPDATE example SET {''.join(f'{k} = ?, ' for k in changed)}updated_at = ? "
            "WHERE id = ?",
            [*changed.values(), now(), row["id"]],
        )
        bump_counter(conn, "examples_generation")
        if row["shared"]:
            outbox.record(conn, kind, uid, changed)
    else:
        raise LibraryError(f"a {kind} version cannot be used from here")


def _known(conn: sqlite3.Connection, kind: str, uid: str) -> bool:
    """True if the team has (or had) this uid: it cannot be shared afresh under it."""
    return bool(conn.execute(
        "SELECT 1 FROM team_shadow WHERE kind = ? AND uid = ? UNION ALL "
        "SELECT 1 FROM team_change WHERE kind = ? AND uid = ?",
        (kind, uid, kind, uid),
    ).fetchone())  # fmt: skip


def _live_by_name(conn: sqlite3.Connection, name: str) -> sqlite3.Row:
    for query in (
        "SELECT * FROM collection WHERE name = ? AND deleted_at IS NULL",
        "SELECT * FROM collection WHERE lower(name) = lower(?) AND deleted_at IS NULL",
    ):
        row: sqlite3.Row | None = conn.execute(query, (name,)).fetchone()
        if row is not None:
            return row
    raise NotFoundError(f"there is no collection called {name!r}; see `safedesk collections`")


def _live_example(conn: sqlite3.Connection, uid: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM example WHERE uid = ? AND deleted_at IS NULL", (uid,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"there is no example {uid!r}; see `safedesk examples`")
    return row
