"""Sharing with a team, for every front end: `library.team` (the CLI's `team`, `collection share`,
`example share`, `report share`; the app's Library ▸ Team… and status bar).

Sharing, unsharing, conflicts and status are local and instant (the outbox carries changes to the
next sync). Only `join` and `sync` reach the server; they import the PostgreSQL driver when
called, never before.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk import paths
from safedesk.errors import LibraryError, NotFoundError
from safedesk.views import CollectionInfo, ExampleInfo, ReportInfo

if TYPE_CHECKING:
    from safedesk.interfaces import SharingHost
    from safedesk.team.client import SyncReport
    from safedesk.team.connect import PasswordPrompt

MAX_FILE_BYTES = 50 * 1024 * 1024  # the team library's cap on a shared file (team.records)


class TeamLibrary:
    def __init__(self, library: SharingHost) -> None:
        self.library = library
        self.store = library.store

    # -- where this library stands --------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """{team, member, server, last_sync, pending, ...}: read here, never from the network."""
        return self.store.team.status()

    def joined(self) -> bool:
        link = self.store.team.link()
        return link is not None and link.joined

    # -- the network ------------------------------------------------------------------------------
    def join(self, url: str, member: str, prompt: PasswordPrompt | None = None) -> SyncReport:
        """Join the team library at `url` as `member`, then sync for the first time."""
        from safedesk.team.client import join

        return join(self.library, url, member, prompt=prompt)

    def sync(self, prompt: PasswordPrompt | None = None, progress: Any = None) -> SyncReport:
        """Send this library's changes, then fetch the team's (see team/client.py)."""
        from safedesk.team.client import sync

        return sync(self.library, prompt=prompt, progress=progress)

    def leave(self) -> int:
        """Disconnect, keeping everything; returns the changes that were never sent."""
        return self.store.team.leave()

    # -- sharing ----------------------------------------------------------------------------------
    def share_collection(self, name: str) -> CollectionInfo:
        return self.library.collection(self.store.team.share_collection(name))

    def unshare_collection(self, name: str) -> CollectionInfo:
        return self.library.collection(self.store.team.unshare_collection(name))

    def share_example(self, example_id: str) -> ExampleInfo:
        uid = self.library.example(example_id).id
        self.store.team.share_example(uid)
        return self.library.example(uid)

    def unshare_example(self, example_id: str) -> ExampleInfo:
        uid = self.library.example(example_id).id
        self.store.team.unshare_example(uid)
        return self.library.example(uid)

    def share_report(self, key: str, file: str | Path | None = None) -> ReportInfo:
        """Share a report or document with its original file, so teammates get the same text and
        keys. A report imported before safedesk kept originals needs `file` (checked by hash)."""
        report = self._report(key)
        source = self.store.team.report_source(report.key)
        content = self._original(report.key, source, Path(file).expanduser() if file else None)
        if len(content) > MAX_FILE_BYTES:
            raise LibraryError(
                f"{source['source_name']} is {len(content) / 1048576:.1f} MiB; shared files are "
                f"limited to {MAX_FILE_BYTES // 1048576} MiB"
            )
        self.store.team.share_document(
            report.key, content, title=report.title[:500], document_type=report.kind,
            source_name=_plain_name(source["source_name"]),
        )  # fmt: skip
        return self._report(report.key)

    def unshare_report(self, key: str) -> ReportInfo:
        self.store.team.unshare_document(self._report(key).key)
        return self._report(key)

    def _report(self, key: str) -> ReportInfo:
        for report in self.library.reports():
            if report.key == key.strip():
                return report
        raise NotFoundError(f"there is no report {key!r}; see `safedesk reports`")

    def _original(self, key: str, source: dict[str, Any], file: Path | None) -> bytes:
        wanted = {s for s in (source["source_sha256"], source["original_sha256"]) if s}
        candidates: list[Path] = []
        if file is not None:
            candidates.append(file)
        if source["original_name"]:
            from safedesk.store.originals import original_path

            candidates.append(original_path(self.store.data_dir, source["original_name"]))
        kept = self.store.team.file_for(source["source_sha256"], source["source_name"])
        if kept is not None:
            candidates.append(kept)
        candidates.append(paths.bundled_report())
        for path in candidates:
            if not path.is_file():
                if path == file:
                    raise LibraryError(f"no such file: {file}")
                continue
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() in wanted:
                return data
            if path == file:
                raise LibraryError(
                    f"{file.name} is not the file {key} was imported from (its contents differ)"
                )
        raise LibraryError(
            f"the original file of {key} is not kept in this library; share it with "
            f"`safedesk report share {key} --file PATH` (the file it was imported from)"
        )

    # -- conflict copies --------------------------------------------------------------------------
    def conflicts(self, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Conflict copies here: {id, kind, uid, collection, key, author, reason, clashed, at}."""
        return self.store.team.conflicts(include_resolved=include_resolved)

    def conflict_versions(self, copy_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the version here now, the conflict copy's version), field by field, for comparing."""
        version = self.store.team.conflict_version(copy_id)
        found = [c for c in self.conflicts(include_resolved=True) if c["id"] == copy_id]
        current = self.store.team.current_fields(found[0]["kind"], found[0]["uid"]) if found else {}
        return current, version

    def resolve(self, copy_id: str, use: bool = False) -> None:
        """Dismiss a conflict copy, or (`use`) make its version the current one (sent to the team
        at the next sync if the thing is shared)."""
        before = self.store.index_token()
        self.store.team.resolve(copy_id, use=use)
        self.library.index.follow("my-examples", before)

    def conflicts_for(self, uid: str) -> list[dict[str, Any]]:
        return [c for c in self.conflicts() if c["uid"] == uid]


def _plain_name(name: str) -> str:
    """The source file's name as the team library keeps it (no path, at most 255 characters)."""
    plain = Path(name.replace("\\", "/")).name or "report.txt"
    plain = plain if plain not in (".", "..") else "report.txt"
    if len(plain) > 255:
        suffix = Path(plain).suffix[:10]
        plain = plain[: 255 - len(suffix)] + suffix
    return plain
