"""Shared fixtures. Every test runs on its own temporary data dir; Qt runs offscreen."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings (window layout) must never read or write the real user's configuration.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="safedesk-test-config-")
# The single-instance socket's private folder: never the real user's (mkdtemp makes it 0700).
os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="safedesk-test-run-")
# The suite starts the CLI in a few hundred processes. Where the machine forbids writing bytecode
# beside the sources, each of them compiled every module again (about 0.2 s a process); they share
# one private cache for the run instead (set before pytest-xdist starts its workers, which inherit
# it), and the source tree stays as it was.
if os.environ.pop("PYTHONDONTWRITEBYTECODE", None) and "PYTHONPYCACHEPREFIX" not in os.environ:
    os.environ["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="safedesk-test-pycache-")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "resources" / "corpus" / "safeguarding-council-developments-2011.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SECOND = FIXTURES / "reports" / "northfield-2019-early-help.txt"


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test ever touches the real user data folder."""
    monkeypatch.setenv("SAFEDESK_DATA_DIR", str(tmp_path_factory.mktemp("default-data")))


@pytest.fixture(scope="session")
def library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library folder with the bundled report imported and indexed, built once per session."""
    from safedesk.library import Library

    folder = tmp_path_factory.mktemp("template") / "data"
    Library.open(folder).close()
    return folder


@pytest.fixture
def data_dir(library_template: Path, tmp_path: Path) -> Path:
    """A private copy of the template library that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(library_template, target)
    return target


@pytest.fixture
def library(data_dir: Path) -> Iterator[object]:
    from safedesk.library import Library

    lib = Library.open(data_dir)
    yield lib
    lib.close()
