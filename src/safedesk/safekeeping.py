"""Keeping a library healthy: daily backups, copies on request, restoring one, and `doctor`.

Uses the store and the search index only through their public faces (`LocalStore`,
`IndexKeeper`) and the user's things through `interfaces.Kept`; it never opens a library itself.
`precheck` looks at a library folder without opening it (opening can change a file: an upgrade).
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from safedesk.errors import DamagedLibraryError, LibraryError
from safedesk.fileio import write_atomically
from safedesk.search.lifecycle import IndexKeeper
from safedesk.store import backups, database, leftovers, recovery
from safedesk.store.local import LocalStore
from safedesk.views import BookmarkInfo, CollectionInfo

log = logging.getLogger(__name__)
DAY_SECONDS = 24 * 3600
LOW_SPACE = 256 * 1024  # below this, opening (SQLite's -shm, a journal) can fail for want of space


class Kept(Protocol):
    """What doctor asks about the user's things: do they still point into the library?"""

    def bookmarks(self, tag: str | None = None) -> list[BookmarkInfo]: ...

    def collections(self) -> list[CollectionInfo]: ...


# -- backups ---------------------------------------------------------------------------------------
def daily_backup(store: LocalStore) -> Path | None:
    """Back up once a day, when the library holds user data (made at open)."""
    if not store.has_user_data():
        return None
    daily = sorted(store.backups_dir.glob("library-*-daily.sqlite3"))
    if daily and time.time() - daily[-1].stat().st_mtime < DAY_SECONDS:
        return None
    try:
        made = store.backup("daily")
    except (OSError, sqlite3.Error, LibraryError) as exc:  # never stops anyone reading
        from safedesk.notices import say_once

        say_once(store.data_dir, "daily backup", f"today's backup was not made: {exc}")
        return None
    from safedesk.notices import resolved

    resolved(store.data_dir, "daily backup")
    return made


def backup_to(store: LocalStore, target: Path | None) -> Path:
    """A copy of the whole library database: to `target`, or into the backups folder."""
    if target is None:
        return store.backup("manual")
    target = target.expanduser()
    if target.is_dir():
        target = target / f"safedesk-backup-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3"
    return write_atomically(target, store.copy_to, "the backup")


def restore_backup(store: LocalStore, index: IndexKeeper, source: Path) -> Path:
    """Replace the library's database with `source`, after backing up the current one (returned)."""
    from safedesk.store.schema_check import check_backup

    check_backup(source)
    safety = store.backup("before-restore")
    store.replace_with(source)
    index.forget()
    return safety


# -- doctor ----------------------------------------------------------------------------------------
@dataclass
class Check:
    name: str
    ok: bool
    message: str
    repairable: bool = False


@dataclass
class DoctorReport:
    checks: list[Check] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"healthy": self.healthy, **asdict(self)}

    def text(self) -> str:
        lines = [f"{'ok ' if c.ok else 'PROBLEM'}  {c.name}: {c.message}" for c in self.checks]
        lines += [f"repaired  {r}" for r in self.repaired]
        verdict = "Everything is in order." if self.healthy else "Some problems need attention."
        if not self.healthy and any(c.repairable and not c.ok for c in self.checks):
            verdict += " Run `safedesk doctor --repair` to rebuild what can be rebuilt."
        return "\n".join([*lines, verdict])


def doctor(store: LocalStore, index: IndexKeeper, kept: Kept, repair: bool = False) -> DoctorReport:
    report = DoctorReport()
    integrity, broken = store.integrity()
    report.checks.append(Check(
        "database", integrity == ["ok"],
        "SQLite finds the database file intact" if integrity == ["ok"]
        else f"SQLite reports damage: {'; '.join(integrity[:3])}. Restore a backup "
        "(`safedesk restore-backup FILE`; backups are in the backups folder)",
    ))  # fmt: skip
    report.checks.append(Check(
        "links", not broken,
        "every row points at rows that exist" if not broken
        else f"{broken} rows point at rows that are missing",
    ))  # fmt: skip
    revision = store.schema_revision()
    head = database.KNOWN_REVISIONS[-1]
    report.checks.append(Check(
        "schema", revision == head, f"up to date (revision {revision})" if revision == head
        else f"revision {revision}, expected {head}",
    ))  # fmt: skip
    foreign = store.foreign_objects()
    report.checks.append(Check(
        "schema objects", not foreign, "exactly the tables and indexes safedesk makes"
        if not foreign else f"the database has {'; '.join(foreign[:3])}: it was changed outside "
        "safedesk; restore a backup (`safedesk restore-backup`)",
    ))  # fmt: skip
    ok, message = index.check(store.search_documents())
    report.checks.append(Check("search index", ok, message, True))
    report.checks.append(_references_check(kept))
    found = backups.backups(store.backups_dir)
    if not found:
        report.checks.append(Check("backups", True, "no backups yet (one is made before changes)"))
    else:
        age_h = (time.time() - found[0].stat().st_mtime) / 3600
        report.checks.append(
            Check("backups", True, f"newest backup {age_h:.0f} hours old: {found[0].name}")
        )
    report.checks.append(_leftovers_check(store.data_dir))
    if repair:
        for check in report.checks:
            if check.name == "search index" and not check.ok:
                index.rebuild()
                report.repaired.append("search index rebuilt from the library")
                check.ok, check.message = True, "rebuilt"
            if check.name == "temporary files" and not check.ok:
                removed = leftovers.remove(leftovers.find(store.data_dir))
                report.repaired.append(f"removed {len(removed)} leftover temporary files")
                check.ok, check.message = True, "removed"
    return report


def _leftovers_check(data_dir: Path) -> Check:
    found = leftovers.find(data_dir)
    if not found:
        return Check("temporary files", True, "none left over")
    names = ", ".join(str(p.relative_to(data_dir)) for p in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    return Check(
        "temporary files", False,
        f"{len(found)} left by an interrupted write ({names}{more}); they are safe to remove",
        True,
    )  # fmt: skip


def _references_check(kept: Kept) -> Check:
    gone = [b for b in kept.bookmarks() if b.missing]
    gone_items = [i for c in kept.collections() for i in c.items if not i.linked]
    if not gone and not gone_items:
        return Check(
            "bookmarks and collections", True, "every bookmark and item points into the library"
        )
    return Check(
        "bookmarks and collections", True,
        f"{len(gone)} bookmarks and {len(gone_items)} collection items refer to reports not in "
        "this library; their saved titles and text are shown instead",
    )  # fmt: skip


# -- before opening --------------------------------------------------------------------------------
def precheck(data_dir: Path) -> DoctorReport | None:
    """What can be found out without opening the library (which would change it).

    Returns a report when the library must not or cannot be opened as it is: a read-only
    folder, a damaged database (or one moved aside), a schema from a newer safedesk, or an older
    schema (opening upgrades it, so only `doctor --repair` goes on). Otherwise None.
    """
    db_path = data_dir / recovery.DB_NAME
    if not data_dir.exists():
        return None
    checks: list[Check] = []
    if recovery.read_only_part(data_dir) is not None:
        checks.append(Check(
            "folder", False, f"{data_dir} is read-only: safedesk cannot save there and will not "
            "open it; make it writable or copy it somewhere writable",
        ))  # fmt: skip
    free = shutil.disk_usage(data_dir).free
    if free < LOW_SPACE:
        checks.append(Check(
            "disk", False, f"the disk holding {data_dir} is full ({free // 1024} KiB free): "
            "safedesk cannot open or change the library until some space is freed; nothing in "
            "it was changed",
        ))  # fmt: skip
    if not db_path.exists():
        try:
            recovery.refuse_if_damaged(data_dir)
        except DamagedLibraryError as damaged:
            checks.append(Check("database", False, str(damaged)))
    else:
        checks += _peek(db_path, writable=not checks)
    if not checks:
        return None
    report = DoctorReport(checks=checks)
    report.checks.append(_leftovers_check(data_dir))
    found = recovery.backups(data_dir)
    report.checks.append(Check(
        "backups", True, f"{len(found)} backups, newest {found[0].name}" if found
        else "no backups found",
    ))  # fmt: skip
    return report


def _peek(db_path: Path, writable: bool) -> list[Check]:
    """Integrity and schema of the database through a read-only connection."""
    integrity, revision, disk_trouble = database.peek(db_path, writable)
    if disk_trouble and writable:  # the check itself needs space: look without writing
        integrity, revision, disk_trouble = database.peek(db_path, writable=False)
    if disk_trouble:
        return [Check("database", False, f"{db_path} could not be checked: {integrity[0]}")]
    if integrity != ["ok"]:
        newest = recovery.backups(db_path.parent)
        offer = (
            f"`safedesk restore-backup` restores the newest backup ({newest[0].name})"
            if newest
            else "no backup was found"
        )
        return [Check(
            "database", False, f"{db_path} is damaged (SQLite says: {'; '.join(integrity)}); "
            f"opening it moves it aside; {offer}",
        )]  # fmt: skip
    head = database.KNOWN_REVISIONS[-1]
    if revision is not None and revision not in database.KNOWN_REVISIONS:
        return [Check(
            "schema", False, f"revision {revision} comes from a newer safedesk; this version "
            "will not open it (install the newer version)",
        )]  # fmt: skip
    if revision is not None and revision != head:
        return [Check(
            "schema", False, f"revision {revision}, older than this safedesk's {head}: it is "
            "upgraded when the library is next opened (a backup is made first), or now with "
            "`safedesk doctor --repair`", True,
        )]  # fmt: skip
    return []
