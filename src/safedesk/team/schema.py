"""Which team schema a server holds, and whether this safedesk can use it.

The team schema is a number (`team_meta.schema`) beside Alembic's revision id; both must be ones
this safedesk knows. An older app that meets a newer team library refuses by name rather than
misreading tables it does not understand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg

from safedesk.team.connect import Connection, server_of, translate
from safedesk.team.errors import (
    NewerTeamSchemaError,
    NotATeamLibraryError,
    OlderTeamSchemaError,
    TeamPermissionError,
)

TEAM_SCHEMA = 1
KNOWN_REVISIONS = ["team_0001"]  # db/team/versions, oldest first; TEAM_SCHEMA == its length
PG_SCHEMA = "safedesk"  # the PostgreSQL schema that holds every table of a team library


@dataclass(frozen=True)
class TeamInfo:
    name: str
    schema: int
    revision: str
    member_role: str
    editor_role: str
    created_at: datetime | None

    def to_json(self) -> dict[str, object]:
        return {
            "team": self.name,
            "schema": self.schema,
            "member_role": self.member_role,
            "editor_role": self.editor_role,
            "created_at": self.created_at.isoformat() if self.created_at else None,
        }


def read_team_info(conn: Connection, *, allow_older: bool = False) -> TeamInfo:
    """The team library's name and schema, checked: raises NotATeamLibraryError,
    NewerTeamSchemaError or (unless `allow_older`) OlderTeamSchemaError."""
    server = server_of(conn)
    try:
        with conn.transaction():
            found = conn.execute("SELECT to_regclass('safedesk.team_meta')").fetchone()
            if found is None or found[0] is None:
                raise NotATeamLibraryError(
                    f"{server} is not a safedesk team library "
                    "(`safedesk team create URL --name TEAM` sets one up)"
                )
            meta = dict(conn.execute("SELECT name, value FROM safedesk.team_meta").fetchall())
            has_version = conn.execute("SELECT to_regclass('safedesk.alembic_version')").fetchone()
            revision = ""
            if has_version is not None and has_version[0] is not None:
                row = conn.execute("SELECT version_num FROM safedesk.alembic_version").fetchone()
                revision = str(row[0]) if row else ""
    except psycopg.errors.InsufficientPrivilege:
        user = conn.info.user
        raise TeamPermissionError(
            f"{user} is not a member of the team library on {server}: ask its administrator to "
            f"run `safedesk team add-member URL {user}`"
        ) from None
    except psycopg.Error as exc:
        raise translate(exc, "reading the team library's schema", server) from None
    try:
        schema = int(meta.get("schema", ""))
    except ValueError:
        raise NotATeamLibraryError(
            f"{server} has no readable team schema number; it is not a team library this "
            "safedesk can use"
        ) from None
    newer = schema > TEAM_SCHEMA or bool(revision and revision not in KNOWN_REVISIONS)
    if newer:
        label = f"team schema {schema}" + (f", revision {revision}" if revision else "")
        raise NewerTeamSchemaError(
            f"this team library was set up by a newer safedesk ({label}); update safedesk to use it"
        )
    if schema < TEAM_SCHEMA and not allow_older:
        raise OlderTeamSchemaError(
            f"this team library uses team schema {schema} and this safedesk needs "
            f"{TEAM_SCHEMA}: the team's administrator runs `safedesk team upgrade URL`"
        )
    created = meta.get("created_at")
    return TeamInfo(
        name=meta.get("team_name", ""),
        schema=schema,
        revision=revision,
        member_role=meta.get("member_role", ""),
        editor_role=meta.get("editor_role", ""),
        created_at=_parse_time(created),
    )


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None
