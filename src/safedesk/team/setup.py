"""Setting up a team library on an empty PostgreSQL database, and upgrading one.

`create_team` runs as the team's administrator (a role that owns the database and may create
roles: what IT uses). In one transaction it creates two group roles, `<prefix>_member` and
`<prefix>_editor` (the prefix is the database name unless given), and runs the team migrations
(db/team/, an Alembic tree of its own). Either all of it is there afterwards or none of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from safedesk.team.connect import Connection, PasswordPrompt, connect, server_of, translate
from safedesk.team.errors import TeamError, TeamPermissionError
from safedesk.team.schema import KNOWN_REVISIONS, TeamInfo, read_team_info

MAX_TEAM_NAME = 100
MAX_ROLE_BYTES = 63  # PostgreSQL's identifier limit (NAMEDATALEN - 1)


def team_migrations_dir() -> Path:
    from safedesk.paths import migrations_dir

    return migrations_dir() / "team"


def role_names(prefix: str) -> tuple[str, str]:
    """The member and editor group roles for a prefix (TeamError if PostgreSQL would cut them)."""
    member, editor = f"{prefix}_member", f"{prefix}_editor"
    if not prefix.strip() or len(editor.encode()) > MAX_ROLE_BYTES:
        raise TeamError(
            f"cannot name the team's roles after {prefix!r}: choose a prefix of at most "
            f"{MAX_ROLE_BYTES - len('_editor')} bytes with --roles PREFIX"
        )
    return member, editor


def create_team(
    url: str, name: str, *, roles: str | None = None, prompt: PasswordPrompt | None = None
) -> TeamInfo:
    """Make the empty database at `url` a team library called `name`; returns what it holds."""
    name = name.strip()
    if not 1 <= len(name) <= MAX_TEAM_NAME:
        raise TeamError(f"a team's name has 1 to {MAX_TEAM_NAME} characters")
    conn = connect(url, prompt=prompt, autocommit=False)  # SQLAlchemy runs the transaction
    try:
        server = server_of(conn)
        _refuse_unless_empty(conn, server)
        member_role, editor_role = role_names(roles or conn.info.dbname)
        try:
            attributes = {"team_name": name, "member_role": member_role, "editor_role": editor_role}
            _migrate(conn, attributes, new_roles=(member_role, editor_role))
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TeamPermissionError(
                f"cannot set up a team library on {server} as {conn.info.user}: that needs a role "
                "that owns the database and may create roles (CREATEROLE) "
                f"({exc.diag.message_primary})"
            ) from None
        except psycopg.Error as exc:
            raise translate(exc, "setting up the team library", server) from None
        return read_team_info(conn)
    finally:
        conn.close()


def upgrade_team(url: str, *, prompt: PasswordPrompt | None = None) -> TeamInfo:
    """Bring a team library's schema up to this safedesk's (as its administrator)."""
    conn = connect(url, prompt=prompt, autocommit=False)
    try:
        server = server_of(conn)
        info = read_team_info(conn, allow_older=True)
        if info.revision == KNOWN_REVISIONS[-1]:
            return info
        try:
            _migrate(conn, {}, new_roles=())
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TeamPermissionError(
                f"only the team library's owner can upgrade it ({exc.diag.message_primary})"
            ) from None
        except psycopg.Error as exc:
            raise translate(exc, "upgrading the team library", server) from None
        return read_team_info(conn)
    finally:
        conn.close()


def _refuse_unless_empty(conn: Connection, server: str) -> None:
    row = conn.execute(
        "SELECT to_regclass('safedesk.team_meta') IS NOT NULL, "
        "EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'safedesk')"
    ).fetchone()
    conn.rollback()
    assert row is not None
    has_team, has_schema = row
    if has_team:
        info = read_team_info(conn, allow_older=True)  # a newer one is refused by name here
        raise TeamError(f"{server} is already the team library {info.name!r}")
    if has_schema:
        raise TeamError(
            f"{server} already has a schema named safedesk that is not a team library; "
            "set up the team library in an empty database"
        )


def _migrate(conn: Connection, attributes: dict[str, Any], *, new_roles: tuple[str, ...]) -> None:
    """Create `new_roles` and run the team migrations to head, all in one transaction on `conn`."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    # SQLAlchemy (which Alembic needs) borrows the connection already open, so the password
    # asked for once is not asked again, and roles and tables commit together.
    engine = create_engine("postgresql+psycopg://", creator=lambda: conn, poolclass=StaticPool)
    config = Config()
    config.set_main_option("script_location", str(team_migrations_dir()))
    config.attributes.update(attributes)
    with engine.begin() as connection:
        raw = conn
        for role in new_roles:
            taken = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if taken:
                raise TeamError(
                    f"a role named {role} already exists on this server; choose other names "
                    "for the team's roles with --roles PREFIX"
                )
            raw.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
