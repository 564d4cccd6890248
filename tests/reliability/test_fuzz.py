"""Case 8: the report parser and the collection-file importer, driven by generated and mutated
input for a bounded time. Nothing escapes but LibraryError (or a subclass) with a message, and a
refused collection file changes nothing."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safedesk.corpus.parser import parse_report
from safedesk.errors import LibraryError
from safedesk.library import Library
from safedesk.store import migrations
from safedesk.store.importer import write_report
from tests.conftest import SECOND
from tests.reliability.conftest import B, user_rows

FUZZ = settings(
    max_examples=60, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
LINES = SECOND.read_text("utf-8").split("\n")
LAYOUT_LINES = [
    "Box 1 A title (Authority A)", "Box 1: Same number again (Authority A)",
    "Box 99 Unknown authority (Nobody)", "3 Examples of practice", "3.1 A theme", "3.1 Again",
    "Case study 1: Authority A", "Case study 1: Authority A", "References", "Appendix A",
    "Contents", "Executive summary", "Laming review", "Table 1 Authorities", "| a | b |",
    "- a bullet", "", "\t", "\x0c", "ISBN 978 1 906792 97 8", "1 Introduction", "2 Second",
    "Key learning", "Enablers", "Barriers", "Next steps", "(SMT)", "senior management team (SMT)",
]  # fmt: skip


def _ok_or_documented(action: Any) -> Any:
    try:
        return action()
    except LibraryError as exc:
        assert str(exc).strip(), f"{type(exc).__name__} without a message"
        return None


edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "insert", "replace", "swap", "truncate"]),
        st.integers(0, len(LINES) - 1),
        st.integers(1, 40),
        st.one_of(st.sampled_from(LAYOUT_LINES), st.text(max_size=80)),
    ),
    min_size=1,
    max_size=8,
)


def _mutate(changes: list[tuple[str, int, int, str]]) -> str:
    lines = list(LINES)
    for op, at, span, text in changes:
        at = min(at, len(lines))
        if op == "delete":
            del lines[at : at + span]
        elif op == "duplicate":
            lines[at:at] = lines[at : at + span]
        elif op == "insert":
            lines.insert(at, text)
        elif op == "replace" and at < len(lines):
            lines[at] = text
        elif op == "swap" and at + span < len(lines):
            lines[at], lines[at + span] = lines[at + span], lines[at]
        elif op == "truncate":
            lines = lines[: max(at, 1)]
    return "\n".join(lines)


@FUZZ
@given(edits)
def test_mutated_reports_parse_or_are_refused(changes: list[tuple[str, int, int, str]]) -> None:
    _ok_or_documented(lambda: parse_report(_mutate(changes).encode("utf-8"), "mutated.txt"))


@FUZZ
@given(st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(str.encode)))
def test_arbitrary_bytes_parse_or_are_refused(data: bytes) -> None:
    _ok_or_documented(lambda: parse_report(data, "random.txt"))


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    migrations.migrate(folder / "library.sqlite3", folder / "backups")
    return folder / "library.sqlite3"


@settings(FUZZ, max_examples=20)
@given(edits)
def test_mutated_reports_that_parse_store_whole(
    empty_store: Path, tmp_path_factory: pytest.TempPathFactory, changes: Any
) -> None:
    report = _ok_or_documented(lambda: parse_report(_mutate(changes).encode(), "m.txt"))
    if report is None:
        return
    db = tmp_path_factory.mktemp("fuzz") / "library.sqlite3"
    shutil.copy(empty_store, db)
    _ok_or_documented(lambda: write_report(db, report, SECOND, "0" * 64))


# -- collection files --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzz_library(library_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
    tuple[Library, dict[str, Any]]
]:  # fmt: skip
    folder = tmp_path_factory.mktemp("fuzzlib") / "data"
    shutil.copytree(library_template, folder)
    with Library.open(folder) as lib:
        lib.create_collection("Shared", "a <b>description</b>")
        lib.add_to_collection("Shared", B + "box-9", note="n", prompts=["Why?"], minutes=10)
        example = lib.add_example("Huddles", theme="3.4", team="West", text="t", outcomes="o")
        lib.add_to_collection("Shared", example.key)
        path = lib.export_collection("Shared", folder.parent / "shared.json")
        valid = json.loads(path.read_text("utf-8"))
        lib.delete_collection("Shared")
        lib.empty_trash()
        yield lib, valid


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40)
    | st.sampled_from(["\ud800", "x" * 600, "../../etc/passwd", "", "-1", "safedesk-collection"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=4),
    max_leaves=10,
)  # fmt: skip


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _paths(v, (*prefix, i))
    return found


def _set(doc: Any, path: tuple[Any, ...], value: Any, delete: bool) -> Any:
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


@FUZZ
@given(st.data())
def test_mutated_collection_files_import_or_are_refused_changing_nothing(
    fuzz_library: tuple[Library, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
) -> None:  # fmt: skip
    lib, valid = fuzz_library
    doc = json.loads(json.dumps(valid))
    for _ in range(data.draw(st.integers(1, 4))):
        paths = _paths(doc)
        path = data.draw(st.sampled_from(paths))
        doc = _set(
            doc, path, data.draw(JSON_VALUES), delete=bool(path) and data.draw(st.booleans())
        )
    raw = json.dumps(doc, ensure_ascii=data.draw(st.booleans())).encode("utf-8", "surrogatepass")
    if data.draw(st.booleans()):  # and damage at the byte level too
        at = data.draw(st.integers(0, max(0, len(raw) - 1)))
        raw = raw[:at] + data.draw(st.binary(max_size=8)) + raw[at + data.draw(st.integers(0, 8)) :]
    path = tmp_path_factory.mktemp("coll") / "file.json"
    path.write_bytes(raw)
    before = user_rows(lib.db_path)
    result = _ok_or_documented(lambda: lib.import_collection(path))
    if result is None:
        assert user_rows(lib.db_path) == before
    else:
        lib.delete_collection(result.name)  # keep the next example's names free
        lib.empty_trash()
