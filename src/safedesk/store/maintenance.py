"""Keeping a library healthy: backups, restoring one, and `doctor`'s checks and repairs."""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk.errors import DamagedLibraryError, LibraryError
from safedesk.fileio import write_atomically
from safedesk.store import database, leftovers, recovery

if TYPE_CHECKING:
    from safedesk.library import Library

log = logging.getLogger(__name__)
DAY_SECONDS = 24 * 3600


def newest_backup(backups_dir: Path) -> Path | None:
    found = sorted(backups_dir.glob("library-*.sqlite3"))
    return found[-1] if found else None


def daily_backup(conn: sqlite3.Connection, backups_dir: Path) -> Path | None:
    """Back up once a day, when the library holds user data (made at open)."""
    if not _has_user_data(conn):
        return None
    daily = sorted(backups_dir.glob("library-*-daily.sqlite3"))
    if daily and time.time() - daily[-1].stat().st_mtime < DAY_SECONDS:
        return None
    try:
        made = database.backup(conn, backups_dir, "daily")
    except (OSError, sqlite3.Error, LibraryError) as exc:  # never stops anyone reading
        from safedesk.notices import say_once

        say_once(backups_dir.parent, "daily backup", f"today's backup was not made: {exc}")
        return None
    from safedesk.notices import resolved

    resolved(backups_dir.parent, "daily backup")
    return made


def _has_user_data(conn: sqlite3.Connection) -> bool:
    try:
        return any(
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("bookmark", "collection", "example")
        )
    except sqlite3.OperationalError:
        return False


def backup_to(lib: Library, target: Path | None) -> Path:
    """A copy of the whole library database: to `target`, or into the backups folder."""
    if target is None:
        return database.backup(lib._conn, lib.data_dir / "backups", "manual")
    target = target.expanduser()
    if target.is_dir():
        target = target / f"safedesk-backup-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3"

    def copy(tmp: Path) -> None:
        dest = sqlite3.connect(tmp)
        try:
            lib._conn.backup(dest)
        finally:
            dest.close()

    return write_atomically(target, copy, "the backup")


def check_backup(source: Path) -> str:
    """Check that `source` is a healthy safedesk library (read-only); return its schema revision."""
    if not source.is_file():
        raise LibraryError(f"no such file: {source}")
    try:
        conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        raise LibraryError(f"{source.name} is not a safedesk library backup") from None
    if ok != "ok":
        raise LibraryError(f"{source.name} is damaged (SQLite says: {ok})")
    if revision is None or revision[0] not in database.KNOWN_REVISIONS:
        raise LibraryError(
            f"{source.name} comes from another version of safedesk; it was not restored"
        )
    return str(revision[0])


def restore_backup(lib: Library, source: Path) -> Path:
    """Replace the library's database with `source`, after backing up the current one."""
    check_backup(source)
    safety = database.backup(lib._conn, lib.data_dir / "backups", "before-restore")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(lib._conn)
    finally:
        src.close()
    lib.reopen_after_restore()
    return safety


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


def doctor(lib: Library, repair: bool = False) -> DoctorReport:
    report = DoctorReport()
    conn = lib._conn
    integrity = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
    report.checks.append(Check(
        "database", integrity == ["ok"],
        "SQLite finds the database file intact" if integrity == ["ok"]
        else f"SQLite reports damage: {'; '.join(integrity[:3])}. Restore a backup "
        "(`safedesk restore-backup FILE`; backups are in the backups folder)",
    ))  # fmt: skip
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    report.checks.append(Check(
        "links", not broken,
        "every row points at rows that exist" if not broken
        else f"{len(broken)} rows point at rows that are missing",
    ))  # fmt: skip
    revision = database.current_revision(conn)
    current = revision == database.KNOWN_REVISIONS[-1]
    report.checks.append(Check(
        "schema", current, f"up to date (revision {revision})" if current
        else f"revision {revision}, expected {database.KNOWN_REVISIONS[-1]}",
    ))  # fmt: skip
    report.checks.append(_index_check(lib))
    report.checks.append(_references_check(lib))
    newest = newest_backup(lib.data_dir / "backups")
    if newest is None:
        report.checks.append(Check("backups", True, "no backups yet (one is made before changes)"))
    else:
        age_h = (time.time() - newest.stat().st_mtime) / 3600
        report.checks.append(
            Check("backups", True, f"newest backup {age_h:.0f} hours old: {newest.name}")
        )
    report.checks.append(_leftovers_check(lib.data_dir))
    if repair:
        for check in report.checks:
            if check.name == "search index" and not check.ok:
                lib.rebuild_index()
                report.repaired.append("search index rebuilt from the library")
                check.ok, check.message = True, "rebuilt"
            if check.name == "temporary files" and not check.ok:
                removed = leftovers.remove(leftovers.find(lib.data_dir))
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
    if (data_dir / recovery.MARKER_NAME).exists() and not db_path.exists():
        try:
            recovery.refuse_if_damaged(data_dir)
        except DamagedLibraryError as damaged:
            checks.append(Check("database", False, str(damaged)))
    elif db_path.exists():
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
    uri = f"file:{db_path}?mode=ro" + ("" if writable else "&immutable=1")
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(3)").fetchall()]
            revision = database.current_revision(conn) if integrity == ["ok"] else None
        finally:
            conn.close()
    except (sqlite3.Error, LibraryError) as exc:
        integrity, revision = [str(exc)], None
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


def _index_check(lib: Library) -> Check:
    from safedesk.search.index import IndexUnavailable, SearchIndex

    probe = SearchIndex(lib.data_dir / "index")
    token = lib._index_token()
    try:
        probe.open(token)
        count = probe.searcher.doc_count()
    except IndexUnavailable as why:
        return Check("search index", False, f"{why}; it is rebuilt automatically", True)
    finally:
        probe.close()
    expected = sum(1 for _ in lib._reader.documents()) + len(lib.examples())
    if count != expected:
        return Check(
            "search index", False, f"holds {count} items but the library has {expected}", True
        )
    return Check("search index", True, f"current, {count} items")


def _references_check(lib: Library) -> Check:
    gone = [b for b in lib.bookmarks() if b.missing]
    gone_items = [i for c in lib.collections() for i in c.items if not i.linked]
    if not gone and not gone_items:
        return Check(
            "bookmarks and collections", True, "every bookmark and item points into the library"
        )
    return Check(
        "bookmarks and collections", True,
        f"{len(gone)} bookmarks and {len(gone_items)} collection items refer to reports not in "
        "this library; their saved titles and text are shown instead",
    )  # fmt: skip
