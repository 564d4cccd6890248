"""The command line: `safedesk [--data-dir DIR] COMMAND`; no command opens the desktop app.

Listing commands take --json and print one JSON document (a documented, stable contract).
Qt is imported only for the GUI; ReportLab only for commands that write PDFs.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from safedesk import __version__
from safedesk.errors import LibraryError

if TYPE_CHECKING:
    from safedesk.library import Library

log = logging.getLogger("safedesk.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safedesk",
        description="A library of children's safeguarding practice. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"safedesk {__version__}")
    parser.add_argument(
        "--self-test", action="store_true",
        help="check this installation works (library, search, PDF, window) and exit",
    )  # fmt: skip
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="library folder (default: $SAFEDESK_DATA_DIR or the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str, json_flag: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if json_flag:
            p.add_argument("--json", action="store_true", help="print one JSON document")
        return p

    p = command("import", "import a report or document (.pdf, .docx, .txt, .md)")
    p.add_argument("file")
    command("reports", "list the reports and documents in the library")
    p = command("report", "correct a report's or document's citation", json_flag=False)
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser(
        "edit", help="correct the title, authors, year or publisher its citation is made from"
    )
    a.add_argument("key", help="the report's or document's key (see `safedesk reports`)")
    a.add_argument("--title")
    a.add_argument("--authors", metavar="'A; B'", help="authors separated by semicolons")
    a.add_argument("--year", type=int)
    a.add_argument("--publisher", help="the publisher or organisation")
    a.add_argument(
        "--reset", action="store_true", help="forget earlier corrections (what the file says)"
    )
    a.add_argument("--json", action="store_true", help="print one JSON document")
    for name, help_text in (
        ("themes", "list the priority-area themes and their review findings"),
        ("authorities", "list the local authorities with their type and inspection grades"),
        ("case-studies", "list the case studies in full"),
    ):
        command(name, help_text).add_argument("--report", metavar="KEY")
    p = command("practices", "list the boxed examples of good practice")
    p.add_argument("--report", metavar="KEY")
    p.add_argument("--theme", metavar="KEY", help="theme key, number (3.2) or title")
    p.add_argument("--authority", metavar="KEY", help="authority key or name")
    p = command(
        "show", "show one item (practice, theme, authority, case study, section...) in full"
    )
    p.add_argument("key")
    p = command("search", "search the library")
    p.add_argument("query")
    p.add_argument("--report", metavar="KEY")
    p.add_argument("--theme", metavar="KEY")
    p.add_argument("--authority", metavar="KEY")
    p.add_argument(
        "--kind", metavar="KIND", help="practice, finding, section, ... (comma-separated)"
    )
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p = command("related", "practices most like an item (more like this)")
    p.add_argument("key")
    p.add_argument("--limit", type=int, default=5, metavar="N")
    p = command("brief", "write a print-ready PDF briefing")
    p.add_argument("key", nargs="?", help="a practice (or local example) for a one-page sheet")
    p.add_argument("--theme", metavar="KEY", help="a theme brief instead")
    p.add_argument("--authority", metavar="KEY", help="an authority profile instead")
    p.add_argument("--collection", metavar="NAME", help="a session pack from a collection")
    p.add_argument(
        "--handout", action="store_true", help="participant version: no facilitator notes"
    )
    p.add_argument("--paper", choices=["a4", "letter"], default="a4")
    p.add_argument("--no-notes-space", action="store_true", help="leave out the space for notes")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    command("gui", "open the desktop app (the default)", json_flag=False)
    from safedesk import cli_user

    cli_user.register(sub, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.self_test:
        from safedesk.selftest import run_self_test

        return run_self_test()
    if args.command in (None, "gui"):
        from safedesk.ui.app import main as gui_main

        return gui_main(data_dir=args.data_dir)
    try:
        _setup_logging(args.data_dir)
        handler = COMMANDS.get(args.command) or _user_commands()[args.command]
        return handler(args)
    except LibraryError as exc:
        print(f"safedesk: error: {exc}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:  # found mid-command: say it in one line, as above
        from safedesk.store import database

        log.exception("database error")
        if database.is_damage(exc):
            message = "the library database is damaged; run `safedesk doctor`"
        else:
            message = str(database.write_error(exc, "finish"))
        print(f"safedesk: error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("safedesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # never a traceback in the user's face; the log keeps it
        log.exception("unexpected error")
        print(f"safedesk: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2


def _setup_logging(data_dir: str | None) -> None:
    from safedesk.logsetup import configure

    # a log file that cannot be written (a full disk) must never put a traceback on the screen
    logging.raiseExceptions = False
    configure(data_dir)


def _open(args: argparse.Namespace) -> Library:
    from safedesk.library import Library

    started = time.perf_counter()
    announced = False

    def progress(message: str, fraction: float) -> None:
        nonlocal announced
        if not announced:
            print("safedesk: setting up your library (first run)...", file=sys.stderr)
            announced = True
        if sys.stderr.isatty():
            print(f"\r  {message:<40} {fraction:4.0%}", end="", file=sys.stderr, flush=True)

    library = Library.open(args.data_dir, progress=progress)
    if announced:
        end = "\n" if sys.stderr.isatty() else ""
        print(
            f"{end}safedesk: library ready in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    return library


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], str]) -> int:
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(text())
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    def progress(message: str, fraction: float) -> None:  # on a terminal only
        print(f"\r  {message[:50]:<50} {fraction:4.0%}", end="", file=sys.stderr, flush=True)

    with _open(args) as lib:
        try:
            summary = lib.import_report(args.file, progress if sys.stderr.isatty() else None)
        finally:
            if sys.stderr.isatty():
                print("\r" + " " * 58 + "\r", end="", file=sys.stderr, flush=True)
    return _emit(args, summary.to_json(), summary.text)


def _listing(
    args: argparse.Namespace,
    fetch: Callable[[Library], Sequence[Any]],
    line: Callable[[Any], str],
) -> int:
    """Run a listing command: fetch the items, print them as JSON or one `line` each."""
    with _open(args) as lib:
        items = list(fetch(lib))
    return _emit(args, [i.to_json() for i in items], lambda: "\n".join(line(i) for i in items))


def _report_line(r: Any) -> str:
    pages = f", {r.pages} pages" if r.pages else ""
    counted = (
        f"document: {r.passages} passages in {r.sections} sections{pages}"
        if r.kind == "document"
        else f"{r.practices} practices{pages}"
    )
    return (
        f"{r.key}\n  {r.title} ({r.year or 'n.d.'}), {r.publisher or 'publisher not given'}; "
        f"{counted}\n  Cite: {r.citation}"
    )


def _theme_line(t: Any) -> str:
    reviews = ", ".join(f.review for f in t.findings) or "none"
    return f"{t.number:<5} {t.title} ({t.practices} practices; reviews: {reviews})  [{t.key}]"


def _authority_line(a: Any) -> str:
    grades = "; ".join(f"{k}: {v}" for k, v in a.grades.items())
    return f"{a.name} ({a.type or 'type not given'}): {grades}  [{a.key}]"


def _practice_line(p: Any) -> str:
    return f"Box {p.number:<3} {p.title} ({p.authority}; {p.theme})  [{p.key}]"


def _case_study_line(c: Any) -> str:
    sections = "".join(f"\n  - {s.title}  [{s.key}]" for s in c.sections)
    return f"Case study {c.number}: {c.authority}  [{c.key}]{sections}"


def _cmd_report(args: argparse.Namespace) -> int:
    authors = None if args.authors is None else [a for a in args.authors.split(";") if a.strip()]
    with _open(args) as lib:
        detail = lib.edit_report(
            args.key, title=args.title, authors=authors, year=args.year,
            publisher=args.publisher, reset=args.reset,
        )  # fmt: skip
    fixed = ", ".join(detail.corrected) or "nothing (the file's own citation)"
    return _emit(
        args, detail.to_json(), lambda: f"{detail.key}: corrected {fixed}\nCite: {detail.citation}"
    )


def _cmd_show(args: argparse.Namespace) -> int:
    from safedesk.render import render_text

    with _open(args) as lib:
        item = lib.get(args.key)
    return _emit(args, item.to_json(), lambda: render_text(item))


def _cmd_search(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        result = lib.search(
            args.query,
            limit=args.limit,
            report=args.report,
            theme=args.theme,
            authority=args.authority,
            kind=args.kind,
        )

    def text() -> str:
        lines = [f"{result.total} results for {result.query!r}"]
        if result.expanded:
            used = ", ".join(f"{e['term']} = {e['expansion']}" for e in result.expanded)
            lines.append(f"Also searched for: {used}")
        if result.suggestion:
            lines.append(f"Did you mean: {result.suggestion}")
        if result.note:
            lines.append(result.note)
        for h in result.hits:
            where = ", ".join(x for x in (h.authority, h.theme) if x)
            label = f"Box {h.number}" if h.kind == "practice" else h.kind
            where = ", ".join(x for x in (where, f"p. {h.page}" if h.page else "") if x)
            lines.append(f"\n{label}: {h.title}" + (f" ({where})" if where else ""))
            lines.append(f"  {h.snippet}")
            lines.append(f"  [{h.key}]")
        return "\n".join(lines)

    return _emit(args, result.to_json(), text)


def _cmd_related(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        result = lib.related(args.key, limit=args.limit)
    return _emit(
        args,
        result.to_json(),
        lambda: (
            f"Practices like {result.title!r}:\n"
            + "\n".join(
                f"  Box {h.number}: {h.title} ({h.authority})  [{h.key}]" for h in result.related
            )
        ),
    )


def _cmd_brief(args: argparse.Namespace) -> int:
    from safedesk.briefing.request import BriefRequest

    request = BriefRequest(
        key=args.key, theme=args.theme, authority=args.authority, collection=args.collection,
        handout=args.handout, paper=args.paper, notes_space=not args.no_notes_space,
    ).checked()  # fmt: skip
    with _open(args) as lib:
        result = lib.export_brief(args.output, request)
    return _emit(
        args, result.to_json(),
        lambda: f"Wrote {result.kind.lower()} to {result.path} ({result.pages} pages)",
    )  # fmt: skip


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "import": _cmd_import,
    "reports": lambda a: _listing(a, lambda lib: lib.reports(), _report_line),
    "report": _cmd_report,
    "themes": lambda a: _listing(a, lambda lib: lib.themes(a.report), _theme_line),
    "authorities": lambda a: _listing(a, lambda lib: lib.authorities(a.report), _authority_line),
    "practices": lambda a: _listing(
        a, lambda lib: lib.practices(a.report, a.theme, a.authority), _practice_line
    ),
    "case-studies": lambda a: _listing(a, lambda lib: lib.case_studies(a.report), _case_study_line),
    "show": _cmd_show,
    "search": _cmd_search,
    "related": _cmd_related,
    "brief": _cmd_brief,
}


def _user_commands() -> dict[str, Callable[[argparse.Namespace], int]]:
    from safedesk import cli_user

    return cli_user.commands(_open, _emit)
