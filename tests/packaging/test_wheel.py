"""The wheel carries everything: built, installed in a fresh venv, run away from the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    [wheel] = dist.glob("safedesk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "safedesk/resources/corpus/safeguarding-council-developments-2011.txt",
        "safedesk/resources/glossary/safeguarding-terms.json",
        "safedesk/resources/fonts/DejaVuSans.ttf",
        "safedesk/resources/icons/safedesk.svg",
        "safedesk/db/env.py",
        "safedesk/db/versions/0002_user_data.py",
    ):  # fmt: skip
        assert needed in names, needed

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SAFEDESK_DATA_DIR")}
    # the dependencies are those the test run has (downloading them again took minutes), seen
    # through a path file; the wheel itself is installed, and pip checks that what it requires
    # is there in versions it accepts
    [inner] = (venv / "lib").glob("python*/site-packages")
    outer = [p for p in map(Path, sys.path) if p.name == "site-packages" and p.is_dir()]
    (inner / "test-dependencies.pth").write_text("".join(f"{p}\n" for p in outer), "utf-8")
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "--no-deps", str(wheel)],
        capture_output=True, text=True, timeout=1200, env=env,
    )  # fmt: skip
    assert pip.returncode == 0, pip.stderr[-2000:]
    check = subprocess.run(
        [str(venv / "bin" / "pip"), "check"], capture_output=True, text=True, env=env, timeout=300
    )
    assert check.returncode == 0, check.stdout + check.stderr
    safedesk = str(venv / "bin" / "safedesk")
    work = tmp_path / "elsewhere"
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [safedesk, "--data-dir", str(work / "data"), *args],
            cwd=work, capture_output=True, text=True, timeout=300, env=env,
        )  # fmt: skip

    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import safedesk; print(safedesk.__file__)"],
        cwd=work, capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    assert str(venv) in where.stdout  # the installed copy, not the checkout
    reports = run("reports", "--json")
    assert reports.returncode == 0, reports.stderr
    assert json.loads(reports.stdout)[0]["practices"] == 24
    pdf = work / "sheet.pdf"
    brief = run(
        "brief", "nfer-2011-safeguarding-children-council-developments/box-9", "-o", str(pdf)
    )
    assert brief.returncode == 0, brief.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"
    selftest = subprocess.run(
        [safedesk, "--self-test"], cwd=work, capture_output=True, text=True, timeout=300,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert "ok    window: main window" in selftest.stdout
    assert "ok    preview: export preview of 1 page(s)" in selftest.stdout  # QtPdf is installed
