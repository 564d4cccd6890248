"""Is this SQLite file a safedesk library, and nothing more? Checked against the schema safedesk
itself makes at the same revision, and used to restore a backup by copying its rows into a fresh
library (the file itself is never adopted).

A backup is untrusted input: a trigger (`AFTER INSERT ON bookmark BEGIN DELETE FROM bookmark; END`),
a view named like a table, a missing table or a foreign page size must be refused by name, never
restored to break every command later.
"""

from __future__ import annotations

import functools
import json
import logging
import sqlite3
import tempfile
from pathlib import Path

from safedesk.errors import LibraryError
from safedesk.fileio import temporary_beside
from safedesk.paths import migrations_dir
from safedesk.store import database
from safedesk.store.locations import file_uri
from safedesk.store.migrations import migrate_private, upgrade

log = logging.getLogger(__name__)

# (type, name) -> its shape: a table's columns (name, type, not null, primary key), an index's
# table, uniqueness and columns. Triggers and views have no shape but their presence.
Shape = tuple[object, ...]
Schema = dict[tuple[str, str], Shape]


def schema_of(conn: sqlite3.Connection, prefix: str = "main") -> Schema:
    """The objects of a database (leaving out SQLite's own), each with its shape."""
    found: Schema = {}
    rows = conn.execute(
        f"SELECT type, name, tbl_name FROM {prefix}.sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table in rows:
        if kind == "table":
            columns = conn.execute(f"PRAGMA {prefix}.table_info({_quoted(name)})").fetchall()
            found[(kind, name)] = tuple((c[1], str(c[2]).upper(), c[3], c[5]) for c in columns)
        elif kind == "index":
            listed = conn.execute(f"PRAGMA {prefix}.index_list({_quoted(table)})").fetchall()
            unique = next((r[2] for r in listed if r[1] == name), 0)
            cols = conn.execute(f"PRAGMA {prefix}.index_info({_quoted(name)})").fetchall()
            found[(kind, name)] = (table, unique, tuple(c[2] for c in cols))
        else:
            found[(kind, name)] = (table,)
    return found


SHIPPED_NAME = "schemas.json"  # in db/: the schema at each revision, as `built` finds it


@functools.lru_cache(maxsize=8)
def reference(revision: str) -> Schema:
    """The schema safedesk makes at `revision`: read from db/schemas.json (running Alembic
    takes seconds); built from the migrations for a revision the file lacks. A test checks the
    file against the migrations."""
    shipped = _shipped().get(revision)
    return shipped if shipped is not None else built(revision)


def built(revision: str) -> Schema:
    """The schema the migrations make at `revision` (in a temporary file)."""
    with tempfile.TemporaryDirectory(prefix="safedesk-reference-") as folder:
        path = Path(folder) / "reference.sqlite3"
        upgrade(path, revision)
        conn = sqlite3.connect(path)
        try:
            return schema_of(conn)
        finally:
            conn.close()


def to_json(schemas: dict[str, Schema]) -> str:
    """db/schemas.json's text for `schemas` (revision -> schema); `from_json` reads it back."""
    blocks = []
    for revision, schema in sorted(schemas.items()):
        rows = ",\n".join(f"  {json.dumps([*key, shape])}" for key, shape in sorted(schema.items()))
        blocks.append(f" {json.dumps(revision)}: [\n{rows}\n ]")
    return "{\n" + ",\n".join(blocks) + "\n}\n"  # an object a line: readable in a diff


def from_json(text: str) -> dict[str, Schema]:
    def frozen(value: object) -> object:
        return tuple(frozen(v) for v in value) if isinstance(value, list) else value

    return {
        revision: {(kind, name): tuple(frozen(v) for v in shape) for kind, name, shape in rows}
        for revision, rows in json.loads(text).items()
    }


@functools.cache
def _shipped() -> dict[str, Schema]:
    path = migrations_dir() / SHIPPED_NAME
    try:
        return from_json(path.read_text("utf-8"))
    except (OSError, ValueError, TypeError) as exc:  # missing or mangled: build them instead
        log.warning(
            "cannot read %s (%s); building reference schemas from the migrations", path, exc
        )
        return {}


def differences(found: Schema, expected: Schema) -> list[str]:
    """What `found` has that safedesk does not make, lacks, or has in another shape (in words;
    what matters most first: foreign objects, missing tables, changed ones, missing indexes)."""
    order = {"trigger": 0, "view": 1, "table": 2, "index": 3}

    def ranked(keys: set[tuple[str, str]]) -> list[tuple[str, str]]:
        return sorted(keys, key=lambda k: (order.get(k[0], 0), k[1]))

    out = [f"a {kind} {name!r} that safedesk does not make"
           for kind, name in ranked(found.keys() - expected.keys())]  # fmt: skip
    missing = ranked(expected.keys() - found.keys())
    out += [f"no {kind} {name!r}" for kind, name in missing if kind != "index"]
    out += [
        f"the {kind} {name!r} in another shape"
        for kind, name in ranked(found.keys() & expected.keys())
        if found[(kind, name)] != expected[(kind, name)]
    ]
    return out + [f"no {kind} {name!r}" for kind, name in missing if kind == "index"]


def foreign_objects(conn: sqlite3.Connection) -> list[str]:
    """How the open library differs from the schema safedesk makes at its revision (doctor)."""
    revision = database.current_revision(conn)
    if revision is None or revision not in database.KNOWN_REVISIONS:
        return []
    return differences(schema_of(conn), reference(revision))


def check_backup(source: Path) -> str:
    """Check that `source` is a healthy safedesk library and nothing more, without writing
    anything beside it (it is opened immutable, so a read-only mount is fine); return its
    schema revision. LibraryError names the real reason for a refusal."""
    if not source.is_file():
        raise LibraryError(f"no such file: {source}")
    try:
        conn = sqlite3.connect(file_uri(source, mode="ro", immutable="1"), uri=True)
    except sqlite3.Error as exc:
        raise LibraryError(f"{source.name} cannot be opened: {database.reason(exc)}") from None
    try:
        try:
            ok = [r[0] for r in conn.execute("PRAGMA integrity_check(3)").fetchall()]
        except sqlite3.DatabaseError as exc:
            if database.is_damage(exc):
                raise LibraryError(f"{source.name} is not a safedesk library backup") from None
            raise LibraryError(f"{source.name} cannot be read: {database.reason(exc)}") from None
        if ok != ["ok"]:
            raise LibraryError(f"{source.name} is damaged (SQLite says: {'; '.join(ok)})")
        try:
            revision = database.current_revision(conn)
        except sqlite3.DatabaseError:
            revision = None
        if revision is None:
            raise LibraryError(f"{source.name} is not a safedesk library backup")
        if revision not in database.KNOWN_REVISIONS:
            raise LibraryError(
                f"{source.name} comes from a newer version of safedesk (schema {revision}); "
                "it was not restored"
            )
        wrong = differences(schema_of(conn), reference(revision))
    finally:
        conn.close()
    if wrong:
        more = f" and {len(wrong) - 3} more" if len(wrong) > 3 else ""
        raise LibraryError(
            f"{source.name} is not a plain safedesk library: it has {'; '.join(wrong[:3])}{more}; "
            "it was not restored"
        )
    return revision


def rebuild_from(source: Path, target: Path, page_size: int | None = None) -> None:
    """Make `target` (a new file) a fresh library holding the rows of the checked backup
    `source`, at the newest schema: the schema is safedesk's own, only the data is copied."""
    revision = check_backup(source)
    if page_size:
        conn = sqlite3.connect(target)
        conn.execute(f"PRAGMA page_size = {int(page_size)}")
        conn.execute("VACUUM")  # makes the page size stick in the empty file
        conn.close()
    upgrade(target, revision)
    expected = reference(revision)
    # opened by URI, so that ATTACH below reads its URI as one whatever SQLite's build default
    conn = sqlite3.connect(file_uri(target), isolation_level=None, uri=True)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("ATTACH DATABASE ? AS src", (file_uri(source, mode="ro", immutable="1"),))
        conn.execute("BEGIN")
        for kind, table in sorted(expected):
            if kind != "table":
                continue
            columns = ", ".join(_quoted(c[0]) for c in expected[(kind, table)])  # type: ignore[index]
            conn.execute(f"DELETE FROM main.{_quoted(table)}")
            conn.execute(
                f"INSERT INTO main.{_quoted(table)} ({columns}) "
                f"SELECT {columns} FROM src.{_quoted(table)}"
            )
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
    finally:
        conn.close()
    # an older backup comes up to date here (a new temporary file: no other process knows it)
    migrate_private(target, target.parent / "backups")


def rebuilt_copy(source: Path, folder: Path, page_size: int | None = None) -> Path:
    """`rebuild_from` into a new temporary file in `folder` (returned; the caller renames or
    removes it)."""
    target = temporary_beside(folder / "library.sqlite3")  # empty: a new database to SQLite
    try:
        rebuild_from(source, target, page_size)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
    return target


def newest_healthy(candidates: list[Path], folder: Path) -> Path:
    """The first of `candidates` (newest first) that passes `check_backup`; LibraryError naming
    `folder` if none does."""
    for candidate in candidates:
        try:
            check_backup(candidate)
        except LibraryError as why:
            log.warning("skipping backup %s: %s", candidate.name, why)
            continue
        return candidate
    raise LibraryError(f"there are no usable backups in {folder}")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
