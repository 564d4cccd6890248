"""The sessions part of `Library`: a collection's plan and agenda steps, records of sessions
delivered, and their actions.

Mixed into `Library`; every method here is part of the public Python API (see the README).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from safedesk import planning
from safedesk.errors import LibraryError, NotFoundError
from safedesk.store.local import LocalStore
from safedesk.store.running_order import STEP_PREFIX, step_ref
from safedesk.views import ActionInfo, CollectionInfo, PlanEntry, SessionRecordInfo

DUE_SOON_DAYS = 7  # an open action due within this many days is "due"
MAX_ATTENDEES = 10_000
Action = tuple[str, str, str | None]  # what, who, due ("2027-01-15" or None)


class SessionLibraryMixin:
    store: LocalStore

    if TYPE_CHECKING:

        def collection(self, name: str) -> CollectionInfo: ...  # provided by UserLibraryMixin

    # -- the plan -------------------------------------------------------------------------------
    def plan_collection(
        self, name: str, length: int | None = None, start: str | None = None
    ) -> CollectionInfo:
        """Set a collection's target length in minutes (0 clears it) and start time ("09:30";
        "" clears it); None leaves either as it is."""
        changes: dict[str, object] = {}
        if length is not None:
            planning.check_minutes(length, "the length")
            changes["plan_length"] = length or None
        if start is not None:
            cleared = start.strip().lower() in ("", "none", "-")
            changes["plan_start"] = None if cleared else planning.parse_clock(start)
        self.store.sessions.set_plan(name, changes)
        return self.collection(name)

    def add_step(
        self,
        name: str,
        title: str,
        minutes: int,
        position: int | None = None,
        instructions: str = "",
    ) -> PlanEntry:
        """Add an agenda step that is not a library item (welcome, check-in, break, activity,
        reflection, close...) at `position` of the running order (1 = first; None: at the end)."""
        title = _step_title(title)
        planning.check_minutes(minutes)
        index = None if position is None else max(position, 1) - 1
        uid = self.store.sessions.add_step(name, title, minutes, instructions, index)
        return self._entry(name, step_ref(uid))

    def edit_step(
        self,
        name: str,
        step: str,
        title: str | None = None,
        minutes: int | None = None,
        instructions: str | None = None,
    ) -> PlanEntry:
        """Change an agenda step (given by its id, or its position in the running order)."""
        uid = self._step_uid(name, step)
        planning.check_minutes(minutes)
        changes = {
            "title": None if title is None else _step_title(title),
            "minutes": minutes,
            "instructions": instructions,
        }
        self.store.sessions.edit_step(name, uid, changes)
        return self._entry(name, step_ref(uid))

    def remove_step(self, name: str, step: str) -> None:
        """Move an agenda step to the trash (restoring it puts it back in its place)."""
        self.store.sessions.remove_step(name, self._step_uid(name, step))

    def move_step(self, name: str, step: str, position: int) -> PlanEntry:
        """Move an agenda step to `position` of the running order (1 = first)."""
        ref = step_ref(self._step_uid(name, step))
        self.store.collections.move_item(name, ref, position)
        return self._entry(name, ref)

    def _entry(self, name: str, ref: str) -> PlanEntry:
        return next(e for e in self.collection(name).steps if e.ref == ref)

    def _step_uid(self, name: str, step: str) -> str:
        """A step's uid from what a user gives: its id (or the start of it, 4 characters or
        more), ``step:<id>``, or its position in the running order."""
        given = step.strip().lower().removeprefix(STEP_PREFIX)
        row = self.store.collections.collection(name)
        steps = self.store.sessions.steps(row["id"])
        if given.isdigit() and len(given) <= 4:
            order = self.store.sessions.running_order(row["id"])
            n = int(given)
            if 1 <= n <= len(order) and order[n - 1].kind == "step":
                return order[n - 1].ref.removeprefix(STEP_PREFIX)
            raise NotFoundError(f"entry {n} of {row['name']!r} is not an agenda step")
        matches = [s["uid"] for s in steps if s["uid"] == given]
        if not matches and len(given) >= 4:
            matches = [s["uid"] for s in steps if s["uid"].startswith(given)]
        if len(matches) == 1:
            return str(matches[0])
        if matches:
            raise LibraryError(f"{step!r} is the start of more than one step's id; give more")
        raise NotFoundError(
            f"the collection {row['name']!r} has no step {step!r}; "
            "`safedesk collection show NAME` lists its steps"
        )

    def _with_plan(self, row: sqlite3.Row, info: CollectionInfo) -> CollectionInfo:
        """`info` with its running order timed against the plan."""
        items = {i.key: i for i in info.items}
        steps = {s["uid"]: s for s in self.store.sessions.steps(row["id"])}
        order = self.store.sessions.running_order(row["id"])
        timed = []
        for e in order:
            if e.kind == "item":
                timed.append(planning.Timed(items[e.ref].minutes, "item"))
            else:
                timed.append(
                    planning.Timed(steps[e.ref.removeprefix(STEP_PREFIX)]["minutes"], "step")
                )
        times, total = planning.timings(timed, row["plan_start"])
        out = []
        for n, (e, t) in enumerate(zip(order, times, strict=True), start=1):
            if e.kind == "item":
                item = items[e.ref]
                out.append(PlanEntry(
                    "item", n, e.ref, item.label or item.title, item.minutes, t.elapsed,
                    t.starts_at, t.ends_at, key=item.key, context=item.context,
                ))  # fmt: skip
            else:
                s = steps[e.ref.removeprefix(STEP_PREFIX)]
                out.append(PlanEntry(
                    "step", n, e.ref, s["title"], s["minutes"], t.elapsed, t.starts_at,
                    t.ends_at, id=s["uid"], instructions=s["instructions"],
                ))  # fmt: skip
        info.length, info.start = row["plan_length"], row["plan_start"]
        info.total_minutes = total
        info.over_by = planning.over_by(total, info.length)
        info.ends_at = planning.clock(info.start, total) if info.start else None
        info.steps = out
        info.warnings = planning.warnings(timed, total, info.length)
        return info

    # -- records of sessions delivered ----------------------------------------------------------
    def record_session(
        self,
        name: str,
        held_on: str | None = None,
        team: str = "",
        attendees: int | None = None,
        note: str = "",
        actions: Iterable[Action | str] = (),
    ) -> SessionRecordInfo:
        """Record a session of the collection `name` as it was delivered: the date ("2026-12-10";
        default today), the team, how many attended, discussion notes, and the actions agreed
        (what, who, due date), each a tuple or a "what|who|YYYY-MM-DD" string."""
        info = self.collection(name)
        fields = {
            "held_on": parse_date(held_on) if held_on else date.today().isoformat(),
            "team": team.strip(),
            "attendees": _attendees(attendees),
            "note": note,
        }
        agreed = [parse_action(a) if isinstance(a, str) else _checked(a) for a in actions]
        covered = [e.title for e in info.steps]
        uid = self.store.sessions.add_record(info.name, fields, covered, agreed)
        return self.session(uid)

    def sessions(self, collection: str | None = None) -> list[SessionRecordInfo]:
        """Records of sessions delivered, the most recent first (of one collection, if named)."""
        rows = self.store.sessions.records()
        if collection is not None:
            uid = self.collection(collection).uid
            rows = [r for r in rows if r["collection_uid"] == uid]
        return [self._record_info(r) for r in rows]

    def session(self, record_id: str) -> SessionRecordInfo:
        return self._record_info(self.store.sessions.record(record_id))

    def edit_session(
        self,
        record_id: str,
        held_on: str | None = None,
        team: str | None = None,
        attendees: int | None = None,
        note: str | None = None,
    ) -> SessionRecordInfo:
        """Change a record's date, team, attendance or notes (None leaves one as it is)."""
        changes: dict[str, object] = {}
        if held_on is not None:
            changes["held_on"] = parse_date(held_on)
        if team is not None:
            changes["team"] = team.strip()
        if attendees is not None:
            changes["attendees"] = _attendees(attendees)
        if note is not None:
            changes["note"] = note
        row = self.store.sessions.record(record_id)
        self.store.sessions.edit_record(row["uid"], changes)
        return self.session(row["uid"])

    def remove_session(self, record_id: str) -> None:
        """Move a record (with its actions) to the trash."""
        self.store.sessions.remove_record(self.store.sessions.record(record_id)["uid"])

    def add_action(
        self, record_id: str, what: str, who: str = "", due: str | None = None
    ) -> ActionInfo:
        """Add an agreed action to a session record."""
        what, who, due = _checked((what, who, due))
        uid = self.store.sessions.add_action(record_id, what, who, due)
        return self._action_info(self.store.sessions.action(uid))

    def action_done(self, action_id: str, done: bool = True) -> ActionInfo:
        """Mark an action done (or, with `done=False`, open again)."""
        row = self.store.sessions.action(action_id)
        self.store.sessions.set_action_done(row["uid"], done)
        return self._action_info(self.store.sessions.action(row["uid"]))

    def remove_action(self, action_id: str) -> None:
        """Move an action to the trash."""
        self.store.sessions.remove_action(self.store.sessions.action(action_id)["uid"])

    def actions(self, open_only: bool = False) -> list[ActionInfo]:
        """Every action of every live record: overdue first, then due soon, then the rest by due
        date, then those done."""
        found = [self._action_info(r) for r in self.store.sessions.actions()]
        if open_only:
            found = [a for a in found if a.status != "done"]
        rank = {"overdue": 0, "due": 1, "open": 2, "done": 3}
        return sorted(found, key=lambda a: (rank[a.status], a.due or "9999", a.session))

    def export_sessions(
        self,
        path: str | os.PathLike[str],
        file_format: str | None = None,
        collection: str | None = None,
    ) -> Path:
        """Write the records (of one collection, if named) as evidence of learning: a CSV file
        (one row per action, or per session without actions) or a Word document."""
        from safedesk.briefing.evidence import export_sessions

        target = Path(path)
        chosen = (file_format or target.suffix.lstrip(".") or "csv").lower()
        records = self.sessions(collection)
        return export_sessions(records, target, chosen, collection)

    def _record_info(self, row: sqlite3.Row) -> SessionRecordInfo:
        actions = [self._action_info(a) for a in self.store.sessions.actions(row["id"])]
        return SessionRecordInfo(
            id=row["uid"], collection=row["collection_name"], date=row["held_on"],
            team=row["team"], attendees=row["attendees"], note=row["note"],
            covered=json.loads(row["covered"]), actions=actions,
            linked=bool(row["collection_live"]), created_at=row["created_at"],
            updated_at=row["updated_at"],
        )  # fmt: skip

    @staticmethod
    def _action_info(row: sqlite3.Row) -> ActionInfo:
        return ActionInfo(
            id=row["uid"], what=row["what"], who=row["who"], due=row["due"],
            done_at=row["done_at"], status=action_status(row["due"], row["done_at"]),
            record=row["record_uid"],
            session=f"{row['record_held_on']} · {row['record_collection']}",
        )  # fmt: skip


def action_status(due: str | None, done_at: str | None, today: date | None = None) -> str:
    """done, overdue (its date has passed), due (within a week) or open."""
    if done_at:
        return "done"
    if not due:
        return "open"
    today = today or date.today()
    when = date.fromisoformat(due)
    if when < today:
        return "overdue"
    return "due" if when <= today + timedelta(days=DUE_SOON_DAYS) else "open"


def parse_date(text: str) -> str:
    """A date as YYYY-MM-DD, checked; LibraryError otherwise."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise LibraryError(f"{text!r} is not a date; write it as 2026-12-10") from None


def parse_action(text: str) -> Action:
    """ "what|who|YYYY-MM-DD" (who and the date may be left out) as (what, who, due)."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) > 3:
        raise LibraryError(f"an action is what|who|YYYY-MM-DD, not {text!r}")
    parts += [""] * (3 - len(parts))
    return _checked((parts[0], parts[1], parts[2] or None))


def _checked(action: Sequence[str | None]) -> Action:
    what, who, due = [*action, None, None][:3]
    if not what or not str(what).strip():
        raise LibraryError("an action needs to say what is to be done")
    return str(what).strip(), str(who or "").strip(), parse_date(str(due)) if due else None


def _attendees(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_ATTENDEES:
        raise LibraryError(f"attendees must be between 0 and {MAX_ATTENDEES}")
    return value


def _step_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise LibraryError("a step needs a title (for example Welcome, Break or Reflection)")
    if len(title) > 200:
        raise LibraryError("a step's title can be at most 200 characters")
    return title
