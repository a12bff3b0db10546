"""The PyInstaller bundle builds and starts (slow: run with ``-m slow``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sarapp.store import Desk

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
@pytest.mark.timeout(1800)  # a PyInstaller build, minutes on a busy machine
def test_bundle_builds_and_starts_offscreen(tmp_path):
    pip = [sys.executable, "-m", "pip", "install", "-q", "pyinstaller==6.22.3"]
    subprocess.run(pip, check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "build"),
            str(ROOT / "packaging" / "sarapp.spec"),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    exe = tmp_path / "dist" / "sarapp" / "sarapp"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    db = tmp_path / "desk.sqlite"
    run = subprocess.run(
        [str(exe), "--db", str(db), "--quit-after", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    with Desk.open(db) as store:  # the bundle found its resources: the demo case is there
        assert [c.is_demo for c in store.cases.list()] == [True]
