"""CLI commands for a team library on PostgreSQL: `safedesk team ACTION ...` and `safedesk report
share KEY`.

The PostgreSQL driver is imported only when a command that reaches the server runs (create,
upgrade, members, join, sync); sharing, status and conflicts are local. The work is in
safedesk.team and `library.team`; here are the arguments, the password prompt and the printing.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

Handler = Callable[[argparse.Namespace], int]
Emitter = Callable[[argparse.Namespace, Any, Callable[[], str]], int]
Opener = Callable[[argparse.Namespace], Any]

URL_HELP = "the team library's PostgreSQL URL (libpq: postgresql://ROLE@HOST/DATABASE?sslmode=...)"


def register(sub: Any, command: Callable[..., argparse.ArgumentParser], report: Any) -> None:
    """Add `team` and its actions to the top-level subparsers, and `share` and `unshare` to the
    actions of `report` (`report`: its subparsers)."""
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

    a = actions.add_parser("join", help="connect this library to a team library, then sync")
    a.add_argument("url", metavar="URL", help=URL_HELP)
    a.add_argument("--member", required=True, metavar="NAME", help="your name on the team")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("leave", help="disconnect from the team (everything stays here)")
    a = actions.add_parser("status", help="the team, your name, the server, the last sync")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("sync", help="send your changes and fetch the team's now")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("conflicts", help="versions kept when two people changed one thing")
    a.add_argument("--all", action="store_true", help="also those already resolved")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("resolve", help="dismiss a conflict copy, or use its version")
    a.add_argument("id", help="as listed by `safedesk team conflicts`")
    a.add_argument("--use", action="store_true", help="make the copy's version the current one")

    actions = report
    a = actions.add_parser("share", help="share a report with its original file")
    a.add_argument("key", help="the report's key (see `safedesk reports`)")
    a.add_argument(
        "--file", metavar="PATH",
        help="the file it was imported from (needed for reports imported before safedesk "
        "kept originals; checked by its contents)",
    )  # fmt: skip
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("unshare", help="stop sharing a report (it stays here)")
    a.add_argument("key")
    a.add_argument("--json", action="store_true")


def commands(open_library: Opener, emit: Emitter) -> dict[str, Handler]:
    def team(args: argparse.Namespace) -> int:
        if args.action in LIBRARY_ACTIONS:
            with open_library(args) as lib:
                return LIBRARY_ACTIONS[args.action](lib, args, emit)
        return ACTIONS[args.action](args, emit)

    def report(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            if args.action == "share":
                r = lib.team.share_report(args.key, args.file)
                text = f"Shared {r.title!r} with your team (with its file, at the next sync)"
            else:
                r = lib.team.unshare_report(args.key)
                text = f"Stopped sharing {r.title!r}; it stays in your library"
        return emit(args, r.to_json(), lambda: text)

    return {"team": team, "report share": report, "report unshare": report}


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


# -- this library and its team --------------------------------------------------------------
def _join(lib: Any, args: argparse.Namespace, emit: Emitter) -> int:
    report = lib.team.join(args.url, args.member, prompt=prompt_password)
    status = lib.team.status()
    return emit(
        args,
        {**status, "sync": report.to_json()},
        lambda: (
            f"Joined the team {status['team']!r} on {status['server']} as {status['member']}.\n"
            + _sync_text(report)
        ),
    )


def _leave(lib: Any, args: argparse.Namespace, emit: Emitter) -> int:
    unsent = lib.team.leave()
    kept = f" {unsent} changes were never sent; they stay in your library." if unsent else ""
    print(f"Left the team; everything shared stays in your library as your own copy.{kept}")
    return 0


def _status(lib: Any, args: argparse.Namespace, emit: Emitter) -> int:
    s = lib.team.status()

    def text() -> str:
        if s["team"] is None:
            return "This library has not joined a team (`safedesk team join URL --member NAME`)."
        lines = [
            f"Team: {s['team']} on {s['server']}" + (" (left)" if s["state"] == "left" else ""),
            f"You: {s['member']}" + (", an editor" if s.get("editor") else ""),
            f"Last sync: {s['last_sync'] or 'never'}",
            f"Changes waiting to be sent: {s['pending']}",
        ]
        if s.get("conflicts"):
            lines.append(
                f"Conflict copies to look at: {s['conflicts']} (`safedesk team conflicts`)"
            )
        if s.get("failed"):
            lines.append(f"Changes the server refused: {s['failed']}")
        if s.get("rejected"):
            lines.append(f"Shared rows refused as unsafe (not applied): {s['rejected']}")
        if s.get("last_error"):
            lines.append(f"Last attempt failed: {s['last_error']}")
        return "\n".join(lines)

    return emit(args, s, text)


def _sync(lib: Any, args: argparse.Namespace, emit: Emitter) -> int:
    report = lib.team.sync(prompt=prompt_password)
    return emit(args, report.to_json(), lambda: _sync_text(report))


def _sync_text(report: Any) -> str:
    lines = [f"Sent {report.pushed} changes, received {report.pulled}."]
    for name in report.trashed:
        lines.append(f"A teammate deleted the shared collection {name!r}: it is in your Trash.")
    for c in report.conflicts:
        where = f" in {c['collection']!r}" if c["collection"] and c["key"] else ""
        whose = "your" if c["yours"] else f"{c['author']}'s"
        lines.append(
            f"Conflict{where}: {whose} version of {c['title']!r} was kept as a copy "
            f"({', '.join(c['clashed']) or c['reason']}); `safedesk team conflicts`"
        )
    if report.documents:
        lines.append(f"{report.documents} shared documents added to your library.")
    if report.rejected:
        lines.append(f"{report.rejected} shared rows were refused as unsafe and not applied.")
    for f in report.failed:
        lines.append(f"The server refused a change to {f['kind']} {f['uid']}: {f['error']}")
    return "\n".join(lines)


def _conflicts(lib: Any, args: argparse.Namespace, emit: Emitter) -> int:
    found = lib.team.conflicts(include_resolved=args.all)
    return emit(args, found, lambda: "\n".join(
        f"{c['id']}  {'your' if c['yours'] else c['author'] + chr(39) + 's'} version of "
        f"{c['title']!r}" + (f" in {c['collection']!r}" if c["collection"] and c["key"] else "")
        + f" ({', '.join(c['clashed']) or c['reason']})" + (" [resolved]" if c["resolved"] else "")
        for c in found
    ) or "No conflict copies.")  # fmt: skip


def _resolve(lib: Any, args: argparse.Namespace, emit: Emitter) -> int:
    lib.team.resolve(args.id, use=args.use)
    print("Used that version; it reaches the team at the next sync." if args.use
          else "Dismissed the conflict copy.")  # fmt: skip
    return 0


LIBRARY_ACTIONS: dict[str, Callable[[Any, argparse.Namespace, Emitter], int]] = {
    "join": _join,
    "leave": _leave,
    "status": _status,
    "sync": _sync,
    "conflicts": _conflicts,
    "resolve": _resolve,
}
