"""Start-up speed: launch to the window's first paint, safedesk against a bare PySide6 window.

    .venv/bin/python -m benchmarks.bench_startup [--runs N] [--xvfb] [--skip-first-run]

Each start is a fresh process running `benchmarks/startup_probe.py`; the time runs from just before
the process is started to the end of the window's first painted frame (see the probe's docstring).
Baseline: a `QMainWindow` with a `QTreeView` over a 700-row `QStandardItemModel`. safedesk: what
`safedesk --data-dir DIR gui` runs, on a library built beforehand, and (unless --skip-first-run) on
an empty folder, where the first run builds the library. "ready" is when the library is open and
the sidebar filled. Runs alternate between the kinds so that machine noise falls on all of them.
Qt runs offscreen unless --xvfb (a real X server from `xvfb-run`). Target from issue 8 item 12:
first paint within 3x the baseline's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.table import print_table

PROBE = Path(__file__).with_name("startup_probe.py")
TARGET_RATIO = 3.0
UNDER_XVFB = "SAFEDESK_BENCH_UNDER_XVFB"


def _probe(kind: str, env: dict[str, str], data_dir: Path | None = None) -> dict[str, float]:
    """Start one probe process; its milliseconds from launch to paint (and to ready)."""
    command = [sys.executable, str(PROBE), kind]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    env = {**env, "SAFEDESK_BENCH_T0": repr(time.time())}
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired as exc:
        raise SystemExit(f"{kind} probe hung (a dialog?): {exc.stdout!r} {exc.stderr!r}") from None
    lines = done.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines else {}
    if done.returncode != 0 or "error" in result or "paint_ms" not in result:
        raise SystemExit(f"{kind} probe failed ({done.returncode}): {done.stdout}{done.stderr}")
    return {k: float(v) for k, v in result.items() if isinstance(v, int | float)}


def _environment(work: Path, xvfb: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SAFEDESK_DATA_DIR", None)
    env["XDG_CONFIG_HOME"] = str(work / "config")  # no saved window layout, nor the user's own
    # byte-code cached as for any user (this shell may say not to), but here, not in the clone
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    if xvfb:
        env.pop("QT_QPA_PLATFORM", None)
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def _rerun_under_xvfb() -> int:
    if shutil.which("xvfb-run") is None:
        raise SystemExit("--xvfb needs xvfb-run (Debian/Ubuntu: apt-get install xvfb)")
    command = ["xvfb-run", "-a", "-s", "-screen 0 1920x1200x24"]
    command += [sys.executable, "-m", "benchmarks.bench_startup", *sys.argv[1:]]
    return subprocess.run(command, env={**os.environ, UNDER_XVFB: "1"}).returncode


def _row(label: str, values: list[float], baseline: float | None) -> tuple[str, ...]:
    median = statistics.median(values)
    spread = (max(values) - min(values)) / median * 100
    if baseline is None:
        ratio, target, verdict = "1.00x", "(reference)", ""
    else:
        ratio = f"{median / baseline:.2f}x"
        target = f"<= {TARGET_RATIO:.0f}x baseline"
        verdict = "PASS" if median <= TARGET_RATIO * baseline else "FAIL"
    return (label, f"{median:.0f}", f"{min(values):.0f}", f"{max(values):.0f}",
            f"{spread:.0f}%", ratio, target, verdict)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="starts of each kind (default 7)")
    parser.add_argument("--xvfb", action="store_true", help="run under xvfb-run, not offscreen")
    parser.add_argument(
        "--skip-first-run", action="store_true", help="leave out the empty-folder first run"
    )
    args = parser.parse_args()
    if args.xvfb and not os.environ.get(UNDER_XVFB):
        raise SystemExit(_rerun_under_xvfb())
    work = Path(tempfile.mkdtemp(prefix="safedesk-bench-startup-"))
    times: dict[str, list[float]] = {}

    def note(label: str, value: float) -> None:
        times.setdefault(label, []).append(value)

    try:
        env = _environment(work, args.xvfb)
        library = work / "library"
        subprocess.run(
            [sys.executable, "-m", "safedesk", "--data-dir", str(library), "reports", "--json"],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        # one start of each, not counted: Python byte-code and the font cache written
        _probe("baseline", env)
        _probe("safedesk", env, library)
        for run in range(args.runs):
            note("baseline", _probe("baseline", env)["paint_ms"])
            existing = _probe("safedesk", env, library)
            note("paint", existing["paint_ms"])
            note("ready", existing["ready_ms"])
            if not args.skip_first_run:
                first = _probe("safedesk", env, work / f"empty-{run}")
                note("first paint", first["paint_ms"])
                note("first ready", first["ready_ms"])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(times["baseline"])
    rows = [
        _row("bare PySide6 window, 700-row tree: first paint", times["baseline"], None),
        _row("safedesk gui, existing library: first paint", times["paint"], base),
        _row("safedesk gui, existing library: ready (sidebar filled)", times["ready"], None),
    ]
    if not args.skip_first_run:
        rows += [
            _row("safedesk gui, empty folder (first run): first paint", times["first paint"], base),
            _row("safedesk gui, empty folder: ready (library built)", times["first ready"], None),
        ]
    for i, label in ((2, "ready"), (4, "first ready")):
        if i < len(rows):  # ready rows: the ratio is shown for scale; the target is the paint's
            ratio = statistics.median(times[label]) / base
            rows[i] = (*rows[i][:5], f"{ratio:.2f}x", "(after first paint)", "")
    platform = "Xvfb (xcb)" if args.xvfb else "offscreen"
    print(f"Start-up, ms from process launch; {args.runs} fresh processes each; Qt {platform}\n")
    print_table(
        ("measurement (ms)", "median", "min", "max", "spread", "vs baseline", "target", ""), rows
    )
    spreads = ", ".join(
        f"{name} {(max(v) - min(v)) / statistics.median(v) * 100:.0f}%"
        for name, v in (("baseline", times["baseline"]), ("safedesk paint", times["paint"]))
    )
    print(f"spread here = (max - min) / median: {spreads}")


if __name__ == "__main__":
    main()
