"""Connecting to the team server the way libpq does, and saying what went wrong in one line.

The URL is handed to libpq untouched, so everything libpq understands works as it does for psql:
`postgresql://asha@db.council.example/safeguarding?sslmode=verify-full`, key=value strings,
`PGHOST`/`PGUSER`/... variables, `~/.pgpass` or the file `PGPASSFILE` names, and `sslmode`.
When the server asks for a password that libpq cannot find, `prompt` is asked once; the
password lives in memory for that connection only and safedesk never writes it anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg
from psycopg import conninfo

from safedesk.errors import LibraryError
from safedesk.team.errors import (
    PasswordNeededError,
    TeamConnectionError,
    TeamError,
    TeamPermissionError,
)

PasswordPrompt = Callable[[str], "str | None"]
"""Asked with a one-line question ("Password for asha on db.example/team: "); None gives up."""

CONNECT_TIMEOUT = 10  # seconds, unless the URL says otherwise (libpq's own default is forever)
APPLICATION_NAME = "safedesk"

Connection = psycopg.Connection[Any]


def parse_url(url: str) -> dict[str, str]:
    """The URL's connection parameters as libpq reads them, or a TeamError naming the problem."""
    try:
        return {k: str(v) for k, v in conninfo.conninfo_to_dict(url).items() if v is not None}
    except psycopg.ProgrammingError as exc:
        raise TeamError(f"not a PostgreSQL connection URL: {_first_line(exc)}") from None


def describe_server(url: str) -> str:
    """Host and database, for people and for `team status` ("db.example:5433/team"): never a
    password, never a user name."""
    params = parse_url(url)
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = params.get("port")
    database = params.get("dbname") or params.get("user") or "(default database)"
    return f"{host}:{port}/{database}" if port else f"{host}/{database}"


def without_password(url: str) -> str:
    """The URL with any password taken out (what a library may store; libpq finds the password)."""
    params = parse_url(url)
    if "password" not in params:
        return url
    del params["password"]
    return conninfo.make_conninfo(**params)


def connect(
    url: str, *, prompt: PasswordPrompt | None = None, autocommit: bool = True
) -> Connection:
    """Open a connection as libpq would, asking `prompt` for a password only if libpq found none.

    In autocommit mode (the default) every `with conn.transaction():` block is a real transaction
    that commits at its end, and nothing is left open between operations."""
    params = parse_url(url)
    extra: dict[str, Any] = {}
    if "connect_timeout" not in params:
        extra["connect_timeout"] = CONNECT_TIMEOUT
    if "application_name" not in params:
        extra["application_name"] = APPLICATION_NAME
    server = describe_server(url)
    try:
        return psycopg.connect(url, autocommit=autocommit, **extra)
    except psycopg.OperationalError as exc:
        if not _needs_password(exc):
            raise TeamConnectionError(
                f"cannot connect to the team server {server}: {_reason(exc)}"
            ) from None
        user = _user(exc, params)
    question = f"Password for {user} on {server}: "
    password = prompt(question) if prompt is not None else None
    if not password:
        raise PasswordNeededError(
            f"the team server {server} wants a password for {user}: put it in ~/.pgpass "
            "(or the file PGPASSFILE names), or run the command in a terminal to be asked"
        )
    try:
        return psycopg.connect(url, autocommit=autocommit, password=password, **extra)
    except psycopg.OperationalError as exc:
        raise TeamConnectionError(
            f"cannot connect to the team server {server}: {_reason(exc)}"
        ) from None


def server_of(conn: Connection) -> str:
    """Host and database of an open connection, as describe_server gives them."""
    info = conn.info
    return f"{info.host}:{info.port}/{info.dbname}"


def translate(exc: psycopg.Error, doing: str, server: str) -> LibraryError:
    """A server error met while `doing` something, as one line for people."""
    if isinstance(exc, psycopg.OperationalError) and not isinstance(
        exc, psycopg.errors.QueryCanceled | psycopg.errors.LockNotAvailable
    ):
        return TeamConnectionError(
            f"the connection to the team server {server} was lost while {doing}; "
            "nothing was half-done, so try again"
        )
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return TeamPermissionError(f"the team server refused {doing}: {_reason(exc)}")
    if isinstance(exc, psycopg.errors.LockNotAvailable | psycopg.errors.QueryCanceled):
        return TeamConnectionError(
            f"the team server {server} was too busy for {doing}; nothing was changed, so try again"
        )
    return TeamError(f"the team server could not finish {doing}: {_reason(exc)}")


def _needs_password(exc: psycopg.OperationalError) -> bool:
    pgconn = exc.pgconn
    return bool(pgconn is not None and pgconn.needs_password)


def _user(exc: psycopg.OperationalError, params: dict[str, str]) -> str:
    pgconn = exc.pgconn
    if pgconn is not None and pgconn.user:
        return pgconn.user.decode("utf-8", "replace")
    return params.get("user", "your role")


def _reason(exc: BaseException) -> str:
    """libpq's and the server's messages span lines; the last meaningful one says why."""
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if primary:
        return str(primary)
    return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if not lines:
        return type(exc).__name__
    text = lines[0]
    # "connection failed: connection to server ... failed: FATAL:  password authentication..."
    if "failed:" in text:
        text = text.rsplit("failed:", 1)[1].strip()
    return text.removeprefix("FATAL:").strip() or lines[0]
