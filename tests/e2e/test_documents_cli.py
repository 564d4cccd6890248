"""PDF and Word files through `safedesk` as users run it: real processes, the JSON contract for
documents and pages, originals kept by content hash, a new edition keeping what users kept,
citations corrected, briefings citing pages, and bad files refused with the library unchanged."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.e2e.test_cli import run, run_json
from tests.helpers import dump_database

DOCS = FIXTURES / "documents"
GUIDANCE_PDF = DOCS / "neglect-guidance.pdf"
GUIDANCE_DOCX = DOCS / "neglect-guidance.docx"
REPORT_PDF = DOCS / "northfield-2019-early-help.pdf"
GUIDANCE = "responding-to-neglect-practice-guidance-for-all-agencies"
REPORT = "nrcc-2019-early-help-and-family-safeguarding-council-approaches"


@pytest.fixture(scope="module")
def documents_template(library_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled report, the guidance PDF (a document) and the second report as a PDF."""
    folder = tmp_path_factory.mktemp("documents") / "data"
    shutil.copytree(library_template, folder)
    for path in (GUIDANCE_PDF, REPORT_PDF):
        done = run(folder, "import", str(path))
        assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def docs_dir(documents_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(documents_template, target)
    return target


def _page_text(pdf: Path, page: int) -> str:
    """One page's text by an extractor independent of safedesk's (pypdf), words joined."""
    from pypdf import PdfReader

    return " ".join(PdfReader(pdf).pages[page - 1].extract_text().split())


def _words(text: str) -> str:
    return " ".join(text.split())


def _state(data_dir: Path) -> tuple[str, list[str]]:
    """The database's rows and the originals folder, to compare before and after."""
    folder = data_dir / "originals"
    kept = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    return dump_database(data_dir / "library.sqlite3"), kept


# -- importing -----------------------------------------------------------------------------------
def test_import_a_pdf_document_json_and_the_original_kept(data_dir: Path) -> None:
    summary = run_json(data_dir, "import", str(GUIDANCE_PDF))
    assert {k: summary[k] for k in ("report", "kind", "pages", "format", "replaced")} == {
        "report": GUIDANCE, "kind": "document", "pages": 5, "format": "pdf", "replaced": False,
    }  # fmt: skip
    assert summary["title"] == "Responding to neglect: practice guidance for all agencies"
    assert summary["sections"] == 27 and summary["passages"] == 53
    assert summary["practices"] == 0 and summary["missing"] == [] and not summary["unchanged"]
    digest = hashlib.sha256(GUIDANCE_PDF.read_bytes()).hexdigest()
    assert summary["original"] == f"{digest}.pdf"
    assert (data_dir / "originals" / summary["original"]).read_bytes() == GUIDANCE_PDF.read_bytes()
    listed = {r["key"]: r for r in run_json(data_dir, "reports")}
    doc = listed[GUIDANCE]
    assert (doc["kind"], doc["pages"], doc["sections"], doc["passages"]) == ("document", 5, 27, 53)
    assert doc["original"] == summary["original"] and doc["practices"] == 0
    bundled = listed["nfer-2011-safeguarding-children-council-developments"]
    assert (bundled["kind"], bundled["pages"], bundled["original"]) == ("report", None, None)
    text = run(data_dir, "import", str(GUIDANCE_PDF))
    assert text.stdout.startswith("Re-imported 'Responding to neglect")
    assert "the same file as before, so nothing changed" in text.stdout


def test_importing_the_same_bytes_again_changes_nothing(docs_dir: Path, tmp_path: Path) -> None:
    before = _state(docs_dir)
    backups = sorted((docs_dir / "backups").iterdir())
    copy = tmp_path / "renamed copy.pdf"  # the same bytes under another name
    copy.write_bytes(GUIDANCE_PDF.read_bytes())
    again = run_json(docs_dir, "import", str(copy))
    assert again["unchanged"] and again["replaced"] and again["report"] == GUIDANCE
    assert again["original"] == hashlib.sha256(copy.read_bytes()).hexdigest() + ".pdf"
    assert _state(docs_dir) == before
    assert sorted((docs_dir / "backups").iterdir()) == backups  # not even a backup


def test_a_report_from_a_pdf_is_a_report_with_pages(docs_dir: Path) -> None:
    [report] = [r for r in run_json(docs_dir, "reports") if r["key"] == REPORT]
    assert (report["kind"], report["pages"], report["practices"]) == ("report", 24, 13)
    box = run_json(docs_dir, "show", f"{REPORT}/box-9")
    assert box["kind"] == "practice" and box["page"] == 10
    assert _words(box["text"])[:60] in _page_text(REPORT_PDF, 10)
    result = run_json(docs_dir, "search", "family group conference", "--report", REPORT)
    paged = [h for h in result["hits"] if h["page"] is not None]
    assert paged and all(h["report"] == REPORT for h in paged)
    hit = paged[0]
    item = run_json(docs_dir, "show", hit["key"])
    assert item["page"] == hit["page"]


def test_search_hits_from_a_document_are_passages_with_pages(docs_dir: Path) -> None:
    result = run_json(docs_dir, "search", "graded care profile", "--kind", "passage")
    assert result["total"] > 0 and result["facets"]["kind"] == {"passage": result["total"]}
    hit = result["hits"][0]
    assert set(hit) >= {"key", "kind", "page", "report", "title", "snippet"}
    assert (hit["kind"], hit["report"]) == ("passage", GUIDANCE)
    assert hit["title"] == "Assessing neglect"  # the section heading
    assert "[graded]" in hit["snippet"] and hit["page"] == 1
    passage = run_json(docs_dir, "show", hit["key"])
    assert set(passage) >= {"kind", "page", "text", "section", "report"}
    assert (passage["kind"], passage["page"], passage["section"]) == ("passage", 1, hit["title"])
    assert passage["report"] == GUIDANCE and passage["number"] == "7"
    assert _words(passage["text"]) in _page_text(GUIDANCE_PDF, passage["page"])
    everything = run_json(docs_dir, "search", "graded care profile")
    assert everything["facets"]["kind"].get("passage", 0) == result["total"]
    typed = run_json(docs_dir, "search", "kind:passage neglect")
    assert typed["hits"] and {h["kind"] for h in typed["hits"]} == {"passage"}


def test_show_renders_passages_sections_and_documents_as_text(docs_dir: Path) -> None:
    section = run_json(docs_dir, "show", f"{GUIDANCE}/s-assessing-neglect")
    assert section["kind"] == "document-section" and section["page"] == 1
    assert [p["number"] for p in section["passages"]][:3] == ["7", "8", "9"]
    assert [p["page"] for p in section["passages"]][:3] == [1, 1, 2]
    passage = section["passages"][2]
    text = run(docs_dir, "show", passage["key"])
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Assessing neglect | p. 2\n\n9. A referral to children's")
    whole = run(docs_dir, "show", f"{GUIDANCE}/s-assessing-neglect")
    assert whole.returncode == 0 and whole.stdout.startswith("Assessing neglect (p. 1)")
    assert "9. A referral" in whole.stdout and "[p. 2]" in whole.stdout
    document = run(docs_dir, "show", GUIDANCE)
    assert document.returncode == 0 and "27 sections, 53 passages; 5 pages" in document.stdout
    assert "How to cite" in document.stdout
    listing = run(docs_dir, "reports")
    assert "document: 53 passages in 27 sections, 5 pages" in listing.stdout


def test_a_word_document_has_passages_without_pages(data_dir: Path) -> None:
    summary = run_json(data_dir, "import", str(GUIDANCE_DOCX))
    assert (summary["kind"], summary["format"], summary["pages"]) == ("document", "docx", None)
    assert summary["original"].endswith(".docx")
    hit = run_json(data_dir, "search", "graded care profile")["hits"][0]
    assert hit["kind"] == "passage" and hit["page"] is None
    assert run_json(data_dir, "show", hit["key"])["section"] == "Assessing neglect"


# -- a new edition -------------------------------------------------------------------------------
CHANGED = "If a practitioner believes that a child is not being protected"


def _edition(target: Path) -> Path:
    """The guidance as a new edition: the escalation paragraph reworded, the rest as it was."""
    from docx import Document

    word = Document(str(GUIDANCE_DOCX))
    changed = 0
    for paragraph in word.paragraphs:
        if paragraph.text.replace("\u00ad", "").startswith(CHANGED):  # soft hyphens left out
            paragraph.text = (
                "Any practitioner who believes a child is not being protected must escalate the "
                "concern at once, following the partnership's escalation policy."
            )
            changed += 1
    assert changed == 3  # printed once in each part of the guidance
    word.save(str(target))
    return target


@pytest.mark.slow
def test_a_new_edition_keeps_what_still_exists_and_marks_the_rest(
    data_dir: Path, tmp_path: Path
) -> None:
    first = run_json(data_dir, "import", str(GUIDANCE_DOCX))
    kept = run_json(data_dir, "show", f"{GUIDANCE}/s-working-with-families")["passages"][0]
    gone = run_json(data_dir, "show", f"{GUIDANCE}/s-escalation")["passages"][0]
    assert gone["text"].startswith(CHANGED)
    for key in (kept["key"], gone["key"]):
        assert run(data_dir, "bookmark", "add", key, "--note", "for supervision").returncode == 0
    assert run(data_dir, "collection", "create", "Neglect session").returncode == 0
    for key in (gone["key"], kept["key"]):
        assert run(data_dir, "collection", "add", "Neglect session", key).returncode == 0

    summary = run_json(data_dir, "import", str(_edition(tmp_path / "neglect-guidance-2024.docx")))
    assert summary["replaced"] and not summary["unchanged"] and summary["report"] == GUIDANCE
    assert summary["missing"] == [
        {"key": gone["key"], "title": gone["title"], "bookmarked": True,
         "collections": ["Neglect session"]},
    ]  # fmt: skip
    marks = {b["key"]: b for b in run_json(data_dir, "bookmarks")}
    assert not marks[kept["key"]]["missing"] and marks[gone["key"]]["missing"]
    assert marks[gone["key"]]["title"] == gone["title"] and marks[gone["key"]]["note"]
    [session] = run_json(data_dir, "collections")
    linked = {i["key"]: i["linked"] for i in session["items"]}
    assert linked == {gone["key"]: False, kept["key"]: True}
    assert [i["key"] for i in session["items"]] == [gone["key"], kept["key"]]  # order kept
    assert run_json(data_dir, "show", kept["key"])["text"] == kept["text"]
    shown = run(data_dir, "show", gone["key"])
    assert shown.returncode == 1 and "nothing in the library has the key" in shown.stderr
    originals = sorted(p.name for p in (data_dir / "originals").iterdir())
    assert originals == [summary["original"]] and summary["original"] != first["original"]
    back = run_json(data_dir, "import", str(GUIDANCE_DOCX))  # the old edition again:
    assert back["missing"] == []  # a passage's key is its words, so what was kept is found again
    assert not any(b["missing"] for b in run_json(data_dir, "bookmarks"))


# -- citations -----------------------------------------------------------------------------------
def test_report_edit_corrects_the_citation_and_survives_reimport(
    docs_dir: Path, tmp_path: Path
) -> None:
    before = {r["key"]: r for r in run_json(docs_dir, "reports")}[GUIDANCE]
    assert before["year"] == 2020 and before["corrected"] == []
    edited = run_json(
        docs_dir, "report", "edit", GUIDANCE, "--title", "Responding to neglect",
        "--authors", "Jane Smith; Ann Jones", "--year", "2021",
        "--publisher", "Northfield Safeguarding Children Partnership",
    )  # fmt: skip
    assert edited["corrected"] == ["authors", "publisher", "title", "year"]
    assert edited["citation"] == (
        "Jane Smith and Ann Jones (2021). Responding to neglect. "
        "Northfield Safeguarding Children Partnership."
    )
    text = run(docs_dir, "report", "edit", GUIDANCE, "--year", "2021")
    assert text.returncode == 0 and "Cite: Jane Smith and Ann Jones (2021)" in text.stdout
    listed = {r["key"]: r for r in run_json(docs_dir, "reports")}[GUIDANCE]
    assert (listed["title"], listed["year"], listed["citation"]) == (
        "Responding to neglect",
        2021,
        edited["citation"],
    )
    # the same edition again (another copy of the same file): the correction stands
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(GUIDANCE_PDF.read_bytes() + b"\n%% a copy\n")  # other bytes, same text
    assert not run_json(docs_dir, "import", str(copy))["unchanged"]
    again = {r["key"]: r for r in run_json(docs_dir, "reports")}[GUIDANCE]
    assert again["citation"] == edited["citation"]
    # a sheet cites the corrected citation with the page
    out = tmp_path / "sheet.pdf"
    assert run(docs_dir, "brief", f"{GUIDANCE}/s-escalation", "-o", str(out)).returncode == 0
    assert "Jane Smith and Ann Jones (2021). Responding to neglect." in _pdf_text(out)
    reset = run_json(docs_dir, "report", "edit", GUIDANCE, "--reset")
    assert reset["citation"] == before["citation"] and reset["corrected"] == []


def test_report_edit_of_an_unknown_key_and_a_bad_year_are_one_line(docs_dir: Path) -> None:
    for args, phrase in (
        (("nope-nothing", "--year", "2020"), "no report matches"),
        ((GUIDANCE, "--year", "20"), "does not look like a year"),
        ((GUIDANCE, "--title", "  "), "a title cannot be empty"),
    ):
        done = run(docs_dir, "report", "edit", *args)
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
        assert phrase in done.stderr and done.stderr.startswith("safedesk: error: ")


@pytest.mark.slow
def test_a_new_edition_with_another_year_shows_its_own_year(data_dir: Path, tmp_path: Path) -> None:
    """A correction holds while the file still says what it said when it was made."""
    run_json(data_dir, "import", str(GUIDANCE_DOCX))
    run_json(data_dir, "report", "edit", GUIDANCE, "--year", "2019", "--publisher", "NSCP")
    from docx import Document

    word = Document(str(GUIDANCE_DOCX))
    for paragraph in word.paragraphs:
        if paragraph.text.startswith("Published September 2020"):
            paragraph.text = "Published March 2024. Review date: March 2027."
    edition = tmp_path / "guidance-2024.docx"
    word.save(str(edition))
    run_json(data_dir, "import", str(edition))
    listed = {r["key"]: r for r in run_json(data_dir, "reports")}[GUIDANCE]
    assert listed["year"] == 2024 and listed["publisher"] == "NSCP"
    assert listed["corrected"] == ["publisher"]


# -- briefings with pages ------------------------------------------------------------------------
def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_brief_of_a_section_and_a_passage_cites_the_pages(docs_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "section.pdf"
    done = run_json(docs_dir, "brief", f"{GUIDANCE}/s-assessing-neglect", "-o", str(out))
    assert done["kind"] == "Section sheet" and done["pages"] == 1
    text = _pdf_text(out)
    assert "Section of Responding to neglect: practice guidance for all agencies · pp. 1–2" in text
    assert "p. 2 9. A referral to children's social care" in text  # the page turns before 9
    assert "practice guidance for all agencies. pp. 1–2." in text  # How to cite
    section = run_json(docs_dir, "show", f"{GUIDANCE}/s-assessing-neglect")
    for passage in section["passages"]:  # the pages the sheet cites are the original's
        assert _words(passage["text"])[:80] in _page_text(GUIDANCE_PDF, passage["page"])
    out = tmp_path / "passage.pdf"
    key = section["passages"][2]["key"]
    assert run_json(docs_dir, "brief", key, "-o", str(out))["kind"] == "Passage sheet"
    text = _pdf_text(out)
    assert "Passage of Responding to neglect" in text and "· p. 2" in text
    assert "9. A referral to children's social care" in text and "agencies. p. 2." in text


def test_practice_sheets_and_session_packs_from_a_pdf_cite_the_page(
    docs_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "box.pdf"
    assert run(docs_dir, "brief", f"{REPORT}/box-9", "-o", str(out)).returncode == 0
    assert "Box 9 · " in _pdf_text(out) and "· p. 10" in _pdf_text(out)
    assert "Council Approaches" in _pdf_text(out) and "p. 10." in _pdf_text(out)
    section = run_json(docs_dir, "show", f"{GUIDANCE}/s-assessing-neglect")
    assert run(docs_dir, "collection", "create", "Neglect").returncode == 0
    for key in (section["passages"][2]["key"], f"{GUIDANCE}/s-escalation", f"{REPORT}/box-9"):
        assert run(docs_dir, "collection", "add", "Neglect", key).returncode == 0, key
    pack = tmp_path / "pack.pdf"
    assert run(docs_dir, "brief", "--collection", "Neglect", "-o", str(pack)).returncode == 0
    text = _pdf_text(pack)
    assert (
        "Responding to neglect: practice guidance for all agencies · Assessing neglect · p. 2"
        in (text)
    )
    assert "Escalation · p. 2" in text and "Box 9 · " in text and "· p. 10" in text
    assert "13. If a practitioner believes" in text  # a section's passages, numbered


# -- bad files -----------------------------------------------------------------------------------
BAD = DOCS / "bad"


def _refused(data_dir: Path, path: Path, *phrases: str) -> None:
    before = _state(data_dir)
    entries = sorted(p.name for p in data_dir.iterdir())
    done = run(data_dir, "import", str(path))
    assert done.returncode == 1, done.stdout
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("safedesk: error: ")
    for phrase in phrases:
        assert phrase in done.stderr, done.stderr
    assert _state(data_dir) == before
    leftovers = [p for p in data_dir.rglob("*") if p.name.endswith(".partial")]
    leftovers += [p for p in data_dir.glob(".index-build-*")]
    assert leftovers == []
    assert sorted(p.name for p in data_dir.iterdir()) == entries


@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        ("encrypted.pdf", ["encrypted", "password"]),
        ("truncated.pdf", ["damaged", "PDF"]),
        ("corrupt.pdf", ["damaged"]),
        ("scanned.pdf", ["no text layer", "OCR is not supported"]),
        ("empty.pdf", ["is empty"]),
        ("text-named.pdf", ["named .pdf", "not a PDF"]),
        ("corrupt.docx", ["damaged", "Word"]),
        ("old-word.docx", ["old binary Office file"]),
    ],
)
def test_bad_files_are_one_line_and_change_nothing(
    docs_dir: Path, name: str, phrases: list[str]
) -> None:
    _refused(docs_dir, BAD / name, name, *phrases)


@pytest.mark.slow
def test_inflation_bombs_and_a_2000_page_pdf_are_refused(docs_dir: Path, tmp_path: Path) -> None:
    import io
    import zipfile

    from pypdf import PdfWriter

    from tests.corpus.test_bad_files import MiB, _pdf_with_stream

    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(_pdf_with_stream(b"", deflate_zeros=300 * MiB))
    _refused(docs_dir, bomb, "inflates past 64 MiB")
    buffer = io.BytesIO(GUIDANCE_DOCX.read_bytes())
    with (
        zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("word/media/padding.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(bytes(MiB))
    docx_bomb = tmp_path / "bomb.docx"
    docx_bomb.write_bytes(buffer.getvalue())
    _refused(docs_dir, docx_bomb, "inflates past")
    writer = PdfWriter()
    for _ in range(2000):
        writer.add_blank_page(width=595, height=842)
    long = tmp_path / "long.pdf"
    with long.open("wb") as stream:
        writer.write(stream)
    _refused(docs_dir, long, "2,000 pages", "split it")


def test_a_missing_file_and_a_folder_are_one_line(docs_dir: Path, tmp_path: Path) -> None:
    _refused(docs_dir, tmp_path / "gone.pdf", "no such file")
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    _refused(docs_dir, folder, "is a folder, not a file")


def test_a_failed_store_write_keeps_no_original(docs_dir: Path, tmp_path: Path) -> None:
    """The original is written before the store; a store failure takes it away again."""
    edition = _edition(tmp_path / "edition.docx")
    with sqlite3.connect(docs_dir / "library.sqlite3") as conn:
        conn.execute(
            "CREATE TRIGGER injected BEFORE INSERT ON passage "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
        )
    before = _state(docs_dir)
    done = run(docs_dir, "import", str(edition))
    assert done.returncode == 1 and "injected failure" in done.stderr
    assert done.stderr.count("\n") == 1
    assert _state(docs_dir) == before
