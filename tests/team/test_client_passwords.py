"""Passwords the libpq way: from ~/.pgpass or the file PGPASSFILE names, or asked for; never written
by safedesk. The member's role here really needs a password (scram-sha-256, see conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from safedesk.library import Library
from tests.reliability.conftest import cli, one_line_error
from tests.team.client_helpers import shared_collection
from tests.team.conftest import PASSWORD_GROUP, Libraries, Team
from tests.team.test_team_window import _window_of
from tests.ui.conftest import _fresh_settings  # noqa: F401

PASSWORD = "correct horse battery staple"


@pytest.fixture
def pgpass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty password file of our own (the real user's ~/.pgpass plays no part)."""
    path = tmp_path / "pgpass"
    path.write_text("")
    path.chmod(0o600)
    for name in ("PGPASSWORD", "PGUSER", "PGHOST", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PGPASSFILE", str(path))
    return path


def _needs_password(team: Team, name: str) -> str:
    role = team.role_of(name)
    with team.server.admin() as admin:
        admin.execute(f"GRANT {PASSWORD_GROUP} TO {role}")
        admin.execute(f"ALTER ROLE {role} PASSWORD '{PASSWORD}'")  # IT's job, never safedesk's
    return role


def _nothing_written(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_join_and_sync_with_pgpass_and_nothing_is_written(
    team: Team, libraries: Libraries, pgpass: Path
) -> None:
    asha = libraries("Asha")
    shared_collection(asha)
    bo = libraries("Bo", join=False)
    role = _needs_password(team, "Bo")
    folder = Path(bo.data_dir)
    bo.close()
    url = team.url_for(role)
    refused = one_line_error(cli(folder, "team", "join", url, "--member", "Bo"))
    assert "wants a password" in refused and ".pgpass" in refused  # no terminal: no prompt
    pgpass.write_text(f"*:*:{team.database}:{role}:{PASSWORD}\n")
    joined = cli(folder, "team", "join", url, "--member", "Bo")
    assert joined.returncode == 0, joined.stderr
    assert "Joined the team" in joined.stdout
    assert cli(folder, "team", "sync").returncode == 0
    with Library.open(folder) as lib:
        assert [c.shared_by for c in lib.collections()] == ["Asha"]
    _nothing_written(folder)
    assert pgpass.read_text().count(PASSWORD) == 1  # safedesk added nothing to it either


def test_the_window_asks_for_a_password_when_the_server_wants_one(
    qtbot: QtBot, team: Team, libraries: Libraries, pgpass: Path
) -> None:
    asha = libraries("Asha")
    shared_collection(asha)
    bo = libraries("Bo", join=False)
    role = _needs_password(team, "Bo")
    bo.team.join(team.url_for(role), "Bo", prompt=lambda _question: PASSWORD)
    folder = Path(bo.data_dir)
    window = _window_of(qtbot, bo)
    qtbot.waitUntil(lambda: window.team.indicator.text() == "Team: password needed", timeout=20_000)
    window.team_commands.on_team()
    dialog = window.team_commands.team_dialog
    assert dialog.sync_password.isVisible()
    qtbot.keyClicks(dialog.sync_password, PASSWORD)
    qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.team.indicator.text() == "Team: synced", timeout=20_000)
    assert dialog.sync_password.text() == ""  # not kept in the field
    window.close()
    _nothing_written(folder)
