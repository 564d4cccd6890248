"""The export & print dialog on a real library: live PDF preview, Save, Print (pytest-qt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale, QPoint, QSettings, QSize, Qt, QTimer
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from safedesk.briefing.request import BriefRequest
from safedesk.library import Library
from safedesk.ui.export.dialog import (
    ExportDialog,
    ExportTargets,
    default_paper,
    print_now,
    slug,
)
from tests.ui.accessible import name_of, unnamed

B = "nfer-2011-safeguarding-children-council-developments/"
PRACTICE = B + "box-3"
PRACTICE_TITLE = "Restructuring of social care teams to increase management oversight"
THEME = B + "theme-3.1"
AUTHORITY = B + "authority-d"
HOSTILE = "<b>x</b> & <img src=x>"
WAIT = 10_000


@pytest.fixture(autouse=True)
def _fresh_export_settings() -> Iterator[None]:
    """Each test starts with nothing remembered about exporting."""
    QSettings().remove("export")
    yield
    QSettings().remove("export")


@pytest.fixture
def lib(data_dir: Path) -> Iterator[Library]:
    library = Library.open(data_dir)
    yield library
    library.close()


def _dialog(qtbot: QtBot, lib: Library, targets: ExportTargets) -> ExportDialog:
    dialog = ExportDialog(lib, targets)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: _settled(dialog), timeout=WAIT)
    return dialog


def _click(qtbot: QtBot, radio: QRadioButton) -> None:
    """Click a radio button on its indicator, as a person would."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))


def _settled(dialog: ExportDialog) -> bool:
    """The preview shows the current choice (or says why it cannot)."""
    return dialog.preview_path is not None or dialog.stack.currentWidget() is dialog.message


def _wait_for(qtbot: QtBot, dialog: ExportDialog, choice: BriefRequest) -> None:
    qtbot.waitUntil(
        lambda: dialog.shown == choice and dialog.preview_path is not None, timeout=WAIT
    )


def _preview_text(dialog: ExportDialog) -> str:
    doc = dialog.document
    return "\n".join(doc.getAllText(n).text() for n in range(doc.pageCount()))


def _pdf_text(path: Path | str) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_the_preview_shows_the_practice_then_follows_the_choice(qtbot: QtBot, lib: Library) -> None:
    dialog = _dialog(qtbot, lib, ExportTargets(key=PRACTICE, theme=THEME))
    assert dialog.document.pageCount() == 1
    assert dialog.page_count.text() == "1 page · A4"
    assert PRACTICE_TITLE in _preview_text(dialog).replace("\n", " ")
    assert dialog.windowTitle() == f"Export practice sheet: Box 3: {PRACTICE_TITLE}"
    assert dialog.notes_space.isEnabled()

    _click(qtbot, dialog.kind_buttons["theme"])
    assert dialog.busy.isVisible()  # the old preview stays while the new one is made
    with qtbot.waitSignal(dialog.preview_ready, timeout=WAIT) as ready:
        pass
    assert ready.args == [3] and dialog.document.pageCount() == 3
    assert dialog.page_count.text() == "3 pages · A4" and not dialog.busy.isVisible()
    text = _preview_text(dialog)
    assert "Theme 3.1" in text and "Examples of good practice" in text
    assert dialog.windowTitle() == "Export theme brief: Theme 3.1: Leadership and management"
    assert not dialog.notes_space.isEnabled()  # notes space is for practice sheets only


def test_letter_paper_makes_a_letter_pdf_and_is_remembered(qtbot: QtBot, lib: Library) -> None:
    dialog = _dialog(qtbot, lib, ExportTargets(key=PRACTICE))
    a4 = PdfReader(str(dialog.preview_path)).pages[0].mediabox
    assert (round(a4.width), round(a4.height)) == (595, 842)
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    _wait_for(qtbot, dialog, BriefRequest(key=PRACTICE, paper="letter"))
    page = PdfReader(str(dialog.preview_path)).pages[0].mediabox
    assert (round(page.width), round(page.height)) == (612, 792)
    assert dialog.page_count.text() == "1 page · US Letter"
    dialog.close()

    again = _dialog(qtbot, lib, ExportTargets(key=PRACTICE))
    assert again.paper.currentData() == "letter"
    assert QSettings().value("export/paper") == "letter"


def test_the_default_paper_follows_the_locale() -> None:
    us = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    canada = QLocale(QLocale.Language.French, QLocale.Country.Canada)
    uk = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    assert (default_paper(us), default_paper(canada), default_paper(uk)) == (
        "letter",
        "letter",
        "a4",
    )


def test_the_last_kind_is_remembered(qtbot: QtBot, lib: Library) -> None:
    targets = ExportTargets(key=PRACTICE, theme=THEME, authority=AUTHORITY)
    dialog = _dialog(qtbot, lib, targets)
    assert dialog.current_choice() == BriefRequest(key=PRACTICE, paper="a4")
    dialog.choose("authority")
    dialog.close()
    again = _dialog(qtbot, lib, targets)
    assert again.kind_buttons["authority"].isChecked()
    assert again.document.pageCount() == 5  # the authority profile, straight away
    only_practice = _dialog(qtbot, lib, ExportTargets(key=PRACTICE))  # not on offer: first one
    assert only_practice.current_choice() == BriefRequest(key=PRACTICE, paper="a4")


def test_save_writes_the_previewed_pdf(
    qtbot: QtBot, lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def choose_file(_parent: QWidget, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "out" / "sheet"), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose_file)
    (tmp_path / "out").mkdir()
    dialog = _dialog(qtbot, lib, ExportTargets(key=PRACTICE))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "out" / "sheet.pdf"
    assert saved.args == [str(target)]
    assert Path(asked[0]).name == "box-3-restructuring-of-social-care-teams-to-increase.pdf"
    reader = PdfReader(str(target))
    assert len(reader.pages) == 1 and PRACTICE_TITLE in _pdf_text(target).replace("\n", " ")
    assert target.read_bytes() == dialog.preview_path.read_bytes()  # type: ignore[union-attr]
    assert dialog.status.text() == f"Saved 1 page to {target}"
    assert [p.name for p in target.parent.iterdir()] == ["sheet.pdf"]  # no partial file left


def test_save_right_after_a_change_waits_for_that_render(
    qtbot: QtBot, lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "brief.pdf"), "")
    )
    dialog = _dialog(qtbot, lib, ExportTargets(key=PRACTICE, theme=THEME))
    dialog.choose("theme", paper="letter")  # still inside the debounce delay
    assert dialog.preview_path is None
    with qtbot.waitSignal(dialog.saved, timeout=WAIT):
        dialog.save_button.click()
    reader = PdfReader(str(tmp_path / "brief.pdf"))
    assert len(reader.pages) == 3
    assert round(reader.pages[0].mediabox.width) == 612
    assert "Leadership and management" in _pdf_text(tmp_path / "brief.pdf")


def test_print_to_a_pdf_printer_prints_every_page_or_the_range(
    qtbot: QtBot, lib: Library, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, lib, ExportTargets(theme=THEME))
    assert dialog.document.pageCount() == 3
    printer = dialog.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(dialog.printed) as printed:
        assert dialog.print_to(printer) == 3
    assert printed.args == [3]
    pages = PdfReader(str(tmp_path / "printed.pdf")).pages
    assert len(pages) == 3
    assert (round(pages[0].mediabox.width), round(pages[0].mediabox.height)) == (595, 842)
    printed_doc = QPdfDocument()
    printed_doc.load(str(tmp_path / "printed.pdf"))
    image = printed_doc.render(0, QSize(298, 421))
    assert image.pixelColor(3, 3).getRgb() == (255, 255, 255, 255)  # white paper, not see-through
    inked = sum(
        image.pixelColor(x, y).lightness() < 128 for x in range(0, 298, 2) for y in range(0, 421, 2)
    )
    assert inked > 500  # the page's text is really there
    printed_doc.close()

    ranged = dialog.make_printer()
    ranged.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    ranged.setOutputFileName(str(tmp_path / "page-2.pdf"))
    ranged.setPrintRange(QPrinter.PrintRange.PageRange)
    ranged.setFromTo(2, 3)
    assert dialog.print_to(ranged) == 2
    assert len(PdfReader(str(tmp_path / "page-2.pdf")).pages) == 2


def test_ctrl_p_opens_the_print_dialog_for_the_chosen_paper(qtbot: QtBot, lib: Library) -> None:
    dialog = _dialog(qtbot, lib, ExportTargets(key=PRACTICE))
    dialog.paper.setCurrentIndex(dialog.paper.findData("letter"))
    _wait_for(qtbot, dialog, BriefRequest(key=PRACTICE, paper="letter"))
    seen: list[str] = []

    def cancel_it() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QPrintDialog):
            seen.append(box.printer().pageLayout().pageSize().name())
            box.reject()
        else:
            QTimer.singleShot(50, cancel_it)

    QTimer.singleShot(50, cancel_it)
    dialog.activateWindow()
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT)  # a shortcut "clicks" after a moment
    assert seen[0].startswith("Letter")
    assert dialog.isVisible() and dialog.status.text() == ""  # cancelled: nothing printed


def test_print_now_opens_printing_and_closes_after(qtbot: QtBot, lib: Library) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    seen: list[int] = []

    def cancel_it() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QPrintDialog):
            seen.append(box.maxPage())
            box.reject()
        else:
            QTimer.singleShot(100, cancel_it)

    QTimer.singleShot(100, cancel_it)
    dialog = print_now(lib, ExportTargets(authority=AUTHORITY), parent)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT)
    assert seen == [5]  # the print dialog knew the profile's 5 pages
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)


def test_hostile_collection_names_stay_plain_text(qtbot: QtBot, lib: Library) -> None:
    lib.create_collection(HOSTILE)
    lib.add_to_collection(HOSTILE, PRACTICE)
    dialog = _dialog(qtbot, lib, ExportTargets(collection=HOSTILE))
    assert dialog.windowTitle() == f"Export session pack: {HOSTILE}"
    labels = [w for w in dialog.findChildren(QLabel) if w.text() == HOSTILE]
    assert len(labels) == 2  # under "Session pack" and "Handout"
    assert all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)
    assert HOSTILE in _preview_text(dialog)
    assert dialog.suggested_name() == "b-x-b-img-src-x-session-pack.pdf"
    dialog.choose("handout")
    _wait_for(qtbot, dialog, BriefRequest(collection=HOSTILE, handout=True, notes_space=False))
    assert "Participant handout" in _preview_text(dialog)
    assert HOSTILE in _pdf_text(dialog.preview_path)  # type: ignore[arg-type]


def test_a_failed_render_shows_its_reason_as_plain_text(qtbot: QtBot, lib: Library) -> None:
    """A collection gone by the time it renders: the reason in plain text and the app's words
    (no command-line hint)."""
    dialog = _dialog(qtbot, lib, ExportTargets(collection="<b>no such</b> collection"))
    assert dialog.stack.currentWidget() is dialog.message
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText
    text = dialog.message.text()
    assert text.endswith("there is no collection called '<b>no such</b> collection'"), text
    assert "`" not in text and "safedesk collections" not in text
    assert dialog.preview_path is None and dialog.page_count.text() == ""
    with pytest.raises(Exception, match="not ready"):
        dialog.print_to(QPrinter())


def test_a_stale_render_is_never_shown_after_a_later_choice(qtbot: QtBot, lib: Library) -> None:
    targets = ExportTargets(key=PRACTICE, theme=THEME, authority=AUTHORITY)
    dialog = _dialog(qtbot, lib, targets)
    shown: list[BriefRequest | None] = []
    dialog.preview_ready.connect(lambda _pages: shown.append(dialog.shown))
    started = dialog.renders_started
    dialog.choose("authority", paper="letter")
    dialog.refresh_now()  # renders the authority profile now...
    dialog.choose("theme")
    dialog.refresh_now()  # ...so this waits, and is then replaced by
    dialog.choose("sheet")
    dialog.refresh_now()  # this, the final choice
    final = BriefRequest(key=PRACTICE, paper="letter")
    _wait_for(qtbot, dialog, final)
    qtbot.wait(400)  # long enough for any stale result to arrive
    assert shown == [final] and dialog.shown == final
    assert dialog.renders_started - started == 2  # the theme brief was never rendered
    assert dialog.document.pageCount() == 1 and PRACTICE_TITLE in _preview_text(dialog).replace(
        "\n", " "
    )


def test_a_burst_of_changes_makes_one_render(qtbot: QtBot, lib: Library) -> None:
    dialog = _dialog(qtbot, lib, ExportTargets(key=PRACTICE, theme=THEME, authority=AUTHORITY))
    started = dialog.renders_started
    for kind in ("theme", "authority", "theme", "authority"):
        _click(qtbot, dialog.kind_buttons[kind])
    _wait_for(qtbot, dialog, BriefRequest(authority=AUTHORITY, notes_space=False))
    assert dialog.renders_started - started == 1
    dialog.choose("sheet")  # rendered before: shown again without a render
    assert dialog.shown is not None and dialog.shown.kind == "authority"
    _wait_for(qtbot, dialog, BriefRequest(key=PRACTICE, paper="a4"))
    assert dialog.renders_started - started == 1


def test_keyboard_names_and_escape_removes_the_temporary_files(qtbot: QtBot, lib: Library) -> None:
    dialog = _dialog(qtbot, lib, ExportTargets(key=PRACTICE, collection="Nothing here"))
    focusable = [
        w
        for w in dialog.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(dialog)
    ]
    assert len(focusable) >= 7
    assert unnamed(focusable) == []
    # labels that show changing text are named by that text, not by a fixed name hiding it
    for label in (dialog.status, dialog.page_count, dialog.message):
        label.setText("Saved 2 pages")
        assert name_of(label) == "Saved 2 pages"
    assert dialog.print_button.shortcut().toString() == "Ctrl+P"
    temp = dialog.preview_path.parent  # type: ignore[union-attr]
    assert temp.is_dir()
    dialog.activateWindow()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not temp.exists()


def test_file_names_are_calm_slugs() -> None:
    assert (
        slug("Box 3: Restructuring of social care teams")
        == "box-3-restructuring-of-social-care-teams"
    )
    assert slug("Ошибка & <script>") == "ошибка-script"
    assert slug("???") == "briefing"


def test_a_seven_minute_briefing_previews_one_page_and_saves_as_word(
    qtbot: QtBot, lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx import Document

    asked: list[str] = []

    def choose_file(_parent: object, _caption: str, suggested: str, filters: str) -> tuple:
        asked.append(f"{Path(suggested).name} {filters}")
        return str(tmp_path / "team-meeting"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose_file)
    dialog = _dialog(qtbot, lib, ExportTargets(key=PRACTICE, theme=THEME))
    _click(qtbot, dialog.kind_buttons["seven"])
    choice = BriefRequest(key=PRACTICE, seven_minute=True, notes_space=False)
    _wait_for(qtbot, dialog, choice)
    assert dialog.document.pageCount() == 1 and "7 Where to read more" in _preview_text(dialog)
    dialog.file_format.setCurrentIndex(dialog.file_format.findData("docx"))
    with qtbot.waitSignal(dialog.saved, timeout=WAIT) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    target = tmp_path / "team-meeting.docx"
    assert saved.args == [str(target)] and asked[0].endswith("7-minute-briefing.docx Word (*.docx)")
    word = Document(str(target))
    assert next(p.text for p in word.paragraphs if p.style.name == "Title").startswith(
        PRACTICE_TITLE
    )
    assert QSettings().value("export/format") == "docx"
