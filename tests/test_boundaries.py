"""The core is Qt-free and the CLI stays light: checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "safedesk",
    "safedesk.cli",
    "safedesk.library",
    "safedesk.paths",
    "safedesk.views",
    "safedesk.render",
    "safedesk.corpus.parser",
    "safedesk.corpus.glossary",
    "safedesk.corpus.reading",
    "safedesk.corpus.document",
    "safedesk.corpus.extract.pdf",
    "safedesk.corpus.extract.word",
    "safedesk.store.originals",
    "safedesk.store.database",
    "safedesk.store.reader",
    "safedesk.store.importer",
    "safedesk.store.tables",
    "safedesk.search.index",
    "safedesk.search.query",
    "safedesk.search.concepts",
    "safedesk.search.highlight",
    "safedesk.search.build",
    "safedesk.search.browse",
    "safedesk.search.related",
    "safedesk.userlib",
    "safedesk.cli_user",
    "safedesk.sharing.collection_file",
    "safedesk.sharing.importing",
    "safedesk.store.userdata",
    "safedesk.store.local",
    "safedesk.store.collections",
    "safedesk.store.backups",
    "safedesk.safekeeping",
    "safedesk.interfaces",
    "safedesk.report_import",
    "safedesk.search.lifecycle",
    "safedesk.briefing.request",
    "safedesk.briefing.export",
    "safedesk.briefing.documents",
    "safedesk.store.outbox",
    "safedesk.store.team",
    "safedesk.store.team_sync",
    "safedesk.store.team_apply",
    "safedesk.store.collection_merge",
    "safedesk.store.merge_rule",
    "safedesk.teamlib",
    "safedesk.briefing.model",
    "safedesk.briefing.pdf",
    "safedesk.briefing.word",
    "safedesk.briefing.seven",
    "safedesk.briefing.seven_writers",
    "safedesk.briefing.evidence",
    "safedesk.planning",
    "safedesk.sessionlib",
    "safedesk.cli_sessions",
    "safedesk.store.sessions",
    "safedesk.store.running_order",
    "safedesk.briefing.document_sheet",
    "safedesk.store.corrections",
    "safedesk.corpus.citation",
]


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_qt_or_reportlab(module: str) -> None:
    loaded = _loaded_after(f"import {module}")
    assert "PySide6" not in loaded
    assert "reportlab" not in loaded


@pytest.mark.parametrize("module", ["safedesk.search.concepts", "safedesk.search.build"])
def test_concept_modules_load_whoosh_only_when_used(module: str) -> None:
    assert "whoosh" not in _loaded_after(f"import {module}")


def test_listing_command_imports_neither_qt_reportlab_nor_sqlmodel(
    library_template: object,
) -> None:
    loaded = _loaded_after(
        "from safedesk.cli import main\n"
        f"main(['--data-dir', {str(library_template)!r}, 'reports', '--json'])"
    )
    assert "safedesk.store.reader" in loaded  # it really ran
    for heavy in ("PySide6", "reportlab", "sqlmodel", "whoosh"):
        assert heavy not in loaded, heavy


# Each layer may import the layers below it, never those above (the data flow of DESIGN.md):
# corpus -> store -> search -> (briefing, sharing, safekeeping) -> library -> cli, ui.
LAYERS = {
    "safedesk/corpus": {"safedesk.store", "safedesk.search", "safedesk.library"},
    "safedesk/store": {"safedesk.search", "safedesk.library", "safedesk.briefing",
                       "safedesk.sharing", "safedesk.safekeeping", "safedesk.userlib"},
    "safedesk/search": {"safedesk.library", "safedesk.briefing", "safedesk.sharing",
                        "safedesk.safekeeping", "safedesk.userlib"},
    "safedesk/briefing": {"safedesk.library", "safedesk.userlib", "safedesk.cli"},
    "safedesk/sharing": {"safedesk.library", "safedesk.userlib", "safedesk.cli"},
    "safedesk/safekeeping.py": {"safedesk.library", "safedesk.userlib", "safedesk.cli"},
}  # fmt: skip


@pytest.mark.parametrize("place", sorted(LAYERS))
def test_no_import_runs_against_the_data_flow(place: str) -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "src"
    target = root / place
    files = [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = (
                [node.module or ""] if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            )  # fmt: skip
            found += [
                f"{path.relative_to(root)} imports {name}"
                for name in names
                if any(name == up or name.startswith(up + ".") for up in LAYERS[place])
            ]
    assert not found


def _imports_of_every_module() -> dict[str, set[str]]:
    """module -> the project modules it imports anywhere in its text (at the top, inside a
    function, or for type checking only: each is a tie between the two files)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "src"
    modules = {
        ".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__"): p
        for p in root.rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([base] if base else [])])
                # `from package import submodule` ties this file to the submodule
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            else:
                continue
            found |= {t for t in targets if t in modules and t != name}
        graph[name] = found
    return graph


def test_no_two_modules_import_each_other_even_lazily() -> None:
    """No import circle anywhere in src (the package's own lazy re-export in __init__ aside)."""
    graph = _imports_of_every_module()
    graph["safedesk"] = set()  # safedesk/__init__.py hands Library on lazily, by design
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not circles, "\n".join(" -> ".join(c) for c in circles)
