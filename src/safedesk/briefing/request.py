"""What to brief on: one request object shared by the CLI, the Python API and the export dialog.

Cheap to import (no ReportLab): the export dialog builds requests as the user chooses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from safedesk.errors import LibraryError

PAPERS = ("a4", "letter")
FORMATS = ("pdf", "docx")
KIND_NAMES = {
    "sheet": "Practice sheet",
    "theme": "Theme brief",
    "authority": "Authority profile",
    "pack": "Session pack",
    "handout": "Participant handout",
    "seven": "7-minute briefing",
}


@dataclass(frozen=True)
class BriefRequest:
    """One briefing: a practice sheet (`key`), a theme brief, an authority profile, or a session
    pack from a collection (`handout=True`: the participants' version, without the facilitator's
    notes); `seven_minute=True` with a key (practice, finding, case-study or document section) or
    a theme: a one-page 7-minute briefing. `format`: "pdf" or "docx" (an editable Word copy).
    Equal requests make identical documents."""

    key: str | None = None
    theme: str | None = None
    authority: str | None = None
    collection: str | None = None
    handout: bool = False
    paper: str = "a4"
    notes_space: bool = True
    seven_minute: bool = False
    format: str = "pdf"

    @property
    def kind(self) -> str:
        """sheet, theme, authority, pack, handout or seven."""
        if self.seven_minute:
            return "seven"
        if self.collection:
            return "handout" if self.handout else "pack"
        if self.theme:
            return "theme"
        if self.authority:
            return "authority"
        return "sheet"

    def checked(self) -> BriefRequest:
        """The request if it asks for exactly one thing; LibraryError saying what is wrong."""
        chosen = [x for x in (self.key, self.theme, self.authority, self.collection) if x]
        if len(chosen) != 1:
            raise LibraryError(
                "say what to brief on: one KEY, or --theme, --authority or --collection"
            )
        if self.handout and not self.collection:
            raise LibraryError(
                "--handout goes with --collection (it leaves out the facilitator's notes)"
            )
        if self.paper not in PAPERS:
            raise LibraryError(f"paper must be one of {', '.join(PAPERS)}, not {self.paper!r}")
        if self.format not in FORMATS:
            raise LibraryError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        if self.seven_minute and not (self.key or self.theme):
            raise LibraryError(
                "--seven-minute goes with a KEY (a practice, finding or section) or --theme"
            )
        return self

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
