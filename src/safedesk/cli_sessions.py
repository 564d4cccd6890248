"""CLI commands for sessions: a collection's plan and agenda steps (`collection plan`,
`collection step ...`), records of sessions delivered (`session ...`, `sessions`) and their
actions (`actions`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from safedesk import planning
from safedesk.errors import LibraryError

if TYPE_CHECKING:
    from safedesk.library import Library
    from safedesk.views import ActionInfo, CollectionInfo, SessionRecordInfo

Handler = Callable[[argparse.Namespace], int]
Opener = Callable[[argparse.Namespace], "Library"]
Emitter = Callable[[argparse.Namespace, Any, Callable[[], str]], int]


def register_collection_actions(actions: Any) -> None:
    """`collection plan` and `collection step ...`, beside the other collection actions."""
    a = actions.add_parser("plan", help="set the session's target length and start time")
    a.add_argument("name")
    a.add_argument("--length", type=int, metavar="MINUTES", help="target length (0 clears it)")
    a.add_argument("--start", metavar="HH:MM", help='start time, e.g. 09:30 ("none" clears it)')
    a.add_argument("--json", action="store_true")
    step = actions.add_parser("step", help="add, change, move or remove an agenda step")
    steps = step.add_subparsers(dest="step_action", metavar="ACTION", required=True)
    s = steps.add_parser("add", help="add a step that is not a library item (welcome, break...)")
    s.add_argument("name")
    s.add_argument("--title", required=True, help="e.g. Welcome, Check-in, Break, Reflection")
    s.add_argument("--minutes", type=int, required=True)
    s.add_argument(
        "--position", type=int, metavar="P", help="place in the running order (1 = first)"
    )
    s.add_argument("--instructions", default="", help="what the facilitator does")
    s.add_argument("--json", action="store_true")
    s = steps.add_parser("edit", help="change a step's title, minutes or instructions")
    s.add_argument("name")
    s.add_argument("step", help="the step's id, or its place in the running order")
    s.add_argument("--title")
    s.add_argument("--minutes", type=int)
    s.add_argument("--instructions")
    s.add_argument("--json", action="store_true")
    s = steps.add_parser("move", help="move a step to a place in the running order (1 = first)")
    s.add_argument("name")
    s.add_argument("step")
    s.add_argument("position", type=int)
    s = steps.add_parser("remove", help="move a step to the trash")
    s.add_argument("name")
    s.add_argument("step")


def register(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """The `session`, `sessions` and `actions` commands."""
    p = command("session", "record a session delivered, and follow up its actions", json_flag=False)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("record", help="record a session of a collection as it was delivered")
    a.add_argument("name", help="the collection")
    a.add_argument("--date", metavar="YYYY-MM-DD", help="when it was held (default: today)")
    a.add_argument("--team", default="", help="the team or group")
    a.add_argument("--attendees", type=int, metavar="N", help="how many attended")
    a.add_argument("--note", default="", help="what was discussed and learnt")
    a.add_argument(
        "--action", action="append", default=[], dest="agreed", metavar='"WHAT|WHO|YYYY-MM-DD"',
        help="an action agreed (who and the date may be left out; repeat for more)",
    )  # fmt: skip
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("show", help="show one record with its actions")
    a.add_argument("id")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("edit", help="change a record's date, team, attendance or notes")
    a.add_argument("id")
    a.add_argument("--date", metavar="YYYY-MM-DD")
    a.add_argument("--team")
    a.add_argument("--attendees", type=int, metavar="N")
    a.add_argument("--note")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("remove", help="move a record (with its actions) to the trash")
    a.add_argument("id")
    a = actions.add_parser("export", help="write the records as evidence (CSV or Word)")
    a.add_argument("-o", "--output", required=True, metavar="FILE.csv|FILE.docx")
    a.add_argument("--format", choices=["csv", "docx", "pdf"], help="default: from the file's name")
    a.add_argument("--collection", metavar="NAME", help="only the sessions of this collection")
    a = actions.add_parser("action", help="add, finish, reopen or remove an agreed action")
    acts = a.add_subparsers(dest="action_action", metavar="ACTION", required=True)
    b = acts.add_parser("add", help="add an action to a record")
    b.add_argument("id", help="the record's id")
    b.add_argument("text", metavar='"WHAT|WHO|YYYY-MM-DD"')
    for name, text in (("done", "mark an action done"), ("reopen", "mark a done action open"),
                       ("remove", "move an action to the trash")):  # fmt: skip
        b = acts.add_parser(name, help=text)
        b.add_argument("id", help="the action's id")
    p = command("sessions", "list the records of sessions delivered, with their actions")
    p.add_argument("--collection", metavar="NAME")
    p = command("actions", "list the actions agreed in sessions: overdue and due first")
    p.add_argument("--all", action="store_true", help="include those done")


def commands(open_library: Opener, emit: Emitter) -> dict[str, Handler]:
    def session(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            return _session_action(lib, args, emit)

    def sessions(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            records = lib.sessions(args.collection)
        return emit(args, [r.to_json() for r in records], lambda: "\n\n".join(
            record_text(r) for r in records
        ) or "No sessions recorded yet: `safedesk session record NAME`.")  # fmt: skip

    def actions(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            found = lib.actions(open_only=not args.all)
        return emit(args, [a.to_json() for a in found], lambda: "\n".join(
            action_line(a) for a in found
        ) or "No open actions.")  # fmt: skip

    return {"session": session, "sessions": sessions, "actions": actions}


def collection_action(lib: Library, args: argparse.Namespace, emit: Emitter) -> int:
    """`collection plan` and `collection step ...`."""
    name = args.name
    if args.action == "plan":
        c = lib.plan_collection(name, args.length, args.start)
        return emit(args, c.to_json(), lambda: collection_text(c))
    action = args.step_action
    if action == "add":
        entry = lib.add_step(name, args.title, args.minutes, args.position, args.instructions)
    elif action == "edit":
        entry = lib.edit_step(name, args.step, args.title, args.minutes, args.instructions)
    elif action == "move":
        entry = lib.move_step(name, args.step, args.position)
    else:
        lib.remove_step(name, args.step)
        print(f"Moved the step {args.step} of {name!r} to the trash (`safedesk trash` to undo)")
        return 0
    at = f" at {entry.starts_at}" if entry.starts_at else ""
    return emit(args, entry.to_json(), lambda: (
        f"Step {entry.position} of {name!r}{at}: {entry.title} ({entry.minutes} min)  "
        f"[id {entry.id}]"
    ))  # fmt: skip


def _session_action(lib: Library, args: argparse.Namespace, emit: Emitter) -> int:
    action = args.action
    if action == "record":
        r = lib.record_session(
            args.name, args.date, args.team, args.attendees, args.note, args.agreed
        )
        return emit(args, r.to_json(), lambda: "Recorded:\n" + record_text(r))
    if action == "show":
        r = lib.session(args.id)
        return emit(args, r.to_json(), lambda: record_text(r))
    if action == "edit":
        r = lib.edit_session(args.id, args.date, args.team, args.attendees, args.note)
        return emit(args, r.to_json(), lambda: record_text(r))
    if action == "remove":
        lib.remove_session(args.id)
        print(f"Moved the record {args.id} to the trash (`safedesk trash` to undo)")
        return 0
    if action == "export":
        path = lib.export_sessions(args.output, args.format, args.collection)
        print(f"Wrote {path}")
        return 0
    sub = args.action_action
    if sub == "add":
        from safedesk.sessionlib import parse_action

        what, who, due = parse_action(args.text)
        a = lib.add_action(args.id, what, who, due)
        print(f"Added: {action_line(a)}")
    elif sub in ("done", "reopen"):
        a = lib.action_done(args.id, sub == "done")
        print(f"{'Done' if sub == 'done' else 'Open again'}: {action_line(a)}")
    elif sub == "remove":
        lib.remove_action(args.id)
        print(f"Moved the action {args.id} to the trash (`safedesk trash` to undo)")
    else:  # pragma: no cover - argparse allows only the above
        raise LibraryError(f"unknown action {sub!r}")
    return 0


# -- text output ----------------------------------------------------------------------------------
def collection_text(c: CollectionInfo) -> str:
    """A collection as its running order: clock times (if it has a start time), minutes, notes
    and prompts, then the total against the target and any warnings."""
    head = f"{c.name}" + (f": {c.description}" if c.description else "")
    if getattr(c, "shared", False):
        head += f"  (shared by {c.shared_by})"
    lines = [head]
    items = {i.key: i for i in c.items}
    for e in c.steps:
        at = f"{e.starts_at}  " if e.starts_at else ""
        timing = f" ({e.minutes} min)" if e.minutes is not None else " (no time set)"
        if e.kind == "step":
            lines.append(f"  {at}{e.position}. {e.title}{timing}  [step {e.id}]")
            if e.instructions:
                lines.append(f"     {e.instructions}")
            continue
        item = items[e.ref]
        gone = "" if item.linked else " (saved copy; its report is not in this library)"
        lines.append(f"  {at}{e.position}. {e.title}{timing}{gone}\n     {item.key}")
        if item.note:
            lines.append(f"     Note: {item.note}")
        lines += [f"     ? {p}" for p in item.prompts]
    lines.append(plan_summary(c))
    lines += [f"  ! {w}" for w in c.warnings]
    return "\n".join(lines)


def plan_summary(c: CollectionInfo) -> str:
    """ "Total 95 of 90 minutes (5 over) · 09:30–11:05" and the like."""
    return "  " + planning.total_line(c, "minutes", " (no target length set)")


def record_text(r: SessionRecordInfo) -> str:
    who = ", ".join(x for x in (r.team, f"{r.attendees} attended" if r.attendees is not None
                                else "") if x)  # fmt: skip
    lines = [f"{r.date}  {r.collection}" + (f" ({who})" if who else "") + f"  [id {r.id}]"]
    if r.note:
        lines.append(f"  Notes: {r.note}")
    lines += [f"  - {action_line(a)}" for a in r.actions]
    return "\n".join(lines)


def action_line(a: ActionInfo) -> str:
    parts = [a.what]
    if a.who:
        parts.append(a.who)
    if a.due:
        parts.append(f"by {a.due}")
    return f"[{a.status}] " + " · ".join(parts) + f"  [id {a.id}]"
