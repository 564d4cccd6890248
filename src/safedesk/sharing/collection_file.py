"""The collection file: one self-contained JSON document a colleague can import.

    {
      "format": "safedesk-collection",  "schema": 1,
      "exported_at": "2026-11-23T10:00:00+00:00",  "exported_by": "safedesk 0.1.0",
      "collection": {"uid": "...", "name": "...", "description": "...", "changed_at": "..."},
      "reports": [{"key": "...", "title": "...", "year": 2011, "isbn": "...", "citation": "..."}],
      "items": [{"uid": "...", "key": "...", "kind": "practice", "report": "<report key or ''>",
                 "title": "...", "text": "...", "note": "...", "prompts": ["..."], "minutes": 20,
                 "changed_at": "2026-11-23T09:30:00+00:00"}],
      "examples": [{"uid": "...", "title": "...", "theme": "...", "team": "...", "text": "...",
                    "outcomes": "..."}],
      "plan": {"length": 90, "start": "09:30"},
      "steps": [{"uid": "...", "title": "Welcome", "minutes": 10, "instructions": "...",
                 "position": 0}],
      "records": [{"uid": "...", "date": "2026-12-10", "team": "...", "attendees": 8,
                   "note": "...", "covered": ["..."],
                   "actions": [{"uid": "...", "what": "...", "who": "...", "due": "2027-01-15",
                                "done_at": null}]}]
    }

`plan`, `steps` (agenda steps that are not library items; `position` is the step's place in the
running order, items and steps counted together from 0) and `records` (sessions delivered, only
when asked for: they hold a team's discussion notes) were added within schema 1: older readers
ignore them, and files without them read as before.

Items carry a snapshot of their title and text, so the collection reads the same in a library that
lacks the report. Importing links an item to the live text when the same key exists there. A newer
file of a collection imported before updates that copy (its notes, prompts, timings and order; see
store/collection_merge.py); `changed_at` (when the sender last changed each part) decides which
change is later when both sides changed the same thing. The file is untrusted input: capped in
size, depth and counts, and validated whole before anything is written.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from safedesk import __version__
from safedesk.errors import LibraryError
from safedesk.fileio import write_atomically
from safedesk.interfaces import Source
from safedesk.sizes import over_cap

FORMAT = "safedesk-collection"
SCHEMA = 1
MAX_FILE_BYTES = 20 * 1024 * 1024  # documented cap: 20 MiB
MAX_DEPTH = 12
MAX_ITEMS = 500
MAX_PROMPTS = 50
MAX_TEXT = 200_000

Short = Annotated[str, StringConstraints(max_length=500)]
Long = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Uid = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class CollectionFileError(LibraryError):
    """The file is not a collection file safedesk can import; the message says why."""


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")


class CollectionPart(_Strict):
    uid: Uid
    name: Annotated[str, StringConstraints(min_length=1, max_length=500)]  # made fit on import
    description: Long = ""
    changed_at: Short = ""


class ReportPart(_Strict):
    key: Short
    title: Short = ""
    year: int | None = None
    isbn: Short | None = None
    citation: Long = ""


class ItemPart(_Strict):
    uid: Uid
    key: Short
    kind: Short = ""
    report: Short = ""
    title: Long = ""
    text: Long = ""
    note: Long = ""
    prompts: list[Long] = Field(default_factory=list, max_length=MAX_PROMPTS)
    minutes: int | None = Field(default=None, ge=0, le=24 * 60)
    changed_at: Short = ""


class ExamplePart(_Strict):
    uid: Uid
    title: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    theme: Short = ""
    team: Short = ""
    text: Long = ""
    outcomes: Long = ""


class PlanPart(_Strict):
    length: int | None = Field(default=None, ge=1, le=24 * 60)
    start: Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")] | None = (
        None
    )


class StepPart(_Strict):
    uid: Uid
    title: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    minutes: int = Field(ge=0, le=24 * 60)
    instructions: Long = ""
    position: int = Field(default=0, ge=0, le=2 * MAX_ITEMS)


Day = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]


class ActionPart(_Strict):
    uid: Uid
    what: Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
    who: Short = ""
    due: Day | None = None
    done_at: Short | None = None


class RecordPart(_Strict):
    uid: Uid
    date: Day
    team: Short = ""
    attendees: int | None = Field(default=None, ge=0, le=10_000)
    note: Long = ""
    covered: list[Long] = Field(default_factory=list, max_length=2 * MAX_ITEMS)
    actions: list[ActionPart] = Field(default_factory=list, max_length=MAX_ITEMS)


class CollectionFile(_Strict):
    format: str
    schema_version: int = Field(alias="schema")
    exported_at: Short = ""
    exported_by: Short = ""
    collection: CollectionPart
    reports: list[ReportPart] = Field(default_factory=list, max_length=MAX_ITEMS)
    items: list[ItemPart] = Field(default_factory=list, max_length=MAX_ITEMS)
    examples: list[ExamplePart] = Field(default_factory=list, max_length=MAX_ITEMS)
    plan: PlanPart | None = None
    steps: list[StepPart] = Field(default_factory=list, max_length=MAX_ITEMS)
    records: list[RecordPart] = Field(default_factory=list, max_length=MAX_ITEMS)


# -- export --------------------------------------------------------------------------------------
def export_collection(lib: Source, name: str, target: Path, with_records: bool = False) -> Path:
    """Write the collection to `target` (atomically: a temporary file, then a rename); with
    `with_records`, the records of its sessions too."""
    info = lib.collection(name)
    reports: dict[str, dict[str, Any]] = {}
    items: list[dict[str, Any]] = []
    examples: list[dict[str, Any]] = []
    for item in info.items:
        snapshot = lib.item_snapshot(info.name, item.key)
        title, text = snapshot.title, snapshot.text
        if item.report and item.report not in reports and item.kind != "example":
            detail = lib.report_detail(item.report)
            if detail is not None:
                reports[item.report] = {
                    "key": detail.key, "title": detail.title, "year": detail.year,
                    "isbn": detail.isbn, "citation": detail.citation,
                }  # fmt: skip
            else:
                reports[item.report] = {"key": item.report, "title": item.report_title}
        if item.kind == "example" and item.linked:
            example = lib.example(item.key)
            examples.append({
                "uid": example.id, "title": example.title, "theme": example.theme,
                "team": example.team, "text": example.text, "outcomes": example.outcomes,
            })  # fmt: skip
        items.append({
            "uid": item.uid, "key": item.key, "kind": item.kind,
            "report": "" if item.kind == "example" else item.report, "title": title,
            "text": text, "note": item.note, "prompts": item.prompts, "minutes": item.minutes,
            "changed_at": item.updated_at,
        })  # fmt: skip
    document = {
        "format": FORMAT,
        "schema": SCHEMA,
        "exported_at": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "exported_by": f"safedesk {__version__}",
        "collection": {
            "uid": info.uid,
            "name": info.name,
            "description": info.description,
            "changed_at": info.updated_at,
        },
        "reports": list(reports.values()),
        "items": items,
        "examples": examples,
        "plan": {"length": info.length, "start": info.start},
        "steps": [
            {"uid": e.id, "title": e.title, "minutes": e.minutes or 0,
             "instructions": e.instructions, "position": e.position - 1}
            for e in info.steps if e.kind == "step"
        ],
    }  # fmt: skip
    if with_records:
        document["records"] = [
            {"uid": r.id, "date": r.date, "team": r.team, "attendees": r.attendees,
             "note": r.note, "covered": r.covered,
             "actions": [{"uid": a.id, "what": a.what, "who": a.who, "due": a.due,
                          "done_at": a.done_at} for a in r.actions]}
            for r in lib.sessions(info.name)
        ]  # fmt: skip
    return _write_atomically(target, json.dumps(document, ensure_ascii=False, indent=2) + "\n")


def _write_atomically(target: Path, text: str) -> Path:
    return write_atomically(target, lambda tmp: tmp.write_text(text, "utf-8"), "the collection")


# -- import --------------------------------------------------------------------------------------
def read_collection_file(path: Path) -> CollectionFile:
    """Read and validate a collection file, or raise CollectionFileError naming the problem."""
    if not path.exists():
        raise CollectionFileError(f"no such file: {path}")
    if not path.is_file():
        raise CollectionFileError(f"{path} is not a file")
    size = path.stat().st_size
    if size == 0:
        raise CollectionFileError(f"{path.name} is empty")
    if size > MAX_FILE_BYTES:
        raise CollectionFileError(
            f"{path.name} is {over_cap(size, MAX_FILE_BYTES)} (collection files are capped)"
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CollectionFileError(
            f"{path.name} is not a safedesk collection file (not UTF-8 text)"
        ) from None
    if _depth(text) > MAX_DEPTH:
        raise CollectionFileError(f"{path.name} is nested too deeply to be a collection file")
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError):
        raise CollectionFileError(
            f"{path.name} is not a safedesk collection file (not JSON)"
        ) from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise CollectionFileError(f"{path.name} is not a safedesk collection file")
    schema = raw.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA:
        raise CollectionFileError(
            f"{path.name} was written by a newer safedesk (collection schema {schema}); "
            "update safedesk to import it"
        )
    try:
        parsed = CollectionFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CollectionFileError(f"{path.name} is damaged: {where}: {first['msg']}") from None
    if parsed.schema_version != SCHEMA:
        raise CollectionFileError(
            f"{path.name} has an unknown collection schema {parsed.schema_version}"
        )
    return parsed


def _depth(text: str) -> int:
    """How deeply brackets nest, ignoring those inside strings (cheap, before json parses it)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest
