"""CLI commands for the user's own data: bookmarks, collections, examples, trash, backups."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk import cli_sessions
from safedesk.errors import DamagedLibraryError, LibraryError
from safedesk.store.database import NewerSchemaError

if TYPE_CHECKING:
    from safedesk.library import Library

Handler = Callable[[argparse.Namespace], int]
Opener = Callable[[argparse.Namespace], "Library"]
Emitter = Callable[[argparse.Namespace, Any, Callable[[], str]], int]


def register(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    """Add the user-data commands to the top-level subparsers."""
    p = command("bookmark", "add or remove a bookmark", json_flag=False)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("add", help="bookmark an item (or change its note and tags)")
    a.add_argument("key")
    a.add_argument("--note", help="a personal note, stored exactly as typed")
    a.add_argument("--tag", action="append", default=[], help="a tag (repeat for more)")
    a = actions.add_parser("remove", help="move a bookmark to the trash")
    a.add_argument("key")
    command("bookmarks", "list your bookmarks").add_argument("--tag")

    p = command("collection", "make and change collections, share them as files", json_flag=False)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("create", help="create a collection")
    a.add_argument("name")
    a.add_argument("--description", default="")
    a = actions.add_parser("add", help="add an item (or change its note, prompts and timing)")
    a.add_argument("name")
    a.add_argument("key")
    a.add_argument("--note", help="the facilitator's note")
    a.add_argument("--prompt", action="append", default=[], help="a discussion prompt (repeat)")
    a.add_argument("--minutes", type=int, help="time planned for this item in a session")
    a = actions.add_parser("remove", help="move an item of a collection to the trash")
    a.add_argument("name")
    a.add_argument("key")
    a = actions.add_parser("move", help="move an item to a position (1 = first)")
    a.add_argument("name")
    a.add_argument("key")
    a.add_argument("position", type=int)
    a = actions.add_parser("rename", help="rename a collection")
    a.add_argument("name")
    a.add_argument("new_name")
    a = actions.add_parser("describe", help="set a collection's description")
    a.add_argument("name")
    a.add_argument("description")
    a = actions.add_parser("duplicate", help="copy a collection")
    a.add_argument("name")
    a.add_argument("new_name", nargs="?")
    a = actions.add_parser("delete", help="move a collection to the trash")
    a.add_argument("name")
    a = actions.add_parser("show", help="show one collection")
    a.add_argument("name")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("export", help="write a collection to a file to share")
    a.add_argument("name")
    a.add_argument("-o", "--output", required=True, metavar="FILE")
    a.add_argument(
        "--with-records", action="store_true",
        help="also carry the records of its sessions (their notes and actions)",
    )  # fmt: skip
    a = actions.add_parser("import", help="import a collection file")
    a.add_argument("file")
    a.add_argument("--json", action="store_true")
    a = actions.add_parser("share", help="share a collection with your team")
    a.add_argument("name")
    a = actions.add_parser("unshare", help="stop sharing a collection (it stays here)")
    a.add_argument("name")
    cli_sessions.register_collection_actions(actions)
    command("collections", "list your collections with their items")

    p = command(
        "example", "add, edit or remove your own examples of good practice", json_flag=False
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, help_text in (
        ("add", "add an example from your team"),
        ("edit", "change an example"),
    ):
        a = actions.add_parser(name, help=help_text)
        if name == "edit":
            a.add_argument("id", help="the example's id (or its first characters)")
        a.add_argument("--title", required=name == "add")
        a.add_argument("--theme", help="the theme it belongs to: key, number or title")
        a.add_argument("--team", help="team or authority name")
        a.add_argument("--text", help="what the team does")
        a.add_argument(
            "--text-file", metavar="FILE", help="read the text from a UTF-8 file (up to 1 MiB)"
        )
        a.add_argument("--outcomes")
        a.add_argument("--json", action="store_true")
    a = actions.add_parser("remove", help="move an example to the trash")
    a.add_argument("id")
    for name, help_text in (
        ("share", "share an example with your team"),
        ("unshare", "stop sharing an example (it stays here)"),
    ):
        actions.add_parser(name, help=help_text).add_argument("id")
    command("examples", "list your own examples")

    p = command("trash", "list what was deleted (and can be restored)")
    p.add_argument("--empty", action="store_true", help="delete everything in the trash for good")
    p.add_argument("--yes", action="store_true", help="with --empty: do not ask first")
    command("restore", "bring something back from the trash", json_flag=False).add_argument(
        "id", help="as listed by `safedesk trash`, e.g. collection:3"
    )
    command("backup", "copy the library to a file", json_flag=False).add_argument(
        "-o", "--output", metavar="FILE", help="default: the backups folder in the library"
    )
    p = command("restore-backup", "replace the library with a backup", json_flag=False)
    p.add_argument("file", nargs="?", help="default: the newest healthy backup")
    p.add_argument(
        "--empty", action="store_true",
        help="after damage, with no backup: start a new, empty library (the damaged file is kept)",
    )  # fmt: skip
    command("doctor", "check the library and say what is wrong").add_argument(
        "--repair", action="store_true", help="also rebuild what is derived (the search index)"
    )


def commands(open_library: Opener, emit: Emitter) -> dict[str, Handler]:
    def bookmark(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            if args.action == "add":
                b = lib.bookmark(args.key, note=args.note, tags=args.tag)
                print(f"Bookmarked {b.title!r}" + (f" [{', '.join(b.tags)}]" if b.tags else ""))
            else:
                lib.unbookmark(args.key)
                print(f"Moved the bookmark on {args.key} to the trash (`safedesk trash` to undo)")
        return 0

    def bookmarks(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            items = lib.bookmarks(args.tag)
        return emit(args, [b.to_json() for b in items], lambda: "\n".join(
            f"{b.title}" + (f"  [{', '.join(b.tags)}]" if b.tags else "")
            + (f"\n  Note: {b.note}" if b.note else "") + f"\n  {b.key}"
            + ("  (not in this library any more)" if b.missing else "")
            for b in items
        ) or "No bookmarks yet: `safedesk bookmark add KEY`.")  # fmt: skip

    def collection(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            return _collection_action(lib, args, emit)

    def collections(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            items = lib.collections()
        return emit(args, [c.to_json() for c in items], lambda: "\n".join(
            _collection_text(c) for c in items
        ) or "No collections yet: `safedesk collection create NAME`.")  # fmt: skip

    def example(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            if args.action == "remove":
                lib.remove_example(args.id)
                print(f"Moved the example {args.id} to the trash (`safedesk trash` to undo)")
                return 0
            if args.action in ("share", "unshare"):
                shared = args.action == "share"
                e = (lib.team.share_example if shared else lib.team.unshare_example)(args.id)
                print(f"Shared {e.title!r} with your team (at the next sync)" if shared
                      else f"Stopped sharing {e.title!r}; it stays in your library")  # fmt: skip
                return 0
            fields = {
                "title": args.title, "theme": args.theme, "team": args.team,
                "text": _text_arg(args), "outcomes": args.outcomes,
            }  # fmt: skip
            if args.action == "add":
                given = {k: v for k, v in fields.items() if v is not None}
                e = lib.add_example(**given)
            else:
                e = lib.edit_example(args.id, **{k: v for k, v in fields.items() if v is not None})
        return emit(args, e.to_json(), lambda: f"Saved your example {e.title!r} as {e.key}")

    def examples(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            items = lib.examples()
        return emit(args, [e.to_json() for e in items], lambda: "\n".join(
            f"{e.title} ({e.team or 'no team given'}; {e.theme or 'no theme'})\n  {e.key}"
            for e in items
        ) or "No examples yet: `safedesk example add --title ...`.")  # fmt: skip

    def trash(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            if args.empty:
                if not _confirm_empty(lib, args.yes):
                    print("The trash was not emptied.")
                    return 0
                n = lib.empty_trash()
                print(f"Emptied the trash ({n} deleted for good)")
                return 0
            items = lib.trash()
        return emit(args, [t.to_json() for t in items], lambda: "\n".join(
            f"{t.id:<16} {t.label}  (deleted {t.deleted_at[:16].replace('T', ' ')})" for t in items
        ) or "The trash is empty.")  # fmt: skip

    def restore(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            print(f"Restored {lib.restore(args.id)}")
        return 0

    def backup(args: argparse.Namespace) -> int:
        with open_library(args) as lib:
            print(f"Backed up the library to {lib.backup(args.output)}")
        return 0

    def restore_backup(args: argparse.Namespace) -> int:
        from safedesk.library import Library
        from safedesk.store.recovery import newest_healthy_backup

        earlier = Library.list_backups(args.data_dir)  # opening may add a daily one: not that
        problem: LibraryError | None = None
        try:
            lib: Library | None = open_library(args)
        except NewerSchemaError:
            raise  # never replaced: the newer safedesk opens it
        except DamagedLibraryError:
            lib = None  # moved aside already; a backup goes in its place
        except LibraryError as why:  # it cannot be opened (and it is not a full disk): a way out
            if _disk_is_full(args.data_dir):
                raise
            lib, problem = None, why
        if lib is None or args.empty:
            if lib is not None:
                lib.close()
                raise LibraryError(
                    "your library opens normally, so it was not replaced; use "
                    "`safedesk restore-backup FILE` to go back to a backup"
                )
            return _way_out(args, problem)
        with lib:
            source = Path(args.file) if args.file else newest_healthy_backup(lib.data_dir, earlier)
            safety = lib.restore_backup(source)
        print(f"Restored the library from {source}; the previous state was saved to {safety}")
        return 0

    def _way_out(args: argparse.Namespace, problem: LibraryError | None) -> int:
        """The library cannot be opened: restore a backup into its place, or start empty."""
        from safedesk.library import Library

        if args.empty:
            kept = Library.start_empty(args.data_dir)
            where = f" (your library was moved aside as {kept.name})" if kept else ""
            print(f"The next start makes a new, empty library; nothing was deleted{where}")
            return 0
        used = Library.restore_into(args.data_dir, args.file)
        print(f"Restored the library from {used} (the file it replaced was kept)")
        if problem is not None:
            print(f"It could not be opened before: {problem}")
        with open_library(args) as lib:  # the backup opens (and is upgraded if it is older)
            lib.ensure_index()
        return 0

    def doctor(args: argparse.Namespace) -> int:
        from safedesk.paths import data_dir
        from safedesk.safekeeping import precheck

        report = precheck(data_dir(args.data_dir))
        if report is None or (args.repair and _only_upgrade_needed(report)):
            with open_library(args) as lib:
                report = lib.doctor(repair=args.repair)
        emit(args, report.to_json(), report.text)
        return 0 if report.healthy else 1

    return {
        "bookmark": bookmark, "bookmarks": bookmarks, "collection": collection,
        "collections": collections, "example": example, "examples": examples, "trash": trash,
        "restore": restore, "backup": backup, "restore-backup": restore_backup, "doctor": doctor,
    }  # fmt: skip


def _only_upgrade_needed(report: Any) -> bool:
    """True if the only problems before opening are ones that opening repairs (an old schema)."""
    return all(c.ok or (c.repairable and c.name in ("schema", "temporary files"))
               for c in report.checks)  # fmt: skip


def _collection_action(lib: Library, args: argparse.Namespace, emit: Emitter) -> int:
    action, name = args.action, str(getattr(args, "name", ""))
    if action == "create":
        c = lib.create_collection(name, args.description)
        print(f"Created the collection {c.name!r}")
    elif action == "add":
        c = lib.add_to_collection(name, args.key, args.note, args.prompt or None, args.minutes)
        count = len(c.items)
        print(f"{c.name!r} now has {count} item" + ("" if count == 1 else "s"))
    elif action == "remove":
        lib.remove_from_collection(name, args.key)
        print(f"Moved {args.key} out of {name!r} into the trash (`safedesk trash` to undo)")
    elif action == "move":
        c = lib.move_in_collection(name, args.key, args.position)
        where = [i.key for i in c.items].index(args.key) + 1
        print(f"Moved {args.key} to position {where} of {len(c.items)}")
    elif action == "rename":
        print(f"Renamed to {lib.rename_collection(name, args.new_name).name!r}")
    elif action == "describe":
        lib.describe_collection(name, args.description)
        print(f"Updated the description of {name!r}")
    elif action == "duplicate":
        print(f"Copied to {lib.duplicate_collection(name, args.new_name).name!r}")
    elif action == "delete":
        lib.delete_collection(name)
        print(f"Moved the collection {name!r} to the trash (`safedesk trash` to undo)")
    elif action == "show":
        c = lib.collection(name)
        return emit(args, c.to_json(), lambda: _collection_text(c))
    elif action in ("plan", "step"):
        return cli_sessions.collection_action(lib, args, emit)
    elif action == "export":
        path = lib.export_collection(name, args.output, with_records=args.with_records)
        print(f"Wrote {path}")
    elif action == "import":
        result = lib.import_collection(args.file)
        return emit(args, result.to_json(), result.summary)
    elif action == "share":
        c = lib.team.share_collection(name)
        print(f"Shared {c.name!r} ({len(c.items)} items) with your team (at the next sync)")
    elif action == "unshare":
        c = lib.team.unshare_collection(name)
        print(f"Stopped sharing {c.name!r}; it stays in your library, teammates' copies go to "
              "their Trash")  # fmt: skip
    return 0


def _collection_text(c: Any) -> str:
    return cli_sessions.collection_text(c)


def _confirm_empty(lib: Library, yes: bool) -> bool:
    """Emptying the trash is for good: ask on a terminal, and refuse elsewhere without --yes."""
    import sys

    if yes:
        return True
    count = len(lib.trash())
    if not sys.stdin.isatty():
        raise LibraryError(
            f"emptying the trash deletes {_things(count)} for good; add --yes to do it "
            "without being asked"
        )
    answer = input(f"Delete {_things(count)} in the trash for good? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def _things(n: int) -> str:
    return "1 thing" if n == 1 else f"{n} things"


def _text_arg(args: argparse.Namespace) -> str | None:
    if getattr(args, "text_file", None):
        from safedesk.textfile import read_text_file

        return read_text_file(Path(args.text_file))
    return getattr(args, "text", None)


def _disk_is_full(data_dir: str | None) -> bool:
    import shutil

    from safedesk.paths import data_dir as resolve
    from safedesk.safekeeping import LOW_SPACE

    folder = resolve(data_dir)
    return folder.exists() and shutil.disk_usage(folder).free < LOW_SPACE
