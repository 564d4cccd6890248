"""Connecting as libpq does: .pgpass / PGPASSFILE, a prompt when no password is found, sslmode
honoured, and one-line errors. Members in the group `password_users` must give a password
(scram-sha-256, see conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from safedesk.team.connect import connect, describe_server, without_password
from safedesk.team.errors import PasswordNeededError, TeamConnectionError, TeamError
from tests.team.conftest import PASSWORD_GROUP, PgServer


@pytest.fixture
def role_with_password(pg_server: PgServer, database: str) -> tuple[str, str]:
    role, password = f"pw_{database}", "correct horse battery"
    with pg_server.admin() as conn:
        # IT sets the password (safedesk never does); psycopg sends it as a parameter
        conn.execute(f"CREATE ROLE {role} LOGIN IN ROLE {PASSWORD_GROUP}")
        conn.execute(f"ALTER ROLE {role} PASSWORD '{password}'")
    return role, password


@pytest.fixture
def no_pgpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty password file, so the real user's ~/.pgpass never plays a part."""
    path = tmp_path / "pgpass"
    path.write_text("")
    path.chmod(0o600)
    for name in ("PGPASSWORD", "PGUSER", "PGHOST", "PGDATABASE", "PGSSLMODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


def test_password_from_pgpassfile(
    pg_server: PgServer, database: str, role_with_password: tuple[str, str], no_pgpass: Path
) -> None:
    role, password = role_with_password
    no_pgpass.write_text(f"*:*:{database}:{role}:{password}\n")

    def prompt(question: str) -> str:
        raise AssertionError("asked for a password that .pgpass holds")

    with connect(pg_server.url(database, user=role), prompt=prompt) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (role,)


def test_prompt_when_no_password_is_found(
    pg_server: PgServer, database: str, role_with_password: tuple[str, str], no_pgpass: Path
) -> None:
    role, password = role_with_password
    asked: list[str] = []

    def prompt(question: str) -> str:
        asked.append(question)
        return password

    url = pg_server.url(database, user=role)
    with connect(url, prompt=prompt) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (role,)
    assert asked == [f"Password for {role} on {describe_server(url)}: "]
    assert password not in asked[0]
    assert no_pgpass.read_text() == ""  # nothing was written for next time


def test_no_password_and_no_prompt_says_where_to_put_it(
    pg_server: PgServer, database: str, role_with_password: tuple[str, str], no_pgpass: Path
) -> None:
    role, _ = role_with_password
    with pytest.raises(PasswordNeededError, match=r"wants a password for .*\.pgpass") as caught:
        connect(pg_server.url(database, user=role))
    assert "\n" not in str(caught.value)


def test_a_wrong_password_is_one_line(
    pg_server: PgServer, database: str, role_with_password: tuple[str, str], no_pgpass: Path
) -> None:
    role, _ = role_with_password
    with pytest.raises(TeamConnectionError, match="password authentication failed") as caught:
        connect(pg_server.url(database, user=role), prompt=lambda q: "wrong")
    assert "\n" not in str(caught.value)


def test_sslmode_in_the_url_is_honoured(pg_server: PgServer, database: str) -> None:
    # the test server has no TLS: libpq must refuse when the URL asks for it, and connect when not
    with connect(pg_server.tcp_url(database) + "?sslmode=disable") as conn:
        assert conn.info.host == "127.0.0.1"
        assert conn.pgconn.ssl_in_use is False
    with pytest.raises(TeamConnectionError, match="SSL"):
        connect(pg_server.tcp_url(database) + "?sslmode=require")


def test_unreachable_server_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql://nobody@/team?host={tmp_path}&port=1"
    with pytest.raises(TeamConnectionError, match="cannot connect to the team server") as caught:
        connect(url)
    assert "\n" not in str(caught.value)


def test_describing_a_server_never_shows_a_password_or_user() -> None:
    url = "postgresql://asha:s3cret@db.council.example:5433/safeguarding?sslmode=verify-full"
    assert describe_server(url) == "db.council.example:5433/safeguarding"
    stripped = without_password(url)
    assert "s3cret" not in stripped
    assert "sslmode=verify-full" in stripped and "user=asha" in stripped
    plain = "postgresql://asha@db/safeguarding"
    assert without_password(plain) == plain
    with pytest.raises(TeamError, match="not a PostgreSQL connection URL"):
        describe_server("postgresql://[broken")
