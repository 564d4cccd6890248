"""What a search looked for, and where a text has it: the words and phrases to mark, snippets that
show the part of a text where the match is, and the typed words a text lacks.

`Matched` comes from the Whoosh query that ran (so it holds expansions as well as typed words) and
is what `SearchResult.matched` carries: index stems, unstemmed prefixes and phrases as stem
sequences. A phrase is marked only where its words stand together, as one span.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from safedesk.search.analysis import WORD, word_stems
from safedesk.search.querylang import Unit

SNIPPET_CHARS = 220
_PART = re.compile(r"[^-‐]+")

Span = tuple[int, int, str]  # start, end, what it matched (a stem or a phrase)


@dataclass
class Matched:
    stems: set[str] = field(default_factory=set)
    prefixes: list[str] = field(default_factory=list)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def to_json(self) -> dict[str, list[Any]]:
        return {
            "stems": sorted(self.stems),
            "prefixes": list(dict.fromkeys(self.prefixes)),
            "phrases": [list(p) for p in dict.fromkeys(self.phrases)],
        }

    @classmethod
    def from_json(cls, data: dict[str, list[Any]]) -> Matched:
        return cls(
            set(data.get("stems", [])),
            list(data.get("prefixes", [])),
            [tuple(p) for p in data.get("phrases", [])],
        )


def matched_by(q: Any) -> Matched:
    """The stems, prefixes and phrases a Whoosh query looks for (not those under NOT)."""
    from whoosh.query import Not, Phrase, Prefix

    found = Matched()

    def text_of(term: Any) -> str:
        return term.decode("utf-8") if isinstance(term, bytes) else str(term)

    def walk(node: Any) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, Prefix):
            found.prefixes.append(text_of(node.text))
            return
        if isinstance(node, Phrase):
            words = tuple(text_of(w) for w in node.words)
            if len(words) == 1:
                found.stems.add(words[0])
            elif words:
                found.phrases.append(words)
            return
        if node.is_leaf():
            for _field, term in node.terms():
                found.stems.add(text_of(term))
            return
        for child in node.children():
            walk(child)

    walk(q)
    return found


# -- where a text has it ------------------------------------------------------------------------
Position = tuple[int, int, frozenset[str]]  # start, end, the stems it is indexed under


@dataclass(frozen=True)
class _Tokens:
    words: list[Position]  # each word, a hyphenated one whole
    parts: list[Position]  # word positions as the index counts them: a hyphenated word's parts
    by_stem: dict[str, list[int]]  # stem -> indexes into words
    part_by_stem: dict[str, list[int]]  # stem -> indexes into parts


@functools.lru_cache(maxsize=256)
def _tokens(text: str) -> _Tokens:
    """A text's words, read once (searches show the same items again and again)."""
    words: list[Position] = []
    parts: list[Position] = []
    for m in WORD.finditer(text):
        word, start = m.group(), m.start()
        words.append((start, m.end(), word_stems(word)))
        if "-" in word or "‐" in word:
            for piece in _PART.finditer(word):
                span = (start + piece.start(), start + piece.end())
                parts.append((*span, word_stems(piece.group())))
        else:
            parts.append(words[-1])
    return _Tokens(words, parts, _index(words), _index(parts))


def _index(positions: list[Position]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for i, (_start, _end, stems) in enumerate(positions):
        for one in stems:
            found.setdefault(one, []).append(i)
    return found


def _phrase_spans(tokens: _Tokens, phrase: tuple[str, ...]) -> Iterable[Span]:
    """Where the stems of `phrase` stand one after another."""
    parts, n = tokens.parts, len(phrase)
    label = " ".join(phrase)
    for i in tokens.part_by_stem.get(phrase[0], []):
        if i + n <= len(parts) and all(phrase[j] in parts[i + j][2] for j in range(1, n)):
            yield parts[i][0], parts[i + n - 1][1], label


def spans(text: str, matched: Matched) -> list[Span]:
    """Where `text` has what was looked for, in order, overlapping spans joined."""
    return _joined(_spans(text, matched))


def _spans(text: str, matched: Matched) -> list[Span]:
    tokens = _tokens(text)
    found: dict[int, Span] = {}
    for one in sorted(matched.stems):
        for i in tokens.by_stem.get(one, []):
            found.setdefault(i, (*tokens.words[i][:2], one))
    if matched.prefixes:
        prefixes = tuple(matched.prefixes)
        for i, (start, end, _stems) in enumerate(tokens.words):
            if i not in found and text[start:end].lower().startswith(prefixes):
                found[i] = (start, end, text[start:end].lower())
    every = list(found.values())
    have = tokens.part_by_stem
    for phrase in matched.phrases:
        if all(one in have for one in phrase):
            every += _phrase_spans(tokens, phrase)
    every.sort()
    return every


def _joined(found: list[Span]) -> list[Span]:
    joined: list[Span] = []
    for start, end, label in found:
        if joined and start <= joined[-1][1]:
            last = joined[-1]
            joined[-1] = (last[0], max(last[1], end), last[2])
        else:
            joined.append((start, end, label))
    return joined


def wordings_in(text: str, wordings: list[tuple[str, ...]]) -> list[int]:
    """Which of `wordings` (stem sequences) `text` has: their indexes. (Not remembered: this
    reads many texts once each.)"""
    tokens = _tokens.__wrapped__(text)
    have = tokens.part_by_stem
    return [
        i
        for i, stems in enumerate(wordings)
        if all(one in have for one in stems)
        and (len(stems) == 1 or next(iter(_phrase_spans(tokens, stems)), None) is not None)
    ]


def lacks(text: str, units: list[Unit]) -> list[str]:
    """The typed words (units) that `text` has in none of their forms."""
    if not units:
        return []
    tokens = _tokens(text)
    missing = []
    for unit in units:
        found = any(all(s in tokens.by_stem for s in bag) for bag in unit.bags)
        for phrase in unit.phrases:
            if found:
                break
            if len(phrase) == 1:
                found = phrase[0] in tokens.by_stem
            else:
                found = next(iter(_phrase_spans(tokens, phrase)), None) is not None
        if not found:
            missing.append(unit.text)
    return missing


def snippet(
    text: str, matched: Matched, width: int = SNIPPET_CHARS, prefer: Sequence[Matched] = ()
) -> str:
    """The part of `text` where the most different things looked for stand close together (those
    in `prefer` first, in its order: what was typed, then its synonyms, rather than related
    wordings), each wrapped in [ ] (a phrase as one); the opening when nothing is there (a match
    in the title only)."""
    every = _spans(text, matched)
    if not every:
        cut = text[:width].rsplit(" ", 1)[0] if len(text) > width else text
        return _flat(cut) + ("…" if len(text) > width else "")
    wanted = [set(_spans(text, marks)) for marks in prefer]
    best_start, best = every[0][0], (0,) * (len(wanted) + 2)
    starts = [span[0] for span in every]  # in order: each window is a slice
    for start in starts:
        low, high = (bisect.bisect_left(starts, at) for at in (start, start + width))
        inside = every[low:high]
        preferred = [len({span[2] for span in inside if span in spans}) for spans in wanted]
        score = (*preferred, len({span[2] for span in inside}), len(inside))
        if score > best:
            best_start, best = start, score
    found = _joined(every)
    begin = max(0, best_start - 40)
    if begin > 0:
        space = text.rfind(" ", 0, begin + 1)
        begin = space + 1 if space >= 0 else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if space != -1 else len(text)
    out: list[str] = []
    pos = begin
    for s, e, _label in found:
        if s < begin or e > end:
            continue
        out.append(text[pos:s])
        out.append(f"[{text[s:e]}]")
        pos = e
    out.append(text[pos:end])
    return ("…" if begin > 0 else "") + _flat("".join(out)) + ("…" if end < len(text) else "")


def _flat(text: str) -> str:
    return " ".join(text.replace("\n- ", " • ").split())
