"""The window and the team library, on real widgets against the real test server: joining from
Library ▸ Team…, the status-bar indicator, syncs in the background that never block the window
(even while the server keeps a push waiting, then goes away), "shared by" in the sidebar and the
list, and a conflict copy shown where its item is, both versions readable as plain text."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from safedesk.library import Library
from safedesk.team.connect import connect
from safedesk.ui.collection_commands import Target
from safedesk.ui.main_window import MainWindow
from safedesk.ui.sidebar import NODE_ROLE
from safedesk.ui.team_dialog import ConflictDialog, TeamDialog
from tests.team.client_helpers import local_view, server_view, shared_collection
from tests.team.conftest import Libraries, PgServer, Team
from tests.team.test_interruption import _wait_for_lock_wait
from tests.ui.conftest import _fresh_settings  # noqa: F401
from tests.ui.test_main_window import _open


def _window_of(qtbot: QtBot, lib: Library) -> MainWindow:
    folder = Path(lib.data_dir)
    lib.close()
    window = _open(qtbot, folder)
    window.team.timer.setInterval(50)  # look often, and send changes at once, for the test
    window.team.after_change = 0.0
    return window


def _collections_node(window: MainWindow) -> object:
    return next(
        window.tree_model.item(r) for r in range(window.tree_model.rowCount())
        if window.tree_model.item(r).data(NODE_ROLE) == "collections"
    )  # fmt: skip


def _join_in_the_dialog(qtbot: QtBot, window: MainWindow, team: Team, name: str) -> TeamDialog:
    window.team_commands.on_team()
    dialog = window.team_commands.team_dialog
    assert dialog.join_form.isVisible() and not dialog.joined_box.isVisible()
    dialog.url.setText(team.url_for(team.role_of(name)))
    qtbot.keyClicks(dialog.member, name)
    qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.joined_box.isVisible(), timeout=20_000)
    return dialog


def test_joining_from_the_team_dialog_and_syncing_in_the_background(
    qtbot: QtBot, team: Team, libraries: Libraries
) -> None:
    asha = libraries("Asha")
    keys = shared_collection(asha)
    window = _window_of(qtbot, libraries("Bo", editor=True, join=False))
    assert window.team.indicator.isHidden()  # not part of a team: nothing to show
    dialog = _join_in_the_dialog(qtbot, window, team, "Bo")
    assert "Team: " + team.name in dialog.status.text()
    qtbot.waitUntil(lambda: window.team.indicator.text() == "Team: synced", timeout=10_000)
    collections = _collections_node(window)
    assert collections.child(0).text() == "Supervision (3) · shared by Asha"  # type: ignore[attr-defined]
    # a change made in the window goes up by itself, and the indicator says so meanwhile
    assert window.library is not None
    window.library.add_to_collection("Supervision", keys[0], note="Bo, from the window")
    window.team.show_status(window.team.state())
    assert window.team.indicator.text() == "Team: 1 change waiting"
    qtbot.waitUntil(lambda: window.team.state()["pending"] == 0, timeout=20_000)
    qtbot.waitUntil(lambda: window.team.indicator.text() == "Team: synced", timeout=10_000)
    asha.team.sync()
    assert asha.collection("Supervision").items[0].note == "Bo, from the window"


def test_a_sync_never_blocks_the_window_and_offline_is_shown(
    qtbot: QtBot, team: Team, libraries: Libraries, restart: PgServer
) -> None:
    asha = libraries("Asha")
    keys = shared_collection(asha)
    bo = libraries("Bo", editor=True)
    uid = bo.collection("Supervision").items[0].uid
    window = _window_of(qtbot, bo)
    qtbot.waitUntil(lambda: window.team.indicator.text() == "Team: synced", timeout=10_000)
    holder = connect(team.admin_url, autocommit=False)  # the server keeps Bo's push waiting
    holder.execute("SELECT * FROM safedesk.collection_item WHERE uid = %s FOR UPDATE", (uid,))
    assert window.library is not None
    window.library.add_to_collection("Supervision", keys[0], note="waiting")
    qtbot.waitUntil(lambda: window.team.running, timeout=10_000)
    waiting = threading.Thread(target=_wait_for_lock_wait, args=(team, team.role_of("Bo")))
    waiting.start()
    while waiting.is_alive():  # meanwhile the window does its work as ever
        qtbot.wait(50)
    assert window.team.indicator.text().startswith("Team: syncing")
    window.search_box.setText("reflective supervision")
    qtbot.waitUntil(lambda: window.list_model.rowCount() > 0, timeout=10_000)
    window.library.add_to_collection("Supervision", keys[1], note="while it waits")
    restart.stop("immediate")
    holder.close()
    qtbot.waitUntil(
        lambda: window.team.indicator.text().startswith("Team: offline"), timeout=20_000
    )
    assert window.team.indicator.text() == "Team: offline · 2 changes waiting"
    assert "Last attempt" in window.team.indicator.toolTip()
    restart.start()
    window.team.retry = 0.0
    qtbot.waitUntil(lambda: window.team.indicator.text() == "Team: synced", timeout=20_000)
    asha.team.sync()
    assert local_view(window.library) == local_view(asha) == server_view(team.admin_url)


def _conflicting(
    libraries: Libraries, *notes: tuple[str, str]
) -> tuple[Library, Library, list[str]]:
    """Asha shares a collection; Bo (an editor) and then Asha note its first items apart, one
    (Bo's, Asha's) pair each, and both sync: a conflict copy for each item, in Bo's library."""
    asha = libraries("Asha")
    keys = shared_collection(asha)
    bo = libraries("Bo", editor=True)
    for key, (bos, ashas) in zip(keys, notes, strict=False):
        bo.add_to_collection("Supervision", key, note=bos)
        asha.add_to_collection("Supervision", key, note=ashas)
    bo.team.sync()
    asha.team.sync()
    return asha, bo, keys


def test_a_conflict_copy_is_shown_where_the_item_is(
    qtbot: QtBot, team: Team, libraries: Libraries
) -> None:
    asha, bo, keys = _conflicting(libraries, ("<b>Bo's</b> words & more", "Asha's later words"))
    window = _window_of(qtbot, bo)
    qtbot.waitUntil(lambda: "1 conflict" in window.team.indicator.text(), timeout=20_000)
    window.nav.select_node("collection", "Supervision")
    row = window.list_model.rows[0]
    assert "another version was kept" in row.meta and "Asha's later words" in row.meta
    window.collections.compare_versions(Target(keys[0], "Supervision"))
    dialog = window.collections.conflict_dialog
    assert isinstance(dialog, ConflictDialog)
    assert "Note: Asha's later words" in dialog.current.toPlainText()
    assert "Note: <b>Bo's</b> words & more" in dialog.theirs.toPlainText()  # as written
    qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert window.library is not None
    assert window.library.collection("Supervision").items[0].note == "<b>Bo's</b> words & more"
    assert "another version" not in window.list_model.rows[0].meta
    qtbot.waitUntil(lambda: window.team.indicator.text() == "Team: synced", timeout=20_000)
    asha.team.sync()
    assert asha.collection("Supervision").items[0].note == "<b>Bo's</b> words & more"
    assert asha.team.conflicts() == []


def test_shared_examples_and_reports_say_who_shared_them(
    qtbot: QtBot, team: Team, libraries: Libraries
) -> None:
    asha = libraries("Asha")
    example = asha.add_example("Huddles", team="East")
    asha.team.share_example(example.id)
    asha.team.sync()
    window = _window_of(qtbot, libraries("Bo"))
    qtbot.waitUntil(lambda: window.team.indicator.text() == "Team: synced", timeout=10_000)
    window.nav.select_node("examples", "")
    assert window.list_model.rows[0].meta.endswith("· Shared by Asha")


def test_at_the_largest_text_sizes_the_team_dialog_keeps_its_conflicts_readable(
    qtbot: QtBot, team: Team, libraries: Libraries
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

    from tests.ui.test_accessibility import _clipped

    _asha, bo, _keys = _conflicting(
        libraries, *((f"Bo's words {n}", f"Asha's later words {n}") for n in range(2))
    )
    window = _window_of(qtbot, bo)
    window.resize(1280, 800)
    while window.text_size.factor < 2.5:  # 27.5 pt on an 11 pt desktop
        window.on_zoom_in()
    window.team_commands.on_team()
    dialog = window.team_commands.team_dialog
    assert isinstance(dialog, TeamDialog)
    qtbot.waitUntil(lambda: dialog.conflicts.count() == 2, timeout=20_000)
    qtbot.wait(100)
    lines = dialog.conflicts.fontMetrics().lineSpacing()
    assert dialog.conflicts.viewport().height() >= 3 * lines  # not one squeezed row
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    cut = [
        type(w).__name__
        for w in dialog.findChildren(QWidget)
        if isinstance(w, QLabel | QAbstractButton) and w.isVisible() and _clipped(w)
    ]
    assert cut == []
    window.on_zoom_reset()
