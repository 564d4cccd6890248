"""The Whoosh full-text index: derived data, always rebuildable from the store.

The index folder carries a stamp (index schema version + the store's content generation). If the
stamp is missing or differs, or Whoosh cannot read the folder, `SearchIndex.ensure` rebuilds it in
a temporary folder and swaps it in with a rename, so a crash mid-build never leaves a broken index.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safedesk.search import passages
from safedesk.search.analysis import WORD, plain_analyzer, stemming_analyzer, word_forms
from safedesk.store.reader import Document

if TYPE_CHECKING:
    from safedesk.search.passages import PassageIndex
    from safedesk.search.spelling import Speller

log = logging.getLogger(__name__)

INDEX_SCHEMA_VERSION = 8  # 5: files fingerprinted; 6: a stored page; 7: acronym plurals;
# 8: documents' passages in passages.sqlite3 (FTS5), not in Whoosh
VOCABULARY_NAME = "vocabulary.json"
CONCEPTS_NAME = "concepts.json"  # which items have which practice concept, per report
STAMP_NAME = "safedesk-stamp.json"
TITLE_BOOST = 2.0  # a query's weight on title matches (the title field is also boosted at indexing)
Progress = Callable[[str, float], None]


def _schema() -> Any:
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True),
        report=ID(stored=True),
        theme=ID(stored=True),
        authority=ID(stored=True),
        facets=KEYWORD(commas=True),
        number=STORED,
        page=STORED,  # the original's page (passages; boxes and sections from a PDF)
        theme_title=STORED,
        authority_name=STORED,
        title=TEXT(analyzer=stemming_analyzer(), stored=True, field_boost=2.0),
        body=TEXT(analyzer=stemming_analyzer(), stored=True),
        # unstemmed title words: what one or two typed letters match
        title_words=TEXT(analyzer=plain_analyzer(), phrase=False),
    )


class IndexUnavailable(Exception):
    """The index folder is missing, stale or unreadable (and must be rebuilt)."""


class SearchIndex:
    """One Whoosh index on disk, with a cached searcher that is reused between queries."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ix: Any = None
        self._searcher: Any = None
        self._schema: Any = None
        self.generation: str | None = None  # the store generation the open index was built from
        self._vocabulary: dict[str, int] | None = None
        self._speller: Speller | None = None
        self._sorted_words: list[str] | None = None
        self._facets: dict[str, list[str]] = {}
        self._parsers: dict[bool, Any] = {}
        # worked out from the open index and kept until it closes (e.g. each concept's items)
        self.derived: dict[str, Any] = {}
        self.passages: PassageIndex | None = None  # documents' passages (FTS5), when open

    # -- lifecycle ----------------------------------------------------------------------------
    def stamp(self) -> dict[str, Any] | None:
        try:
            data = json.loads((self.path / STAMP_NAME).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def is_current(self, generation: str) -> bool:
        stamp = self.stamp() or {}
        return (stamp.get("schema"), stamp.get("generation")) == (INDEX_SCHEMA_VERSION, generation)

    def open(self, generation: str) -> None:
        """Open the index if it is current and intact; raise IndexUnavailable otherwise."""
        if not self.is_current(generation):
            raise IndexUnavailable("the search index is missing or out of date")
        if not (self.path / VOCABULARY_NAME).is_file():
            raise IndexUnavailable("the search index has no vocabulary")
        if not self._files_intact():
            raise IndexUnavailable("the search index is damaged (its files changed on disk)")
        from whoosh import index

        from safedesk.search.passages import PassageIndex

        try:
            self._ix = index.open_dir(str(self.path))
            self._schema = self._ix.schema  # reading it re-reads the TOC file: do it once
            self._searcher = self._ix.searcher()
            self._searcher.doc_count()
            self.passages = PassageIndex(self.path / passages.FILE_NAME)
            self.generation = generation
        except Exception as exc:  # Whoosh raises many types for damaged files
            self.close()
            raise IndexUnavailable(f"the search index is damaged ({type(exc).__name__})") from None

    def rebuild(
        self, documents: Iterable[Document], generation: str, progress: Progress | None = None
    ) -> int:
        """Build a fresh index from `documents` beside the old one, then swap it in."""
        from whoosh import index

        self.close()
        docs = list(documents)
        words = [d for d in docs if d.kind != "passage"]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        build = Path(tempfile.mkdtemp(prefix=".index-build-", dir=self.path.parent))
        try:
            ix = index.create_in(str(build), _schema())
            writer = ix.writer(limitmb=64)
            for i, doc in enumerate(words):
                writer.add_document(**_fields(doc))
                if progress and i % 50 == 0:
                    progress("Indexing for search", 0.5 * i / max(1, len(words)))
            writer.commit()
            ix.close()
            passages.create(build / passages.FILE_NAME, _passages(docs, progress, 0.5))
            vocab: dict[str, dict[str, int]] = {}
            for doc in docs:
                _count_words(vocab.setdefault(doc.report, {}), doc)
            _write_json(build / VOCABULARY_NAME, vocab)
            self._write_stamp(build, generation)
            old = self.path.with_name(self.path.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if self.path.exists():
                self.path.rename(old)
            build.rename(self.path)
            shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        if progress:
            progress("Indexing for search", 1.0)
        log.info("search index rebuilt: %d documents", len(docs))
        self.open(generation)
        return len(docs)

    def update(
        self,
        report: str,
        documents: Iterable[Document],
        generation: str,
        progress: Progress | None = None,
    ) -> int:
        """Replace one report's documents in the open index, then stamp the new generation.

        A crash before the stamp is written leaves the old stamp, so the next open rebuilds.
        """
        docs = list(documents)
        words = [d for d in docs if d.kind != "passage"]
        writer = self._ix.writer(limitmb=64)
        try:
            writer.delete_by_term("report", report)
            for i, doc in enumerate(words):
                writer.add_document(**_fields(doc))
                if progress and i % 50 == 0:
                    progress("Indexing for search", 0.3 * i / max(1, len(words)))
            writer.commit(mergetype=merge_bounded)
        except BaseException:
            writer.cancel()
            raise
        self._forget_concepts(report)
        if self.passages is not None:
            self.passages.close()
            self.passages = None
        passages.replace(
            self.path / passages.FILE_NAME, report, _passages(docs, progress, 0.3, 0.6)
        )
        vocab = self._vocabulary_by_report()
        vocab[report] = {}
        for doc in docs:
            _count_words(vocab[report], doc)
        _write_json(self.path / VOCABULARY_NAME, vocab)
        self._write_stamp(self.path, generation)
        self.close()
        self.open(generation)
        if progress:
            progress("Indexing for search", 1.0)
        return len(docs)

    def settle(self) -> None:
        """Until the work a search started aside is done: what it reads for the next search
        (benchmarks measure warm searches after it; the app never waits for it)."""
        if self.passages is not None:
            self.passages.settle()

    def doc_count(self) -> int:
        """How many items the index holds: Whoosh's documents and the passages."""
        count = int(self.searcher.doc_count())
        return count + (self.passages.count() if self.passages is not None else 0)

    def speller(self) -> Speller:
        """The 'did you mean' speller over this index's words (built once per open)."""
        from safedesk.search.spelling import Speller

        if self._speller is None:
            self._speller = Speller(self.vocabulary())
        return self._speller

    def parser(self, every_word: bool = True) -> Any:
        """A query parser over title and body (all words required, or any), made once."""
        if every_word not in self._parsers:
            from whoosh import qparser

            group = qparser.AndGroup if every_word else qparser.OrGroup.factory(0.9)
            self._parsers[every_word] = qparser.MultifieldParser(
                ["title", "body"], self.schema, group=group, fieldboosts={"title": TITLE_BOOST}
            )
        return self._parsers[every_word]

    def completions(self, prefix: str, limit: int = 5) -> list[str]:
        """The most common indexed words starting with `prefix` (how typing expands a word)."""
        import bisect

        if self._sorted_words is None:
            self._sorted_words = sorted(self.vocabulary())
        words = self._sorted_words
        lo = bisect.bisect_left(words, prefix)
        hi = bisect.bisect_left(words, prefix + "\uffff")
        counts = self.vocabulary()
        return sorted(words[lo:hi], key=lambda w: (-counts[w], w))[:limit]

    def facet_values(self, field: str) -> list[str]:
        """The value of ID field `field` for every document number (built once per open)."""
        if field not in self._facets:
            reader = self.searcher.reader()
            values = [""] * reader.doc_count_all()
            for term, _info in reader.iter_field(field):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                for docnum in reader.postings(field, term).all_ids():
                    values[docnum] = value
            self._facets[field] = values
        return self._facets[field]

    def vocabulary(self) -> dict[str, int]:
        """Every word (lower case, unstemmed) with the number of documents it appears in.

        Kept per report in vocabulary.json beside the index: 'did you mean' draws on it, and
        prefixes expand through it, which costs far less than indexing every word twice.
        """
        if self._vocabulary is None:
            merged: dict[str, int] = {}
            for counts in self._vocabulary_by_report().values():
                for word, n in counts.items():
                    merged[word] = merged.get(word, 0) + n
            self._vocabulary = merged
        return self._vocabulary

    def _vocabulary_by_report(self) -> dict[str, dict[str, int]]:
        try:
            data = json.loads((self.path / VOCABULARY_NAME).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _forget_concepts(self, report: str) -> None:
        """The report's documents change: what was worked out about their concepts goes."""
        path = self.path / CONCEPTS_NAME
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and isinstance(data.get("reports"), dict):
            data["reports"].pop(report, None)
            _write_json(path, data)

    @staticmethod
    def _write_stamp(folder: Path, generation: str) -> None:
        """The stamp names what the index was built from and fingerprints every file in it, so
        damage on disk (a bad sector, a stray write) is found before Whoosh reads garbage."""
        _write_json(
            folder / STAMP_NAME,
            {"schema": INDEX_SCHEMA_VERSION, "generation": generation, "files": _digests(folder)},
        )

    def _files_intact(self) -> bool:
        recorded = (self.stamp() or {}).get("files")
        if not isinstance(recorded, dict) or not recorded:
            return False
        present = _digests(self.path, set(recorded))
        return present == recorded

    def close(self) -> None:
        if self.passages is not None:
            self.passages.close()
            self.passages = None
        if self._searcher is not None:
            self._searcher.close()
        if self._ix is not None:
            self._ix.close()
        self._searcher = self._ix = self._schema = None
        self.generation = None
        self._vocabulary = None
        self._speller = None
        self._sorted_words = None
        self._facets = {}
        self._parsers = {}
        self.derived = {}

    @property
    def searcher(self) -> Any:
        if self._searcher is None:
            raise IndexUnavailable("the search index is not open")
        return self._searcher

    @property
    def schema(self) -> Any:
        if self._schema is None:
            raise IndexUnavailable("the search index is not open")
        return self._schema


def _passages(
    docs: list[Document], progress: Progress | None, start: float, share: float = 0.5
) -> Iterator[Document]:
    """The passages among `docs`, reporting progress in [start, start + share] as they go."""
    chosen = [d for d in docs if d.kind == "passage"]
    for i, doc in enumerate(chosen):
        if progress and i % 200 == 0:
            progress("Indexing passages", start + share * i / max(1, len(chosen)))
        yield doc


def _fields(doc: Document) -> dict[str, Any]:
    facets = [f"kind:{doc.kind}", f"report:{doc.report}"]
    if doc.theme:
        facets.append(f"theme:{doc.theme}")
    if doc.authority:
        facets.append(f"authority:{doc.authority}")
    return {
        "key": doc.key,
        "kind": doc.kind,
        "report": doc.report,
        "theme": doc.theme,
        "authority": doc.authority,
        "facets": ",".join(facets),
        "number": doc.number,
        "page": doc.page,
        "theme_title": doc.theme_title,
        "authority_name": doc.authority_name,
        "title": doc.title,
        "body": doc.text,
        "title_words": doc.title,
    }


MERGE_MAX_DOCS = 600  # the most documents one import may spend time merging (~1 s here)
MERGE_MIN_SEGMENTS = 6  # below this many segments, never merge


def merge_bounded(writer: Any, segments: list[Any]) -> list[Any]:
    """A Whoosh merge policy with a ceiling: merge only the smallest segments, up to
    MERGE_MAX_DOCS documents in all. Whoosh's own policy sometimes merges the whole index in one
    go, which in pure Python takes seconds; this keeps every import's share of merging bounded
    while the number of segments (which slows searching) stays around ten."""
    from whoosh.reading import SegmentReader

    if len(segments) < MERGE_MIN_SEGMENTS:
        return segments
    by_size = sorted(segments, key=lambda s: s.doc_count_all())
    chosen: list[Any] = []
    total = 0
    for segment in by_size:
        if total + segment.doc_count_all() > MERGE_MAX_DOCS:
            break
        chosen.append(segment)
        total += segment.doc_count_all()
    if len(chosen) < 2:
        return segments
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in chosen]


def _count_words(counts: dict[str, int], doc: Document) -> None:
    """Add each distinct word of `doc` (and each hyphenated word's parts and joined form)."""
    words: set[str] = set()
    for token in set(WORD.findall(f"{doc.title}\n{doc.text}")):
        words |= _forms(token)
    for word in words:
        counts[word] = counts.get(word, 0) + 1


@functools.lru_cache(maxsize=65536)
def _forms(token: str) -> frozenset[str]:
    """`word_forms`, remembered: a library repeats its words (a passage is indexed in ~3 ms)."""
    return frozenset(word_forms(token))


def _digests(folder: Path, names: set[str] | None = None) -> dict[str, str]:
    """SHA-256 of each index file in `folder` (all but the stamp, the concepts file and Whoosh's
    lock files, or just `names`); about a millisecond for this library's index."""
    found: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        name = path.name
        if names is not None and name not in names:
            continue
        # concepts.json is rewritten after the stamp, and checks itself (see search/browse.py)
        skip = name in (STAMP_NAME, CONCEPTS_NAME) or name.endswith(("LOCK", ".partial"))
        if skip or not path.is_file():
            continue
        if name.startswith(passages.FILE_NAME):  # SQLite finds its own damage; hashing tens of
            found[name] = f"size:{path.stat().st_size}"  # MB at every start would be slow
            continue
        try:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
    return found


def _write_json(path: Path, data: object) -> None:
    from safedesk.fileio import replace_atomically

    text = json.dumps(data, separators=(",", ":"))
    replace_atomically(path, lambda partial: partial.write_text(text, "utf-8"))
