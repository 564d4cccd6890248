"""Case 7: text from a report or a colleague's collection file cannot drive the terminal. Every
command's human-readable output (and every error on stderr) shows control characters as visible
escapes; --json output keeps the exact text. Report text, notes, prompts, titles, tags, example
fields and names all carry the same hostile sequences."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safedesk import cli, terminal
from tests.conftest import SECOND
from tests.reliability.conftest import cli as cli_process
from tests.reliability.worst_case import collection_file

CLEAR = "\x1b[2J\x1b[H"  # clears the screen
RETITLE = "\x1b]0;owned\x07"  # OSC 0: the window's title
LINK = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"  # OSC 8: a hidden link
CSI8 = "\x9b31m"  # C1 CSI: red text on terminals that read 8-bit controls
OVERPRINT = "safe\rEVIL"  # a carriage return prints over what came before
REVERSED = "\u202egnp.exe"  # a bidi override shows "exe.png"
HOSTILE = f"{CLEAR}{RETITLE}{LINK}{CSI8}{OVERPRINT}{REVERSED}\x7f"
# anything a terminal would act on: C0 but newline and tab, DEL, C1, bidi controls
ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
R = "nrcc-2019-early-help-and-family-safeguarding-council-approaches/"


def _hostile_report(tmp_path: Path) -> Path:
    text = SECOND.read_text("utf-8")
    box = "Box 1 Bringing services for families together in family hubs (Northfield)\n"
    assert box in text
    text = text.replace(box, box.replace("family hubs", f"family hubs{RETITLE}") + f"\n{HOSTILE}\n")
    path = tmp_path / "hostile-report.txt"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="module")
def hostile_library(library_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library whose report text, collection, bookmark, example and trash all carry HOSTILE
    (shared by this module's tests, which only read it)."""
    import shutil

    from safedesk.library import Library

    tmp_path = tmp_path_factory.mktemp("hostile")
    data_dir = tmp_path / "data"
    shutil.copytree(library_template, data_dir)
    with Library.open(data_dir) as lib:
        lib.import_report(_hostile_report(tmp_path))
        file = collection_file(
            tmp_path / "c.json", items=2, text=f"Text {HOSTILE}", note=f"Note {HOSTILE}",
            title=f"Title {HOSTILE}", prompts=[f"Prompt {HOSTILE}"],
            description=f"About {HOSTILE}",
        )  # fmt: skip
        lib.import_collection(file)
        lib.bookmark(R + "box-1", note=f"Mine {HOSTILE}", tags=[f"tag{CSI8}"])
        lib.add_example(f"Huddles {HOSTILE}", team=f"West {RETITLE}", text=f"We {HOSTILE}")
        lib.add_to_collection("Worst case", R + "box-2", note="gone soon")
        lib.remove_from_collection("Worst case", R + "box-2")  # the trash holds its label
        lib.add_step("Worst case", f"Welcome {RETITLE}", 5, instructions=f"Say {HOSTILE}")
        lib.record_session(
            "Worst case", team=f"Team {CSI8}", note=f"Learnt {HOSTILE}",
            actions=[(f"Do {HOSTILE}", f"Asha {RETITLE}", None)],
        )  # fmt: skip
    return data_dir


COMMANDS = [
    ["reports"], ["themes"], ["authorities"], ["practices"], ["case-studies"],
    ["show", R + "box-1"], ["search", "family hubs"], ["related", R + "box-1"],
    ["bookmarks"], ["collections"], ["collection", "show", "Worst case"], ["examples"],
    ["trash"], ["bookmark", "add", R + "box-1"],  # (adds it again: the library is the same)
    ["concepts"], ["concept", "family support"],  # best items carry report titles
    ["sessions"], ["actions"],
    ["report", "edit", R.rstrip("/"), "--publisher", f"Press {HOSTILE}"],  # (the same each time)
]  # fmt: skip
# commands whose output holds no report or user text (or that are exercised another way)
QUIET = {"import", "brief", "gui", "bookmark", "collection", "example", "restore", "backup",
         "restore-backup", "doctor", "team", "session", "report"}  # fmt: skip
# (`team` and `report share` need a server: tests/team; their output goes through the same stream)


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """cli.main in this process sets up logging to the library's log file: undo it after."""
    loggers = [logging.getLogger(name) for name in ("safedesk", "safedesk.notice")]
    saved = [(lg, lg.handlers[:], lg.level) for lg in loggers]
    yield
    for lg, handlers, level in saved:
        for handler in lg.handlers:
            if handler not in handlers:
                handler.close()
        lg.handlers[:] = handlers
        lg.setLevel(level)


def _run(data_dir: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    status = cli.main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    assert status in (0, 1), (args, status, err)
    return out, err


def test_every_listing_command_shows_control_characters_as_escapes(
    hostile_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seen = 0
    for args in COMMANDS:
        out, err = _run(hostile_library, args, capsys)
        assert not ACTIVE.search(out + err), (args, ACTIVE.findall(out + err))
        seen += out.count("\\x1b[2J")
    assert seen >= 8  # the sequences are shown, not dropped silently


def test_no_command_is_left_out() -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    names = set(sub.choices)  # type: ignore[arg-type]
    assert names == {a[0] for a in COMMANDS} | QUIET, "a new command: add it to COMMANDS"


@pytest.mark.parametrize(
    "args",
    [
        ["collection", "show", f"March {RETITLE}"],  # the name is quoted in the error
        ["show", f"nfer/{CLEAR}"],
        ["bookmark", "remove", f"x{LINK}"],
        ["example", "add", "--title", "T", "--theme", f"no such {CLEAR}"],
    ],
)
def test_errors_quoting_a_name_show_it_escaped(
    hostile_library: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    out, err = _run(hostile_library, args, capsys)
    assert err.startswith("safedesk: error: ") and err.count("\n") == 1, err
    assert not ACTIVE.search(out + err) and "\\x1b" in err


def test_json_keeps_the_exact_text(
    hostile_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for args in (["collections"], ["bookmarks"], ["examples"]):
        out, _err = _run(hostile_library, [*args, "--json"], capsys)
        assert not ACTIVE.search(out)
        assert any(HOSTILE in text for text in _strings(json.loads(out))), args
    box = json.loads(_run(hostile_library, ["show", R + "box-1", "--json"], capsys)[0])
    assert box["title"].endswith(f"family hubs{RETITLE}")
    [c] = json.loads(_run(hostile_library, ["collections", "--json"], capsys)[0])
    assert c["description"] == f"About {HOSTILE}" and c["items"][0]["prompts"] == [
        f"Prompt {HOSTILE}"
    ]


def test_a_real_process_prints_escapes_on_a_real_pipe(hostile_library: Path) -> None:
    done = cli_process(hostile_library, "collection", "show", "Worst case")
    assert done.returncode == 0 and not ACTIVE.search(done.stdout + done.stderr)
    assert "Note \\x1b[2J\\x1b[H\\x1b]0;owned\\x07" in done.stdout
    missing = cli_process(hostile_library, "collection", "show", f"A{CLEAR}")
    assert missing.returncode == 1 and "A\\x1b[2J" in missing.stderr


def _strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else []
    return [text for value in values for text in _strings(value)]


@given(st.text())
def test_visible_text_holds_no_control_character(text: str) -> None:
    shown = terminal.visible(text)
    assert not ACTIVE.search(shown)
    assert shown.count("\n") == text.count("\n") and shown.count("\t") == text.count("\t")


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_json_output_is_exact_and_holds_no_control_character(data: Any) -> None:
    written = terminal.dumps(data)
    assert json.loads(written) == data
    assert not ACTIVE.search(written)
