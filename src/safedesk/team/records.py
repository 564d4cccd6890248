"""What arrives from the team server, validated as untrusted input before anything local sees it.

A teammate (or anyone who can write to the server) controls these rows. The server's own checks
cap their sizes, but the client checks again with the same caps as collection files
(sharing/collection_file.py), and more: no terminal control characters in text, no path in a
file name, prompts that are a list of strings. A row that fails is rejected alone (listed in the
pull's `rejected`), never applied. Nothing here is markup or a path: front ends escape the text,
and document files are stored under their content hash, not their `source_name`.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

MAX_SHORT = 500
MAX_TEXT = 200_000
MAX_PROMPTS = 50
MAX_MINUTES = 24 * 60
MAX_FILE_BYTES = 50 * 1024 * 1024  # a shared document's original file: 50 MiB

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _no_control(text: str) -> str:
    if _CONTROL.search(text):
        raise ValueError("holds control characters")
    return text


def _file_name(text: str) -> str:
    if "/" in text or "\\" in text or text in (".", ".."):
        raise ValueError("is a path, not a file name")
    return text


Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_no_control)]
Short = Annotated[str, StringConstraints(max_length=MAX_SHORT), AfterValidator(_no_control)]
Title = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_SHORT), AfterValidator(_no_control)
]
Uid = Annotated[
    str, StringConstraints(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
]
Role = Annotated[str, StringConstraints(min_length=1, max_length=63), AfterValidator(_no_control)]
Kind = Literal["collection", "collection_item", "example", "document"]
KINDS: tuple[Kind, ...] = ("collection", "collection_item", "example", "document")


class _Row(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")


class _Shared(_Row):
    uid: Uid
    shared_by: Role
    shared_at: datetime
    updated_by: Role
    changed_at: datetime
    deleted: bool
    revision: int


class SharedCollection(_Shared):
    name: Annotated[
        str, StringConstraints(min_length=1, max_length=200), AfterValidator(_no_control)
    ]
    description: Text = ""


class SharedItem(_Shared):
    collection_uid: Uid
    position: float = Field(ge=-1e15, le=1e15)
    key: Title
    kind: Short = ""
    report_key: Short = ""
    report_title: Short = ""
    title: Text = ""
    text: Text = ""
    note: Text = ""
    prompts: list[Text] = Field(default_factory=list, max_length=MAX_PROMPTS)
    minutes: int | None = Field(default=None, ge=0, le=MAX_MINUTES)


class SharedExample(_Shared):
    title: Title
    theme_key: Short = ""
    theme_title: Short = ""
    team: Short = ""
    text: Text = ""
    outcomes: Text = ""


class SharedDocument(_Shared):
    title: Title
    document_type: Literal["report", "document"]
    source_name: Annotated[
        str,
        StringConstraints(max_length=255),
        AfterValidator(_no_control),
        AfterValidator(_file_name),
    ]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    size: int = Field(ge=1, le=MAX_FILE_BYTES)


class TeamMemberRow(_Row):
    role: Role
    display_name: Annotated[
        str, StringConstraints(min_length=1, max_length=100), AfterValidator(_no_control)
    ]
    joined_at: datetime
    left_team: bool
    revision: int


class ConflictCopy(_Row):
    """The version of a shared thing that lost (or was refused), kept with whose words they are."""

    id: UUID
    kind: Kind
    uid: Uid
    reason: Literal["stale", "not-permitted", "deleted"]
    fields: dict[str, Any]
    clashed: list[Short] = Field(max_length=20)
    author: Role
    authored_at: datetime
    recorded_by: Role
    recorded_at: datetime
    resolved: bool
    resolved_by: Role | None
    revision: int

    def version(self) -> BaseModel:
        """The fields validated as the kind they belong to (raises ValueError if hostile)."""
        return validate_fields(self.kind, self.fields)


class _CollectionFields(_Row):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")
    name: Annotated[
        str, StringConstraints(min_length=1, max_length=200), AfterValidator(_no_control)
    ] = "?"
    description: Text = ""


class _ItemFields(_Row):
    model_config = ConfigDict(strict=False, frozen=True, extra="forbid")
    collection_uid: Uid | None = None
    position: float = Field(default=0, ge=-1e15, le=1e15)
    key: Short = ""
    kind: Short = ""
    report_key: Short = ""
    report_title: Short = ""
    title: Text = ""
    text: Text = ""
    note: Text = ""
    prompts: list[Text] = Field(default_factory=list, max_length=MAX_PROMPTS)
    minutes: int | None = Field(default=None, ge=0, le=MAX_MINUTES)


class _ExampleFields(_Row):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")
    title: Short = ""
    theme_key: Short = ""
    theme_title: Short = ""
    team: Short = ""
    text: Text = ""
    outcomes: Text = ""


class _DocumentFields(_Row):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid")
    title: Short = ""
    document_type: Literal["report", "document"] = "report"
    source_name: Annotated[str, StringConstraints(max_length=255), AfterValidator(_file_name)] = ""
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    size: int = Field(default=1, ge=1, le=MAX_FILE_BYTES)


_FIELDS: dict[str, type[_Row]] = {
    "collection": _CollectionFields,
    "collection_item": _ItemFields,
    "example": _ExampleFields,
    "document": _DocumentFields,
}

# the columns a member may write, per kind (the server's safedesk.writable_fields says the same)
WRITABLE: dict[Kind, tuple[str, ...]] = {
    "collection": ("name", "description"),
    "collection_item": (
        "collection_uid", "position", "key", "kind", "report_key", "report_title", "title",
        "text", "note", "prompts", "minutes",
    ),
    "example": ("title", "theme_key", "theme_title", "team", "text", "outcomes"),
    "document": ("title", "document_type", "source_name", "sha256", "size"),
}  # fmt: skip


def validate_fields(kind: str, fields: dict[str, Any]) -> BaseModel:
    """Some or all writable fields of a `kind`, validated with the caps (raises ValueError)."""
    model = _FIELDS.get(kind)
    if model is None:
        raise ValueError(f"unknown kind {kind!r}")
    return model.model_validate(fields)
