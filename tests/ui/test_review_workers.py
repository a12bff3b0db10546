"""Review findings: workers outliving the widget that started them, stale results."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

from PySide6.QtCore import QCoreApplication, QEvent

from sarapp.demo import create_demo_case
from sarapp.model import Position
from sarapp.planning.tasking import task_unit
from sarapp.store import Desk


def _desk_with_pos_job(desk_path) -> tuple[str, str]:
    """The demo case (a kept drift) with one tasked search, so POS runs in a worker."""
    with Desk.open(desk_path) as store:
        demo = create_demo_case(store)
        task_unit(
            store,
            demo,
            unit="SNS 061",
            kind="expanding-square",
            csp=(43.25, 9.5),
            course_deg=0,
            spacing_nm=1,
            pod=0.5,
            legs=8,
            author="op",
        )
        (other,) = store.cases.create(title="Second case", author="op", lkp=Position(43, 9)).cases
    return demo, other


def test_switching_cases_while_pos_runs_does_not_abort(qtbot, desk_path, open_window):
    demo, other = _desk_with_pos_job(desk_path)
    window = open_window(desk_path)
    window.case_list.select(demo)
    assert window.plan_panel.worker is not None  # POS is being computed
    for case_id in (other, demo, other):
        window.case_list.select(case_id)
        # Deliver the old panels' deleteLater now, while their POS jobs still run.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
    assert window.current == other
    assert window.plan_panel.case_id == other


def test_the_app_quits_cleanly_while_the_demo_drift_is_recomputed(tmp_path):
    """Closing right after start (the demo's kept drift being rerun) must not abort."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
    }
    for _start in range(3):  # the first creates the desk, the next ones open it
        _quit_soon(env)


def _quit_soon(env) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from sarapp.ui.app import main; sys.exit(main(sys.argv[1:]))",
            "--quit-after",
            "0.02",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "QThread" not in done.stderr
    assert done.returncode == 0, done.stderr
