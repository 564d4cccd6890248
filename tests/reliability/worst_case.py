"""Worst-case inputs under the caps: report texts and collection files that made a parser or the
PDF layout quadratic (or worse). Shared by tests/reliability/test_worst_case.py and
benchmarks/bench_worst_case.py, so the benchmark measures exactly what the tests guard."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECOND = ROOT / "tests" / "fixtures" / "reports" / "northfield-2019-early-help.txt"
_BOX = "Box 1 Bringing services for families together in family hubs (Northfield)\n"
_TABLE_ROW = "\nNorthfield\t"


def _base() -> str:
    return SECOND.read_text("utf-8")


def in_box(payload: str) -> str:
    """The second report with `payload` as part of box 1's text (so every rule meets it)."""
    base = _base()
    assert _BOX in base
    return base.replace(_BOX, f"{_BOX}\n{payload}\n", 1)


def at_end(payload: str) -> str:
    """The second report with `payload` after its last case study (the back matter)."""
    return f"{_base()}\n\n{payload}\n"


def _evidence(n: int) -> str:
    base = _base()
    lead = "Boxes 1–4 give"
    assert lead in base
    return base.replace(lead, "".join(f"Para {i}.\n\n" for i in range(n // 12)) + lead, 1)


def _table_rows(n: int) -> str:
    base = _base()
    assert _TABLE_ROW in base
    return base.replace(
        _TABLE_ROW, "\n" + "Northfield\tCounty\tGood\n" * (n // 25) + "Northfield\t"
    )


# name -> (what it is, a report text of about n bytes)
REPORTS: dict[str, tuple[str, Callable[[int], str]]] = {
    "stars": ("one line of '*a *a *a ...'", lambda n: in_box("*a " * (n // 3))),
    "tables": ("repeated 'Table 1' blocks", lambda n: at_end(
        "Table 1 Grades\n\nName\tType\tGrade\nNorthfield\tCounty\tGood\n\n" * (n // 56))),
    "links": ("one line of '<http://a<http://a ...'", lambda n: in_box("<http://a" * (n // 9))),
    "tabs": ("a tab-and-blank line after a tab", lambda n: in_box("a\t" + " \t" * (n // 2) + "z")),
    "capitals": ("'(' and a run of capitals", lambda n: in_box("(" + "A" * n)),
    "word": ("one word of capitals before '('", lambda n: in_box("A" * n + " x")),
    "box blanks": ("'Box 1 a' then blanks in a table row", lambda n: in_box(
        "Box 1 a" + " " * n + "\tz")),
    "page breaks": ("a paragraph cut by page breaks many times", lambda n: in_box(
        "Staff " + "x" * 70 + "".join("\n\nmore words here" for _ in range(n // 17)))),
    "bullets": ("a long bullet list at the very end", lambda n: at_end(
        "Heading\n\n" + "- item\n" * (n // 7))),
    "evidence": ("many paragraphs of case-study evidence", _evidence),
    "table rows": ("one authority in every table row", _table_rows),
}  # fmt: skip


def collection_file(
    path: Path,
    items: int = 1,
    text: str = "Short text.",
    note: str = "",
    title: str = "Item",
    prompts: list[str] | None = None,
    description: str = "",
) -> Path:
    """A collection file of `items` items from a report this library lacks (shown from the
    file's copies), each with the given text, note, title and prompts."""
    document = {
        "format": "safedesk-collection",
        "schema": 1,
        "collection": {"uid": "worst-case", "name": "Worst case", "description": description},
        "reports": [{"key": "other-report", "title": "Another report"}],
        "items": [
            {
                "uid": f"item-{n}", "key": f"other-report/box-{n}", "kind": "practice",
                "report": "other-report", "title": f"{title} {n}", "text": text, "note": note,
                "prompts": prompts or ["What would this look like here?"], "minutes": 5,
            }
            for n in range(items)
        ],
    }  # fmt: skip
    path.write_text(json.dumps(document), "utf-8")
    return path


def big_collection(path: Path, items: int = 500, chars: int = 39_000) -> Path:
    """Up to 500 items of `chars` characters each (500 x 39,000: a 19.5 MB file)."""
    paragraph = "Practitioners met weekly to review cases and plan next steps together. " * 8
    text = (f"{paragraph}\n\n" * (chars // len(paragraph) + 1))[:chars]
    return collection_file(path, items=items, text=text)
