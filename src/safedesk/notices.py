"""Things a person should hear about once, not on every command: a daily backup that cannot be
made, a log file that cannot be written.

`say_once` passes the message to the logger `safedesk.notice` unless the same message was shown
within `NOTICE_EVERY` seconds (then it only goes to the log file). The CLI prints those records on
stderr as "safedesk: note: ..." after a command that succeeded (a failed one has its own error
line to say); a window can show them. Whoever shows one calls `said(record)`; when it was said is
kept in `notices.json` in the library folder (if that cannot be written, it is said again).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from pathlib import Path

from safedesk.fileio import replace_atomically

NOTICE_EVERY = 24 * 3600
STATE_NAME = "notices.json"
log = logging.getLogger("safedesk")
notice = logging.getLogger("safedesk.notice")


def say_once(data_dir: Path, topic: str, message: str) -> bool:
    """Pass `message` on to `notice` (as a warning whose record carries `data_dir` and `topic`)
    unless it was said in the last day; True if it was passed on. Whoever shows it to the person
    calls `said` then, so that a notice that was never shown is passed on again next time."""
    said = _read(data_dir / STATE_NAME).get(topic)
    if (
        isinstance(said, dict)
        and said.get("message") == message
        and time.time() - float(said.get("at", 0)) < NOTICE_EVERY
    ):
        log.info("%s (said before)", message)
        return False
    notice.warning("%s", message, extra={"data_dir": data_dir, "topic": topic})
    return True


def said(record: logging.LogRecord) -> None:
    """The notice in `record` (from `say_once`) was shown to the person: not again for a day."""
    data_dir, topic = getattr(record, "data_dir", None), getattr(record, "topic", None)
    if not isinstance(data_dir, Path) or not isinstance(topic, str):
        return
    state_path = data_dir / STATE_NAME
    state = _read(state_path)
    state[topic] = {"message": record.getMessage(), "at": time.time()}
    _write(state_path, state)  # (if it fails, it is said again next time: better than never)


def resolved(data_dir: Path, topic: str) -> None:
    """The problem behind `topic` is gone: say it again at once if it comes back."""
    state_path = data_dir / STATE_NAME
    state = _read(state_path)
    if state.pop(topic, None) is None:
        return
    _write(state_path, state)


def _write(path: Path, state: dict[str, object]) -> None:
    with contextlib.suppress(OSError):
        replace_atomically(path, lambda p: p.write_text(json.dumps(state), "utf-8"))


def _read(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
