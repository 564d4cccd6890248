"""Editable Word copies of every briefing kind, opened with python-docx: real heading styles,
lists and tables, prompts, write-in lines, and the same provenance as the PDF."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from safedesk.library import Library

B = "nfer-2011-safeguarding-children-council-developments/"
NOTE = "FACILITATOR ONLY: start with the Munro finding"
HOSTILE = "<b>bold?</b> & <img src='x'> Ελληνικά \x01"
SOURCE = "Source: Safeguarding Children: Council Developments (2011), NFER"


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory, library_template: Path) -> Any:
    folder = tmp_path_factory.mktemp("word") / "data"
    shutil.copytree(library_template, folder)
    library = Library.open(folder)
    library.create_collection("Oversight", "Supervision & <oversight>")
    library.add_to_collection("Oversight", B + "box-9", note=NOTE, minutes=20,
                              prompts=["What protects this time?", HOSTILE])  # fmt: skip
    library.add_to_collection("Oversight", B + "theme-3.1/laming-review", minutes=15)
    library.plan_collection("Oversight", length=60, start="13:00")
    library.add_step("Oversight", "Welcome", 5, position=1, instructions=NOTE)
    yield library
    library.close()


def _docx(lib: Library, tmp_path: Path, **request: Any) -> Any:
    out = tmp_path / "x.docx"
    result = lib.export_brief(out, format="docx", **request)
    assert (result.format, result.pages) == ("docx", None)
    return Document(str(out))


def _styled(doc: Any, style: str) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == style]


def _provenance(doc: Any, kind: str) -> None:
    footer = "\n".join(p.text for p in doc.sections[0].footer.paragraphs)
    assert SOURCE in footer and "Exported " in footer and "Page " in footer
    assert f"safedesk · {kind}" in doc.sections[0].header.paragraphs[0].text
    assert doc.core_properties.language == "en-GB" and doc.core_properties.category == kind
    assert doc.paragraphs[-1].text.startswith("How to cite: Martin, K., Atkinson, A.")


@pytest.mark.parametrize(
    ("request_", "kind", "title", "headings"),
    [
        ({"key": B + "box-9"}, "Practice sheet", "Developing reflective practice",
         ["The practice", "What the reviews found"]),
        ({"theme": "3.4"}, "Theme brief", "Partnership working", ["Examples of good practice"]),
        ({"authority": "Authority D"}, "Authority profile", "Authority D",
         ["Case study 4", "Key learning for other councils", "Next steps"]),
        ({"key": B + "box-9", "seven_minute": True}, "7-minute briefing",
         "Developing reflective practice", ["1. The background", "7. Where to read more"]),
    ],
)  # fmt: skip
def test_each_kind_has_a_title_headings_and_provenance(
    lib: Library, tmp_path: Path, request_: dict[str, Any], kind: str, title: str,
    headings: list[str],
) -> None:  # fmt: skip
    doc = _docx(lib, tmp_path, **request_)
    [shown] = _styled(doc, "Title")
    assert shown.startswith(title)
    assert set(headings) <= set(_styled(doc, "Heading 1"))
    assert doc.core_properties.title and "Kerry Martin" in doc.core_properties.author
    _provenance(doc, kind)


def test_lists_and_tables_are_real(lib: Library, tmp_path: Path) -> None:
    profile = _docx(lib, tmp_path, authority="Authority D")
    assert len(_styled(profile, "List Bullet")) > 5  # key learning, enablers, barriers...
    grades = lib.get(B + "authority-d").grades  # type: ignore[union-attr]
    table = profile.tables[0]
    assert [[c.text for c in r.cells] for r in table.rows] == [list(g) for g in grades.items()]


def test_the_pack_has_the_running_order_table_and_the_notes(lib: Library, tmp_path: Path) -> None:
    doc = _docx(lib, tmp_path, collection="Oversight")
    order = doc.tables[0]
    header = [c.text for c in order.rows[0].cells]
    assert header == ["Time", "#", "What", "Minutes"]
    assert [c.text for c in order.rows[1].cells] == ["13:00", "1", "Welcome", "5"]
    assert "Laming review · 3.1 Leadership and management" in order.rows[3].cells[2].text
    assert b"tblHeader" in order._tbl.xml.encode()  # read as column names, repeated on new pages
    assert any(NOTE in p.text for p in doc.paragraphs)
    assert _styled(doc, "Prompt") == ["What protects this time?", HOSTILE.replace("\x01", "")]
    _provenance(doc, "Session pack")


def test_the_handout_has_room_to_write_and_nothing_for_the_facilitator(
    lib: Library, tmp_path: Path
) -> None:
    doc = _docx(lib, tmp_path, collection="Oversight", handout=True)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "FACILITATOR ONLY" not in text and "13:00" not in text and " min" not in text
    assert _styled(doc, "List Number")[:2] == [
        "Welcome", "Box 9: Developing reflective practice to maintain and enhance the skills and "
        "expertise of practitioners",
    ]  # fmt: skip
    styles = [p.style.name for p in doc.paragraphs]
    for at, style in enumerate(styles):
        if style == "Prompt":  # three lines to write on under every prompt
            assert styles[at + 1 : at + 4] == ["Write-in line"] * 3
    assert styles.count("Prompt") == 2
    _provenance(doc, "Participant handout")


@pytest.mark.slow
def test_word_and_libreoffice_open_it(lib: Library, tmp_path: Path) -> None:
    """LibreOffice (a real office suite) opens the handout and lays it out as text."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    out = tmp_path / "handout.docx"
    lib.export_brief(out, collection="Oversight", handout=True, format="docx")
    done = subprocess.run(
        [office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "txt:Text", "--outdir", str(tmp_path), str(out)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "handout.txt").read_text("utf-8-sig")
    assert "What protects this time?" in text and "How to cite:" in text
