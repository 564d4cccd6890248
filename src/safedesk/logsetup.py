"""Logging: named loggers, a rotating log file in the library folder."""

from __future__ import annotations

import logging
import logging.handlers
import os

from safedesk.paths import data_dir

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure(override: str | os.PathLike[str] | None = None, level: int = logging.INFO) -> None:
    """Send safedesk's log records to <data dir>/logs/safedesk.log (1 MB x 3 files).

    Logging helps but is not required: where the folder cannot be written, records go nowhere
    (never to the screen) and the person is told once a day (`notices.say_once`).
    """
    root = logging.getLogger("safedesk")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    root.setLevel(level)
    if not any(isinstance(h, logging.NullHandler) for h in root.handlers):
        # Without any handler, logging's last resort prints records (tracebacks too) on stderr.
        root.addHandler(logging.NullHandler())
    library = data_dir(override)
    folder = library / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / "safedesk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError as exc:
        if library.is_dir() and os.access(library, os.W_OK):  # (a read-only one is refused)
            from safedesk.notices import say_once

            why = "it is a file, not a folder" if isinstance(exc, FileExistsError) else exc.strerror
            why = (why or str(exc)).lower()
            say_once(library, "log", f"cannot write the log in {folder}: {why}; "
                     "safedesk works, but the details of any error are not kept")  # fmt: skip
        return
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
