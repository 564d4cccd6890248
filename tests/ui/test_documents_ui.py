"""Documents in the window (pytest-qt, offscreen): the sidebar's headings, passages in the list and
the reading pane, the original PDF at the right page with the passage marked, File > Import and
drops of PDF and Word files, a bad file's plain message, and passages a new edition dropped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from safedesk.library import Library
from safedesk.ui.app import run
from safedesk.ui.export.choices import offers_for
from safedesk.ui.main_window import MainWindow
from safedesk.ui.reading import ORIGINAL_SCHEME
from safedesk.views import PassageInfo
from tests.conftest import FIXTURES
from tests.helpers import dump_database
from tests.ui.test_browsing import _drop_files

DOCS = FIXTURES / "documents"
GUIDANCE_PDF = DOCS / "neglect-guidance.pdf"
GUIDANCE = "responding-to-neglect-practice-guidance-for-all-agencies"
BRIEFING = "escalating-concerns-a-team-briefing"


def word_briefing(target: Path, escalation: str) -> Path:
    """A short Word document (two headings, three paragraphs); `escalation` is the first one."""
    from docx import Document

    word = Document()
    word.core_properties.title = "Escalating concerns: a team briefing"
    word.core_properties.author = "Harbour City Council"
    word.add_paragraph("Escalating concerns: a team briefing", style="Title")
    word.add_heading("When to escalate", 1)
    word.add_paragraph(escalation)
    word.add_paragraph("Record the disagreement, who was told, and what was agreed next.")
    word.add_heading("Working together", 1)
    word.add_paragraph("Professional challenge is part of good practice, not a breach of trust.")
    word.save(str(target))
    return target


@pytest.fixture(scope="module")
def documents_template(library_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("documents-ui") / "data"
    shutil.copytree(library_template, folder)
    first = word_briefing(
        tmp_path_factory.mktemp("word") / "briefing.docx",
        "Escalate when a plan is not protecting the child and the agency will not act.",
    )
    with Library.open(folder) as lib:
        lib.import_report(GUIDANCE_PDF)
        assert lib.import_report(first).report == BRIEFING
    return folder


@pytest.fixture
def docs_dir(documents_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(documents_template, target)
    return target


def _open(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = run(str(data_dir), exec_=False)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    qtbot.waitUntil(window.is_ready, timeout=30_000)
    return window


def _lib(window: MainWindow) -> Library:
    assert window.library is not None
    return window.library


def _children(item: object) -> list[str]:
    return [item.child(r).text() for r in range(item.rowCount())]  # type: ignore[attr-defined]


def test_a_document_in_the_sidebar_lists_its_headings_and_passages(
    qtbot: QtBot, docs_dir: Path
) -> None:
    window = _open(qtbot, docs_dir)
    node = window.nav.find_node("document", GUIDANCE)
    assert node is not None and node.text().startswith("Responding to neglect")
    assert not window.tree.isExpanded(node.index())  # documents start closed, reports open
    assert node.rowCount() == 0 and window.tree_model.hasChildren(node.index())  # added when...
    window.tree.expand(node.index())  # ...the document is opened
    assert _children(node) == [
        "Part I: guidance for all practitioners",
        "Part II: guidance for managers",
        "Part III: guidance for designated leads",
    ]
    part = node.child(0)
    assert _children(part)[:3] == ["Introduction", "Recognising neglect", "Assessing neglect"]
    assert _children(part.child(1)) == [
        "Signs in babies and young children",
        "Signs in older children and adolescents",
    ]
    assert window.nav.find_node("theme", f"{GUIDANCE}/theme-3.1") is None  # no themes
    window.nav.select_node("doc-section", f"{GUIDANCE}/s-assessing-neglect")
    rows = window.list_model.rows
    assert [r.kind for r in rows] == ["passage"] * 4
    assert rows[0].title.startswith("7. Every agency uses the graded care profile")
    assert rows[0].meta == "Assessing neglect · p. 1" and rows[2].meta == "Assessing neglect · p. 2"
    shown = window.reader.toPlainText()
    assert shown.startswith("Assessing neglect") and "9. A referral to children's" in shown
    window.nav.select_node("document", GUIDANCE)
    assert window.list_model.rowCount() == 53
    assert "27 sections, 53 passages" in window.reader.toPlainText()
    window.pane.select_key(rows[2].key)
    assert window.nav.reading_key == rows[2].key


def test_open_the_original_at_the_page_with_the_passage_marked(
    qtbot: QtBot, docs_dir: Path
) -> None:
    window = _open(qtbot, docs_dir)
    lib = _lib(window)
    passage = lib.passages(section=f"{GUIDANCE}/s-working-with-families")[0]
    assert passage.page == 2 and passage.number == "10"
    window.nav.open(passage.key)
    html = window.reader.toHtml()
    assert "Open the original at page 2" in window.reader.toPlainText()
    href = f"{ORIGINAL_SCHEME}:{passage.key}"
    assert href in html
    window.reader.anchorClicked.emit(QUrl(href))  # what a click on the link does
    view = window.commands.original_view
    assert view is not None and view.isVisible()
    qtbot.waitUntil(lambda: view.marks_on_page() > 0, timeout=20_000)
    assert view.current_page() == 2
    assert view.view.pageNavigator().currentPage() == 1  # QtPdf counts from 0
    wanted = view.search.searchString()
    assert len(wanted.split()) >= 10 and wanted in " ".join(passage.text.split())
    current = view.search.resultAtIndex(view.view.currentSearchResultIndex())
    assert current.page() == 1 and current.rectangles()
    assert "page 2 of 5" in view.caption.text()
    # a passage on another page moves the same view there
    later = lib.passages(section=f"{GUIDANCE}/s-escalation-2")[0]
    window.commands.open_original(later.key)
    assert later.page is not None
    qtbot.waitUntil(lambda: view.marks_on_page() > 0, timeout=20_000)
    assert view.current_page() == later.page and window.commands.original_view is view


def test_a_word_passage_names_its_section_and_has_no_page_link(
    qtbot: QtBot, docs_dir: Path
) -> None:
    window = _open(qtbot, docs_dir)
    passage = _lib(window).passages(report=BRIEFING)[0]
    assert passage.page is None and passage.section == "When to escalate"
    window.nav.open(passage.key)
    text = window.reader.toPlainText()
    assert "Open the original" not in text and ORIGINAL_SCHEME not in window.reader.toHtml()
    assert "Section: When to escalate" in text
    assert "Harbour City Council" in text  # the citation
    window.commands.open_original(passage.key)  # asked for anyway: a message, no view
    assert window.commands.original_view is None
    assert "not in the library" in window.statusBar().currentMessage()


def test_the_export_dialog_offers_a_section_sheet(qtbot: QtBot, docs_dir: Path) -> None:
    window = _open(qtbot, docs_dir)
    window.nav.select_node("doc-section", f"{GUIDANCE}/s-assessing-neglect")
    targets = window.commands.export_targets()
    assert targets is not None
    offer, seven = offers_for(_lib(window), targets[0])  # and a 7-minute briefing of it
    assert (offer.kind, offer.name, offer.title) == ("sheet", "Section sheet", "Assessing neglect")
    assert (seven.kind, seven.target) == ("seven", offer.target)
    assert offer.detail == "4 passages · pp. 1–2" and offer.label == "Section &sheet"


def test_dropping_a_pdf_imports_it_with_page_progress(
    qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    window = _open(qtbot, data_dir)
    dropped = tmp_path / "guidance.pdf"
    dropped.write_bytes(GUIDANCE_PDF.read_bytes())
    _drop_files(window, dropped)
    worker = window.background.worker
    assert worker is not None
    seen: list[str] = []
    worker.progressed.connect(lambda message, _fraction: seen.append(message))
    qtbot.waitUntil(lambda: window.commands.last_import is not None, timeout=60_000)
    assert "Reading page 5 of 5" in seen
    assert window.nav.find_node("document", GUIDANCE) is not None
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Imported 'Responding to neglect: practice guidance for all agencies'")
    )
    assert window.background.progress is not None and window.background.progress.isHidden()


def test_file_import_offers_pdf_and_word(
    qtbot: QtBot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _open(qtbot, data_dir)
    briefing = word_briefing(tmp_path / "briefing.docx", "Escalate when the plan fails.")
    offered: list[str] = []

    def choose(*args: object, **_kwargs: object) -> tuple[str, str]:
        offered.append(str(args[3]))
        return str(briefing), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    window.action_map["import_report"].trigger()
    assert "*.pdf" in offered[0] and "*.docx" in offered[0]
    qtbot.waitUntil(lambda: window.commands.last_import is not None, timeout=60_000)
    assert window.nav.find_node("document", BRIEFING) is not None


def _close_message(seen: list[QMessageBox]) -> None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append(box)
        box.done(0)
    else:
        QTimer.singleShot(100, lambda: _close_message(seen))


@pytest.mark.parametrize(
    ("name", "phrase"),
    [("encrypted.pdf", "is encrypted (password-protected)"), ("corrupt.docx", "damaged")],
)
def test_a_bad_file_dropped_is_a_plain_message_and_changes_nothing(
    qtbot: QtBot, data_dir: Path, name: str, phrase: str
) -> None:
    window = _open(qtbot, data_dir)
    before = dump_database(data_dir / "library.sqlite3")
    seen: list[QMessageBox] = []
    QTimer.singleShot(100, lambda: _close_message(seen))
    _drop_files(window, DOCS / "bad" / name)
    qtbot.waitUntil(lambda: bool(seen), timeout=60_000)
    [box] = seen
    assert box.text().startswith(f"{name} could not be imported:") and phrase in box.text()
    assert box.text().count("\n") == 2  # the failure, a blank line, the one-line reason
    assert box.textFormat().name == "PlainText"
    assert dump_database(data_dir / "library.sqlite3") == before
    assert not (data_dir / "originals").exists() or not list((data_dir / "originals").iterdir())
    assert window.nav.find_node("document", GUIDANCE) is None


def test_a_passage_a_new_edition_dropped_shows_its_saved_copy(
    qtbot: QtBot, docs_dir: Path, tmp_path: Path
) -> None:
    with Library.open(docs_dir) as lib:
        first = lib.passages(report=BRIEFING)[0]
        lib.bookmark(first.key, note="ask the team")
        lib.create_collection("Escalation")
        lib.add_to_collection("Escalation", first.key)
        edition = word_briefing(tmp_path / "briefing-2.docx", "Escalate at once, in writing.")
        summary = lib.import_report(edition)
        assert [m.key for m in summary.missing] == [first.key]
    window = _open(qtbot, docs_dir)
    window.nav.select_node("bookmarks", "")
    [row] = window.list_model.rows
    window.pane.select_key(row.key)
    window.nav.open(row.key)
    text = window.reader.toPlainText()
    assert text.startswith("No longer in the library")
    assert "Escalate when a plan is not protecting the child" in text  # the collection's copy
    assert window.notes.key is None  # nothing to note on: the item is gone
    live = _lib(window).get(_lib(window).passages(report=BRIEFING)[0].key)
    assert isinstance(live, PassageInfo) and live.text == "Escalate at once, in writing."


def test_the_practice_map_leaves_documents_out(qtbot: QtBot, docs_dir: Path) -> None:
    window = _open(qtbot, docs_dir)
    window.action_map["practice_map"].trigger()
    combo = window.practice_map.report
    reports = [combo.itemData(i) for i in range(combo.count())]
    assert reports == ["nfer-2011-safeguarding-children-council-developments"]
    assert not combo.isVisibleTo(window.practice_map)  # one report: nothing to choose
