"""The command line: `safedesk [--data-dir DIR] COMMAND`; no command opens the desktop app.

Listing commands take --json and print one JSON document (a documented, stable contract).
Qt is imported only for the GUI; ReportLab only for commands that write PDFs.
"""

from __future__ import annotations

import argparse
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
    p = command(
        "report", "correct a report's or document's citation; share it with your team",
        json_flag=False,
    )  # fmt: skip
    report_actions = actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
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
    p.add_argument(
        "--exact", action="store_true",
        help="search the words only, not the practice concepts they name",
    )  # fmt: skip
    p = command("related", "practices most like an item (more like this)")
    p.add_argument("key")
    p.add_argument("--limit", type=int, default=5, metavar="N")
    command("concepts", "list the practice concepts search knows, as a tree with item counts")
    p = command("concept", "show a practice concept: its terms, relations and best items")
    p.add_argument("term", help="the concept's id or any of its terms (e.g. 'front door', CPD)")
    p.add_argument("--limit", type=int, default=10, metavar="N")
    p = command("brief", "write a print-ready PDF briefing (or an editable Word copy)")
    p.add_argument(
        "key", nargs="?",
        help="a practice (or local example) for a one-page sheet; with --seven-minute, also a "
        "review finding or a case-study or document section",
    )  # fmt: skip
    p.add_argument("--theme", metavar="KEY", help="a theme brief instead")
    p.add_argument("--authority", metavar="KEY", help="an authority profile instead")
    p.add_argument("--collection", metavar="NAME", help="a session pack from a collection")
    p.add_argument(
        "--handout", action="store_true", help="participant version: no facilitator notes"
    )
    p.add_argument(
        "--seven-minute", action="store_true",
        help="a one-page 7-minute briefing on the KEY or --theme, for a team meeting",
    )  # fmt: skip
    p.add_argument("--paper", choices=["a4", "letter"], default="a4")
    p.add_argument("--no-notes-space", action="store_true", help="leave out the space for notes")
    p.add_argument(
        "--format", choices=["pdf", "docx"],
        help="pdf, or docx for an editable Word copy (default: from the file's name, else pdf)",
    )  # fmt: skip
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf|FILE.docx")
    command("gui", "open the desktop app (the default)", json_flag=False)
    from safedesk import cli_sessions, cli_team, cli_user

    cli_user.register(sub, command)
    cli_sessions.register(sub, command)
    cli_team.register(sub, command, report_actions)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Everything it prints passes through `terminal.SafeStream`, which makes
    control characters in report or user text visible instead of obeying them."""
    from safedesk import terminal

    out, err = sys.stdout, sys.stderr
    if out is not None and err is not None:
        sys.stdout, sys.stderr = terminal.SafeStream(out), terminal.SafeStream(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: Sequence[str] | None) -> int:
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
        status = handler(args)
        _say_notes(succeeded=status == 0)
        return status
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
    from safedesk.notices import notice

    # a log file that cannot be written (a full disk) must never put a traceback on the screen
    logging.raiseExceptions = False
    if not any(isinstance(h, _Notes) for h in notice.handlers):
        notice.addHandler(_Notes())
    _say_notes(succeeded=False)  # none left over from an earlier command in this process
    configure(data_dir)


class _Notes(logging.Handler):
    """What the person should hear once (a daily backup that failed), kept until the command
    has succeeded, then printed on stderr as "safedesk: note: ..." lines."""

    def __init__(self) -> None:
        super().__init__()
        self.pending: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.pending.append(record)

    def flush_to_stderr(self) -> None:
        from safedesk.notices import said

        for record in self.pending:
            print(f"safedesk: note: {record.getMessage()}", file=sys.stderr)
            said(record)
        self.pending.clear()


def _say_notes(succeeded: bool) -> None:
    from safedesk.notices import notice

    for handler in notice.handlers:
        if isinstance(handler, _Notes):
            if succeeded:
                handler.flush_to_stderr()
            handler.pending.clear()


def _open(args: argparse.Namespace) -> Library:
    from safedesk import terminal
    from safedesk.library import Library
    from safedesk.paths import data_dir

    started = time.perf_counter()
    first = not (data_dir(args.data_dir) / "library.sqlite3").exists()
    announced = False

    def progress(message: str, fraction: float) -> None:
        nonlocal announced
        if not announced:
            doing = "setting up your library (first run)" if first else "updating your library"
            print(f"safedesk: {doing}...", file=sys.stderr)
            announced = True
        if sys.stderr.isatty():  # our own carriage return: past the escaping of control characters
            line = f"\r  {terminal.visible(message):<40} {fraction:4.0%}"
            print(line, end="", file=terminal.raw(sys.stderr), flush=True)

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
        from safedesk.terminal import dumps

        print(dumps(data))
    else:
        print(text())
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from safedesk import terminal

    def progress(message: str, fraction: float) -> None:  # on a terminal only
        # our own carriage return: past the escaping of control characters (the file's name is
        # shown with its controls made visible)
        line = f"\r  {terminal.visible(message)[:50]:<50} {fraction:4.0%}"
        print(line, end="", file=terminal.raw(sys.stderr), flush=True)

    with _open(args) as lib:
        try:
            summary = lib.import_report(args.file, progress if sys.stderr.isatty() else None)
        finally:
            if sys.stderr.isatty():
                print("\r" + " " * 58 + "\r", end="", file=terminal.raw(sys.stderr), flush=True)
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
    if args.action != "edit":  # share, unshare: the team's
        return _user_commands()[f"report {args.action}"](args)
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
            exact=args.exact,
        )

    def text() -> str:
        lines = [f"{result.total} results for {result.query!r}"]
        acronyms = [e for e in result.expanded if e.get("relation", "acronym") == "acronym"]
        if acronyms:
            used = ", ".join(f"{e['term']} = {e['expansion']}" for e in acronyms)
            lines.append(f"Acronyms: {used}")
        for relation, heading in (("synonym", "Also searched for"), ("related", "Related")):
            found = [e["expansion"] for e in result.expanded if e.get("relation") == relation]
            if found:
                lines.append(f"{heading}: {', '.join(dict.fromkeys(found))}")
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
            if h.lacks:
                lines.append(f"  (lacks: {', '.join(h.lacks)})")
            lines.append(f"  [{h.key}]")
        return "\n".join(lines)

    return _emit(args, result.to_json(), text)


def _cmd_related(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        result = lib.related(args.key, limit=args.limit)

    def line(h: Any) -> str:
        shares = f"\n      shares: {', '.join(h.shares)}" if h.shares else ""
        return f"  Box {h.number}: {h.title} ({h.authority})  [{h.key}]{shares}"

    return _emit(
        args,
        result.to_json(),
        lambda: f"Practices like {result.title!r}:\n" + "\n".join(map(line, result.related)),
    )


def _cmd_concepts(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        tree = lib.concepts()

    def lines(nodes: list[Any], depth: int) -> list[str]:
        out = []
        for node in nodes:
            out.append(f"{'  ' * depth}{node.label} ({node.count})  [{node.id}]")
            out += lines(node.children, depth + 1)
        return out

    return _emit(args, [n.to_json() for n in tree], lambda: "\n".join(lines(tree, 0)))


def _cmd_concept(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        c = lib.concept(args.term, limit=args.limit)

    def text() -> str:
        lines = [f"{c.label}  [{c.id}]", c.scope_note]
        if c.alt_labels:
            lines.append(f"Also called: {', '.join(c.alt_labels)}")
        for heading, refs in (("Broader", c.broader), ("Narrower", c.narrower),
                              ("Related", c.related)):  # fmt: skip
            if refs:
                lines.append(f"{heading}: {', '.join(r.label for r in refs)}")
        lines.append(f"\n{c.count} items; the best:")
        for h in c.items:
            label = f"Box {h.number}" if h.kind == "practice" else h.kind
            lines.append(f"  {label}: {h.title}  [{h.key}]")
        return "\n".join(lines)

    return _emit(args, c.to_json(), text)


def _cmd_brief(args: argparse.Namespace) -> int:
    from safedesk.briefing.request import BriefRequest

    chosen = args.format or ("docx" if args.output.lower().endswith(".docx") else "pdf")
    request = BriefRequest(
        key=args.key, theme=args.theme, authority=args.authority, collection=args.collection,
        handout=args.handout, paper=args.paper, notes_space=not args.no_notes_space,
        seven_minute=args.seven_minute, format=chosen,
    ).checked()  # fmt: skip
    with _open(args) as lib:
        result = lib.export_brief(args.output, request)
    pages = f" ({result.pages} page{'' if result.pages == 1 else 's'})" if result.pages else ""
    return _emit(
        args, result.to_json(), lambda: f"Wrote {result.kind.lower()} to {result.path}{pages}"
    )


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
    "concepts": _cmd_concepts,
    "concept": _cmd_concept,
    "brief": _cmd_brief,
}


def _user_commands() -> dict[str, Callable[[argparse.Namespace], int]]:
    from safedesk import cli_sessions, cli_team, cli_user

    return {
        **cli_user.commands(_open, _emit),
        **cli_sessions.commands(_open, _emit),
        **cli_team.commands(_open, _emit),
    }
