"""The query language users type, turned into safe Whoosh query syntax.

Plain words (all must match), "quoted phrases", -excluded words, OR, prefix* (three letters or
more), and filters theme:, authority:, report:, kind: (with "quoted values" for spaces). Acronyms
are expanded both ways ("LAC" also finds "looked after children" and the reverse). Anything
unbalanced or meaningless (a lone AND, an empty theme:, a stray quote) is dropped, with a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from safedesk.search.analysis import stem
from safedesk.search.glossary import Glossary

FILTER_FIELDS = ("theme", "authority", "report", "kind")
MIN_PREFIX = 3
PREFIX_WORDS = 12  # how many library words a typed prefix* expands to, most common first
TYPING_WORDS = 5  # the same for the unfinished last word while typing
OPERATORS = {"AND", "OR", "NOT"}
# Function words are not required to match unless quoted ("parents with mental health issues").
FUNCTION_WORDS = {
    "a", "an", "and", "the", "of", "in", "on", "for", "to", "with", "by", "from", "at", "as", "is",
    "are", "be", "or", "into", "about", "how", "what", "who", "their", "our", "its",
}  # fmt: skip
_FILTER = re.compile(r'(?i)\b(theme|authority|report|kind):(?:"([^"]*)"?|(\S*))')
_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')


@dataclass
class ParsedQuery:
    whoosh: str  # Whoosh syntax over the title/body fields ("" if nothing searchable is left)
    filters: dict[str, list[str]] = field(default_factory=dict)
    expanded: list[dict[str, str]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words as typed, for spelling
    notes: list[str] = field(default_factory=list)
    prefix: str | None = None  # the unfinished last word when typing
    short_prefix: bool = False  # that word has only one or two letters


def _quote(phrase: str) -> str:
    return '"' + phrase.replace('"', " ") + '"'


Completer = Callable[[str, int], list[str]]


def parse(
    text: str, glossary: Glossary | None, typing: bool = False, complete: Completer | None = None
) -> ParsedQuery:
    """Rewrite `text`. With `typing`, the last word is unfinished: it matches its most common
    completions, `complete(prefix)`, or for one or two letters the words of titles."""
    result = ParsedQuery("")
    for match in _FILTER.finditer(text):
        name, value = match.group(1).lower(), (match.group(2) or match.group(3) or "").strip()
        if value:
            result.filters.setdefault(name, []).append(value)
        else:
            result.notes.append(f"'{name}:' needs a value, e.g. {name}:leadership; it was ignored.")
    text = _FILTER.sub(" ", text)
    if text.count('"') % 2:
        text = text[::-1].replace('"', "", 1)[::-1]
        result.notes.append("An unmatched quote was ignored.")
    unfinished = typing and bool(text) and not text[-1].isspace()
    tokens = _TOKEN.findall(text)
    if tokens.count("(") != tokens.count(")"):
        tokens = [t for t in tokens if t not in "()"]
        result.notes.append("Unmatched brackets were ignored.")
    out = _rewrite(tokens, glossary, result, unfinished, complete)
    result.whoosh = " ".join(_tidy(out))
    return result


def _rewrite(
    tokens: list[str],
    glossary: Glossary | None,
    result: ParsedQuery,
    unfinished: bool,
    complete: Completer | None,
) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        last = i == len(tokens) - 1
        if token in "()" or token.upper() in OPERATORS:
            out.append(token.upper() if token.upper() in OPERATORS else token)
            i += 1
            continue
        if token.startswith('"'):
            phrase = " ".join(re.findall(r"[\w'-]+", token))
            if phrase:
                out.append(_quote(phrase))
            i += 1
            continue
        negated = token.startswith("-")
        word = re.sub(r"[^\w'*-]", " ", token.lstrip("-+")).strip(" '-")
        if not word:
            i += 1
            continue
        if "*" in word:
            stem_part = word.split("*")[0].lower()
            if len(stem_part) >= MIN_PREFIX and re.fullmatch(r"[\w'-]+", stem_part):
                # the prefix becomes the library's words that start so (at most PREFIX_WORDS)
                completions = complete(stem_part, PREFIX_WORDS) if complete else []
                options = completions or [stem_part]
                clause = "(" + " OR ".join(_word_clause(w) for w in options) + ")"
                out.append(("NOT " if negated else "") + clause)
            elif stem_part:
                out.append(("NOT " if negated else "") + _quote(stem_part))
            i += 1
            continue
        if negated:
            out.append(f"NOT {_quote(word)}")
            i += 1
            continue
        if unfinished and last:
            result.prefix = word
            out.append(_prefix_clause(word, glossary, result, complete))
            i += 1
            continue
        found = glossary.phrase_at(_plain_run(tokens, i), 0) if glossary else None
        if found is not None:
            length, defined = found
            written = " ".join(tokens[i : i + length])
            out.append(f"({_quote(written)} OR {defined.term.lower()})")
            result.expanded.append({"term": defined.term, "expansion": written})
            result.words += tokens[i : i + length]
            i += length
            continue
        if word.lower() in FUNCTION_WORDS and not (unfinished and last):
            i += 1
            continue
        acronym = glossary.acronym(word) if glossary else None
        if acronym is not None:
            options = [word.lower()] + [_quote(e) for e in _distinct(acronym.expansions)]
            out.append("(" + " OR ".join(options) + ")")
            result.expanded.append({"term": acronym.term, "expansion": acronym.expansions[0]})
        else:
            out.append(_word_clause(word))
            result.words.append(word)
        i += 1
    return out


def _distinct(expansions: list[str]) -> list[str]:
    """One phrase per wording: plurals and hyphenated spellings match the same phrase anyway
    (hyphenated words keep their parts at consecutive positions), so searching both only costs."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for expansion in expansions:
        stems = tuple(stem(w.lower()) for w in re.findall(r"[^\W_]+", expansion))
        if stems and stems not in seen:
            seen.add(stems)
            out.append(expansion.replace("-", " "))
    return out


def _word_clause(word: str) -> str:
    """A plain word; hyphenated words match written joined, hyphenated or as two words."""
    parts = [p for p in re.split(r"[-‐']", word.lower()) if p]
    if len(parts) == 1:
        return parts[0]
    joined = "".join(parts)
    return f'({joined} OR "{" ".join(parts)}")' if "-" in word else f'"{" ".join(parts)}"'


def _plain_run(tokens: list[str], start: int) -> list[str]:
    run = []
    for token in tokens[start:]:
        if not re.fullmatch(r"[\w'-]+", token) or token.upper() in OPERATORS:
            break
        run.append(token)
    return run


def _prefix_clause(
    word: str, glossary: Glossary | None, result: ParsedQuery, complete: Completer | None
) -> str:
    """What an unfinished word matches while typing; bounded so that it stays fast."""
    lower = word.lower()
    term = glossary.acronym(word) if glossary else None
    if term is None and glossary is not None and len(word) >= 2 and word.isupper():
        term = glossary.terms.get(lower)
    if term is not None:
        result.expanded.append({"term": term.term, "expansion": term.expansions[0]})
        return "(" + " OR ".join([lower, *(_quote(e) for e in _distinct(term.expansions))]) + ")"
    if len(word) < MIN_PREFIX:
        # one or two letters: practice titles with a word starting so, not the whole library
        result.short_prefix = True
        return f"(title_words:{lower}*)"
    options = dict.fromkeys([lower, *(complete(lower, TYPING_WORDS) if complete else [])])
    return "(" + " OR ".join(_word_clause(w) for w in options) + ")"


def _tidy(tokens: list[str]) -> list[str]:
    """Drop operators with nothing to join and empty brackets."""
    changed = True
    while changed:
        changed = False
        for i, token in enumerate(tokens):
            prev = tokens[i - 1] if i else None
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            dangling = token in ("AND", "OR") and (
                prev in (None, "(", "AND", "OR", "NOT") or nxt in (None, ")", "AND", "OR")
            )
            lone_not = token == "NOT" and nxt in (None, ")", "AND", "OR", "NOT")
            empty = token == "(" and nxt == ")"
            if dangling or lone_not or empty:
                del tokens[i : i + (2 if empty else 1)]
                changed = True
                break
    return tokens
