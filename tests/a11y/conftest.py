"""The app on a private desktop, read through AT-SPI (see session.py). One app per test module:
starting the X server, the buses and the app takes a few seconds, each query milliseconds. The
tests of a module share the app and run in order; each leaves it as it found it.

Without the Debian packages the tests skip, except on CI (CI=true), where they fail: a CI
machine that lost a package must not pass silently."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.a11y.session import DEBIAN_PACKAGES, Desktop, missing


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


@pytest.fixture(scope="module")
def _desktop_packages() -> None:
    """Skip (fail on CI) before anything is built when the Debian packages are missing."""
    lacks = missing()
    if lacks:
        why = (
            f"no AT-SPI desktop here: missing {' '.join(lacks)} (apt-get install {DEBIAN_PACKAGES})"
        )
        if _on_ci():
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def desktop(
    _desktop_packages: None, library_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Desktop]:
    folder = tmp_path_factory.mktemp("a11y") / "data"
    shutil.copytree(library_template, folder)
    from safedesk.library import Library

    library = Library.open(folder)  # what the walks need: a collection to describe
    library.create_collection("Team session")
    library.add_to_collection("Team session", B + "box-1")
    library.close()
    with Desktop([sys.executable, "-m", "safedesk", "--data-dir", str(folder)]) as session:
        try:
            session.wait_window()
            session.activate()
            session.wait_for(  # the library is open and the first theme is shown
                "find", lambda found: bool(found) and found[0]["text_length"] > 0,
                timeout=60, role="document frame", name="Reading pane",
            )  # fmt: skip
            session.ask("listen", events=list(EVENTS))
        except BaseException:
            print(session.app_log()[-4000:], file=sys.stderr)
            raise
        yield session
        died = session.app is not None and session.app.poll() is not None
        log = session.app_log()
    assert not died, f"the app stopped during the tests:\n{log[-3000:]}"


B = "nfer-2011-safeguarding-children-council-developments/"
# what the tests listen to: focus moves, objects shown (notifications, menus), the caret
EVENTS = ("object:state-changed:focused", "object:state-changed:showing", "object:text-caret-moved")
