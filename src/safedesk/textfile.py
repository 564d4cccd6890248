"""Reading a text file someone named on the command line (`example add --text-file FILE`).

Only a regular file is read (a FIFO would wait forever, /dev/zero would fill the memory), it is
opened without blocking and checked on the open descriptor, and at most `MAX_TEXT_FILE_BYTES` are
read. The text must be UTF-8 and at most `MAX_TEXT_CHARS` characters: the longest text a
collection file may carry, so an example made from a file can always be shared.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from safedesk.errors import LibraryError
from safedesk.sizes import over_cap

MAX_TEXT_FILE_BYTES = 1024 * 1024  # documented cap: 1 MiB
MAX_TEXT_CHARS = 200_000  # = sharing.collection_file.MAX_TEXT
_KINDS = {stat.S_IFIFO: "a pipe (FIFO)", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}  # fmt: skip


def read_text_file(path: Path) -> str:
    """The UTF-8 text of the regular file at `path`, or LibraryError saying in one line why not."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise LibraryError(f"cannot read {path}: {exc.strerror or exc}") from None
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "not a regular file")
        raise LibraryError(f"{path} is {kind}; give a text file")
    with open(fd, "rb", closefd=True) as file:
        if info.st_size > MAX_TEXT_FILE_BYTES:
            raise LibraryError(f"{path} is {over_cap(info.st_size, MAX_TEXT_FILE_BYTES)}")
        try:
            data = file.read(MAX_TEXT_FILE_BYTES + 1)
        except OSError as exc:
            raise LibraryError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_TEXT_FILE_BYTES:  # it grew while being read
        raise LibraryError(f"{path} is over {over_cap(len(data), MAX_TEXT_FILE_BYTES)}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LibraryError(
            f"{path} is not UTF-8 text (invalid byte at position {exc.start})"
        ) from None
    if len(text) > MAX_TEXT_CHARS:
        raise LibraryError(
            f"{path} holds {len(text):,} characters; a text is limited to {MAX_TEXT_CHARS:,}"
        )
    return text
