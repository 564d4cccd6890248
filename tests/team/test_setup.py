"""Setting up a team library on a real, empty PostgreSQL database; refusing what it cannot read."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

from safedesk.team.connect import connect
from safedesk.team.errors import (
    NewerTeamSchemaError,
    NotATeamLibraryError,
    TeamError,
    TeamPermissionError,
)
from safedesk.team.schema import KNOWN_REVISIONS, TEAM_SCHEMA, read_team_info
from safedesk.team.session import open_team
from safedesk.team.setup import create_team, role_names, upgrade_team
from tests.team.conftest import PgServer, Team


def _tables(url: str) -> set[str]:
    with connect(url) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'safedesk'"
        ).fetchall()
    return {r[0] for r in rows}


def test_create_sets_up_schema_roles_and_security(pg_server: PgServer, database: str) -> None:
    url = pg_server.url(database)
    info = create_team(url, "  Northfield   safeguarding ")
    assert (info.name, info.schema, info.revision) == (
        "Northfield   safeguarding", TEAM_SCHEMA, KNOWN_REVISIONS[-1],
    )  # fmt: skip
    assert (info.member_role, info.editor_role) == (f"{database}_member", f"{database}_editor")
    assert _tables(url) == {
        "team_meta", "member", "collection", "collection_item", "example", "document",
        "document_file", "conflict", "applied_change", "alembic_version",
    }  # fmt: skip
    with connect(url) as conn:
        rls = dict(
            conn.execute(
                "SELECT relname, relrowsecurity FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE nspname = 'safedesk' AND relkind = 'r'"
            ).fetchall()
        )
        roles = dict(
            conn.execute(
                "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname IN (%s, %s)",
                (info.member_role, info.editor_role),
            ).fetchall()
        )
        # members hold no DELETE right anywhere: deleting is a tombstone, never a lost row
        deletable = conn.execute(
            "SELECT table_name FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND privilege_type = 'DELETE'",
            (info.member_role,),
        ).fetchall()
    shared = {"member", "collection", "collection_item", "example", "document", "conflict"}
    assert all(rls[t] for t in shared | {"document_file", "applied_change"})
    assert roles == {info.member_role: False, info.editor_role: False}  # group roles, no login
    assert deletable == []


def test_the_local_and_team_migration_trees_stay_apart() -> None:
    from safedesk.paths import migrations_dir
    from safedesk.store.database import KNOWN_REVISIONS as LOCAL
    from safedesk.team.setup import team_migrations_dir

    assert team_migrations_dir() == migrations_dir() / "team"
    assert not set(LOCAL) & set(KNOWN_REVISIONS)
    local_files = {p.name for p in (migrations_dir() / "versions").glob("*.py")}
    assert not any(name.startswith("team_") for name in local_files)
    assert len(KNOWN_REVISIONS) == TEAM_SCHEMA


def test_create_refuses_a_database_that_is_already_a_team(team: Team) -> None:
    with pytest.raises(TeamError, match="already the team library 'Northfield safeguarding'"):
        create_team(team.admin_url, "Another")


def test_create_refuses_a_database_with_a_foreign_safedesk_schema(
    pg_server: PgServer, database: str
) -> None:
    with pg_server.admin(database) as conn:
        conn.execute("CREATE SCHEMA safedesk")
    with pytest.raises(TeamError, match="not a team library"):
        create_team(pg_server.url(database), "Team")


def test_create_is_all_or_nothing_when_a_role_name_is_taken(
    pg_server: PgServer, database: str
) -> None:
    with pg_server.admin() as conn:
        conn.execute(f"CREATE ROLE {database}_editor NOLOGIN")
    with pytest.raises(TeamError, match=f"{database}_editor already exists.*--roles"):
        create_team(pg_server.url(database), "Team")
    # nothing was left behind: no schema, and the member role made before the clash is gone too
    with pg_server.admin(database) as conn:
        schema = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'safedesk'").fetchone()
        member = conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{database}_member",)
        ).fetchone()
    assert schema is None and member is None
    info = create_team(pg_server.url(database), "Team", roles=f"{database}_b")
    assert info.member_role == f"{database}_b_member"


def test_create_needs_a_role_that_may_create_roles(pg_server: PgServer, database: str) -> None:
    role = f"plain_{database}"
    with pg_server.admin(database) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT CREATE ON DATABASE {database} TO {role}")
    with pytest.raises(TeamPermissionError, match="CREATEROLE"):
        create_team(pg_server.url(database, user=role), "Team")


def test_role_names_must_fit_postgresql() -> None:
    assert role_names("north") == ("north_member", "north_editor")
    with pytest.raises(TeamError, match="--roles"):
        role_names("x" * 60)
    with pytest.raises(TeamError, match="name"):
        create_team("postgresql:///nowhere", "")


def test_a_plain_database_is_not_a_team_library(pg_server: PgServer, database: str) -> None:
    with pytest.raises(NotATeamLibraryError, match=r"not a safedesk team library.*team create"):
        open_team(pg_server.url(database))


def _make_newer(team: Team, schema: int, revision: str) -> None:
    with team.server.admin(team.database) as conn:
        conn.execute(
            "UPDATE safedesk.team_meta SET value = %s WHERE name = 'schema'", (str(schema),)
        )
        conn.execute("UPDATE safedesk.alembic_version SET version_num = %s", (revision,))


def test_a_newer_team_schema_is_refused_by_name_everywhere(team: Team) -> None:
    member = team.add("Asha")
    _make_newer(team, TEAM_SCHEMA + 1, "team_0099")
    expected = rf"set up by a newer safedesk \(team schema {TEAM_SCHEMA + 1}, revision team_0099\)"
    with pytest.raises(NewerTeamSchemaError, match=expected):
        open_team(team.url_for(member.role))
    with pytest.raises(NewerTeamSchemaError, match=expected):
        read_team_info(member.conn)
    with pytest.raises(NewerTeamSchemaError, match=expected):
        create_team(team.admin_url, "Again")
    with pytest.raises(NewerTeamSchemaError, match=expected):
        upgrade_team(team.admin_url)
    from safedesk.team import members

    with pytest.raises(NewerTeamSchemaError):  # nothing is read or written past the check
        members.register(member.conn, "Asha Again")


def test_an_unknown_revision_with_a_known_number_is_refused_too(team: Team) -> None:
    _make_newer(team, TEAM_SCHEMA, "team_9999_from_a_fork")
    with pytest.raises(NewerTeamSchemaError, match="team_9999_from_a_fork"):
        open_team(team.admin_url)


def test_upgrade_of_a_current_library_changes_nothing(team: Team) -> None:
    info = upgrade_team(team.admin_url)
    assert (info.schema, info.revision) == (TEAM_SCHEMA, KNOWN_REVISIONS[-1])


@pytest.fixture
def cli_logging() -> Iterator[None]:
    """The CLI, run in this process, adds a log file handler: take it away afterwards."""
    root = logging.getLogger("safedesk")
    before = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


def test_cli_create_and_members(
    pg_server: PgServer, database: str, capsys: pytest.CaptureFixture[str], cli_logging: None
) -> None:
    from safedesk.cli import main

    url = pg_server.url(database)
    assert main(["team", "create", url, "--name", "Early help", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["team"] == "Early help" and created["schema"] == TEAM_SCHEMA
    assert created["server"] == f"{pg_server.socket_dir}:{pg_server.port}/{database}"
    assert main(["team", "add-member", url, f"asha_{database}", "--name", "Asha"]) == 0
    assert "\\password" in capsys.readouterr().out
    assert main(["team", "grant", "asha", "editor", "--url", url]) == 0
    assert main(["team", "members", url, "--json"]) == 0
    out = capsys.readouterr().out
    listed = json.loads(out[out.index("[") :])
    assert [(m["name"], m["role"], m["editor"]) for m in listed] == [
        ("Asha", f"asha_{database}", True)
    ]
    # errors are one line and exit 1, no traceback (a real process, as users run it)
    done = subprocess.run(
        [sys.executable, "-m", "safedesk", "team", "create", url, "--name", "Again"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.startswith("safedesk: error: ") and done.stderr.count("\n") == 1
    assert "already the team library 'Early help'" in done.stderr
