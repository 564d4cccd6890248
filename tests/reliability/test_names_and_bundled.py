"""Smaller red-team findings: imported collection names, the bundled report replaced by a user.

- Imported collection names skipped the rules that create and rename apply (whitespace only, NUL,
  204 characters, look-alike Unicode), and the export dialog then suggested
  `../../../../etc/passwd.json` as a file name.
- Importing an edited copy of the bundled report said "Re-imported" and was silently reverted on
  the next start, with a "first run" message.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safedesk import paths
from safedesk.library import Library
from safedesk.ui.export.choices import slug
from tests.reliability.conftest import B, cli


def _collection_file(folder: Path, name: str, uid: str) -> Path:
    path = folder / f"{uid}.json"
    path.write_text(json.dumps({
        "format": "safedesk-collection", "schema": 1,
        "collection": {"uid": uid, "name": name, "description": ""},
        "items": [{"uid": f"{uid}-1", "key": B + "box-9", "title": "Box 9"}],
    }), "utf-8")  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("   \t  ", "Imported collection"),
        ("March\x00session", "March session"),
        ("March\u202esession", "March session"),  # a right-to-left override
        ("Line\nbreak", "Line break"),
        ("x" * 204, "x" * 200),
        ("word " * 50, ("word " * 40).strip()),
    ],
)
def test_imported_names_follow_the_rules_of_names_made_here(
    library: Library, tmp_path: Path, sent: str, kept: str
) -> None:
    result = library.import_collection(_collection_file(tmp_path, sent, "c1"))
    assert result.name == kept
    assert [c.name for c in library.collections()] == [kept]
    library.rename_collection(kept, kept)  # the name as kept passes the rules itself


def test_look_alike_names_are_one_name(library: Library, tmp_path: Path) -> None:
    library.create_collection("March")
    result = library.import_collection(_collection_file(tmp_path, "Ｍａｒｃｈ", "c2"))  # full width
    assert result.name == "Ｍａｒｃｈ (2)" and result.renamed_from == "Ｍａｒｃｈ"
    with pytest.raises(Exception, match="already exists"):
        library.create_collection("MARCH")


def test_a_hostile_name_is_never_suggested_as_a_path() -> None:
    assert slug("../../../../etc/passwd") == "etc-passwd"
    assert "/" not in slug("a/b\\c") and not slug("..").startswith(".")


def test_an_edited_copy_of_the_bundled_report_stays(data_dir: Path, tmp_path: Path) -> None:
    edited = tmp_path / "my-edit.txt"
    text = paths.bundled_report().read_text("utf-8")
    edited.write_text(text.replace("Developing reflective practice", "Growing reflective practice"))
    done = cli(data_dir, "import", str(edited))
    assert done.returncode == 0, done.stderr
    assert "stands in for the bundled report" in done.stdout
    for _ in range(2):  # the next starts keep it, quietly
        shown = cli(data_dir, "show", B + "box-9", "--json")
        assert "Growing reflective practice" in shown.stdout
        assert "first run" not in shown.stderr and "updating" not in shown.stderr
