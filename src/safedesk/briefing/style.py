"""Fonts, paper and paragraph styles for every briefing."""

from __future__ import annotations

import functools
from typing import Any

from safedesk.paths import resources_dir

FAMILY = "DejaVuSans"
BODY_SIZE = 10  # accessible body text (>= 10 pt)
INK = "#1f2933"
ACCENT = "#1d4e89"
MUTED = "#52606d"
RULE = "#c7d2de"


@functools.lru_cache(maxsize=1)
def register_fonts() -> str:
    """Embed DejaVu Sans (broad Latin, Greek and Cyrillic coverage) once per process."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = resources_dir() / "fonts"
    faces = {
        FAMILY: "DejaVuSans.ttf",
        f"{FAMILY}-Bold": "DejaVuSans-Bold.ttf",
        f"{FAMILY}-Oblique": "DejaVuSans-Oblique.ttf",
        f"{FAMILY}-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    }
    for name, filename in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    addMapping(FAMILY, 0, 0, FAMILY)
    addMapping(FAMILY, 1, 0, f"{FAMILY}-Bold")
    addMapping(FAMILY, 0, 1, f"{FAMILY}-Oblique")
    addMapping(FAMILY, 1, 1, f"{FAMILY}-BoldOblique")
    return FAMILY


def paper(name: str) -> tuple[float, float]:
    from reportlab.lib.pagesizes import A4, LETTER

    sizes = {"a4": A4, "letter": LETTER}
    try:
        size: tuple[float, float] = sizes[name.lower()]
        return size
    except KeyError:
        from safedesk.errors import LibraryError

        raise LibraryError(f"unknown paper size {name!r}; use a4 or letter") from None


@functools.lru_cache(maxsize=1)
def styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    base = ParagraphStyle(
        "body", fontName=FAMILY, fontSize=BODY_SIZE, leading=BODY_SIZE * 1.32,
        textColor=HexColor(INK), spaceAfter=4, splitLongWords=1,
        bulletFontName=FAMILY,  # ReportLab's default is Helvetica, which is never embedded
    )  # fmt: skip

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "kicker": derive("kicker", fontSize=9, leading=12, textColor=HexColor(ACCENT),
                         fontName=f"{FAMILY}-Bold", spaceAfter=2),
        "title": derive("title", fontName=f"{FAMILY}-Bold", fontSize=17, leading=21,
                        textColor=HexColor(ACCENT), spaceAfter=6),
        "h2": derive("h2", fontName=f"{FAMILY}-Bold", fontSize=12, leading=15,
                     textColor=HexColor(ACCENT), spaceBefore=7, spaceAfter=3),
        "h3": derive("h3", fontName=f"{FAMILY}-Bold", fontSize=BODY_SIZE, leading=13,
                     spaceBefore=4, spaceAfter=1),
        "meta": derive("meta", fontSize=9.5, leading=13, textColor=HexColor(MUTED)),
        "bullet": derive("bullet", leftIndent=13, bulletIndent=3, spaceAfter=1.5),
        "note": derive("note", backColor=HexColor("#fdf6e3"), borderColor=HexColor("#e9d8a6"),
                       borderWidth=0.6, borderPadding=6, spaceBefore=6, spaceAfter=8),
        "prompt": derive("prompt", leftIndent=13, bulletIndent=3, fontName=f"{FAMILY}-Oblique",
                         spaceAfter=3),
        "small": derive("small", fontSize=9, leading=12, textColor=HexColor(MUTED)),
        "cell": derive("cell", fontSize=9, leading=11.5, spaceAfter=0),
    }  # fmt: skip
