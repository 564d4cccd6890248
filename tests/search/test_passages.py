"""Documents' passages in the FTS5 index: the query written for FTS5 means what it meant for
Whoosh, counts and facets add up, filters apply, broad queries rank by heading first, and the
file follows imports, new editions and damage like the rest of the index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from safedesk.library import Library
from safedesk.search import passage_scores, passages
from safedesk.search.index import SearchIndex
from safedesk.search.passages import fts_expression, tokens
from safedesk.search.query import _whoosh_query
from safedesk.search.querylang import parse
from tests.conftest import FIXTURES, SEED

GUIDANCE_PDF = FIXTURES / "documents" / "neglect-guidance.pdf"
GUIDANCE = "responding-to-neglect-practice-guidance-for-all-agencies"
BUNDLED = "nfer-2011-safeguarding-children-council-developments"


@pytest.fixture(scope="module")
def guidance_template(library_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("passages") / "data"
    shutil.copytree(library_template, folder)
    with Library.open(folder) as lib:
        lib.import_report(GUIDANCE_PDF)
    return folder


@pytest.fixture
def lib(guidance_template: Path, tmp_path: Path) -> Library:
    target = tmp_path / "data"
    shutil.copytree(guidance_template, target)
    library = Library.open(target)
    yield library  # type: ignore[misc]
    library.close()


def _expression(lib: Library, text: str) -> str:
    index = lib.ensure_index()
    parsed = parse(text, lib.glossary_index(), complete=index.completions)
    return fts_expression(_whoosh_query(index, parsed)[0])


def test_tokens_are_the_index_analyzers_with_joined_forms_apart() -> None:
    assert tokens("Multi-agency co-location, well-being") == (
        "multi agenc co locat well be",
        "multiag coloc wellb",
    )


def test_tokens_word_by_word_are_the_whole_texts() -> None:
    """Each word analysed on its own (and remembered) gives what analysing the text gives."""
    from safedesk.search.analysis import stemming_analyzer

    def whole(text: str) -> tuple[str, str]:
        main: list[str] = []
        extra: list[str] = []
        last = -1
        for token in stemming_analyzer()(text, positions=True):
            (extra if token.pos == last else main).append(token.text)
            last = token.pos
        return " ".join(main), " ".join(extra)

    text = SEED.read_text("utf-8")
    odd = "NQSWs co‐location Y2K well-being-led 3-4 café ÉCOLE x--y _a_ über-Straße"
    for sample in (text[:50_000], odd, ""):
        assert tokens(sample) == whole(sample)


def test_queries_are_written_for_fts5_as_they_were_parsed(lib: Library) -> None:
    assert _expression(lib, "reflective supervision") == '("reflect" AND "supervis")'
    assert _expression(lib, '"management oversight"') == '{title body} : "manag oversight"'
    assert _expression(lib, "airport OR forum") == '("airport" OR "forum")'
    assert _expression(lib, "partnership -police") == '("partnership" NOT "polic")'
    assert _expression(lib, "co-location") == '("coloc" OR {title body} : "co locat")'
    assert _expression(lib, "-police") == ""  # nothing to look for


def test_passages_are_found_counted_and_faceted(lib: Library) -> None:
    result = lib.search("graded care profile", limit=5)  # (fewer matches than asked fill up)
    passages_found = [h for h in result.hits if h.kind == "passage"]
    assert passages_found and passages_found[0].report == GUIDANCE
    having = [p for p in lib.passages(GUIDANCE) if "graded care profile" in p.text.lower()]
    assert result.note and f"{len(having)} results have every word" in result.note
    assert result.facets["kind"]["passage"] > len(having)  # and those with some of them
    assert result.facets["report"][GUIDANCE] == result.facets["kind"]["passage"]
    assert result.total == sum(result.facets["kind"].values())
    hit = passages_found[0]
    assert hit.title == "Assessing neglect" and hit.page == 1 and hit.number == 7
    assert "[graded] [care] [profile]" in hit.snippet


def test_filters_reach_the_passages(lib: Library) -> None:
    assert lib.search("neglect", report=GUIDANCE).facets["report"] == {
        GUIDANCE: lib.search("neglect", kind="passage").total
    }
    assert all(h.kind != "passage" for h in lib.search("neglect", report=BUNDLED).hits)
    assert all(h.kind != "passage" for h in lib.search("neglect", theme="3.2").hits)
    assert all(h.kind == "practice" for h in lib.search("neglect", kind="practice").hits)
    only = lib.search("kind:passage neglect")
    assert only.hits and {h.kind for h in only.hits} == {"passage"}


def test_a_hyphenated_word_is_found_written_any_way(lib: Library, tmp_path: Path) -> None:
    from docx import Document

    word = Document()
    word.core_properties.title = "Working across agencies"
    word.add_heading("Colocated teams", 1)
    word.add_paragraph("The multi-agency hub keeps co-location of police and social workers.")
    path = tmp_path / "agencies.docx"
    word.save(str(path))
    lib.import_report(path)
    for text in ("multi-agency hub", "multiagency hub", "multi agency hub", "colocation police"):
        found = lib.search(text, kind="passage").hits
        assert found[0].key.startswith("working-across-agencies/"), text
        assert "[hub]" in found[0].snippet or "[police]" in found[0].snippet


def test_a_broad_query_ranks_headings_first(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    scored = lib.search("neglect", kind="passage", limit=60)
    ranked = [h.key for h in scored.hits]
    assert len(ranked) == scored.total > 8
    monkeypatch.setattr(passages, "BROAD", 5)  # "neglect" is now a broad query, and a word
    monkeypatch.setattr(passage_scores, "MOST", 5)  # in too many passages to keep
    broad = lib.search("neglect", kind="passage", limit=60)
    assert broad.total == scored.total
    keys = [h.key for h in broad.hits]
    assert sorted(keys) == sorted(ranked)  # the same passages...
    headed = [p.key for p in lib.passages(GUIDANCE) if "neglect" in (p.section or "").lower()]
    assert headed and set(keys[: len(headed)]) == set(headed)  # ...those under a heading first
    rest = [k for k in keys if k not in headed]
    order = [p.key for p in lib.passages(GUIDANCE)]
    assert rest == sorted(rest, key=order.index)  # then as they stand in the document


def test_a_new_edition_replaces_the_passages_and_the_doctor_counts_them(
    lib: Library, tmp_path: Path
) -> None:
    before = lib.search('"graded care profile"', kind="passage").total
    assert before > 0
    text = tmp_path / "responding-to-neglect.txt"
    text.write_text("# Responding to neglect: practice guidance for all agencies\n\n"
                    "## Scope\n\nA shorter edition without the profile.\n", "utf-8")  # fmt: skip
    assert lib.import_report(text).report == GUIDANCE
    assert lib.search('"graded care profile"', kind="passage").total == 0
    assert lib.search("shorter edition", kind="passage").total == 1
    index = lib.ensure_index()
    assert index.doc_count() == lib.store.search_documents()
    healthy, says = lib.index.check(lib.store.search_documents())
    assert healthy, says


def test_a_damaged_passage_file_is_rebuilt(lib: Library) -> None:
    folder = lib.data_dir / "index"
    lib.close()
    target = folder / passages.FILE_NAME
    target.write_bytes(target.read_bytes()[: target.stat().st_size // 2])
    assert not SearchIndex(folder)._files_intact()
    with Library.open(lib.data_dir) as again:
        assert again.search("graded care profile", kind="passage").total > 0
        assert (folder / passages.FILE_NAME).stat().st_size > target.stat().st_size // 2


def test_practice_concepts_reach_the_passages(lib: Library) -> None:
    """A concept's other terms find passages that never use the words typed ("common assessment
    framework" finds the guidance's "CAF"... passages); an exact search does not. Related
    concepts rank report items only (across thousands of passages FTS5 cannot weigh them lower)."""
    exact = lib.search("common assessment framework", kind="passage", exact=True, limit=50)
    expanded = lib.search("common assessment framework", kind="passage", limit=50)
    assert expanded.total > exact.total
    added = {h.key for h in expanded.hits} - {h.key for h in exact.hits}
    texts = [lib.get(key).text.lower() for key in added]  # type: ignore[union-attr]
    assert texts and all("common assessment framework" not in t for t in texts)
    related = {
        e["expansion"] for e in lib.search("supervision").expanded if e["relation"] == "related"
    }
    assert "management oversight" in related
    typed_only = {h.key for h in lib.search("supervision", kind="passage", limit=50).hits}
    for passage in lib.passages(GUIDANCE):
        if passage.key not in typed_only:
            assert "supervis" not in passage.text.lower()
