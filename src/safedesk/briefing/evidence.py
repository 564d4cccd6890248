"""The records of sessions delivered as evidence of learning that a lead can attach for an audit or
an inspection: a CSV file (one row per agreed action, or per session without actions) or a
document (the same model as every briefing: Word, or PDF)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from safedesk.briefing import model
from safedesk.briefing.page import PageInfo
from safedesk.errors import LibraryError
from safedesk.fileio import write_atomically
from safedesk.views import SessionRecordInfo

FORMATS = ("csv", "docx", "pdf")
CSV_COLUMNS = (
    "session", "date", "collection", "team", "attendees", "notes", "covered", "action_id",
    "action", "who", "due", "status", "done_at",
)  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting so


def export_sessions(
    records: list[SessionRecordInfo], target: Path, file_format: str, collection: str | None
) -> Path:
    """Write `records` to `target` as `file_format` (csv, docx or pdf), all or nothing."""
    if file_format not in FORMATS:
        raise LibraryError(f"records are exported as {', '.join(FORMATS)}, not {file_format!r}")
    if file_format == "csv":
        text = csv_text(records)
        return write_atomically(
            target, lambda tmp: tmp.write_text(text, "utf-8-sig", newline=""), "the records"
        )
    doc = evidence(records, collection)
    if file_format == "docx":
        from safedesk.briefing import word

        return write_atomically(target, lambda tmp: word.build(doc, str(tmp)), "the records")
    from safedesk.briefing import pdf

    return write_atomically(target, lambda tmp: pdf.build(doc, str(tmp)), "the records")


def csv_text(records: list[SessionRecordInfo]) -> str:
    """The records as CSV: one row per action (a session without actions has one row of its
    own). Text that a spreadsheet would read as a formula starts with an apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in sorted(records, key=lambda r: (r.date, r.id)):
        session = [
            r.id, r.date, r.collection, r.team, "" if r.attendees is None else r.attendees,
            r.note, "; ".join(r.covered),
        ]  # fmt: skip
        actions = [[a.id, a.what, a.who, a.due or "", a.status, a.done_at or ""] for a in r.actions]
        for action in actions or [[""] * 6]:
            writer.writerow([_cell(v) for v in [*session, *action]])
    return out.getvalue()


def _cell(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA) else text


def long_date(iso: str) -> str:
    try:
        return date.fromisoformat(iso).strftime("%d %B %Y").lstrip("0")
    except ValueError:
        return iso


def evidence(records: list[SessionRecordInfo], collection: str | None = None) -> model.Doc:
    """The records as a document: a summary table, then each session with what it covered, its
    discussion notes and its actions."""
    records = sorted(records, key=lambda r: (r.date, r.id))
    title = f"Sessions delivered: {collection}" if collection else "Sessions delivered"
    doc = model.Doc(PageInfo(
        title=title, source="records of sessions kept in safedesk", kind="Record of learning",
        subject="Reflective practice sessions: attendance, discussion and actions",
        keywords=["safeguarding", "reflective practice", "evidence of learning"],
    ))  # fmt: skip
    statuses = [a.status for r in records for a in r.actions]
    attended = sum(r.attendees or 0 for r in records)
    when = f"{long_date(records[0].date)} to {long_date(records[-1].date)}" if records else ""
    doc.add(model.Kicker("Record of learning"), model.Title(title))
    summary = (
        f"{len(records)} session{'' if len(records) == 1 else 's'}"
        + (f", {when}" if when else "")
        + f" · {attended} attendances · {len(statuses)} actions agreed: "
        + f"{statuses.count('done')} done, {statuses.count('overdue')} overdue, "
        + f"{len(statuses) - statuses.count('done') - statuses.count('overdue')} open"
    )
    doc.add(model.Para(summary, "meta"))
    if not records:
        doc.add(model.Para("No sessions have been recorded yet."))
        return doc
    rows = [("Date", "Session", "Team", "Attended", "Actions done")]
    for r in records:
        done = sum(1 for a in r.actions if a.status == "done")
        rows.append((
            r.date, r.collection, r.team, "" if r.attendees is None else str(r.attendees),
            f"{done} of {len(r.actions)}",
        ))  # fmt: skip
    doc.add(model.Table(tuple(rows), (0.16, 0.36, 0.2, 0.12, 0.16), header=True))
    for r in records:
        who = ", ".join(x for x in (r.team, f"{r.attendees} attended"
                                    if r.attendees is not None else "") if x)  # fmt: skip
        doc.add(model.NeedSpace(50), model.Heading(f"{long_date(r.date)} · {r.collection}"))
        if who:
            doc.add(model.Para(who, "meta"))
        if r.covered:
            doc.add(model.Heading("What the session covered", 3), model.Bullets(tuple(r.covered)))
        if r.note.strip():
            doc.add(model.Heading("Discussion and learning", 3), *model.stored_text(r.note))
        if r.actions:
            actions = [("Action", "Who", "By", "Status")] + [
                (a.what, a.who, a.due or "", _status(a.status, a.done_at)) for a in r.actions
            ]
            doc.add(
                model.Heading("Actions agreed", 3),
                model.Table(tuple(actions), (0.5, 0.18, 0.14, 0.18), header=True),
            )
    return doc


def _status(status: str, done_at: str | None) -> str:
    if status == "done" and done_at:
        return f"done {done_at[:10]}"
    return status
