"""Naming a database file to SQLite and SQLAlchemy so that any folder name works.

A library folder may be called `a#b?c%20d`: in a `sqlite:///` URL or a `file:` URI those
characters are syntax (a fragment, a query, an escape), so a path pasted into either names another
file. These build both from the path itself, percent-encoded where needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def file_uri(path: Path, **params: str) -> str:
    """A `file:` URI for `sqlite3.connect(..., uri=True)` (and ATTACH): the absolute path,
    percent-encoded, then `params` such as mode="ro", immutable="1"."""
    uri = Path(path).absolute().as_uri()  # quotes '#', '?', '%' and spaces
    return f"{uri}?{urlencode(params)}" if params else uri


def engine(path: Path) -> Engine:
    """A SQLAlchemy engine on the SQLite file `path`, the path never parsed as a URL."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import URL

    return create_engine(URL.create("sqlite", database=str(Path(path).absolute())))
