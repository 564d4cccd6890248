"""Planning, recording and following up sessions from the command line, in real processes; and
the trial's CLI bugs (showing a local example, emptying the trash without asking)."""

from __future__ import annotations

import csv
import os
import pty
import subprocess
import sys
from pathlib import Path

from docx import Document

from tests.e2e.test_cli import run, run_json

B = "nfer-2011-safeguarding-children-council-developments/"


def test_plan_a_session_with_steps_and_clock_times(data_dir: Path) -> None:
    run(data_dir, "collection", "create", "Oversight")
    for key, minutes in ((B + "box-3", "20"), (B + "theme-3.1/laming-review", "15")):
        assert (
            run(data_dir, "collection", "add", "Oversight", key, "--minutes", minutes).returncode
            == 0
        )
    plan = run_json(data_dir, "collection", "plan", "Oversight", "--length", "90",
                    "--start", "09:30")  # fmt: skip
    assert (plan["length"], plan["start"], plan["total_minutes"], plan["over_by"]) == (
        90, "09:30", 35, -55
    )  # fmt: skip
    step = run_json(
        data_dir, "collection", "step", "add", "Oversight", "--title", "Welcome", "--minutes",
        "10", "--position", "1", "--instructions", "Names, roles",
    )  # fmt: skip
    assert (step["kind"], step["starts_at"], step["position"]) == ("step", "09:30", 1)
    run(
        data_dir, "collection", "step", "add", "Oversight", "--title", "Activity", "--minutes", "60"
    )
    shown = run_json(data_dir, "collection", "show", "Oversight")
    assert [(s["kind"], s["starts_at"]) for s in shown["steps"]] == [
        ("step", "09:30"), ("item", "09:40"), ("item", "10:00"), ("step", "10:15"),
    ]  # fmt: skip
    assert shown["over_by"] == 15 and "15 minutes over" in shown["warnings"][0]
    assert shown["items"][1]["label"] == "Laming review · 3.1 Leadership and management"
    done = run(data_dir, "collection", "step", "move", "Oversight", step["id"], "3")
    assert done.returncode == 0 and "Step 3 of 'Oversight' at 10:05: Welcome" in done.stdout
    edited = run_json(data_dir, "collection", "step", "edit", "Oversight", "4", "--minutes", "45")
    assert (edited["title"], edited["minutes"]) == ("Activity", 45)
    text = run(data_dir, "collection", "show", "Oversight").stdout
    assert "09:30  1. Box 3: Restructuring" in text and "10:05  3. Welcome (10 min)" in text
    assert "Total 90 of 90 minutes · 09:30–11:00" in text
    removed = run(data_dir, "collection", "step", "remove", "Oversight", "3")
    assert removed.returncode == 0 and "trash" in removed.stdout
    wrong = run(data_dir, "collection", "step", "edit", "Oversight", "1", "--minutes", "5")
    assert wrong.returncode == 1 and "not an agenda step" in wrong.stderr
    bad = run(data_dir, "collection", "plan", "Oversight", "--start", "25:99")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_record_follow_up_and_export_evidence(data_dir: Path, tmp_path: Path) -> None:
    run(data_dir, "collection", "create", "Oversight")
    run(data_dir, "collection", "add", "Oversight", B + "box-3", "--minutes", "20")
    record = run_json(
        data_dir, "session", "record", "Oversight", "--date", "2026-12-10", "--team", "North",
        "--attendees", "8", "--note", "Good <b>talk</b>", "--action",
        "Book supervision|Sam|2020-01-15", "--action", "Read Box 3",
    )  # fmt: skip
    assert (record["date"], record["team"], record["attendees"]) == ("2026-12-10", "North", 8)
    assert [a["status"] for a in record["actions"]] == ["overdue", "open"]
    [listed] = run_json(data_dir, "sessions")
    assert listed["id"] == record["id"] and listed["covered"][0].startswith("Box 3:")
    overdue = record["actions"][0]["id"]
    done = run(data_dir, "session", "action", "done", overdue)
    assert done.returncode == 0 and "[done]" in done.stdout
    assert [a["what"] for a in run_json(data_dir, "actions")] == ["Read Box 3"]
    assert len(run_json(data_dir, "actions", "--all")) == 2
    added = run(data_dir, "session", "action", "add", record["id"], "Audit|Lee|2027-03-01")
    assert added.returncode == 0 and "Audit" in added.stdout
    out = tmp_path / "evidence.csv"
    assert run(data_dir, "session", "export", "-o", str(out)).returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["action"] for r in rows] == ["Book supervision", "Read Box 3", "Audit"]
    assert rows[0]["status"] == "done" and rows[0]["notes"] == "Good <b>talk</b>"
    word = tmp_path / "evidence.docx"
    assert run(data_dir, "session", "export", "-o", str(word)).returncode == 0
    text = "\n".join(p.text for p in Document(str(word)).paragraphs)
    assert "10 December 2026" in text and "Good <b>talk</b>" in text
    text_out = run(data_dir, "sessions").stdout
    assert "2026-12-10  Oversight (North, 8 attended)" in text_out
    bad = run(data_dir, "session", "record", "Oversight", "--action", "|nobody|2027-01-01")
    assert bad.returncode == 1 and "needs to say what" in bad.stderr


def test_show_a_local_example_as_text(data_dir: Path) -> None:
    made = run_json(data_dir, "example", "add", "--title", "Huddles", "--team", "West",
                    "--text", "Ten minutes each morning.")  # fmt: skip
    assert len(made["id"]) == 8
    shown = run(data_dir, "show", made["key"])
    assert shown.returncode == 0, shown.stderr
    assert "My example: not from a report\nHuddles\nWest" in shown.stdout
    assert "Ten minutes each morning." in shown.stdout


def _on_a_terminal(data_dir: Path, *args: str, answer: str) -> str:
    """Run the CLI with a pseudo-terminal as its standard input, typing `answer`."""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "safedesk", "--data-dir", str(data_dir), *args],
            stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        os.write(leader, answer.encode() + b"\n")
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        return out
    finally:
        os.close(leader)
        os.close(follower)


def test_emptying_the_trash_asks_first(data_dir: Path) -> None:
    run(data_dir, "bookmark", "add", B + "box-2")
    run(data_dir, "bookmark", "remove", B + "box-2")
    refused = run(data_dir, "trash", "--empty")  # not a terminal, no --yes
    assert refused.returncode == 1 and "add --yes" in refused.stderr
    kept = _on_a_terminal(data_dir, "trash", "--empty", answer="n")
    assert "Delete 1 thing in the trash for good? [y/N]" in kept and "not emptied" in kept
    assert len(run_json(data_dir, "trash")) == 1
    gone = _on_a_terminal(data_dir, "trash", "--empty", answer="y")
    assert "Emptied the trash (1 deleted for good)" in gone
    assert run_json(data_dir, "trash") == []
    assert run(data_dir, "trash", "--empty", "--yes").returncode == 0


def test_brief_a_seven_minute_briefing_and_a_word_copy(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "seven.pdf"
    done = run_json(data_dir, "brief", B + "theme-3.1/laming-review", "--seven-minute",
                    "-o", str(out))  # fmt: skip
    assert (done["kind"], done["pages"], done["format"]) == ("7-minute briefing", 1, "pdf")
    word = tmp_path / "theme.docx"
    text = run(data_dir, "brief", "--theme", "3.4", "-o", str(word)).stdout
    assert text.strip() == f"Wrote theme brief to {word}"
    headings = [p.text for p in Document(str(word)).paragraphs if p.style.name == "Heading 1"]
    assert "What the reviews found" in headings
    wrong = run(data_dir, "brief", "--authority", "Authority D", "--seven-minute", "-o", str(out))
    assert wrong.returncode == 1 and "--seven-minute goes with" in wrong.stderr
