"""Fixtures for the search tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from safedesk.library import Library


@pytest.fixture(scope="module")
def reading_library(
    tmp_path_factory: pytest.TempPathFactory, library_template: Path
) -> Iterator[Library]:
    """One library per module for tests that only search and read (they must change nothing)."""
    folder = tmp_path_factory.mktemp("reading") / "data"
    shutil.copytree(library_template, folder)
    with Library.open(folder) as opened:
        yield opened
