"""The conflict rule in Python (for collection files) agrees with the server's, case by case."""

from __future__ import annotations

from typing import Any

import pytest

from safedesk.team.merge import merge_change
from safedesk.team.push import push
from tests.team.conftest import Team
from tests.team.helpers import at, edit, row, share_collection

START = {"note": "", "prompts": [], "minutes": None}

# (the server's edit since the base, the incoming edit, which is later)
CASES: list[tuple[dict[str, Any], dict[str, Any], str]] = [
    ({"note": "Asha"}, {"minutes": 20}, "incoming"),  # different fields: merged
    ({"note": "Asha"}, {"note": "Asha"}, "server"),  # the same change: merged
    ({"note": "Asha"}, {"note": "Bo"}, "incoming"),  # a clash, incoming later: won
    ({"note": "Asha"}, {"note": "Bo", "minutes": 5}, "server"),  # clash, server later: lost
    ({"prompts": ["Why?"], "note": "A"}, {"prompts": ["How?"], "note": "A"}, "incoming"),
    ({}, {"note": "Bo"}, "server"),  # nobody else changed it: applied, never a clash
]


def test_the_rule_without_a_server() -> None:
    base = {"note": "", "minutes": None}
    lost = merge_change(
        {"note": "Asha", "minutes": None}, {"note": "Bo", "minutes": 5}, base, stale=True,
        current_at=at(20), current_by="asha", incoming_at=at(10), incoming_by="bo",
    )  # fmt: skip
    assert lost.outcome == "lost" and lost.clashed == ("note",)
    assert lost.fields == {"note": "Asha", "minutes": 5}  # the clash-free field still arrives
    assert lost.loser == {"note": "Bo", "minutes": 5} and lost.loser_by == "bo"
    fresh = merge_change(
        {"note": "Asha"}, {"note": "Bo"}, {"note": "x"}, stale=False,
        current_at=at(20), current_by="asha", incoming_at=at(10), incoming_by="bo",
    )  # fmt: skip
    assert fresh.outcome == "applied" and fresh.fields == {"note": "Bo"}


@pytest.mark.parametrize(("server_edit", "incoming", "later"), CASES)
def test_python_and_the_server_agree(
    team: Team, server_edit: dict[str, Any], incoming: dict[str, Any], later: str
) -> None:
    asha, bo = team.add("Asha"), team.add("Bo", editor=True)
    share_collection(asha.conn, "c1", "One", items=1)
    base_row = row(asha.conn, "collection_item", "c1-i0")
    server_at, incoming_at = (at(10), at(20)) if later == "incoming" else (at(20), at(10))
    if server_edit:
        push(asha.conn, [edit("collection_item", base_row, when=server_at, **server_edit)])
    current_row = row(asha.conn, "collection_item", "c1-i0")
    [result] = push(bo.conn, [edit("collection_item", base_row, when=incoming_at, **incoming)])

    current = {name: current_row[name] for name in START}
    expected = merge_change(
        current, incoming, {name: base_row[name] for name in incoming},
        stale=current_row["revision"] != base_row["revision"],
        current_at=current_row["changed_at"], current_by=current_row["updated_by"],
        incoming_at=incoming_at, incoming_by=bo.role,
    )  # fmt: skip
    after = row(asha.conn, "collection_item", "c1-i0")
    assert result.outcome == expected.outcome
    assert result.clashed == expected.clashed
    assert {name: after[name] for name in START} == expected.fields
    copies = asha.sql("SELECT fields, author FROM safedesk.conflict")[1]
    if expected.loser is None:
        assert copies == []
    else:
        [(fields, author)] = copies
        assert author == expected.loser_by
        assert {name: fields[name] for name in START} == {**current, **expected.loser}
