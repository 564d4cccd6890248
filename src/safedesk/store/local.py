"""The library's SQLite store as one object: its folder, its connection, and the faces over it.

`LocalStore.open(folder)` makes the folder if needed, refuses a read-only or damaged library (a
damaged database is moved aside, never overwritten), and brings the schema up to date. Then:

    store.content       read-only queries over the reports (`Reader`)
    store.user          bookmarks, local examples and the trash (`UserData`)
    store.collections   collections and their items (`Collections`)
    store.team          the team library's local half: sharing, conflicts, sync steps (`TeamStore`)
    store.sessions      session plans, agenda steps, records of sessions and actions (`Sessions`)
    store.corrections   the user's corrections to citations (`Corrections`)

Everything above `store/` goes through these; no SQL is written anywhere else.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from safedesk.errors import ReadOnlyLibraryError
from safedesk.store import backups, database, recovery
from safedesk.store.collections import Collections, IncomingCollection
from safedesk.store.corrections import Corrections
from safedesk.store.reader import Reader
from safedesk.store.sessions import Sessions
from safedesk.store.team import TeamStore
from safedesk.store.userdata import UserData
from safedesk.views import CollectionImport

log = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
DB_NAME = recovery.DB_NAME


class LocalStore:
    def __init__(self, data_dir: Path, conn: sqlite3.Connection) -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / DB_NAME
        self.backups_dir = data_dir / "backups"
        self._attach(conn)

    def _attach(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.content = Reader(conn)
        self.user = UserData(conn)
        self.collections = Collections(conn)
        self.team = TeamStore(conn, self.data_dir)
        self.sessions = Sessions(conn, self.collections)
        self.corrections = Corrections(conn)

    @classmethod
    def open(cls, folder: Path, progress: Progress | None = None) -> LocalStore:
        """Open (creating and migrating as needed) the store in `folder`."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReadOnlyLibraryError(
                f"cannot create the library folder {folder}: {exc.strerror}; choose another "
                "folder with --data-dir",
                folder,
            ) from None
        refuse_read_only(folder)
        recovery.refuse_if_damaged(folder)
        db_path = folder / DB_NAME
        existed = db_path.exists()
        conn: sqlite3.Connection | None = None
        try:
            conn = database.connect(db_path)
            database.check_health(conn, db_path)
            if database.needs_migration(conn):
                conn.close()
                conn = None
                if progress:
                    progress("Preparing the library", 0.0)
                from safedesk.store.migrations import migrate

                migrate(db_path, folder / "backups")
                conn = database.connect(db_path)
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if not existed:  # a first start that failed (a full disk): leave no empty library
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
            error = opening_error(folder, exc)
            if error is exc:
                raise
            raise error from None
        return cls(folder, conn)

    def close(self) -> None:
        self.conn.close()

    def reopen(self) -> LocalStore:
        """Another connection to this library, for work on another thread (a team sync), so
        that neither waits on the other's transactions for longer than one step."""
        return LocalStore(self.data_dir, database.connect(self.db_path))

    # -- what derived data is built from ---------------------------------------------------------
    def generation(self) -> int:
        """Bumped by every report import: the content generation."""
        return self.user.generation("generation")

    def index_token(self) -> str:
        """What the search index must be built from: content and local-example generations."""
        return f"{self.generation()}.{self.user.generation('examples_generation')}"

    def merge_collection(self, incoming: IncomingCollection) -> CollectionImport:
        """Bring in a collection from elsewhere, all or nothing: a new collection (renamed if the
        name is taken), or a newer file of one imported before updating it (collection_merge)."""
        from safedesk.store.collection_merge import merge_collection

        return merge_collection(self.conn, incoming)

    def data_version(self) -> int:
        """Changes whenever another connection (another process) commits to the database."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # -- backups ---------------------------------------------------------------------------------
    def backup(self, reason: str) -> Path:
        """A copy of the whole database in the backups folder (kept: the newest ten per reason)."""
        return backups.backup(self.conn, self.backups_dir, reason)

    def has_user_data(self) -> bool:
        return backups.has_user_data(self.conn)

    def copy_to(self, target: Path) -> None:
        """Write a copy of the whole database to the new file `target` (the backup API)."""
        dest = sqlite3.connect(target)
        try:
            self.conn.backup(dest)
        finally:
            dest.close()

    def integrity(self) -> tuple[list[str], int]:
        """SQLite's integrity check and the count of rows with broken links."""
        return database.integrity(self.conn)

    def schema_revision(self) -> str | None:
        return database.current_revision(self.conn)

    def search_documents(self) -> int:
        """How many documents the search index should hold (content and local examples)."""
        return sum(1 for _ in self.content.documents()) + len(self.user.examples())

    def replace_with(self, source: Path) -> None:
        """Make the database's contents the rows of the backup `source` (checked first; copied
        into a fresh library of this one's page size, so nothing of the file but its rows is
        adopted), at the newest schema."""
        from safedesk.store.schema_check import rebuilt_copy

        page_size = int(self.conn.execute("PRAGMA page_size").fetchone()[0])
        fresh = rebuilt_copy(source, self.data_dir, page_size)
        try:
            backups.copy_database(fresh, self.conn)
        finally:
            fresh.unlink(missing_ok=True)

    def foreign_objects(self) -> list[str]:
        """Schema objects safedesk did not make (a trigger, a view...), or missing ones."""
        from safedesk.store.schema_check import foreign_objects

        return foreign_objects(self.conn)


def refuse_read_only(folder: Path) -> None:
    """ReadOnlyLibraryError if the folder or the database cannot be written (a read-only mount,
    permissions): safedesk refuses plainly rather than open a library it cannot save to."""
    path = recovery.read_only_part(folder)
    if path is not None:
        raise ReadOnlyLibraryError(
            f"the library {'folder' if path == folder else 'file'} {path} is read-only, so "
            "safedesk cannot save to it; make it writable, or copy the folder somewhere "
            "writable and use --data-dir",
            path,
        )


def opening_error(folder: Path, exc: BaseException) -> BaseException:
    """What to raise when opening failed: damage moves the file aside; other SQLite errors become
    one line; anything else passes through."""
    damaged = isinstance(exc, database.CorruptDatabaseError) or (
        isinstance(exc, sqlite3.DatabaseError) and database.is_damage(exc)
    )
    if damaged:
        return recovery.quarantine(folder, str(exc))
    if isinstance(exc, sqlite3.DatabaseError):
        return database.write_error(exc, "open the library")
    return exc
