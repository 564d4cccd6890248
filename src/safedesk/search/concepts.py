"""The practice thesaurus: concepts of children's safeguarding and social work practice, and how a
query's words meet them.

`resources/thesaurus/practice-concepts.json` is SKOS-like: each concept has an id, a preferred
label, alternative labels, broader, narrower and related concepts and a one-line scope note. Typed
words meet a concept when, stemmed and in any order, leaving out function words, they are one of
its labels: "retention of staff" and "staff retention" are the same label, and so are "NQSWs" and
"NQSW". A concept's labels are searched at full weight; the labels of its related and narrower
concepts at RELATED_WEIGHT, so that what was typed still ranks first.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from safedesk.search.analysis import FUNCTION_WORDS, WORD, stem

FORMAT = "safedesk-thesaurus"
RELATED_WEIGHT = 0.35
SYNONYM = "synonym"
RELATED = "related"
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_FIELDS = ("id", "prefLabel", "altLabel", "broader", "narrower", "related", "scopeNote")

LabelKey = tuple[str, ...]


@dataclass(frozen=True)
class Concept:
    id: str
    pref_label: str
    alt_labels: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    scope_note: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.pref_label, *self.alt_labels)


@dataclass(frozen=True)
class Label:
    """One wording to search for: its text, its stems in order, and where it comes from."""

    text: str
    stems: tuple[str, ...]
    relation: str  # SYNONYM or RELATED
    concept: str  # the id of the concept it is a label of


@dataclass
class Expansion:
    """What a run of typed words adds to a search: labels at full weight and at RELATED_WEIGHT."""

    concepts: list[Concept]
    synonyms: list[Label] = field(default_factory=list)
    related: list[Label] = field(default_factory=list)


def words_of(text: str) -> list[str]:
    """Lower-case words of a label or typed text, hyphenated words in parts ("co-location")."""
    return [p for w in WORD.findall(text) for p in re.split(r"[-‐]", w.lower()) if p]


def stems_of(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words_of(text))


def label_key(text: str) -> LabelKey:
    """What two wordings of a label share: their stems, sorted, without function words (and
    without the "s" of a possessive)."""
    return tuple(sorted(stem(w) for w in words_of(text) if w not in FUNCTION_WORDS and w != "s"))


class Thesaurus:
    def __init__(self, concepts: Iterable[Concept]) -> None:
        self.concepts: dict[str, Concept] = {c.id: c for c in concepts}
        # what anything worked out from these concepts (and kept on disk) was worked out from
        self.digest = hashlib.sha256(repr(sorted(self.concepts.items())).encode()).hexdigest()
        self._by_key: dict[LabelKey, list[str]] = {}
        self._expansions: dict[tuple[str, tuple[str, ...]], Expansion] = {}
        self._longest = 1
        for concept in self.concepts.values():
            for text in concept.labels:
                key = label_key(text)
                if key:
                    ids = self._by_key.setdefault(key, [])
                    if concept.id not in ids:
                        ids.append(concept.id)
                # a typed run may carry function words the label does not ("retention of staff")
                self._longest = max(self._longest, len(text.split()) + 2)

    @classmethod
    def load(cls, path: Path) -> Thesaurus:
        return cls.from_data(json.loads(path.read_text("utf-8")))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Thesaurus:
        return cls(
            Concept(
                id=entry["id"],
                pref_label=entry["prefLabel"],
                alt_labels=tuple(entry.get("altLabel", [])),
                broader=tuple(entry.get("broader", [])),
                narrower=tuple(entry.get("narrower", [])),
                related=tuple(entry.get("related", [])),
                scope_note=entry.get("scopeNote", ""),
            )
            for entry in data.get("concepts", [])
        )

    # -- finding concepts ---------------------------------------------------------------------
    def match_at(self, tokens: Sequence[str], start: int) -> tuple[int, list[Concept]] | None:
        """The longest run `tokens[start:start+n]` that is one of a concept's labels: (n, the
        concepts). Runs begin and end with a word that is not a function word."""
        if start >= len(tokens) or tokens[start].lower() in FUNCTION_WORDS:
            return None
        for n in range(min(len(tokens) - start, self._longest), 0, -1):
            run = tokens[start : start + n]
            if run[-1].lower() in FUNCTION_WORDS:
                continue
            ids = self._by_key.get(label_key(" ".join(run)))
            if ids:
                return n, [self.concepts[i] for i in ids]
        return None

    def find(self, term: str) -> Concept | None:
        """The concept whose id or one of whose labels is `term` (stem-aware, any case)."""
        term = term.strip()
        if term in self.concepts:
            return self.concepts[term]
        ids = self._by_key.get(label_key(term))
        return self.concepts[ids[0]] if ids else None

    def roots(self) -> list[Concept]:
        return sorted(
            (c for c in self.concepts.values() if not c.broader), key=lambda c: c.pref_label
        )

    def children(self, concept: Concept) -> list[Concept]:
        return sorted((self.concepts[i] for i in concept.narrower), key=lambda c: c.pref_label)

    def descendants(self, concept: Concept) -> list[Concept]:
        """`concept` and every concept below it, each once."""
        seen: dict[str, Concept] = {}
        todo = [concept]
        while todo:
            current = todo.pop()
            if current.id not in seen:
                seen[current.id] = current
                todo += [self.concepts[i] for i in current.narrower]
        return list(seen.values())

    # -- expanding a query --------------------------------------------------------------------
    def expand(self, typed: str, concepts: list[Concept]) -> Expansion:
        """The labels to search besides `typed`: the concepts' own labels (synonyms), then their
        related and narrower concepts' labels. A label is left out when a wording already kept
        finds every item it would (a word inside it, or a phrase it contains), so each search
        stays small. (Remembered: the thesaurus does not change.)"""
        key = (typed, tuple(c.id for c in concepts))
        if key not in self._expansions:
            self._expansions[key] = self._expand(typed, concepts)
        return self._expansions[key]

    def _expand(self, typed: str, concepts: list[Concept]) -> Expansion:
        out = Expansion(concepts)
        kept: list[tuple[str, ...]] = []  # phrases searched so far
        bags = [frozenset(label_key(typed))]  # the typed words must all appear, in any order
        seen_concepts = {c.id for c in concepts}

        def add(target: list[Label], text: str, relation: str, concept: str) -> None:
            stems = stems_of(text)
            content = frozenset(s for w, s in zip(words_of(text), stems, strict=True)
                                if w not in FUNCTION_WORDS)  # fmt: skip
            if not stems or any(bag <= content for bag in bags if bag):
                return
            if any(_contains(stems, phrase) for phrase in kept):
                return
            kept.append(stems)
            if len(stems) == 1:
                bags.append(frozenset(stems))
            target.append(Label(text, stems, relation, concept))

        for concept in concepts:
            for text in concept.labels:
                add(out.synonyms, text, SYNONYM, concept.id)
        for concept in concepts:
            for other_id in (*concept.related, *concept.narrower):
                if other_id in seen_concepts:
                    continue
                seen_concepts.add(other_id)
                other = self.concepts[other_id]
                # its preferred term and its one-word terms: each phrase costs more to search
                # than a word, and a related idea is found by its main wordings
                for text in (other.pref_label, *(t for t in other.alt_labels if " " not in t)):
                    add(out.related, text, RELATED, other.id)
        return out


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """True if `shorter` occurs as consecutive stems in `longer`."""
    n = len(shorter)
    return 0 < n <= len(longer) and any(
        longer[i : i + n] == shorter for i in range(len(longer) - n + 1)
    )


@functools.lru_cache(maxsize=4)
def bundled(path: Path) -> Thesaurus:
    """The thesaurus file at `path`, loaded once per process."""
    return Thesaurus.load(path)


# -- checking the file ----------------------------------------------------------------------------
def problems(data: dict[str, Any]) -> list[str]:
    """Everything wrong with a thesaurus file's contents, as sentences (empty when it is sound):
    its form, sorting, dangling references, asymmetric relations, cycles through `broader`,
    labels that analyse to nothing, and a label (stem-aware, in any order) used by two concepts
    without being listed under `sharedLabels` with a reason."""
    found: list[str] = []
    if data.get("format") != FORMAT:
        found.append(f"format is not {FORMAT!r}")
    entries = data.get("concepts")
    if not isinstance(entries, list) or not entries:
        return [*found, "no concepts"]
    ids = [e.get("id") for e in entries]
    if ids != sorted(ids, key=str):
        found.append("concepts are not sorted by id")
    by_id = {e["id"]: e for e in entries if isinstance(e.get("id"), str)}
    if len(by_id) != len(entries):
        found.append("a concept id is missing or repeated")
    shared = {
        label_key(s.get("label", "")): set(s.get("concepts", []))
        for s in data.get("sharedLabels", [])
        if s.get("why")
    }
    owners: dict[LabelKey, set[str]] = {}
    for entry in entries:
        cid = entry.get("id", "?")
        if list(entry) != list(_FIELDS):
            found.append(f"{cid}: fields should be {', '.join(_FIELDS)} in that order")
        if not _ID.fullmatch(str(cid)):
            found.append(f"{cid}: ids are lower-case words joined by hyphens")
        note = entry.get("scopeNote", "")
        if not isinstance(note, str) or not note.strip() or "\n" in note:
            found.append(f"{cid}: the scope note must be one line")
        for relation in ("broader", "narrower", "related"):
            for other in entry.get(relation, []):
                if other not in by_id:
                    found.append(f"{cid}: {relation} {other!r} is not a concept")
                elif other == cid:
                    found.append(f"{cid}: {relation} itself")
        for other in entry.get("broader", []):
            if other in by_id and cid not in by_id[other].get("narrower", []):
                found.append(f"{cid}: broader {other!r} does not list it as narrower")
        for other in entry.get("narrower", []):
            if other in by_id and cid not in by_id[other].get("broader", []):
                found.append(f"{cid}: narrower {other!r} does not list it as broader")
        for other in entry.get("related", []):
            if other in by_id and cid not in by_id[other].get("related", []):
                found.append(f"{cid}: related {other!r} is not related back")
        labels = [entry.get("prefLabel", ""), *entry.get("altLabel", [])]
        keys: set[LabelKey] = set()
        for text in labels:
            key = label_key(text) if isinstance(text, str) else ()
            if not key:
                found.append(f"{cid}: label {text!r} has no word to search for")
                continue
            if key in keys:
                found.append(f"{cid}: label {text!r} says the same as another of its labels")
            keys.add(key)
            owners.setdefault(key, set()).add(cid)
    for key, cids in sorted(owners.items()):
        if len(cids) > 1 and not cids <= shared.get(key, set()):
            found.append(f"label {' '.join(key)!r} belongs to {', '.join(sorted(cids))}")
    found += _cycles(by_id)
    return found


def _cycles(by_id: dict[str, dict[str, Any]]) -> list[str]:
    found: list[str] = []
    for start in by_id:
        path = [start]
        todo = [(start, [start])]
        while todo:
            current, path = todo.pop()
            for up in by_id.get(current, {}).get("broader", []):
                if up == start:
                    found.append(f"{start}: broader concepts lead back to it ({' > '.join(path)})")
                    todo = []
                    break
                if up in by_id and up not in path:
                    todo.append((up, [*path, up]))
    return found
