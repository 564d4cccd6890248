"""Everything that arrives by sync is untrusted: rows past the server's checks (put there by its
owner), markup, terminal escapes, paths for file names, too many items, a document that is not a
report. Each bad row is refused alone; the sync completes; nothing is markup or a path."""

from __future__ import annotations

from pathlib import Path

from psycopg.types.json import Jsonb

from safedesk.team.connect import connect
from safedesk.team.files import put_file
from tests.team.conftest import Libraries, Team
from tests.team.helpers import item, put


def _as_owner(team: Team, sql: str, *params: object) -> None:
    with connect(team.admin_url) as conn, conn.transaction():
        conn.execute(sql, params or None)


def test_hostile_rows_are_refused_alone_and_the_sync_completes(
    team: Team, libraries: Libraries
) -> None:
    libraries("Asha")
    bo = libraries("Bo")
    junk = b"not a report at all\x00\x01" * 10
    with connect(team.url_for(team.role_of("Asha"))) as conn:
        digest = put_file(conn, junk)
        changes = [
            put("collection", "c-ok", name="<b>Bold?</b> & <img src=x onerror=alert(1)>"),
            *[item(f"c-ok-i{n}", "c-ok", f"report/box-{n}", float(n)) for n in range(503)],
            put("collection", "c-esc", name="Innocent"),
            put("example", "e-markup", title="<script>alert(1)</script>", text="<i>text</i>"),
            put("document", "d-path", title="Report", document_type="report",
                source_name="report.txt", sha256=digest, size=len(junk)),
            put("document", "d-junk", title="Junk", document_type="report",
                source_name="junk.txt", sha256=digest, size=len(junk)),
        ]  # fmt: skip
        with conn.transaction():
            conn.execute("SELECT safedesk.push_all(%s)", (Jsonb([c.to_json() for c in changes]),))
    # the owner puts rows past the server's own checks: escapes, a path, an oversized note
    _as_owner(team, "UPDATE safedesk.collection SET name = %s WHERE uid = 'c-esc'",
              "\x1b]0;pwned\x07Title")  # fmt: skip
    _as_owner(team, "UPDATE safedesk.document SET source_name = '../../.bashrc' "
              "WHERE uid = 'd-path'")  # fmt: skip
    _as_owner(
        team, "ALTER TABLE safedesk.collection_item DROP CONSTRAINT collection_item_note_check"
    )
    _as_owner(team, "UPDATE safedesk.collection_item SET note = repeat('x', 300000) "
              "WHERE uid = 'c-ok-i0'")  # fmt: skip
    _as_owner(
        team, "ALTER TABLE safedesk.collection_item DROP CONSTRAINT collection_item_prompts_check"
    )
    _as_owner(team, "UPDATE safedesk.collection_item SET prompts = '[1, 2]' WHERE uid = 'c-ok-i1'")
    before = {p.name for p in Path(bo.data_dir).parent.iterdir()}
    report = bo.team.sync()
    # refused one by one: the escape, the path, the oversized note, prompts that are not text,
    # and the one valid item past 500 in one collection
    assert report.rejected == 5
    assert bo.team.status()["rejected"] == 5
    names = {c.name for c in bo.collections()}
    assert names == {"<b>Bold?</b> & <img src=x onerror=alert(1)>"}  # markup is only text
    [collection] = bo.collections()
    assert len(collection.items) == 500
    assert [e.title for e in bo.examples()] == ["<script>alert(1)</script>"]
    # the junk document is kept under its hash, fails to import alone, and is reported
    assert report.documents == 0
    row = bo.store.conn.execute(
        "SELECT state, error FROM shared_document WHERE report_key = 'd-junk'"
    ).fetchone()
    assert row["state"] == "failed" and row["error"]
    assert {p.name for p in Path(bo.data_dir).parent.iterdir()} == before  # nothing beside
    assert not list(Path(bo.data_dir).glob(".team-import-*"))
    kept = list((Path(bo.data_dir) / "team-files").iterdir())
    assert [p.name for p in kept] == [f"{digest}.txt"]
    assert bo.team.sync().rejected == 0  # refused once, then the cursor moved on
