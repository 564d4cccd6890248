"""Logging: named loggers, a rotating log file in the library folder."""

from __future__ import annotations

import logging
import logging.handlers
import os

from safedesk.paths import data_dir

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def configure(override: str | os.PathLike[str] | None = None, level: int = logging.INFO) -> None:
    """Send safedesk's log records to <data dir>/logs/safedesk.log (1 MB x 3 files).

    Logging helps but is not required: where the folder cannot be written (read-only), records
    simply go nowhere.
    """
    root = logging.getLogger("safedesk")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    folder = data_dir(override) / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / "safedesk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
