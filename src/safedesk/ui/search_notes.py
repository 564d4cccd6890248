"""The line under the search box: what the search also looked for (acronyms spelt out, the other
words for the practice concepts typed, related ideas) and a "did you mean". Plain text only: the
words come from the query, the glossary and the thesaurus, never markup."""

from __future__ import annotations

from safedesk.views import SearchResult

SHOWN_TERMS = 10  # concept wordings named on the line; the tooltip names them all


def _unique(words: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for word in words:
        if word.lower() not in seen:
            seen.add(word.lower())
            out.append(word)
    return out


def _wordings(result: SearchResult) -> tuple[list[str], list[str], list[str]]:
    """Acronyms spelt out ("LAC = looked after children"), concept synonyms, related wordings."""
    acronyms, synonyms, related = [], [], []
    for entry in result.expanded:
        relation = entry.get("relation", "acronym")
        if relation == "synonym":
            synonyms.append(entry["expansion"])
        elif relation == "related":
            related.append(entry["expansion"])
        else:
            acronyms.append(f"{entry['term']} = {entry['expansion']}")
    return _unique(acronyms), _unique(synonyms), _unique(related)


def also_searched(result: SearchResult) -> str:
    """ "Also searched for: LAC = looked after children, children in care; related ideas:
    placements" – at most SHOWN_TERMS concept wordings, then how many more."""
    acronyms, synonyms, related = _wordings(result)
    room = SHOWN_TERMS
    shown_synonyms, room = synonyms[:room], room - len(synonyms[:room])
    shown_related = related[:room]
    left = len(synonyms) + len(related) - len(shown_synonyms) - len(shown_related)
    parts = ", ".join(acronyms + shown_synonyms)
    if shown_related:
        parts += ("; related ideas: " if parts else "related ideas: ") + ", ".join(shown_related)
    if left:
        parts += f" and {left} more"
    return f"Also searched for: {parts}" if parts else ""


def all_wordings(result: SearchResult) -> str:
    """Every wording the search added, grouped (for the line's tooltip); empty when none."""
    acronyms, synonyms, related = _wordings(result)
    groups = [
        ("Acronyms", acronyms),
        ("The same idea, searched at full weight", synonyms),
        ("Related ideas, ranked lower", related),
    ]
    return "\n".join(f"{name}: {', '.join(words)}" for name, words in groups if words)


def search_notes(result: SearchResult | None) -> str:
    """The whole line: what was also searched for, then "Did you mean: …?"."""
    if result is None:
        return ""
    notes = [also_searched(result)]
    if result.suggestion:
        notes.append(f"Did you mean: {result.suggestion}?")
    return "   ".join(n for n in notes if n)
