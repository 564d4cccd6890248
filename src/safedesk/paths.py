"""Where things live: the user's data directory and the files shipped with the app."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

APP_NAME = "safedesk"
DATA_DIR_ENV = "SAFEDESK_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: `override`, else $SAFEDESK_DATA_DIR, else the user data dir."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@functools.cache
def _shipped(name: str) -> Path:
    """A top-level folder shipped with the app: in the package (wheel, bundle) or the checkout
    (found once per process: every search asks for the thesaurus)."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = [Path(frozen) / "safedesk" / name] if frozen else []
    here = Path(__file__).resolve().parent
    candidates += [here / name, here.parents[1] / name]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"safedesk is installed incompletely: its {name}/ folder is missing")


def resources_dir() -> Path:
    return _shipped("resources")


def migrations_dir() -> Path:
    return _shipped("db")


def bundled_report() -> Path:
    return resources_dir() / "corpus" / "safeguarding-council-developments-2011.txt"
