"""The Word (.docx) reader: python-docx (MIT) for the package, styles and numbering.

The zip is checked first (member count, declared and actual inflated sizes), so python-docx never
inflates a bomb. Headings come from heading styles and outline levels; bullets and automatic
numbers from the numbering definitions (the number Word would print, e.g. "12" or "3.2"); a
one-column table or a bordered, shaded paragraph is a frame (a box); other tables give one row
per block, cells separated by tabs. Word files have no pages: every block's page is None.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from safedesk.corpus.extract import cleanup
from safedesk.corpus.extract.limits import Limits, MiB
from safedesk.corpus.extract.model import Metadata, Progress, TextBlock
from safedesk.errors import ReportFormatError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_HEADING_MAX = 200


def check_zip(data: bytes, name: str, limits: Limits) -> zipfile.ZipFile:
    """The .docx as an open zip, once every member is known to inflate within the caps."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ReportFormatError(
            f"{name} is damaged: it is not a complete Word (.docx) file"
        ) from None
    if len(members) > limits.max_parts:
        raise ReportFormatError(f"{name} has {len(members):,} parts; it is refused as hostile")
    if "word/document.xml" not in package.namelist():
        raise ReportFormatError(
            f"{name} is a zip file but not a Word document (no word/document.xml)"
        )
    declared = sum(m.file_size for m in members)
    if declared > limits.max_inflated_bytes or any(
        m.file_size > limits.max_part_bytes for m in members
    ):
        raise _too_big(name, limits)
    total = 0
    for member in members:
        try:
            with package.open(member) as stream:
                size = 0
                while chunk := stream.read(MiB):
                    size += len(chunk)
                    total += len(chunk)
                    if size > limits.max_part_bytes or total > limits.max_inflated_bytes:
                        raise _too_big(name, limits)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise ReportFormatError(f"{name} is damaged ({member.filename}: {exc})") from None
    return package


def _too_big(name: str, limits: Limits) -> ReportFormatError:
    return ReportFormatError(
        f"{name} inflates past {limits.max_part_bytes // MiB} MiB per part or "
        f"{limits.max_inflated_bytes // MiB} MiB in all; it is refused (a damaged or hostile file)"
    )


def read_docx(
    data: bytes, name: str, limits: Limits, progress: Progress | None = None
) -> tuple[list[TextBlock], Metadata]:
    package = check_zip(data, name, limits)
    import docx
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
        raise ReportFormatError(f"{name} is damaged and cannot be read as Word ({exc})") from None
    except Exception as exc:  # python-docx's own PackageNotFoundError and friends
        raise ReportFormatError(f"{name} cannot be read as a Word document ({exc})") from None
    if progress:
        progress(f"Reading {name}", 0.3)
    walker = _Walker(document)
    blocks = list(walker.body(document.element.body))
    deepest = max((b.level for b in blocks if b.kind == "heading" and b.level < 9), default=0)
    for b in blocks:
        if b.kind == "heading" and b.level == 9:  # bold paragraphs: below every heading style
            b.level = deepest + 1
    if progress:
        progress(f"Read {name}", 1.0)
    return [b for b in blocks if b.text.strip()], _metadata(document, package)


def _metadata(document: Any, package: zipfile.ZipFile) -> Metadata:
    core = document.core_properties
    meta = Metadata(title=" ".join((core.title or "").split()))
    author = " ".join((core.author or "").split())
    if author and author.lower() != "python-docx":
        meta.authors = [a.strip() for a in re.split(r";|\s+and\s+", author) if a.strip()]
    if core.created is not None:
        meta.year = core.created.year
    try:
        app = package.read("docProps/app.xml").decode("utf-8", "replace")
    except KeyError:
        app = ""
    company = re.search(r"<Company>([^<]+)</Company>", app)
    if company:
        meta.organisation = company.group(1).strip()
    return meta


class _Walker:
    """The body in reading order, with list numbers counted as Word counts them."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.counters: dict[str, list[int]] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # -> (format, text, start)
        self._styles: dict[str | None, Any] = {}
        self._read_numbering()

    def _read_numbering(self) -> None:
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in numbering.iter(f"{W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in node.iter(f"{W}lvl"):
                fmt = _val(lvl.find(f"{W}numFmt")) or "decimal"
                text = _val(lvl.find(f"{W}lvlText")) or ""
                start = int(_val(lvl.find(f"{W}start")) or "1")
                levels[int(lvl.get(f"{W}ilvl", "0"))] = (fmt, text, start)
            abstract[node.get(f"{W}abstractNumId", "")] = levels
        for num in numbering.iter(f"{W}num"):
            num_id = num.get(f"{W}numId", "")
            ref = _val(num.find(f"{W}abstractNumId")) or ""
            for ilvl, level in abstract.get(ref, {}).items():
                self.levels[(num_id, ilvl)] = level

    def body(self, element: Any, frame: bool = False) -> Iterator[TextBlock]:
        for child in element.iterchildren():
            tag = child.tag
            if tag == f"{W}p":
                block = self.paragraph(child, frame)
                if block is not None:
                    yield block
            elif tag == f"{W}tbl":
                yield from self.table(child, frame)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    yield from self.body(content, frame)

    def table(self, tbl: Any, frame: bool) -> Iterator[TextBlock]:
        rows = tbl.findall(f"{W}tr")
        widths = {len(row.findall(f"{W}tc")) for row in rows}
        if widths <= {0, 1}:  # a one-column table is a box: its content flows as text
            for row in rows:
                for cell in row.findall(f"{W}tc"):
                    yield from self.body(cell, frame=True)
            return
        for row in rows:
            cells = []
            for cell in row.findall(f"{W}tc"):
                texts = [self.text(p)[0] for p in cell.iter(f"{W}p")]
                cells.append(" ".join(" ".join(t.split()) for t in texts if t.strip()))
            if any(cells):
                yield TextBlock("table_row", "\t".join(cells), None, frame=frame)

    def paragraph(self, p: Any, frame: bool) -> TextBlock | None:
        text, emphasis, all_bold = self.text(p)
        if not text.strip():
            return None
        ppr = p.find(f"{W}pPr")
        style = self._style(ppr)
        boxed = frame or (
            ppr is not None and (ppr.find(f"{W}pBdr") is not None or _shaded(ppr.find(f"{W}shd")))
        )
        level = self._heading_level(ppr, style)
        if level is not None:
            return TextBlock("heading", " ".join(text.split()), None, level=level, frame=boxed)
        numbering = self._numbering(ppr, style)
        if numbering is not None:
            fmt, number = numbering
            if fmt == "bullet":
                return TextBlock("list_item", text, None, frame=boxed, emphasis=emphasis)
            return TextBlock("paragraph", text, None, number=number, frame=boxed, emphasis=emphasis)
        if all_bold and len(text) <= _HEADING_MAX and not text.rstrip().endswith((".", ",", ";")):
            return TextBlock("heading", " ".join(text.split()), None, level=9, frame=boxed)
        return TextBlock("paragraph", text, None, frame=boxed, emphasis=emphasis)

    def text(self, p: Any) -> tuple[str, list[tuple[int, int]], bool]:
        """The paragraph's text (tabs and line breaks kept), its italic spans, all bold or not."""
        parts: list[str] = []
        emphasis: list[tuple[int, int]] = []
        length = 0
        letters = bold_letters = 0
        for run in p.iter(f"{W}r"):
            if any(a.tag in (f"{W}del", f"{W}moveFrom") for a in run.iterancestors()):
                continue
            rpr = run.find(f"{W}rPr")
            italic = _on(rpr, "i")
            bold = _on(rpr, "b")
            for node in run.iterchildren():
                tag = node.tag
                piece = ""
                if tag == f"{W}t":
                    piece = cleanup.plain(node.text or "")
                elif tag == f"{W}tab":
                    piece = "\t"
                elif tag in (f"{W}br", f"{W}cr"):  # a page or column break only moves text on
                    kind = node.get(f"{W}type")
                    piece = "\n"
                    if kind in ("page", "column"):
                        piece = "" if parts and parts[-1][-1:].isspace() else " "
                elif tag == f"{W}noBreakHyphen":
                    piece = "-"
                if not piece:
                    continue
                if italic and piece.strip():
                    if emphasis and emphasis[-1][1] >= length - 1:
                        emphasis[-1] = (emphasis[-1][0], length + len(piece))
                    else:
                        emphasis.append((length, length + len(piece)))
                count = sum(1 for c in piece if c.isalnum())
                letters += count
                bold_letters += count if bold else 0
                parts.append(piece)
                length += len(piece)
        text = "".join(parts)
        stripped = text.strip(" ")
        lead = len(text) - len(text.lstrip(" "))
        emphasis = [(max(0, a - lead), max(0, b - lead)) for a, b in emphasis]
        return stripped, emphasis, letters > 0 and bold_letters == letters

    def _style(self, ppr: Any) -> Any:
        style_id = _val(ppr.find(f"{W}pStyle")) if ppr is not None else None
        if style_id in self._styles:
            return self._styles[style_id]
        styles = self.document.styles
        try:
            found = styles.get_by_id(style_id, 1) if style_id else styles.default(1)
        except (KeyError, ValueError):
            found = None
        self._styles[style_id] = found
        return found

    def _heading_level(self, ppr: Any, style: Any) -> int | None:
        outline = _val(ppr.find(f"{W}outlineLvl")) if ppr is not None else None
        if outline is not None and outline.isdigit() and int(outline) < 9:
            return int(outline) + 1
        while style is not None:
            name = (style.name or "").strip()
            if name.lower() == "title":
                return 1
            found = _HEADING_STYLE.match(name)
            if found:
                return int(found.group(1))
            spp = style.element.find(f"{W}pPr")
            outline = _val(spp.find(f"{W}outlineLvl")) if spp is not None else None
            if outline is not None and outline.isdigit() and int(outline) < 9:
                return int(outline) + 1
            style = style.base_style
        return None

    def _numbering(self, ppr: Any, style: Any) -> tuple[str, str] | None:
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        while num_pr is None and style is not None:
            spp = style.element.find(f"{W}pPr")
            num_pr = spp.find(f"{W}numPr") if spp is not None else None
            style = style.base_style
        if num_pr is None:
            return None
        num_id = _val(num_pr.find(f"{W}numId")) or ""
        ilvl = int(_val(num_pr.find(f"{W}ilvl")) or "0")
        if num_id in ("", "0"):
            return None
        fmt, pattern, _start = self.levels.get((num_id, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        counters = self.counters.setdefault(num_id, [])
        while len(counters) <= ilvl:
            counters.append(self.levels.get((num_id, len(counters)), ("", "", 1))[2] - 1)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, len(counters)):
            counters[deeper] = self.levels.get((num_id, deeper), ("", "", 1))[2] - 1
        if fmt == "bullet":
            return fmt, ""

        def render(match: re.Match[str]) -> str:
            n = int(match.group(1)) - 1
            value = counters[n] if n < len(counters) else 1
            level_fmt = self.levels.get((num_id, n), (fmt, "", 1))[0]
            return _format(value, level_fmt)

        number = re.sub(r"%(\d)", render, pattern).strip().rstrip(".").strip("()")
        return fmt, number or str(counters[ilvl])


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in (
        (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
        (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
    ):  # fmt: skip
        while value >= number:
            out += letters
            value -= number
    return out


def _val(node: Any) -> str | None:
    return None if node is None else node.get(f"{W}val")


def _on(rpr: Any, tag: str) -> bool:
    if rpr is None:
        return False
    node = rpr.find(f"{W}{tag}")
    return node is not None and node.get(f"{W}val", "true").lower() not in ("0", "false", "off")


def _shaded(shd: Any) -> bool:
    return shd is not None and (shd.get(f"{W}fill") or "auto").lower() not in ("auto", "ffffff")
