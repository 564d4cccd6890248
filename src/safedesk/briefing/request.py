"""What to brief on: one request object shared by the CLI, the Python API and the export dialog.

Cheap to import (no ReportLab): the export dialog builds requests as the user chooses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from safedesk.errors import LibraryError

PAPERS = ("a4", "letter")
KIND_NAMES = {
    "sheet": "Practice sheet",
    "theme": "Theme brief",
    "authority": "Authority profile",
    "pack": "Session pack",
    "handout": "Participant handout",
}


@dataclass(frozen=True)
class BriefRequest:
    """One briefing: a practice sheet (`key`), a theme brief, an authority profile, or a session
    pack from a collection (`handout=True`: the participants' version, without the facilitator's
    notes). Equal requests make identical documents."""

    key: str | None = None
    theme: str | None = None
    authority: str | None = None
    collection: str | None = None
    handout: bool = False
    paper: str = "a4"
    notes_space: bool = True

    @property
    def kind(self) -> str:
        """sheet, theme, authority, pack or handout."""
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
        return self

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
