"""The CLI as users run it: real processes, JSON contract, one-line errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SECOND

BUNDLED = "nfer-2011-safeguarding-children-council-developments"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safedesk", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_json(data_dir: Path, *args: str) -> Any:
    done = run(data_dir, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_first_run_builds_the_library_with_progress(tmp_path: Path) -> None:
    done = run(tmp_path / "fresh", "reports", "--json")
    assert done.returncode == 0
    assert "setting up your library" in done.stderr and "ready in" in done.stderr
    [report] = json.loads(done.stdout)
    assert report["key"] == BUNDLED
    again = run(tmp_path / "fresh", "reports", "--json")
    assert again.stderr == ""  # nothing to set up the second time


def test_reports_contract(data_dir: Path) -> None:
    [report] = run_json(data_dir, "reports")
    assert {"key", "title", "authors", "year", "isbn", "publisher", "citation", "practices"} <= set(
        report
    )
    assert report["authors"] == ["Kerry Martin", "Mary Atkinson", "Richard White"]
    assert (report["year"], report["isbn"], report["practices"]) == (2011, "978 1 906792 97 8", 24)
    assert report["citation"].endswith("Slough: NFER.")


def test_themes_contract(data_dir: Path) -> None:
    themes = run_json(data_dir, "themes")
    assert [t["number"] for t in themes] == ["3.1", "3.2", "3.3", "3.4", "3.5"]
    for t in themes:
        assert {"key", "report", "number", "title", "practices", "findings"} <= set(t)
        assert [f["review"] for f in t["findings"]] == ["Laming", "Munro"]
        assert all(set(f) >= {"review", "text"} for f in t["findings"])
    assert sum(t["practices"] for t in themes) == 24


def test_authorities_contract(data_dir: Path) -> None:
    authorities = run_json(data_dir, "authorities")
    d = next(a for a in authorities if a["name"] == "Authority D")
    assert d["type"] == "London borough"
    assert d["grades"] == {
        "APA (2008) Staying safe grade": "Outstanding",
        "Safeguarding and LAC Inspection (2009/10) Overall effectiveness grade": "Good",
    }


def test_practices_contract_and_filters(data_dir: Path) -> None:
    practices = run_json(data_dir, "practices")
    assert [p["number"] for p in practices] == list(range(1, 25))
    box = practices[8]
    assert {"key", "report", "number", "title", "authority", "theme", "text"} <= set(box)
    assert (box["key"], box["authority"]) == (f"{BUNDLED}/box-9", "Authority D")
    assert box["theme"] == "Recruiting, retaining and maintaining a highly competent workforce"
    partnership = run_json(data_dir, "practices", "--theme", "Partnership working")
    assert [p["number"] for p in partnership] == [16, 17, 18, 19, 20]
    by_d = run_json(data_dir, "practices", "--authority", "Authority D", "--theme", "3.4")
    assert [p["number"] for p in by_d] == [16, 18, 19, 20]


def test_case_studies_contract(data_dir: Path) -> None:
    studies = run_json(data_dir, "case-studies")
    assert [c["authority"] for c in studies] == [f"Authority {x}" for x in "ABCDE"]
    fields = {
        "key",
        "report",
        "authority",
        "introduction",
        "key_learning",
        "background",
        "sections",
        "enablers",
        "barriers",
        "outcomes",
        "could_do_better",
        "next_steps",
    }
    for c in studies:
        assert fields <= set(c)
        assert all(set(s) >= {"title", "text"} for s in c["sections"])


def test_show_any_key(data_dir: Path) -> None:
    box = run_json(data_dir, "show", f"{BUNDLED}/box-20")
    assert "child trafficking" in box["title"] and "UK Border Agency" in box["text"]
    section = run_json(data_dir, "show", f"{BUNDLED}/case-study-1/supervision")
    assert section["kind"] == "section" and section["authority"] == "Authority A"
    theme = run_json(data_dir, "show", f"{BUNDLED}/theme-3.4")
    assert theme["findings"][1]["text"].startswith("Local authorities and their partners")
    text = run(data_dir, "show", f"{BUNDLED}/box-9")
    assert text.returncode == 0 and text.stdout.startswith("Box 9: Developing reflective practice")


def test_search_contract(data_dir: Path) -> None:
    result = run_json(data_dir, "search", "reflective practice", "--limit", "3")
    assert {"query", "total", "hits"} <= set(result)
    assert len(result["hits"]) == 3
    hit = result["hits"][0]
    assert set(hit) >= {"key", "kind", "number", "title", "authority", "theme", "score", "snippet"}
    assert (hit["key"], hit["number"]) == (f"{BUNDLED}/box-9", 9)


@pytest.mark.parametrize("query", ['"unclosed', "AND", "theme:", "x" * 10_000])
def test_search_with_bad_input_exits_zero(data_dir: Path, query: str) -> None:
    done = run(data_dir, "search", query, "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] >= 0


def test_import_a_second_report(data_dir: Path) -> None:
    summary = run_json(data_dir, "import", str(SECOND))
    assert summary["practices"] == 13 and summary["report"].startswith("nrcc-2019-")
    assert len(run_json(data_dir, "reports")) == 2
    text = run(data_dir, "import", str(SECOND))
    assert text.stdout.startswith("Re-imported 'Early Help and Family Safeguarding")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        ("report".encode("utf-16") * 10, "UTF-16"),
        (bytes(range(256)) * 10, "binary"),
        (b"Just some notes.\n\nNothing else.\n", "supported layout"),
    ],
)
def test_import_errors_are_one_line_and_change_nothing(
    data_dir: Path, tmp_path: Path, content: bytes, problem: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    db = data_dir / "library.sqlite3"
    before = db.read_bytes()
    done = run(data_dir, "import", str(bad))
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and problem in done.stderr
    assert "Traceback" not in done.stderr
    assert db.read_bytes() == before


def test_import_a_missing_file(data_dir: Path) -> None:
    done = run(data_dir, "import", "/no/such/report.txt")
    assert (done.returncode, done.stderr) == (
        1,
        "safedesk: error: no such file: /no/such/report.txt\n",
    )


def test_unknown_key_is_a_one_line_error(data_dir: Path) -> None:
    done = run(data_dir, "show", "nope/box-99")
    assert done.returncode == 1 and "nothing in the library has the key" in done.stderr


def test_oversized_file_is_refused_before_reading(data_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(6 * 1024 * 1024)
    done = run(data_dir, "import", str(big))
    assert done.returncode == 1 and "limited to 5 MiB" in done.stderr


def test_brief_writes_a_pdf_and_fails_in_one_line(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "box.pdf"
    done = run_json(data_dir, "brief", f"{BUNDLED}/box-9", "-o", str(out), "--paper", "letter")
    assert (done["pages"], done["kind"]) == (1, "Practice sheet") and out.read_bytes()[
        :5
    ] == b"%PDF-"
    failed = run(data_dir, "brief", f"{BUNDLED}/box-9", "-o", str(tmp_path / "no" / "x.pdf"))
    assert (
        failed.returncode == 1
        and failed.stderr.count("\n") == 1
        and "does not exist" in failed.stderr
    )


def test_search_exact_and_what_it_also_searched(data_dir: Path) -> None:
    expanded = run_json(data_dir, "search", "supervision", "--limit", "50")
    exact = run_json(data_dir, "search", "supervision", "--limit", "50", "--exact")
    assert exact["expanded"] == [] and exact["total"] < expanded["total"]
    assert {e["relation"] for e in expanded["expanded"]} == {"synonym", "related"}
    assert set(expanded["matched"]) == {"stems", "prefixes", "phrases"}
    assert all(hit["lacks"] == [] for hit in expanded["hits"])
    text = run(data_dir, "search", "supervision", "--limit", "1").stdout
    assert "Related: " in text and "management oversight" in text
    partial = run(data_dir, "search", "management oversight", "--exact").stdout
    assert "have only some of them" in partial and "(lacks: " in partial


def test_concepts_and_concept_contract(data_dir: Path) -> None:
    tree = run_json(data_dir, "concepts")
    assert tree and set(tree[0]) == {"id", "label", "scope_note", "count", "children"}
    assert any(child["id"] == "supervision" for node in tree for child in node["children"])
    text = run(data_dir, "concepts").stdout
    assert "  supervision (" in text and "[supervision]" in text
    concept = run_json(data_dir, "concept", "CPD", "--limit", "3")
    assert set(concept) == {
        "id", "label", "alt_labels", "scope_note", "broader", "narrower", "related", "count",
        "items", "kind",
    }  # fmt: skip
    assert concept["id"] == "continuing-professional-development" and len(concept["items"]) == 3
    shown = run(data_dir, "concept", "front door").stdout
    assert shown.startswith("front door  [front-door]") and "Also called: " in shown
    missing = run(data_dir, "concept", "astronomy")
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1
    assert "no practice concept matches 'astronomy'" in missing.stderr


def test_related_says_what_items_share(data_dir: Path) -> None:
    related = run_json(data_dir, "related", f"{BUNDLED}/box-7")
    assert all("shares" in hit for hit in related["related"])
    text = run(data_dir, "related", f"{BUNDLED}/box-7").stdout
    assert "shares: " in text and "retention" in text
