"""What the export dialog offers for what the user has open, and the request each choice makes.

Qt-free: the dialog shows these; tests check them without a window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from safedesk.briefing.request import KIND_NAMES, BriefRequest
from safedesk.errors import LibraryError
from safedesk.interfaces import Source
from safedesk.userlib import title_of
from safedesk.views import AuthorityInfo, ExampleInfo, PracticeInfo, ThemeInfo

# kind -> the radio button's label, with its mnemonic
KIND_LABELS = {
    "sheet": "Pra&ctice sheet",
    "theme": "&Theme brief",
    "authority": "&Authority profile",
    "pack": "Session pac&k",
    "handout": "&Handout",
    "seven": "&7-minute briefing",
}
PAPER_LABELS = {"a4": "A4 (210 × 297 mm)", "letter": "US Letter (8.5 × 11 in)"}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word (.docx), to edit"}
NAME_SUFFIX = {
    "authority": "-profile", "pack": "-session-pack", "handout": "-handout",
    "seven": "-7-minute-briefing",
}  # fmt: skip
SEVEN_MINUTE_KINDS = ("practice", "theme", "finding", "section", "document-section", "example")


@dataclass(frozen=True)
class ExportTargets:
    """What the user has in front of them; each one set offers its kinds of PDF.

    `key`: the item being read (a practice sheet, if it is a practice or one's own example);
    `theme` / `authority`: a theme or authority key (a theme brief / authority profile);
    `collection`: a collection name (a session pack and a participant handout).
    """

    key: str | None = None
    theme: str | None = None
    authority: str | None = None
    collection: str | None = None


@dataclass(frozen=True)
class Offer:
    """One kind of PDF the dialog offers: its target and how to name it to people."""

    kind: str
    target: str
    title: str  # e.g. "Box 3: Restructuring of social care teams…"
    detail: str = ""  # e.g. "London borough" or "4 items"
    on_theme: bool = False  # a 7-minute briefing: `target` is a theme (else a key)

    @property
    def name(self) -> str:
        """What the kind is called: "Practice sheet", "Participant handout"…"""
        return KIND_NAMES[self.kind]

    def request(self, paper: str, notes_space: bool) -> BriefRequest:
        """The briefing this offer makes on `paper` (space for notes only on a sheet)."""
        if self.kind == "seven":
            theme = self.target if self.on_theme else None
            return BriefRequest(
                key=None if theme else self.target, theme=theme, seven_minute=True, paper=paper,
                notes_space=False,
            )  # fmt: skip
        if self.kind == "sheet":
            return BriefRequest(key=self.target, paper=paper, notes_space=notes_space)
        if self.kind in ("pack", "handout"):
            return BriefRequest(
                collection=self.target, handout=self.kind == "handout", paper=paper,
                notes_space=False,
            )  # fmt: skip
        if self.kind == "theme":
            return BriefRequest(theme=self.target, paper=paper, notes_space=False)
        return BriefRequest(authority=self.target, paper=paper, notes_space=False)

    def suggested_name(self, file_format: str = "pdf") -> str:
        return slug(self.title) + NAME_SUFFIX.get(self.kind, "") + f".{file_format}"


def offers_for(library: Source, targets: ExportTargets) -> list[Offer]:
    """The kinds of PDF that fit `targets`, in the order they are offered."""
    offers: list[Offer] = []
    seven: Offer | None = None
    item = _lookup(library, targets.key) if targets.key else None
    if targets.key and isinstance(item, PracticeInfo):
        title = f"Box {item.number}: {item.title}"
        offers.append(Offer("sheet", targets.key, title, item.authority))
    elif targets.key and isinstance(item, ExampleInfo):  # a sheet is made for these two only
        offers.append(Offer("sheet", targets.key, title_of(item, targets.key)))
    kind = str(getattr(item, "kind", ""))
    if targets.key and kind in SEVEN_MINUTE_KINDS:
        title = offers[0].title if offers else title_of(item, targets.key)
        seven = Offer("seven", targets.key, title, "one page for a team meeting")
    if targets.theme:
        theme = _lookup(library, targets.theme)
        if isinstance(theme, ThemeInfo):
            title = f"Theme {theme.number}: {theme.title}"
            detail = f"{theme.practices} examples of good practice"
        else:
            title, detail = title_of(theme, targets.theme), ""
        offers.append(Offer("theme", targets.theme, title, detail))
        if seven is None and isinstance(theme, ThemeInfo):
            seven = Offer("seven", targets.theme, title, "one page for a team meeting", True)
    if targets.authority:
        authority = _lookup(library, targets.authority)
        if isinstance(authority, AuthorityInfo):
            title, detail = authority.name, authority.type or ""
        else:
            title, detail = title_of(authority, targets.authority), ""
        offers.append(Offer("authority", targets.authority, title, detail))
    if targets.collection:
        name = targets.collection
        try:
            count = len(library.collection(name).items)
            detail = f"{count} item" + ("" if count == 1 else "s")
        except LibraryError:
            detail = ""
        offers.append(Offer("pack", name, name, detail + " · with your facilitator's notes"))
        offers.append(Offer("handout", name, name, detail + " · without your notes"))
    if seven is not None:
        offers.append(seven)
    return offers


def _lookup(library: Source, key: str) -> object:
    """The library's view of `key`, or None (the render then says what is wrong)."""
    try:
        return library.get(key)
    except LibraryError:
        return None


def slug(text: str, limit: int = 60) -> str:
    """`text` as a calm file name stem: lower case words joined by hyphens."""
    words = re.sub(r"[\W_]+", "-", text.lower()).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0]
    return words or "briefing"
