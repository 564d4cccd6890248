"""Security on the server: each member is their own PostgreSQL role, and the server itself
(row-level security, grants, triggers) refuses what a member may not do, even as plain SQL."""

from __future__ import annotations

import hashlib

import psycopg
import pytest

from safedesk.team import members
from safedesk.team.connect import connect
from safedesk.team.errors import TeamPermissionError
from safedesk.team.push import push
from tests.team.conftest import Team
from tests.team.helpers import at, delete, item, put, row, share_collection


def test_members_connect_as_their_own_roles(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    assert asha.sql("SELECT current_user")[1] == [(asha.role,)]
    assert bo.sql("SELECT current_user")[1] == [(bo.role,)]
    share_collection(asha.conn, "c1", "Supervision")
    assert row(bo.conn, "collection", "c1")["shared_by"] == asha.role  # who shared it, for all
    listed = {(m.display_name, m.role) for m in members.members(bo.conn)}
    assert listed == {("Asha", asha.role), ("Bo", bo.role)}


def test_plain_sql_cannot_change_or_delete_another_members_rows(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    share_collection(asha.conn, "c1", "Supervision")
    before = row(asha.conn, "collection", "c1")

    # an UPDATE sees no row it may change: nothing happens
    count, _ = bo.sql("UPDATE safedesk.collection SET name = 'Mine now' WHERE uid = 'c1'")
    assert count == 0
    count, _ = bo.sql("UPDATE safedesk.collection_item SET note = 'x' WHERE collection_uid = 'c1'")
    assert count == 0
    count, _ = bo.sql("UPDATE safedesk.collection SET deleted = true WHERE uid = 'c1'")
    assert count == 0
    # nobody may DELETE at all: deleting is a tombstone
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        bo.sql("DELETE FROM safedesk.collection WHERE uid = 'c1'")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        asha.sql("DELETE FROM safedesk.collection WHERE uid = 'c1'")  # not even one's own
    # adding an item to someone else's collection breaks the row policy
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        bo.sql(
            "INSERT INTO safedesk.collection_item (uid, collection_uid, key) "
            "VALUES ('sneaky', 'c1', 'report/box-1')"
        )
    after = row(asha.conn, "collection", "c1")
    assert after == before


def test_the_server_stamps_authorship_and_revisions_itself(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    share_collection(asha.conn, "c1", "Supervision")
    # claiming to be someone else, or a revision of one's choosing, changes nothing
    bo.sql(
        "INSERT INTO safedesk.collection (uid, name, shared_by, updated_by, revision) "
        "VALUES ('c2', 'Forged', %s, %s, 1)",
        (asha.role, asha.role),
    )
    forged = row(bo.conn, "collection", "c2")
    assert (forged["shared_by"], forged["updated_by"]) == (bo.role, bo.role)
    assert forged["revision"] > row(bo.conn, "collection", "c1")["revision"]
    # and one's own row cannot be handed to someone else
    bo.sql("UPDATE safedesk.collection SET shared_by = %s WHERE uid = 'c2'", (asha.role,))
    assert row(bo.conn, "collection", "c2")["shared_by"] == bo.role
    # a tombstone stays a tombstone
    bo.sql("UPDATE safedesk.collection SET deleted = true WHERE uid = 'c2'")
    with pytest.raises(psycopg.errors.CheckViolation, match="stays deleted"):
        bo.sql("UPDATE safedesk.collection SET deleted = false WHERE uid = 'c2'")
    # the team's settings and others' push receipts are out of reach
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        bo.sql("UPDATE safedesk.team_meta SET value = '99' WHERE name = 'schema'")
    assert bo.sql("SELECT count(*) FROM safedesk.applied_change")[1] == [(0,)]
    assert asha.sql("SELECT count(*) FROM safedesk.applied_change")[1] == [(4,)]
    # a member cannot rename another
    count, _ = bo.sql(
        "UPDATE safedesk.member SET display_name = 'Impostor' WHERE role = %s", (asha.role,)
    )
    assert count == 0


def test_files_must_match_their_hash(team: Team) -> None:
    bo = team.add("Bo")
    content = b"a report"
    with pytest.raises(psycopg.errors.CheckViolation, match="sha256"):
        bo.sql(
            "INSERT INTO safedesk.document_file (sha256, content) VALUES (%s, %s)",
            (hashlib.sha256(b"something else").hexdigest(), content),
        )


def test_a_role_outside_the_team_reads_nothing(team: Team) -> None:
    stranger = f"stranger_{team.database}"
    with team.server.admin() as conn:
        conn.execute(f"CREATE ROLE {stranger} LOGIN")
    with (
        connect(team.url_for(stranger)) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("SELECT * FROM safedesk.collection")
    with (
        connect(team.url_for(stranger)) as conn,
        pytest.raises(TeamPermissionError, match="not a member"),
    ):
        members.register(conn, "Stranger")


def test_the_editor_grant_lets_a_member_change_what_others_shared(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    share_collection(asha.conn, "c1", "Supervision")
    with connect(team.admin_url) as admin:
        assert members.grant(admin, "bo", "editor") == bo.role  # by name on the team, any case
    assert [m.editor for m in members.members(bo.conn) if m.role == bo.role] == [True]
    count, _ = bo.sql(
        "UPDATE safedesk.collection SET name = 'Renamed by the editor' WHERE uid = 'c1'"
    )
    assert count == 1
    [result] = push(
        bo.conn,
        [
            put(
                "collection_item",
                "c1-i0",
                base_revision=row(bo.conn, "collection_item", "c1-i0")["revision"],
                note="Editor's note",
            )
        ],
    )
    assert result.outcome == "applied"
    assert row(asha.conn, "collection", "c1")["shared_by"] == asha.role  # still Asha's
    with connect(team.admin_url) as admin:
        members.revoke(admin, bo.role, "editor")
    count, _ = bo.sql("UPDATE safedesk.collection SET name = 'Again' WHERE uid = 'c1'")
    assert count == 0


def test_only_the_administrator_grants(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    with pytest.raises(TeamPermissionError, match="only the team's administrator"):
        members.grant(asha.conn, "Bo", "editor")
    assert [m.editor for m in members.members(bo.conn)] == [False, False]


def test_a_push_to_someone_elses_collection_is_refused_but_kept(team: Team) -> None:
    asha, bo = team.add("Asha"), team.add("Bo")
    share_collection(asha.conn, "c1", "Supervision")
    base = row(bo.conn, "collection_item", "c1-i1")
    changes = [
        put("collection_item", "c1-i1", base_revision=base["revision"], base={"note": ""},
            note="Bo's thoughts", when=at(5)),
        item("c1-new", "c1", "report/box-9", 9.0, note="Bo's extra item", when=at(5)),
        delete("collection", "c1", base_revision=row(bo.conn, "collection", "c1")["revision"]),
    ]  # fmt: skip
    results = push(bo.conn, changes)
    assert [r.outcome for r in results] == ["refused", "refused", "refused"]
    assert row(asha.conn, "collection_item", "c1-i1")["note"] == ""
    assert row(asha.conn, "collection", "c1")["deleted"] is False
    # Bo's words are not lost: they wait as conflict copies Asha can see
    _, copies = asha.sql(
        "SELECT uid, reason, author, fields ->> 'note' FROM safedesk.conflict ORDER BY uid"
    )
    assert copies == [
        ("c1-i1", "not-permitted", bo.role, "Bo's thoughts"),
        ("c1-new", "not-permitted", bo.role, "Bo's extra item"),
    ]
    assert results[0].conflict_id is not None and results[2].conflict_id is None


def test_a_member_cannot_become_the_group(team: Team) -> None:
    bo = team.add("Bo")
    with connect(team.admin_url) as admin:
        member_role = admin.execute("SELECT safedesk.setting('member_role')").fetchone()
    assert member_role is not None
    # on PostgreSQL 16+ membership is granted WITH SET FALSE: rights are inherited, never assumed
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        bo.sql(f'SET ROLE "{member_role[0]}"')
