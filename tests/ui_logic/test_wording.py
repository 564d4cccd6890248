"""Errors shown in the app leave out command-line hints (Qt-free)."""

from __future__ import annotations

from safedesk.ui.wording import for_the_app


def test_command_line_hints_are_left_out() -> None:
    assert (
        for_the_app("there is no collection called '<b>x</b>'; see `safedesk collections`")
        == "there is no collection called '<b>x</b>'"
    )
    assert (
        for_the_app("'x' is not a trash id; `safedesk trash` lists them") == "'x' is not a trash id"
    )
    assert (
        for_the_app("Checked. Run `safedesk doctor --repair` to rebuild what can be rebuilt.")
        == "Checked."
    )
    assert (
        for_the_app("no backup (`safedesk restore-backup FILE`; backups are in the backups folder)")
        == "no backup"
    )
    assert (
        for_the_app("The preview could not be made:\n\nno example 3; see `safedesk examples`")
        == "The preview could not be made:\n\nno example 3"
    )


def test_other_text_is_kept_as_it_is() -> None:
    for text in ("a co-located team", "the file my--file.txt", "Saved (2 pages).", ""):
        assert for_the_app(text) == text
    # nothing would be left: the message stays whole rather than vanish
    assert for_the_app("use --theme or --authority") == "use --theme or --authority"
