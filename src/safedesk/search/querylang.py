"""The query language users type, turned into safe Whoosh query syntax.

Plain words (all must match), "quoted phrases", -excluded words, OR, prefix* (three letters or
more), and filters theme:, authority:, report:, kind: (with "quoted values" for spaces). Acronyms
are expanded both ways ("LAC" also finds "looked after children" and the reverse). Words that are
a practice concept's label also find its other labels, and at a lower weight its related and
narrower concepts' labels ("supervision" also finds "management oversight"); quoted phrases are
never expanded so. Anything unbalanced or meaningless (a lone AND, an empty theme:, a stray quote,
an unknown field such as title:) is dropped, with a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from safedesk.search.analysis import FUNCTION_WORDS, stem
from safedesk.search.concepts import Concept, Thesaurus, label_key, stems_of
from safedesk.search.glossary import Glossary, Term

FILTER_FIELDS = ("theme", "authority", "report", "kind")
MIN_PREFIX = 3
PREFIX_WORDS = 12  # how many library words a typed prefix* expands to, most common first
TYPING_WORDS = 5  # the same for the unfinished last word while typing
OPERATORS = {"AND", "OR", "NOT"}
_FILTER = re.compile(r'(?i)\b(theme|authority|report|kind):(?:"([^"]*)"?|(\S*))')
_TOKEN = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')
_FIELD = re.compile(r"(?<![\w:/])([A-Za-z]\w*):(?!//)")
_CONCEPT_WORD = re.compile(r"\w[\w'-]*")


@dataclass(frozen=True)
class Unit:
    """One thing the user asked for (a word, a phrase, an acronym, a concept's words) and every
    form that counts as finding it: stem sequences (one stem for a word), or sets of stems that
    must all appear (the typed words of a concept, in any order)."""

    text: str
    phrases: tuple[tuple[str, ...], ...]
    bags: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class ConceptGroup:
    """A concept clause, which the search builds into a Whoosh query in place of its placeholder
    word: the typed words (each as the stem sequences it is searched as; all required), or a
    concept's labels at full weight, or related labels at RELATED_WEIGHT, scored by the best.
    Several typed words (a label themselves) count at full weight as the phrase typed, and only
    at RELATED_WEIGHT when they stand apart."""

    typed: tuple[tuple[tuple[str, ...], ...], ...]
    synonyms: tuple[tuple[str, ...], ...]
    related: tuple[tuple[str, ...], ...]
    phrase: tuple[str, ...] = ()  # the typed words as stems, when there are several


def placeholder(n: int) -> str:
    """A word no text has and no analysis changes: "zzqkak", "zzqkbk", ..."""
    return "zzqk" + "".join(chr(ord("a") + int(d)) for d in str(n)) + "k"


@dataclass
class ParsedQuery:
    whoosh: str  # Whoosh syntax over the title/body fields ("" if nothing searchable is left)
    filters: dict[str, list[str]] = field(default_factory=dict)
    expanded: list[dict[str, str]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # plain words as typed, for spelling
    notes: list[str] = field(default_factory=list)
    prefix: str | None = None  # the unfinished last word when typing
    short_prefix: bool = False  # that word has only one or two letters
    units: list[Unit] = field(default_factory=list)  # what must be found (not under NOT)
    groups: dict[str, ConceptGroup] = field(default_factory=dict)  # by placeholder word


def _quote(phrase: str) -> str:
    return '"' + phrase.replace('"', " ") + '"'


Completer = Callable[[str, int], list[str]]


def parse(
    text: str,
    glossary: Glossary | None,
    typing: bool = False,
    complete: Completer | None = None,
    thesaurus: Thesaurus | None = None,
) -> ParsedQuery:
    """Rewrite `text`. With `typing`, the last word is unfinished: it matches its most common
    completions, `complete(prefix)`, or for one or two letters the words of titles. Without a
    `thesaurus`, no concept expands the words (an exact search)."""
    result = ParsedQuery("")
    for match in _FILTER.finditer(text):
        name, value = match.group(1).lower(), (match.group(2) or match.group(3) or "").strip()
        if value:
            result.filters.setdefault(name, []).append(value)
        else:
            result.notes.append(f"'{name}:' needs a value, e.g. {name}:leadership; it was ignored.")
    text = _FILTER.sub(" ", text)
    unknown = dict.fromkeys(m.group(1) for m in _FIELD.finditer(text))
    if unknown:
        names = ", ".join(f"'{name}:'" for name in unknown)
        valid = ", ".join(f"{name}:" for name in FILTER_FIELDS)
        result.notes.append(
            f"{names} {'is not a filter' if len(unknown) == 1 else 'are not filters'} "
            f"(the filters are {valid}); the words after it were searched for."
        )
        text = _FIELD.sub(" ", text)
    if text.count('"') % 2:
        text = text[::-1].replace('"', "", 1)[::-1]
        result.notes.append("An unmatched quote was ignored.")
    unfinished = typing and bool(text) and not text[-1].isspace()
    tokens = _TOKEN.findall(text)
    if tokens.count("(") != tokens.count(")"):
        tokens = [t for t in tokens if t not in "()"]
        result.notes.append("Unmatched brackets were ignored.")
    out = _rewrite(tokens, glossary, result, unfinished, complete, thesaurus)
    result.whoosh = " ".join(_tidy(out))
    return result


def _rewrite(
    tokens: list[str],
    glossary: Glossary | None,
    result: ParsedQuery,
    unfinished: bool,
    complete: Completer | None,
    thesaurus: Thesaurus | None = None,
) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        last = i == len(tokens) - 1
        excluded = bool(out) and out[-1] == "NOT"
        if token in "()" or token.upper() in OPERATORS:
            out.append(token.upper() if token.upper() in OPERATORS else token)
            i += 1
            continue
        if token.startswith('"'):
            phrase = " ".join(re.findall(r"[\w'-]+", token))
            if phrase:
                out.append(_quote(phrase))
                _unit(result, excluded, phrase, [stems_of(phrase)])
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
                forms = [f for w in options for f in _forms(w)]
                _unit(result, excluded or negated, word, forms)
            elif stem_part:
                out.append(("NOT " if negated else "") + _quote(stem_part))
                _unit(result, excluded or negated, word, [stems_of(stem_part)])
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
        concept = None
        if thesaurus is not None and not excluded:
            run = _concept_run(tokens, i, unfinished)
            concept = thesaurus.match_at(run, 0)
        if thesaurus and concept is not None and (found is None or concept[0] >= found[0]):
            length, concepts = concept
            acronyms: list[Term] = []
            if found is not None and found[0] == length:
                acronyms.append(found[1])
            elif length == 1 and glossary is not None:
                acronyms += [a for a in [glossary.acronym(word)] if a is not None]
            typed = tokens[i : i + length]
            out.append(_concept_clause(typed, concepts, acronyms, thesaurus, result))
            i += length
            continue
        if found is not None:
            length, defined = found
            written = " ".join(tokens[i : i + length])
            out.append(f"({_quote(written)} OR {defined.term.lower()})")
            result.expanded.append(_acronym_entry(defined.term, written))
            result.words += tokens[i : i + length]
            _unit(result, excluded, written, [stems_of(written), *_forms(defined.term)])
            i += length
            continue
        if word.lower() in FUNCTION_WORDS and not (unfinished and last):
            i += 1
            continue
        acronym = glossary.acronym(word) if glossary else None
        if acronym is not None:
            expansions = _distinct(acronym.expansions)
            options = [word.lower()] + [_quote(e) for e in expansions]
            out.append("(" + " OR ".join(options) + ")")
            result.expanded.append(_acronym_entry(acronym.term, acronym.expansions[0]))
            _unit(result, excluded, word, [*_forms(word), *(stems_of(e) for e in expansions)])
        else:
            out.append(_word_clause(word))
            result.words.append(word)
            _unit(result, excluded, word, _forms(word))
        i += 1
    return out


def _acronym_entry(term: str, expansion: str) -> dict[str, str]:
    return {"term": term, "expansion": expansion, "relation": "acronym"}


def _unit(
    result: ParsedQuery,
    excluded: bool,
    text: str,
    phrases: list[tuple[str, ...]],
    bags: tuple[frozenset[str], ...] = (),
) -> None:
    if not excluded:
        kept = tuple(dict.fromkeys(p for p in phrases if p))
        result.units.append(Unit(text, kept, bags))


def _forms(word: str) -> list[tuple[str, ...]]:
    """The stem sequences a typed word is searched as (see `_word_clause`)."""
    parts = [p for p in re.split(r"[-‐']", word.lower()) if p]
    if len(parts) == 1:
        return [(stem(parts[0]),)]
    joined = [(stem("".join(parts)),)] if "-" in word else []
    return [*joined, tuple(stem(p) for p in parts)]


def _concept_run(tokens: list[str], start: int, unfinished: bool) -> list[str]:
    """The plain words from `start` that may make up a concept's label: not an operator, an
    excluded word, a prefix or the word still being typed."""
    stop = len(tokens) - 1 if unfinished else len(tokens)
    run = []
    for token in tokens[start:stop]:
        if not _CONCEPT_WORD.fullmatch(token) or token.upper() in OPERATORS:
            break
        run.append(token)
    return run


def _concept_clause(
    typed: list[str],
    concepts: list[Concept],
    acronyms: list[Term],
    thesaurus: Thesaurus,
    result: ParsedQuery,
) -> str:
    """Typed words that are a concept's label: they find what they always did, or any of the
    concept's labels (and an acronym's expansions) at full weight, or a related or narrower
    concept's labels at RELATED_WEIGHT. Returns the group's placeholder word."""
    text = " ".join(typed)
    words = [w for w in typed if w.lower() not in FUNCTION_WORDS]
    typed_forms = tuple(tuple(_forms(w)) for w in words)
    phrase = stems_of(text) if len(words) > 1 else ()
    synonyms: list[tuple[str, ...]] = []
    seen = set() if phrase else {label_key(text)}  # wordings already searched for

    def fresh(wording: str) -> bool:
        key = label_key(wording)
        if key in seen:
            return False
        seen.add(key)
        return True

    for term in acronyms:
        if fresh(term.term):
            synonyms += _forms(term.term)
        synonyms += [stems_of(e) for e in _distinct(term.expansions) if fresh(e)]
        used = term.expansions[0] if len(words) == 1 else text
        result.expanded.append(_acronym_entry(term.term, used))
    expansion = thesaurus.expand(text, concepts)
    for label in expansion.synonyms:
        if label.stems == phrase:
            continue
        if fresh(label.text):
            synonyms.append(label.stems)
            entry = {"term": text, "expansion": label.text, "relation": label.relation}
            result.expanded.append({**entry, "concept": label.concept})
    related = [label for label in expansion.related if fresh(label.text)]
    for concept_id in dict.fromkeys(label.concept for label in related):
        name = thesaurus.concepts[concept_id].pref_label
        entry = {"term": text, "expansion": name, "relation": "related"}
        result.expanded.append({**entry, "concept": concept_id})
    word = placeholder(len(result.groups))
    group = ConceptGroup(
        typed_forms, tuple(synonyms), tuple(label.stems for label in related), phrase
    )
    result.groups[word] = group
    phrases = [f for forms in typed_forms for f in forms] if len(words) == 1 else []
    bags = (frozenset(label_key(text)),) if len(words) > 1 else ()
    _unit(result, False, text, [*phrases, *group.synonyms, *group.related], bags)
    return word


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
