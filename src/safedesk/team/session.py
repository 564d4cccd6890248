"""An open, checked connection to a team library: what every team operation starts from."""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType

from safedesk.team.connect import Connection, PasswordPrompt, connect, describe_server
from safedesk.team.schema import TeamInfo, read_team_info


@dataclass
class TeamSession:
    conn: Connection
    info: TeamInfo
    server: str  # host and database, never a password

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> TeamSession:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_team(url: str, *, prompt: PasswordPrompt | None = None) -> TeamSession:
    """Connect and check the team schema (a newer one is refused by name before any reading)."""
    conn = connect(url, prompt=prompt)
    try:
        info = read_team_info(conn)
    except BaseException:
        conn.close()
        raise
    return TeamSession(conn=conn, info=info, server=describe_server(url))
