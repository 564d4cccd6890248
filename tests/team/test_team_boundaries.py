"""The team code stays out of the way: no Qt in it, and no PostgreSQL driver unless a team command
runs (checked in fresh interpreters)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TEAM_MODULES = [
    "safedesk.team.connect", "safedesk.team.schema", "safedesk.team.setup",
    "safedesk.team.members", "safedesk.team.push", "safedesk.team.pull", "safedesk.team.files",
    "safedesk.team.records", "safedesk.team.session", "safedesk.team.client",
    "safedesk.team.documents",
]  # fmt: skip


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_team_modules_import_neither_qt_nor_reportlab() -> None:
    loaded = _loaded_after("\n".join(f"import {m}" for m in TEAM_MODULES))
    assert "psycopg" in loaded  # they really were imported
    assert "PySide6" not in loaded and "reportlab" not in loaded
    assert "alembic" not in loaded and "sqlalchemy" not in loaded  # only `team create/upgrade`


def test_other_commands_never_load_the_driver(library_template: Path) -> None:
    loaded = _loaded_after(
        "from safedesk.cli import main\n"
        f"main(['--data-dir', {str(library_template)!r}, 'reports', '--json'])"
    )
    assert "safedesk.store.reader" in loaded  # it really ran
    assert "safedesk.cli_team" in loaded  # the `team` command is registered...
    assert not {m for m in loaded if m.startswith(("psycopg", "safedesk.team"))}  # ...and idle


def test_listing_shared_things_and_sharing_never_load_the_driver(library_template: Path) -> None:
    """`collections --json` (with its `shared` fields) and the sharing commands are local."""
    loaded = _loaded_after(
        "from safedesk.cli import main\n"
        f"main(['--data-dir', {str(library_template)!r}, 'collections', '--json'])\n"
        f"main(['--data-dir', {str(library_template)!r}, 'team', 'status', '--json'])"
    )
    assert "safedesk.teamlib" in loaded  # it really ran
    assert not {m for m in loaded if m.startswith(("psycopg", "safedesk.team."))}
