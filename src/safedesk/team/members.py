"""Members of a team: one PostgreSQL role each, in the team's member group; editors also hold the
team's editor role, which lets them change what others shared.

What IT runs (as the team library's administrator) is `add_member` / `remove_member` and
`grant` / `revoke`; the same in SQL, for IT that prefers psql (`<prefix>` is the database name
unless `team create --roles` chose another):

    CREATE ROLE asha LOGIN;                    -- then \\password asha in psql, or LDAP/Kerberos
    GRANT <prefix>_member TO asha;             -- a member
    GRANT <prefix>_editor TO asha;             -- an editor too
    REVOKE <prefix>_member FROM asha;          -- no longer a member (what Asha shared stays)

A member puts their own name on the team with `register` (what `team join` does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import psycopg
from psycopg import sql

from safedesk.team.connect import Connection, server_of, translate
from safedesk.team.errors import TeamError, TeamPermissionError
from safedesk.team.schema import read_team_info

Right = Literal["editor"]
RIGHTS: tuple[Right, ...] = ("editor",)
MAX_DISPLAY_NAME = 100


@dataclass(frozen=True)
class Member:
    role: str
    display_name: str
    editor: bool
    joined_at: datetime | None
    left_team: bool

    def to_json(self) -> dict[str, object]:
        return {
            "role": self.role,
            "name": self.display_name,
            "editor": self.editor,
            "joined_at": self.joined_at.isoformat() if self.joined_at else None,
            "left": self.left_team,
        }


def members(conn: Connection) -> list[Member]:
    """Everyone who has put their name on the team, with whether they are an editor."""
    info = read_team_info(conn)
    try:
        with conn.transaction():
            rows = conn.execute(
                "SELECT m.role, m.display_name, pg_has_role(m.role, %s::name, 'MEMBER'), "
                "m.joined_at, m.left_team "
                "FROM safedesk.member m ORDER BY lower(m.display_name)",
                (info.editor_role,),
            ).fetchall()
    except psycopg.Error as exc:
        raise translate(exc, "listing the team's members", server_of(conn)) from None
    return [Member(*row) for row in rows]


def register(conn: Connection, display_name: str) -> Member:
    """Put the connected role on the team as `display_name` (or rename it); returns the member."""
    name = _display_name(display_name)
    info = read_team_info(conn)
    server = server_of(conn)
    try:
        with conn.transaction():
            is_member = conn.execute(
                "SELECT pg_has_role(current_user, %s::name, 'MEMBER')", (info.member_role,)
            ).fetchone()
            if not is_member or not is_member[0]:
                raise TeamPermissionError(
                    f"{conn.info.user} is not a member of the team {info.name!r} on {server}: "
                    f"ask its administrator to run `safedesk team add-member URL {conn.info.user}`"
                )
            _refuse_taken_name(conn, name, except_role=conn.info.user)
            conn.execute(
                "INSERT INTO safedesk.member (role, display_name) VALUES (current_user, %s) "
                "ON CONFLICT (role) DO UPDATE SET display_name = EXCLUDED.display_name, "
                "left_team = false",
                (name,),
            )
    except psycopg.Error as exc:
        raise translate(exc, "joining the team", server) from None
    return find_member(conn, conn.info.user)


def add_member(
    conn: Connection,
    role: str,
    *,
    display_name: str | None = None,
    editor: bool = False,
) -> Member | None:
    """Make `role` a member (creating it as a login role without a password if it does not exist:
    IT sets the password, or the server authenticates it otherwise). Run as the administrator."""
    info = read_team_info(conn)
    server = server_of(conn)
    _check_role_name(role)
    try:
        with conn.transaction():
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
            _grant_role(conn, info.member_role, role)
            if editor:
                _grant_role(conn, info.editor_role, role)
            if display_name is not None:
                name = _display_name(display_name)
                _refuse_taken_name(conn, name, except_role=role)
                conn.execute(
                    "INSERT INTO safedesk.member (role, display_name) VALUES (%s, %s) "
                    "ON CONFLICT (role) DO UPDATE SET display_name = EXCLUDED.display_name, "
                    "left_team = false",
                    (role, name),
                )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamPermissionError(
            f"cannot add {role} to the team: only its administrator can "
            f"({exc.diag.message_primary})"
        ) from None
    except psycopg.Error as exc:
        raise translate(exc, f"adding {role} to the team", server) from None
    found = [m for m in members(conn) if m.role == role]
    return found[0] if found else None


def remove_member(conn: Connection, who: str) -> str:
    """Take a member off the team (their role stays; what they shared stays). Returns the role."""
    info = read_team_info(conn)
    role = _resolve(conn, who)
    try:
        with conn.transaction():
            for group in (info.editor_role, info.member_role):
                conn.execute(
                    sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), sql.Identifier(role))
                )
            conn.execute("UPDATE safedesk.member SET left_team = true WHERE role = %s", (role,))
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamPermissionError(
            f"cannot remove {role}: only the team's administrator can ({exc.diag.message_primary})"
        ) from None
    except psycopg.Error as exc:
        raise translate(exc, f"removing {role} from the team", server_of(conn)) from None
    return role


def grant(conn: Connection, who: str, right: Right) -> str:
    """Give a member a right (`editor`: may change and delete what anyone shared); returns the
    member's role."""
    return _set_right(conn, who, right, give=True)


def revoke(conn: Connection, who: str, right: Right) -> str:
    return _set_right(conn, who, right, give=False)


def find_member(conn: Connection, who: str) -> Member:
    """A member by their name on the team (any case) or their role."""
    role = _resolve(conn, who)
    for member in members(conn):
        if member.role == role:
            return member
    raise TeamError(f"{who} has not joined the team yet")


def _set_right(conn: Connection, who: str, right: Right, *, give: bool) -> str:
    if right not in RIGHTS:
        raise TeamError(f"unknown right {right!r}: the team has {', '.join(RIGHTS)}")
    info = read_team_info(conn)
    role = _resolve(conn, who)
    template = "GRANT {} TO {}" if give else "REVOKE {} FROM {}"
    try:
        with conn.transaction():
            if give:
                row = conn.execute(
                    "SELECT pg_has_role(%s::name, %s::name, 'MEMBER')", (role, info.member_role)
                ).fetchone()
                if not row or not row[0]:
                    raise TeamError(f"{who} is not a member of the team")
            conn.execute(
                sql.SQL(template).format(sql.Identifier(info.editor_role), sql.Identifier(role))
            )
            # the member's row changes revision, so every teammate's next sync sees the new right
            conn.execute(
                "UPDATE safedesk.member SET left_team = left_team WHERE role = %s", (role,)
            )
    except psycopg.errors.InsufficientPrivilege as exc:
        raise TeamPermissionError(
            f"cannot change {who}'s rights: only the team's administrator (or whoever it made "
            f"an admin of {info.editor_role}) can ({exc.diag.message_primary})"
        ) from None
    except psycopg.Error as exc:
        raise translate(exc, f"changing {who}'s rights", server_of(conn)) from None
    return role


def _grant_role(conn: Connection, group: str, role: str) -> None:
    # PostgreSQL 16 on: members inherit the group's rights but cannot SET ROLE to it
    if conn.info.server_version >= 160000:
        statement = "GRANT {} TO {} WITH INHERIT TRUE, SET FALSE"
    else:
        statement = "GRANT {} TO {}"
    conn.execute(sql.SQL(statement).format(sql.Identifier(group), sql.Identifier(role)))


def _resolve(conn: Connection, who: str) -> str:
    """The role for a member's name on the team (any case) or a role name."""
    try:
        with conn.transaction():
            row = conn.execute(
                "SELECT role FROM safedesk.member WHERE lower(display_name) = lower(%s) "
                "UNION ALL SELECT rolname FROM pg_roles WHERE rolname = %s LIMIT 1",
                (who, who),
            ).fetchone()
    except psycopg.Error as exc:
        raise translate(exc, f"looking up {who}", server_of(conn)) from None
    if row is None:
        raise TeamError(f"no member or role called {who!r} on this team")
    return str(row[0])


def _refuse_taken_name(conn: Connection, name: str, *, except_role: str) -> None:
    row = conn.execute(
        "SELECT role FROM safedesk.member WHERE lower(display_name) = lower(%s) AND role <> %s",
        (name, except_role),
    ).fetchone()
    if row:
        raise TeamError(f"another member is already called {name!r} on this team")


def _display_name(text: str) -> str:
    name = " ".join(text.split())
    if not 1 <= len(name) <= MAX_DISPLAY_NAME:
        raise TeamError(f"a member's name on the team has 1 to {MAX_DISPLAY_NAME} characters")
    return name


def _check_role_name(role: str) -> None:
    if not role or len(role.encode()) > 63 or any(ch.isspace() or ord(ch) < 32 for ch in role):
        raise TeamError(f"{role!r} cannot be a PostgreSQL role name")
