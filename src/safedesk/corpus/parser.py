"""Parse a report in the council-developments layout into a `Report`.

Everything here is found from the layout, never from this or that report's wording: themes are
the numbered sections of the chapter that holds the practice boxes, reviews are headings of the
form "<Name> review", authorities come from the table whose rows the boxes and case studies name,
and case studies are the "Case study N: <name>" parts of the appendix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from safedesk.corpus.glossary import find_acronyms
from safedesk.corpus.model import (
    Authority,
    CaseSection,
    CaseStudy,
    Factor,
    Practice,
    Report,
    ReviewFinding,
    Theme,
)
from safedesk.corpus.text import Block, ReportFormatError, as_text, blocks, decode, normalise

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,2})\.?\s+(\S.*)$")
_BOX = re.compile(r"^Box\s+(\d{1,3})[.:]?\s+(.+?)\s*\(([^()]+)\)$")
_BOXES_LEAD_IN = re.compile(r"^Box(?:es)?\s+\d+\s*(?:[-–—]|to|and)\s*\d+\b")
_REVIEW = re.compile(r"^((?:[A-Z][\w'.-]*\s+){0,3}[A-Z][\w'.-]*)\s+[Rr]eview$")
_CASE_STUDY = re.compile(r"^Case study\s+(\d{1,2})\s*[:.–-]\s*(.+)$")
_TABLE_CAPTION = re.compile(r"^Table\s+\d+\b")
_ISBN = re.compile(r"^ISBN[:\s]+([0-9Xx][0-9Xx\- ]{8,})$")
_BARRIER_WORDS = re.compile(r"barrier|challenge|obstacle|difficult", re.IGNORECASE)

# The fixed vocabulary of the case-study layout (section headings every case study uses).
_CASE_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    ("key_learning", re.compile(r"^key (?:learning|messages)\b", re.I)),
    ("background", re.compile(r"^background$", re.I)),
    ("improvements", re.compile(r"^(?:recent )?improvements?\b", re.I)),
    ("enablers", re.compile(r"^(?:enablers|enabling factors|supporting factors)$", re.I)),
    ("barriers", re.compile(r"^(?:barriers|barriers and challenges|challenges)$", re.I)),
    ("outcomes", re.compile(r"^(?:evidence of )?outcomes\b|^evidence of impact", re.I)),
    ("could_do_better", re.compile(r"^what could have been done (?:better|differently)", re.I)),
    ("next_steps", re.compile(r"^next steps$", re.I)),
]


def _box(block: Block) -> re.Match[str] | None:
    """A "Box N Title (Authority)" heading. A table row keeps its runs of blanks, which `_BOX`
    would try in every way (quadratic); its words are matched single-spaced instead."""
    return _BOX.match(" ".join(block.text.split()) if block.table else block.text)


def parse_report(data: bytes | str, name: str = "file") -> Report:
    """Parse report bytes (or already decoded text) into a `Report`, or raise ReportFormatError."""
    raw = decode(data, name) if isinstance(data, bytes) else data
    text = normalise(raw)
    doc = blocks(text)
    outline = _Outline(doc)
    if not outline.boxes_chapter:
        raise ReportFormatError(
            f"{name} does not look like a report in the supported layout "
            "(no numbered chapter with 'Box N Title (Authority)' practice boxes)"
        )
    report = _front_matter(text, doc[: outline.contents_at or outline.first_chapter_at])
    report.executive_summary = as_text(outline.executive_summary())
    _themes(report, outline.chapter_blocks(outline.boxes_chapter))
    if not report.themes or not report.practices:
        raise ReportFormatError(f"{name} has practice boxes but no numbered themes around them")
    nxt = outline.next_chapter(outline.boxes_chapter)
    if nxt is not None:
        _factors(report, outline.chapter_blocks(nxt))
    summary_chapter = outline.summary_chapter(exclude={outline.boxes_chapter, nxt})
    if summary_chapter is not None:
        report.summary = as_text(outline.chapter_blocks(summary_chapter)[1:])
    report.references = [b.text for b in outline.references()]
    studies, back = _case_studies(outline.appendix())
    report.case_studies = studies
    report.key_findings = _last_bullet_list(back)
    report.authorities, report.authority_columns = _authorities(doc, report)
    body = "\n".join(b.text for b in doc[outline.first_chapter_at :])
    report.glossary = find_acronyms(report.executive_summary + "\n" + body)
    return report


@dataclass
class _Outline:
    """Where the big parts of the document start and end."""

    doc: list[Block]
    contents_at: int | None = None
    first_chapter_at: int = 0
    chapters: list[tuple[int, str, str]] = field(default_factory=list)  # (index, number, title)
    references_at: int | None = None
    appendix_at: int | None = None
    boxes_chapter: str | None = None

    def __post_init__(self) -> None:
        doc = self.doc
        for i, b in enumerate(doc):
            if self.contents_at is None and b.text.lower() == "contents" and not b.table:
                self.contents_at = i
            if not b.looks_like_heading():
                continue
            m = _NUMBERED.match(b.text)
            if m and "." not in m.group(1):
                expected = str(len(self.chapters) + 1)
                if m.group(1) == expected:
                    self.chapters.append((i, m.group(1), m.group(2)))
            elif b.text.lower() == "references" and self.chapters:
                self.references_at = i
            elif (
                b.text.lower().startswith("appendix") and self.chapters and self.appendix_at is None
            ):
                self.appendix_at = i
        if self.chapters:
            self.first_chapter_at = self.chapters[0][0]
        for _i, number, _t in self.chapters:
            if any(_box(b) for b in self.chapter_blocks(number)):
                self.boxes_chapter = number
                break

    def _chapter_end(self, number: str) -> int:
        idx = [c[1] for c in self.chapters].index(number)
        if idx + 1 < len(self.chapters):
            return self.chapters[idx + 1][0]
        for stop in (self.references_at, self.appendix_at):
            if stop is not None and stop > self.chapters[idx][0]:
                return stop
        return len(self.doc)

    def chapter_blocks(self, number: str) -> list[Block]:
        start = next(i for i, n, _ in self.chapters if n == number)
        return self.doc[start : self._chapter_end(number)]

    def next_chapter(self, number: str) -> str | None:
        numbers = [c[1] for c in self.chapters]
        idx = numbers.index(number)
        return numbers[idx + 1] if idx + 1 < len(numbers) else None

    def summary_chapter(self, exclude: set[str | None]) -> str | None:
        later = [c for c in self.chapters if int(c[1]) > int(self.boxes_chapter or 0)]
        later = [c for c in later if c[1] not in exclude]
        for _i, number, title in later:
            if re.search(r"summary|conclu", title, re.I):
                return number
        return later[-1][1] if later else None

    def executive_summary(self) -> list[Block]:
        start = self.contents_at or 0
        for i in range(start, self.first_chapter_at):
            b = self.doc[i]
            if not b.table and b.text.lower() == "executive summary":
                return self.doc[i + 1 : self.first_chapter_at]
        return []

    def references(self) -> list[Block]:
        if self.references_at is None:
            return []
        end = (
            self.appendix_at if self.appendix_at and self.appendix_at > self.references_at else None
        )
        return [b for b in self.doc[self.references_at + 1 : end] if not b.table]

    def appendix(self) -> list[Block]:
        return self.doc[self.appendix_at + 1 :] if self.appendix_at is not None else []


def _front_matter(text: str, front: list[Block]) -> Report:
    cite_match = re.search(r"how to cite[^\n]*\n\s*\n?([^\n]+)", text, re.IGNORECASE)
    raw_citation = cite_match.group(1).strip() if cite_match else ""
    citation = " ".join(re.sub(r"\*+", "", raw_citation).split())
    title_match = re.search(r"\*([^*]+)\*", raw_citation)
    series_match = re.search(r"\*[^*]+\*\s*\(([^)]+)\)", raw_citation)
    short_match = re.search(r":\s*([^:.]+?)\.?\s*$", citation)

    cite_at = next(
        (i for i, b in enumerate(front) if b.text.lower().startswith("how to cite")), None
    )
    authors: list[str] = []
    title_line = ""
    if cite_at is not None:
        i = cite_at - 1
        group: list[str] = []  # the lines just before "How to cite", read backwards
        while i >= 0:
            group.append(front[i].text)
            if front[i].after_blank:
                break
            i -= 1
        for line in reversed(group):
            authors += [a for a in re.split(r",\s*|\s+and\s+|\s*&\s*", line) if a.strip()]
        title_line = front[i - 1].text if i > 0 else ""
    title = title_match.group(1).strip() if title_match else title_line.title()
    year = None
    year_match = re.search(r"\((\d{4})\)", citation) or re.search(
        r"published in \w*\s*(\d{4})", text, re.IGNORECASE
    )
    if year_match:
        year = int(year_match.group(1))
    publisher = None
    for i, b in enumerate(front):
        if b.text.lower().startswith("published") and i + 1 < len(front):
            by = re.match(r"^by (?:the )?(.+?)[,.]?$", front[i + 1].text, re.IGNORECASE)
            if by:
                publisher = by.group(1)
            break
    isbns = [m.group(1).strip() for b in front if (m := _ISBN.match(b.text))]
    if not citation:
        who = ", ".join(authors)
        citation = f"{who} ({year or 'n.d.'}). {title}. {publisher or ''}".strip()
    return Report(
        title=title,
        authors=[a.strip() for a in authors],
        year=year,
        isbn=isbns[-1] if isbns else None,
        publisher=publisher,
        publisher_short=short_match.group(1).strip() if short_match else None,
        citation=citation,
        series=series_match.group(1).strip() if series_match else None,
    )


class _Collector:
    """Blocks gathered for one item (a box, a review finding), rendered to text at the end."""

    def __init__(self) -> None:
        self.parts: list[Block] = []

    def text(self) -> str:
        return as_text(self.parts)


def _themes(report: Report, chapter: Sequence[Block]) -> None:
    themes: dict[str, Theme] = {}
    findings: dict[str, list[tuple[ReviewFinding, _Collector]]] = {}
    displaced: dict[str, list[tuple[ReviewFinding, _Collector]]] = {}
    boxes: list[tuple[Practice, _Collector]] = []
    pending: list[tuple[ReviewFinding, _Collector]] = []
    evidence_intro: dict[str, list[str]] = {}  # joined once at the end (not once per paragraph)
    theme_no: str | None = None
    in_findings = False
    target: _Collector | str | None = None

    def theme(number: str) -> Theme:
        nonlocal pending
        if number not in themes:
            themes[number] = Theme(number=number, title="")
            findings[number] = []
            displaced[number] = []
        if pending:  # review blocks printed before their own theme's heading
            displaced[number] += pending
            pending = []
        return themes[number]

    for b in chapter[1:]:
        numbered = _NUMBERED.match(b.text) if b.looks_like_heading() else None
        if numbered and numbered.group(1).count(".") in (1, 2):
            number, title = numbered.groups()
            parts = number.split(".")
            theme_no = ".".join(parts[:2])
            t = theme(theme_no)
            if len(parts) == 2:
                t.title, in_findings, target = title, False, None
            else:
                in_findings = parts[2] == "1" or "review" in title.lower()
                if in_findings:
                    target = None
                else:
                    t.evidence_title, target = title, "evidence"
            continue
        box = _box(b) if not b.bullet else None
        if box and theme_no:
            practice = Practice(
                int(box.group(1)), box.group(2).strip(), box.group(3).strip(), theme_no, ""
            )
            boxes.append((practice, collector := _Collector()))
            target = collector
            continue
        if _BOXES_LEAD_IN.match(b.text):
            target = None
            continue
        review = _REVIEW.match(b.text) if b.looks_like_heading() else None
        if review:
            item = (ReviewFinding(review.group(1), ""), _Collector())
            if theme_no and in_findings:
                findings[theme_no].append(item)
            else:
                pending.append(item)
            target = item[1]
            continue
        if isinstance(target, _Collector):
            target.parts.append(b)
        elif target == "evidence" and theme_no:
            t = themes[theme_no]
            if b.bullet:
                t.evidence.append(b.text)
            else:
                evidence_intro.setdefault(theme_no, []).append(b.text)

    for number, t in sorted(themes.items(), key=lambda kv: [int(x) for x in kv[0].split(".")]):
        t.evidence_intro = "\n\n".join(evidence_intro.get(number, [])).strip()
        for finding, collector in findings[number] + displaced[number]:
            finding.text = collector.text()
            t.findings.append(finding)
        report.themes.append(t)
    for practice, collector in sorted(boxes, key=lambda pc: pc[0].number):
        practice.text = collector.text()
        report.practices.append(practice)


def _factors(report: Report, chapter: Sequence[Block]) -> None:
    kind = "factor"
    intro: list[Block] = []
    current: tuple[Factor, _Collector] | None = None
    items: list[tuple[Factor, _Collector]] = []
    intros: dict[str, list[Block]] = {"factor": [], "barrier": []}
    for b in chapter[1:]:
        numbered = _NUMBERED.match(b.text) if b.looks_like_heading() else None
        if numbered and numbered.group(1).count(".") == 1:
            kind = "barrier" if _BARRIER_WORDS.search(numbered.group(2)) else "factor"
            intro, current = intros[kind], None
            continue
        if numbered and numbered.group(1).count(".") == 2:
            current = (Factor(kind, numbered.group(1), numbered.group(2), ""), _Collector())
            items.append(current)
            continue
        (current[1].parts if current else intro).append(b)
    for factor, collector in items:
        factor.text = collector.text()
        report.factors.append(factor)
    report.factors_intro = as_text(intros["factor"])
    report.barriers_intro = as_text(intros["barrier"])


def _case_studies(appendix: list[Block]) -> tuple[list[CaseStudy], list[Block]]:
    """Split the appendix into case studies; also return the back matter that follows them."""
    starts: dict[int, tuple[int, str]] = {}
    for i, b in enumerate(appendix):
        m = _CASE_STUDY.match(b.text) if b.looks_like_heading() else None
        if m:  # a later heading with the same number wins: the first ones are a contents list
            starts[int(m.group(1))] = (i, m.group(2).strip())
    ordered = sorted(starts.items(), key=lambda kv: kv[1][0])
    studies: list[CaseStudy] = []
    back: list[Block] = []
    for n, (number, (start, authority)) in enumerate(ordered):
        end = ordered[n + 1][1][0] if n + 1 < len(ordered) else len(appendix)
        last = n + 1 == len(ordered)
        study, rest = _case_study(number, authority, appendix[start + 1 : end], last)
        studies.append(study)
        back = rest
    return studies, back


def _case_study(
    number: int, authority: str, part: list[Block], last: bool
) -> tuple[CaseStudy, list[Block]]:
    study = CaseStudy(number=number, authority=authority)
    buckets: dict[str, list[Block]] = {name: [] for name, _ in _CASE_HEADINGS}
    buckets["introduction"] = []
    section = "introduction"
    sections: list[tuple[str, list[Block]]] = []
    improvements_title = ""
    for i, b in enumerate(part):
        known = next(
            (n for n, rx in _CASE_HEADINGS if b.looks_like_heading() and rx.match(b.text)), None
        )
        if known:
            section = known
            if known == "improvements":
                improvements_title = b.text
            continue
        if section == "improvements" and b.looks_like_heading():
            sections.append((b.text, []))
            continue
        if last and section != "improvements" and b.looks_like_heading() and buckets[section]:
            return _fill(study, buckets, sections, improvements_title), part[i:]
        if section == "improvements" and sections:
            sections[-1][1].append(b)
        else:
            buckets[section].append(b)
    return _fill(study, buckets, sections, improvements_title), []


def _fill(
    study: CaseStudy,
    buckets: dict[str, list[Block]],
    sections: list[tuple[str, list[Block]]],
    improvements_title: str,
) -> CaseStudy:
    def items(parts: list[Block]) -> list[str]:
        bullets = [b.text for b in parts if b.bullet]
        return bullets or [b.text for b in parts if not b.text.endswith(":")]

    study.introduction = as_text(buckets["introduction"])
    study.key_learning = items(buckets["key_learning"])
    study.background = as_text(buckets["background"])
    overview = buckets["improvements"]
    study.improvement_areas = [b.text.rstrip(".;") for b in overview if b.bullet]
    prose = [b for b in overview if not b.bullet and not b.text.endswith(":")]
    if prose:
        study.sections.append(CaseSection(improvements_title, as_text(prose)))
    study.sections += [CaseSection(title, as_text(parts)) for title, parts in sections]
    study.enablers = items(buckets["enablers"])
    study.barriers = items(buckets["barriers"])
    study.outcomes = as_text(buckets["outcomes"])
    study.could_do_better = as_text(buckets["could_do_better"])
    study.next_steps = as_text(buckets["next_steps"])
    return study


def _last_bullet_list(back: list[Block]) -> list[str]:
    bullets: list[str] = []  # read backwards
    for b in reversed(back):
        if b.bullet:
            bullets.append(b.text)
        elif bullets:
            break
    return bullets[::-1]


def _authorities(doc: list[Block], report: Report) -> tuple[list[Authority], list[str]]:
    """Authorities from the table whose rows name them, plus any only boxes/case studies name."""
    named = [p.authority for p in report.practices] + [c.authority for c in report.case_studies]
    named_set = set(named)
    best: tuple[int, list[Authority], list[str]] = (0, [], [])
    for i, b in enumerate(doc):
        if not _TABLE_CAPTION.match(b.text) or b.table:
            continue
        rows = []
        j = i + 1  # (not `for row in doc[i + 1 :]`, which copies the rest of the document)
        while j < len(doc) and doc[j].table:
            rows.append([" ".join(c.split()) for c in doc[j].text.split("\t")])
            j += 1
        if len(rows) < 2:
            continue
        header, body = rows[0], rows[1:]
        overlap = sum(1 for r in body if r and r[0] in named_set)
        if overlap <= best[0]:
            continue
        type_col = next((j for j, h in enumerate(header) if re.search(r"\btype\b", h, re.I)), None)
        columns = [h for j, h in enumerate(header) if j > 0 and j != type_col and h]
        found: dict[str, Authority] = {}  # one row per authority: the first
        for r in body:
            if r[0].casefold() in found:
                continue
            grades = {
                header[j]: cell
                for j, cell in enumerate(r[: len(header)])
                if j > 0 and j != type_col and header[j] and cell
            }
            kind = r[type_col] if type_col and type_col < len(r) else ("" if type_col else None)
            found[r[0].casefold()] = Authority(r[0], kind, grades)
        best = (overlap, list(found.values()), columns)
    authorities, columns = best[1], best[2]
    canonical = {a.name.casefold(): a.name for a in authorities}
    for name in dict.fromkeys(named):
        if name.casefold() not in canonical:
            authorities.append(Authority(name))
            canonical[name.casefold()] = name
    # one spelling per authority: the table's, else the first printed
    for practice in report.practices:
        practice.authority = canonical[practice.authority.casefold()]
    for study in report.case_studies:
        study.authority = canonical[study.authority.casefold()]
    return authorities, columns
