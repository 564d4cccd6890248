"""The document model (`model.py`) as an editable Word document (python-docx): real heading
styles, lists and tables, so it reads well in Word and to a screen reader; the same provenance as
the PDF (source and export date in the footer with "Page x of y", how to cite at the end, and the
title, author, subject and keywords in the file's properties)."""

from __future__ import annotations

import re
from typing import Any

from safedesk import __version__
from safedesk.briefing import model
from safedesk.briefing.page import MARGIN_MM, PageInfo
from safedesk.briefing.parts import printable
from safedesk.briefing.style import ACCENT, MUTED

LANGUAGE = "en-GB"
HEADINGS = {2: "Heading 1", 3: "Heading 2"}
WRITE_IN_MM = 8
NOTES_LINES = 6
# characters XML 1.0 cannot hold (beyond the control characters `printable` removes)
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", printable(text))


def build(doc: model.Doc, target: str) -> None:
    """Write `doc` as a .docx file at `target`."""
    import docx

    document = docx.Document()
    _page(document, doc.info)
    _styles(document)
    _properties(document, doc.info)
    _furniture(document, doc.info)
    writer = _Writer(document)
    for block in doc.blocks:
        writer.render(block)
    if doc.citations:
        writer.keep_last()
        for citation in doc.citations:
            writer.para(citation, "Small", prefix="How to cite:")
    document.save(target)


# -- the page, styles and properties ---------------------------------------------------------------
def _page(document: Any, info: PageInfo) -> None:
    from docx.shared import Mm

    width, height = (Mm(210), Mm(297)) if info.paper == "a4" else (Mm(215.9), Mm(279.4))
    section = document.sections[0]
    section.page_width, section.page_height = width, height
    section.left_margin = section.right_margin = Mm(MARGIN_MM)
    section.top_margin, section.bottom_margin = Mm(MARGIN_MM + 1), Mm(MARGIN_MM + 5)


def _styles(document: Any) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt, RGBColor

    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(10.5)
    _language(styles)
    accent, muted = _rgb(ACCENT), _rgb(MUTED)
    for name, heading in (("Heading 1", 14), ("Heading 2", 11.5), ("Title", 22)):
        styles[name].font.color.rgb = RGBColor(*accent)
        styles[name].font.size = Pt(heading)

    def make(name: str, base: str = "Normal") -> Any:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        return style

    kicker = make("Kicker")
    kicker.font.bold, kicker.font.size = True, Pt(9)
    kicker.font.color.rgb = RGBColor(*accent)
    meta = make("Meta")
    meta.font.size = Pt(9.5)
    meta.font.color.rgb = RGBColor(*muted)
    small = make("Small")
    small.font.size = Pt(9)
    small.font.color.rgb = RGBColor(*muted)
    note = make("Facilitator note")
    _shade(note.element.get_or_add_pPr(), "FDF6E3", "E9D8A6")
    prompt = make("Prompt", "List Bullet")
    prompt.font.italic = True
    write_in = make("Write-in line")
    write_in.paragraph_format.space_before = Pt(WRITE_IN_MM * 72 / 25.4 - 12)
    write_in.paragraph_format.space_after = Pt(0)


def _language(styles: Any) -> None:
    """Every run is British English unless it says otherwise (spelling, screen readers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    defaults = styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)


def _shade(ppr: Any, fill: str, border: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "4"), ("color", border)):
            edge.set(qn(f"w:{key}"), value)
        borders.append(edge)
    ppr.append(borders)
    shading = OxmlElement("w:shd")
    for key, value in (("val", "clear"), ("color", "auto"), ("fill", fill)):
        shading.set(qn(f"w:{key}"), value)
    ppr.append(shading)


def _properties(document: Any, info: PageInfo) -> None:
    props = document.core_properties
    props.title = clean(info.title)
    props.author = clean(info.author or "safedesk")
    props.subject = clean(info.subject or info.kind)
    props.keywords = clean(", ".join(info.keywords))
    props.category = info.kind
    props.comments = f"Made with safedesk {__version__}. Source: {clean(info.source)}"
    props.language = LANGUAGE
    props.last_modified_by = f"safedesk {__version__}"


def _furniture(document: Any, info: PageInfo) -> None:
    """The header names the document; the footer its source, the export date and the page."""
    section = document.sections[0]
    head = section.header.paragraphs[0]
    head.style = document.styles["Small"]
    head.add_run(f"safedesk · {info.kind}").bold = True
    head.add_run(f" · {clean(info.title)}")
    foot = section.footer.paragraphs[0]
    foot.style = document.styles["Small"]
    foot.add_run(f"Source: {clean(info.source)}")
    line = section.footer.add_paragraph(style=document.styles["Small"])
    line.add_run(f"Exported {info.exported} · Page ")
    _field(line, "PAGE", "1")
    line.add_run(" of ")
    _field(line, "NUMPAGES", "1")


def _field(paragraph: Any, code: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# -- the blocks ------------------------------------------------------------------------------------
class _Writer:
    def __init__(self, document: Any) -> None:
        self.document = document

    def para(self, text: str, style: str = "Normal", prefix: str = "", italic: bool = False) -> Any:
        paragraph = self.document.add_paragraph(style=self.document.styles[style])
        if prefix:
            paragraph.add_run(clean(prefix) + " ").bold = True
        run = paragraph.add_run(clean(text))
        if italic:
            run.italic = True
        return paragraph

    def keep_last(self) -> None:
        """Keep the last paragraph on a page with what follows (the citation)."""
        paragraphs = self.document.paragraphs
        if paragraphs:
            paragraphs[-1].paragraph_format.keep_with_next = True

    def render(self, block: model.Block) -> None:
        if isinstance(block, model.Kicker):
            self.para(block.text, "Kicker")
        elif isinstance(block, model.Title):
            self.para(block.text, "Title")
        elif isinstance(block, model.Heading):
            self.para(block.text, HEADINGS.get(block.level, "Heading 2"))
        elif isinstance(block, model.Para):
            style = {"meta": "Meta", "small": "Small"}.get(block.style, "Normal")
            self.para(block.text, style, block.prefix)
        elif isinstance(block, model.Bullets):
            style = "List Number" if block.numbered else (
                "Prompt" if block.style == "prompt" else "List Bullet"
            )  # fmt: skip
            for item in block.items:
                if item.strip():
                    self.para(item, style)
        elif isinstance(block, model.Note):
            self.para(block.text, "Facilitator note", block.prefix)
        elif isinstance(block, model.Table):
            self.table(block)
        elif isinstance(block, model.Grades):
            self.table(model.Table(
                (tuple(h for h, _g in block.grades), tuple(g for _h, g in block.grades)),
                tuple(1 / len(block.grades) for _ in block.grades), header=True,
            ))  # fmt: skip
        elif isinstance(block, model.NotesSpace):
            self.para("Your notes", "Small").runs[0].bold = True
            self.write_in(NOTES_LINES)
        elif isinstance(block, model.WriteIn):
            self.write_in(block.lines)
        elif isinstance(block, model.Keep):
            start = len(self.document.paragraphs)
            for inner in block.blocks:
                self.render(inner)
            for paragraph in self.document.paragraphs[start:-1]:
                paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, model.PageBreak):
            self.document.add_page_break()
        elif isinstance(block, model.Parts):
            for part in block.parts:
                self.para(f"{part.number}. {part.heading}", "Heading 1")
                for inner in part.blocks:
                    self.render(inner)
        # NeedSpace and Rule: Word paginates and draws headings itself

    def write_in(self, lines: int) -> None:
        """Lines to write on: a tab to the right margin with an underline leader on each."""
        from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

        section = self.document.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        for _ in range(lines):
            paragraph = self.document.add_paragraph(style=self.document.styles["Write-in line"])
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
            )
            paragraph.add_run("\t")

    def table(self, block: model.Table) -> None:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        section = self.document.sections[0]
        width = section.page_width - section.left_margin - section.right_margin
        columns = len(block.widths)
        table = self.document.add_table(rows=0, cols=columns)
        table.style = self.document.styles["Table Grid"]
        for r, row in enumerate(block.rows):
            cells = table.add_row().cells
            for c, text in enumerate(row):
                cells[c].width = int(width * block.widths[c])
                paragraph = cells[c].paragraphs[0]
                run = paragraph.add_run(clean(text))
                header = block.header and r == 0
                run.bold = header or (block.bold_last and c == columns - 1)
            if block.header and r == 0:  # repeated on each page; read as the column names
                trpr = table.rows[0]._tr.get_or_add_trPr()
                mark = OxmlElement("w:tblHeader")
                mark.set(qn("w:val"), "true")
                trpr.append(mark)
        self.document.add_paragraph(style=self.document.styles["Small"])  # a gap after it
