"""CLI commands for a team library on PostgreSQL: `safedesk team ACTION ...`.

The PostgreSQL driver is imported only when a team command runs. The work is in safedesk.team;
here are the arguments, the password prompt and the printing.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

Handler = Callable[[argparse.Namespace], int]
Emitter = Callable[[argparse.Namespace, Any, Callable[[], str]], int]

URL_HELP = "the team library's PostgreSQL URL (libpq: postgresql://ROLE@HOST/DATABASE?sslmode=...)"


def register(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add `team` and its actions to the top-level subparsers."""
    p = command("team", "share collections, examples and reports with your team", json_flag=False)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)

    a = actions.add_parser("create", help="make an empty PostgreSQL database a team library")
    a.add_argument("url", metavar="URL", help=URL_HELP)
    a.add_argument("--name", required=True, metavar="TEAM", help="the team's name")
    a.add_argument(
        "--roles", metavar="PREFIX",
        help="name the team's roles PREFIX_member and PREFIX_editor (default: the database name)",
    )  # fmt: skip
    a.add_argument("--json", action="store_true")

    a = actions.add_parser("upgrade", help="bring a team library up to this safedesk's schema")
    a.add_argument("url", metavar="URL", help=URL_HELP)

    a = actions.add_parser(
        "add-member", help="let a PostgreSQL role join the team (run by its administrator)"
    )
    a.add_argument("url", metavar="URL", help=URL_HELP)
    a.add_argument("role", help="the member's PostgreSQL role (created as a login if missing)")
    a.add_argument("--name", help="the member's name on the team (they may set it when joining)")
    a.add_argument("--editor", action="store_true", help="may change what anyone shared")

    a = actions.add_parser(
        "remove-member", help="take a member off the team (what they shared stays)"
    )
    a.add_argument("url", metavar="URL", help=URL_HELP)
    a.add_argument("name", help="the member's name on the team or role")

    for name, help_text in (
        ("grant", "give a member a right: editor (may change what anyone shared)"),
        ("revoke", "take a right back"),
    ):
        a = actions.add_parser(name, help=help_text)
        a.add_argument("name", help="the member's name on the team or role")
        a.add_argument("right", choices=["editor"])
        a.add_argument("--url", required=True, help=URL_HELP)

    a = actions.add_parser("members", help="list the team's members")
    a.add_argument("url", metavar="URL", help=URL_HELP)
    a.add_argument("--json", action="store_true")


def commands(open_library: Any, emit: Emitter) -> dict[str, Handler]:
    def team(args: argparse.Namespace) -> int:
        return ACTIONS[args.action](args, emit)

    return {"team": team}


def prompt_password(question: str) -> str | None:
    """Ask on the terminal (never echoed, never stored); None when there is no terminal."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(question)


def _create(args: argparse.Namespace, emit: Emitter) -> int:
    from safedesk.team.connect import describe_server
    from safedesk.team.setup import create_team

    info = create_team(args.url, args.name, roles=args.roles, prompt=prompt_password)
    server = describe_server(args.url)
    return emit(
        args,
        {**info.to_json(), "server": server},
        lambda: (
            f"Set up the team library {info.name!r} on {server} (team schema {info.schema}).\n"
            f"Members are roles in {info.member_role}; editors also hold {info.editor_role}.\n"
            "Add members with `safedesk team add-member URL ROLE`."
        ),
    )


def _upgrade(args: argparse.Namespace, emit: Emitter) -> int:
    from safedesk.team.setup import upgrade_team

    info = upgrade_team(args.url, prompt=prompt_password)
    print(f"The team library {info.name!r} is at team schema {info.schema}.")
    return 0


def _add_member(args: argparse.Namespace, emit: Emitter) -> int:
    from safedesk.team import members
    from safedesk.team.session import open_team

    with open_team(args.url, prompt=prompt_password) as session:
        members.add_member(session.conn, args.role, display_name=args.name, editor=args.editor)
    right = " as an editor" if args.editor else ""
    print(
        f"{args.role} may join the team {session.info.name!r}{right}: "
        f"`safedesk team join URL --member NAME` as {args.role}. If the role is new, set its "
        f"password in psql (\\password {args.role}); safedesk never handles it."
    )
    return 0


def _remove_member(args: argparse.Namespace, emit: Emitter) -> int:
    from safedesk.team import members
    from safedesk.team.session import open_team

    with open_team(args.url, prompt=prompt_password) as session:
        role = members.remove_member(session.conn, args.name)
    print(f"{role} is no longer on the team {session.info.name!r}; what they shared stays.")
    return 0


def _right(args: argparse.Namespace, emit: Emitter) -> int:
    from safedesk.team import members
    from safedesk.team.session import open_team

    with open_team(args.url, prompt=prompt_password) as session:
        if args.action == "grant":
            role = members.grant(session.conn, args.name, args.right)
            print(f"{role} is now an {args.right} of the team {session.info.name!r}.")
        else:
            role = members.revoke(session.conn, args.name, args.right)
            print(f"{role} is no longer an {args.right} of the team {session.info.name!r}.")
    return 0


def _members(args: argparse.Namespace, emit: Emitter) -> int:
    from safedesk.team import members
    from safedesk.team.session import open_team

    with open_team(args.url, prompt=prompt_password) as session:
        found = members.members(session.conn)
    return emit(
        args,
        [m.to_json() for m in found],
        lambda: "\n".join(
            f"{m.display_name} ({m.role})" + (", editor" if m.editor else "")
            + (", left the team" if m.left_team else "")
            for m in found
        ) or "Nobody has joined the team yet.",
    )  # fmt: skip


ACTIONS: dict[str, Callable[[argparse.Namespace, Emitter], int]] = {
    "create": _create,
    "upgrade": _upgrade,
    "add-member": _add_member,
    "remove-member": _remove_member,
    "grant": _right,
    "revoke": _right,
    "members": _members,
}
